"""Strings of the close-out screen (日结) and the sign-in flag for days left unclosed."""

ENTRIES: dict[str, tuple[str, str]] = {
    "key.close_day": ("确认日结", "Close day"),
    "palette.close_day": (
        "按清点金额日结今天并锁定",
        "Close today with the counted amounts and lock it",
    ),
    "closeout.title_x": ("日结 {date}（未结 · X 报表）", "Close-out {date} (open · X report)"),
    "closeout.title_z": ("日结 {date}（已结 · Z 报表）", "Close-out {date} (closed · Z report)"),
    "closeout.loading": ("正在计算…", "Calculating…"),
    "closeout.done": ("{date} 已日结", "{date} is closed"),
    # --- the report ----------------------------------------------------------------------
    "closeout.float": ("备用金", "Opening float"),
    "closeout.income": ("收入合计（{entries} 笔）", "Income ({entries} entries)"),
    "closeout.partners": ("合作方分成", "Partners' shares"),
    "closeout.partner_income": ("收入 {amount}", "of {amount}"),
    "closeout.proceeds": ("社区所得", "Community proceeds"),
    "closeout.rebate": ("返还社区 {rate}（按{base}）", "Rebate {rate} of {base}"),
    "closeout.base.community_share": ("社区所得", "community proceeds"),
    "closeout.base.gross": ("总收入", "income"),
    "closeout.adjustments": ("今日入账的调整（{count} 笔）", "Adjustments booked today ({count})"),
    "closeout.adjustment_for": ("补 {date} {method}：{reason}", "for {date}, {method}: {reason}"),
    # --- counting ------------------------------------------------------------------------
    "closeout.method": ("付款方式", "Method"),
    "closeout.col_income": ("收入", "Income"),
    "closeout.expected": ("应有", "Expected"),
    "closeout.counted": ("实点", "Counted"),
    "closeout.difference": ("长款 / 短款", "Over / short"),
    "closeout.over": ("长款 {amount}", "Over {amount}"),
    "closeout.short": ("短款 {amount}", "Short {amount}"),
    "closeout.even": ("相符", "Even"),
    "closeout.float_hint": ("回车保存", "Enter saves"),
    "closeout.float_saved": ("备用金已保存：{amount}", "Opening float saved: {amount}"),
    "closeout.cash_count": ("点钞（张/枚）", "Notes, coins"),
    "closeout.denom_yuan": ("{yuan}元", "¥{yuan}"),
    "closeout.denom_jiao": ("{jiao}角", "¥0.{jiao}"),
    "closeout.count_total": (
        "点钞合计 {amount}，已填入现金实点",
        "Counted {amount}, filled in as cash",
    ),
    "closeout.totals": (
        "长款合计 {over}　短款合计 {short}（长短款不相抵）",
        "Over in total {over} · short in total {short} (never netted)",
    ),
    "closeout.approval": (
        "差额超过允许范围：须店长输入 PIN 批准，并填写说明",
        "Beyond the tolerance: a manager's PIN and a note are needed",
    ),
    "closeout.manager": ("批准店长", "Manager"),
    "closeout.pin": ("店长 PIN", "Manager's PIN"),
    "closeout.note": ("差额说明", "Note"),
    # --- the Z report --------------------------------------------------------------------
    "closeout.closed_at": ("日结时间", "Closed at"),
    "closeout.hash": ("校验码", "Check code"),
    "closeout.note_shown": ("说明：{note}", "Note: {note}"),
    "closeout.counted_by": ("现金点钞：{pieces}", "Cash counted: {pieces}"),
    # --- sign-in -------------------------------------------------------------------------
    "signin.unclosed_dates": ("日期：{dates}", "Dates: {dates}"),
}
