"""Head-office strings (reports, reference data, the HQ command line): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- monthly report ----------------------------------------------------------------
    "hq.period_title": (
        "{first} 至 {last} 各社区报表",
        "Report {first} to {last}, all communities",
    ),
    "hq.headline_title": ("街道主要指标", "The district's headline figures"),
    "hq.col_job_fairs": ("招聘会", "Job fairs"),
    "hq.col_trainings": ("培训", "Trainings"),
    "hq.col_trainees_completed": ("结业人数", "Completed"),
    "hq.col_classes_events": ("课堂活动", "Classes+events"),
    "hq.col_visits": ("服务人次", "Visits"),
    "hq.bad_period": (
        "结束日期 {last} 早于开始日期 {first}",
        "The end {last} is before the start {first}",
    ),
    "hq.period_needs_both": (
        "请用 --month，或同时给出 --from 和 --to",
        "Give --month, or both --from and --to",
    ),
    "cli.opt_from": ("起始日期 YYYY-MM-DD", "First day YYYY-MM-DD"),
    "cli.opt_to": ("结束日期 YYYY-MM-DD（含）", "Last day YYYY-MM-DD (counted)"),
    "hq.written_period": (
        "{first} 至 {last} 报表已写入 {path}",
        "Report {first} to {last} written to {path}",
    ),
    "hq.month_title": ("{month} 各社区月报", "Monthly report {month}, all communities"),
    "hq.walkins_by_line": ("来访（按服务类别）", "Walk-ins by service line"),
    "hq.month_note": (
        "已日结的日期按日结数字计，未日结的日期按 X 报表计；长款、短款分列，不相抵。",
        "Closed days count as closed out; days not yet closed count as their X report. "
        "Over and short are listed apart, never netted.",
    ),
    "hq.total": ("合计", "Total"),
    "hq.col_site": ("社区", "Community"),
    "hq.col_name": ("名称", "Name"),
    "hq.col_income": ("收入", "Income"),
    "hq.col_partner_share": ("合伙人分成", "Partner shares"),
    "hq.col_proceeds": ("社区收益", "Community proceeds"),
    "hq.col_rebate": ("反哺", "Rebate"),
    "hq.col_walkins": ("来访", "Walk-ins"),
    "hq.col_registered": ("求职登记", "Registered"),
    "hq.col_employed": ("已就业", "Employed"),
    "hq.col_gig_workers": ("零工人数", "Gig workers"),
    "hq.col_pieces": ("合格件数", "Pieces"),
    "hq.col_wages": ("工资", "Wages"),
    "hq.col_over": ("长款", "Over"),
    "hq.col_short": ("短款", "Short"),
    "hq.col_closeouts": ("日结天数", "Close-outs"),
    "hq.bad_month": ("月份格式应为 YYYY-MM：{value}", "A month is YYYY-MM: {value}"),
    "hq.written": ("{month} 月报已写入 {path}", "Monthly report {month} written to {path}"),
    "hq.xlsx_needs_output": ("XLSX 格式需要用 -o 指定文件", "The xlsx format needs -o FILE"),
    # --- reference data ----------------------------------------------------------------
    "hq.bad_percent": (
        "比例应为 0 到 100 之间的数，最多两位小数",
        "A percentage is 0-100, two decimals at most",
    ),
    "hq.rebate_too_low": (
        "反哺比例不得低于 20%（经营收益至少 20% 反哺社区）",
        "The rebate is at least 20% (a fifth of operating proceeds goes back to the community)",
    ),
    "hq.partner_inactive": (
        "合伙人 {name} 已停用：请先启用",
        "Partner {name} is deactivated: reactivate it first",
    ),
    "hq.bad_choice": ("不是可选的值", "Not one of the choices"),
    "hq.unknown_site": ("没有站点 {site}", "No site {site}"),
    "hq.unknown_staff": ("没有这个员工账号", "No such staff account"),
    "hq.unknown_service": ("没有服务项目 {service}", "No service {service}"),
    "hq.unknown_partner": ("没有这个合伙人", "No such partner"),
    "hq.bad_code": ("代码须为 1 至 16 位字母或数字", "A code is 1-16 letters or digits"),
    "hq.code_taken": ("代码 {service} 已被使用", "Code {service} is taken"),
    "hq.name_required": ("请填写名称", "A name is required"),
    "hq.share_overlaps": (
        "已有从 {date} 起的分成约定：新约定须晚于它开始",
        "An agreement from {date} exists: a new one must start after it",
    ),
    # --- command line ------------------------------------------------------------------
    "cli.hq_help": ("总部视图（中心库）", "Head-office view (central store)"),
    "cli.hq_report_help": ("各社区月报", "Monthly report of all communities"),
    "cli.opt_month": ("月份 YYYY-MM", "Month YYYY-MM"),
    "cli.opt_report_format": ("text（默认）、json 或 xlsx", "text (default), json or xlsx"),
    "cli.opt_report_output": (
        "写入的文件（默认输出到屏幕）",
        "File to write (default: the screen)",
    ),
}
