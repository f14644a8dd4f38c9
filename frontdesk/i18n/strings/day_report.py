"""Strings of the day report (X / Z report): the receipt, the spreadsheet and `report day`.

Receipt labels must stay short: the 58 mm receipt is 32 columns and a Chinese character
takes two of them (services/day_report.py shortens or wraps anything longer).
"""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- titles and heading ------------------------------------------------------------------
    "day_report.title_x": ("X 报表", "X report"),
    "day_report.title_z": ("Z 日结报表", "Z report"),
    "day_report.site": ("站点", "Site"),
    "day_report.date": ("营业日", "Business day"),
    "day_report.status": ("状态", "Status"),
    "day_report.open": ("未日结", "open, not closed"),
    "day_report.closed_at": ("已日结 {at}", "closed {at}"),
    "day_report.entries": ("收款笔数", "Income entries"),
    "day_report.walkins": ("来访登记", "Walk-ins"),
    "day_report.after_close": (
        "其中 {date} 日结后收款 {count} 笔，记入本日",
        "of which taken after the close of {date}: {count}, booked here",
    ),
    "day_report.after_close_amount": ("金额", "amount"),
    "day_report.walkins_at_close": ("来访（截至日结）", "Walk-ins as of the close"),
    "day_report.walkins_after": ("日结后来访增减", "Walk-ins since the close"),
    "day_report.float": ("备用金", "Opening float"),
    # --- per payment method ------------------------------------------------------------------
    "day_report.method": ("支付方式", "Method"),
    "day_report.income": ("收入", "Income"),
    "day_report.expected": ("应有", "Expected"),
    "day_report.counted": ("实点", "Counted"),
    "day_report.difference": ("长短款", "Over/short"),
    "day_report.cash_has_float": ("现金应有含备用金", "Expected cash includes the float"),
    # --- totals --------------------------------------------------------------------------------
    "day_report.total": ("合计", "Total"),
    "day_report.income_total": ("收入合计", "Total income"),
    "day_report.over_total": ("长款合计", "Total over"),
    "day_report.short_total": ("短款合计", "Total short"),
    "day_report.never_netted": (
        "长款、短款分列，不得以长补短",
        "Overs and shorts are listed apart, never netted",
    ),
    "day_report.partners": ("合作方分成", "Partners' shares"),
    "day_report.partner": ("合作方", "Partner"),
    "day_report.share": ("分成", "Share"),
    "day_report.partner_total": ("分成合计", "Partners' total"),
    "day_report.no_partners": ("无合作方收入", "No partner income"),
    "day_report.proceeds": ("社区收益", "Community proceeds"),
    "day_report.rebate": ("反哺社区", "Rebate to community"),
    "day_report.rebate_rule": ("按{base}的 {rate}%", "{rate}% of {base}"),
    "day_report.base.community_share": ("社区收益", "community proceeds"),
    "day_report.base.gross": ("总收入", "gross income"),
    "day_report.rounding": ("取整规则", "Rounding"),
    "day_report.rounding.half_up_per_line": (
        "分成与反哺逐笔计算，四舍五入到分",
        "Shares and rebate: each line rounded half up to the fen",
    ),
    # --- adjustments ----------------------------------------------------------------------------
    "day_report.adjustments_booked": ("今日登记的调整", "Adjustments booked today"),
    "day_report.adjustments_later": ("日结后补记本日的调整", "Later adjustments for this day"),
    "day_report.adjustments_total": ("调整合计", "Adjustments total"),
    "day_report.adjustment_for": ("补 {date}", "For {date}"),
    "day_report.adjustment_on": ("记于 {date}", "Booked {date}"),
    "day_report.closed_date": ("所属营业日", "For day"),
    "day_report.booked_date": ("登记日期", "Booked on"),
    "day_report.reason": ("原因", "Reason"),
    "day_report.none": ("无", "None"),
    # --- closed day ------------------------------------------------------------------------------
    "day_report.note": ("备注：{note}", "Note: {note}"),
    "day_report.note_label": ("备注", "Note"),
    "day_report.hash": ("校验码", "Hash"),
    # --- reconciliation against the platforms' bills ------------------------------------------
    "day_report.reconciliation": ("移动支付对账", "Mobile payments vs. bills"),
    "day_report.not_reconciled": ("未对账（未导入账单）", "Not reconciled (no bill)"),
    "day_report.balanced": ("账单与记录一致", "Bill and entries agree"),
    "day_report.bill_total": ("账单金额", "Bill"),
    "day_report.matched": ("对上 {count} 笔", "Matched: {count}"),
    "day_report.no_bill_line": ("有记录无账单 {count} 笔", "No bill line: {count}"),
    "day_report.no_entry": ("有账单无记录 {count} 笔", "No entry: {count}"),
    "day_report.keyed_as_cash": (
        "其中 {count} 笔疑似记成了现金",
        "{count} of them likely keyed as cash",
    ),
    "day_report.count": ("笔数", "Count"),
    "day_report.matched_label": ("对上", "Matched"),
    "day_report.no_bill_line_label": ("有记录无账单", "Entries with no bill line"),
    "day_report.no_entry_label": ("有账单无记录", "Bill lines with no entry"),
    # --- spreadsheet -------------------------------------------------------------------------------
    "day_report.sheet": ("日报", "Day report"),
    "day_report.item": ("项目", "Item"),
    "day_report.amount_yuan": ("金额（元）", "Amount (yuan)"),
    # --- command line ------------------------------------------------------------------------------
    "day_report.cli_help": ("报表", "reports"),
    "day_report.cli_day_help": (
        "某营业日的 X 报表（未日结）或 Z 报表（已日结）",
        "a business day's X report (open day) or Z report (closed day)",
    ),
    "day_report.cli_opt_date": ("营业日，写作 YYYY-MM-DD", "the business day, YYYY-MM-DD"),
    "day_report.cli_opt_format": (
        "输出格式：text（小票，默认）、json 或 xlsx",
        "output format: text (receipt, default), json or xlsx",
    ),
    "day_report.cli_opt_output": (
        "写入此文件（不会覆盖已有文件；xlsx 必须指定）",
        "write to this file (never overwritten; required for xlsx)",
    ),
    "day_report.cli_xlsx_needs_output": (
        "--format xlsx 须用 -o 指定输出文件",
        "--format xlsx needs -o FILE",
    ),
    "day_report.xlsx_suffix": (
        "{path}：xlsx 报表的文件名须以 .xlsx 结尾",
        "{path}: the file name of an xlsx report must end in .xlsx",
    ),
    "day_report.written": ("{date} 的报表已写入 {path}", "The report of {date} is in {path}"),
}
