"""Strings of the close-out checks: `frontdesk check` at the desk and head office's view."""

ENTRIES: dict[str, tuple[str, str]] = {
    "check.closeout_hash": (
        "{date} 的日结在结账后被改动：数据与其哈希值不符",
        "Close-out of {date} was changed after closing: its figures do not match its hash",
    ),
    "check.closeout_link": (
        "{date} 的日结没有接在前一次日结之后：有日结被删除、插入或替换",
        "Close-out of {date} does not follow the close-out before it: "
        "one was removed, added or replaced",
    ),
    "check.closeout_differs": (
        "{date} 的日结与当日记录不符：{what}",
        "Close-out of {date} differs from the day's entries: {what}",
    ),
    "check.differs_item": (
        "{figure} 日结为 {stored}，按记录为 {found}",
        "{figure} {stored} at the close, {found} from the entries",
    ),
    "check_fig.opening_float": ("备用金", "opening float"),
    "check_fig.entries": ("收款笔数", "entries"),
    "check_fig.walkins": ("来访人次", "walk-ins"),
    "check_fig.expected": ("{method}应收", "expected {method}"),
    "check_fig.counted": ("{method}点钞", "counted {method}"),
    "check_fig.over_short": ("{method}长短款", "over/short {method}"),
    "check_fig.income": ("收入", "income"),
    "check_fig.partner_lines": ("合作方明细", "partner lines"),
    "check_fig.partner_share": ("合作方分成", "partners' shares"),
    "check_fig.proceeds": ("社区收益", "community proceeds"),
    "check_fig.rebate": ("反哺社区", "rebate"),
    "check_fig.adjustments": ("调整", "adjustments"),
    # head office: the dashboard's note and a community's close-out list
    "hqui.why_chain": ("日结链断裂：{days}", "close-out chain broken: {days}"),
    "hqui.why_figures": ("日结与记录不符：{days}", "close-outs differ from entries: {days}"),
    "hqui.chain_broken": ("被改动", "altered"),
}
