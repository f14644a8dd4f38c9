"""Strings of the gig market's employment services: employers, postings, referrals."""

ENTRIES: dict[str, tuple[str, str]] = {
    # employers
    "employer.credit_code_format": (
        "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）",
        "A unified social credit code is 18 digits or capital letters (no I, O, Z, S, V)",
    ),
    "employer.credit_code_check": (
        "统一社会信用代码校验位不对，请核对",
        "The credit code's check character is wrong: please check it",
    ),
    "employer.credit_code_taken": (
        "本站已有使用该统一社会信用代码的用工主体",
        "An employer of this site already has this credit code",
    ),
    "employer.kind": (
        "类型应为公司、个体工商户或个人",
        "Kind is company, individual business or individual",
    ),
    "employer.kind.company": ("公司/单位", "Company"),
    "employer.kind.individual_business": ("个体工商户", "Individual business"),
    "employer.kind.individual": ("个人", "Individual"),
    # postings
    "job.positions": (
        "招聘人数须为 1 至 {limit} 的整数",
        "Positions is a whole number from 1 to {limit}",
    ),
    "job.pay_required": ("请填写薪酬下限（元，大于零）", "Enter the lowest pay (yuan, above zero)"),
    "job.pay_range": ("薪酬上限不能低于下限", "The highest pay cannot be below the lowest"),
    "job.pay_unit": (
        "计薪方式须为时、日、月或件",
        "Pay unit is hour, day, month or piece",
    ),
    "job.pay_unit.hour": ("元/时", "yuan/hour"),
    "job.pay_unit.day": ("元/日", "yuan/day"),
    "job.pay_unit.month": ("元/月", "yuan/month"),
    "job.pay_unit.piece": ("元/件", "yuan/piece"),
    "job.age": (
        "年龄要求须为 {low} 至 {high} 的整数",
        "An age is a whole number from {low} to {high}",
    ),
    "job.age_order": ("年龄上限不能低于下限", "The highest age cannot be below the lowest"),
    "job.dates_order": ("截止日期不能早于开始日期", "The end date cannot be before the start"),
    "job.too_many_skills": ("技能要求最多 {limit} 项", "At most {limit} skills"),
    "job.discriminatory": (
        "岗位要求不得限定性别、民族、婚育等（就业促进法第三条、第二十七条）：“{word}”",
        "A posting may not require a gender, ethnicity, marital status and the like "
        "(Employment Promotion Law art. 3, 27): \u201c{word}\u201d",
    ),
    "job.source": ("来源须为窗口、电话或招聘会", "Source is desk, phone or job fair"),
    "job.source.desk": ("窗口", "Desk"),
    "job.source.phone": ("电话", "Phone"),
    "job.source.fair": ("招聘会", "Job fair"),
    "job.status.open": ("招聘中", "Open"),
    "job.status.filled": ("已招满", "Filled"),
    "job.status.expired": ("已过期", "Expired"),
    "job.status.withdrawn": ("已撤回", "Withdrawn"),
    "job.status_unknown": ("没有这种岗位状态", "No such posting status"),
    "job.already_withdrawn": ("该岗位已撤回", "This posting is already withdrawn"),
    "job.posting_not_found": ("找不到该岗位", "No such posting"),
    "job.posting_closed.filled": (
        "该岗位已招满，不能再推荐",
        "This posting is filled: no more referrals",
    ),
    "job.posting_closed.expired": (
        "该岗位已过截止日期，不能再推荐",
        "This posting has expired: no more referrals",
    ),
    "job.posting_closed.withdrawn": (
        "该岗位已撤回，不能再推荐",
        "This posting was withdrawn: no more referrals",
    ),
    "job.posting_full": (
        "该岗位 {positions} 个名额已全部上岗",
        "All {positions} positions of this posting are taken",
    ),
    # referrals
    "job.already_referred": (
        "此人已推荐到该岗位，尚无结果",
        "This person is already referred to this posting, with no outcome yet",
    ),
    "job.referral_not_found": ("找不到该推荐记录", "No such referral"),
    "job.outcome.referred": ("已推荐", "Referred"),
    "job.outcome.interviewed": ("已面试", "Interviewed"),
    "job.outcome.intention": ("达成意向", "Intention reached"),
    "job.outcome.placed": ("已上岗", "Placed"),
    "job.outcome.not_hired": ("未录用", "Not hired"),
    "job.outcome.withdrew": ("本人放弃", "Withdrew"),
    "job.outcome_unknown": ("没有这种推荐结果", "No such referral outcome"),
    "job.outcome_move": (
        "推荐现为“{now}”，不能改为“{to}”",
        "The referral is \u201c{now}\u201d: it cannot become \u201c{to}\u201d",
    ),
    "job.follow_up_past": ("回访日期不能早于今天", "The follow-up date cannot be in the past"),
    # head office
    "hq.employment_services": ("就业服务（零工市场）", "Employment services (gig market)"),
    "hq.col_employers_served": ("服务用工主体", "Employers served"),
    "hq.col_postings_published": ("发布岗位", "Postings published"),
    "hq.col_positions_offered": ("提供岗位数", "Positions offered"),
    "hq.col_referrals": ("推荐人次", "Referrals"),
    "hq.col_intentions_reached": ("达成就业意向", "Intentions reached"),
    "hq.col_people_placed": ("上岗人数", "People placed"),
    "hqui.note_jobs": (
        "推荐/意向/上岗 {referrals}/{intentions}/{placed}",
        "referred/intention/placed {referrals}/{intentions}/{placed}",
    ),
    # import and export
    "job.unknown_employer": (
        "找不到该用工单位：请先导入或新增用工主体（填名称或统一社会信用代码）",
        "No such employer: import or add it first (its name or credit code)",
    ),
    "employment_io.imported": ("已导入 {count} 行", "{count} rows imported"),
    "employment_io.imported_with_rejects": (
        "已导入 {count} 行；{rejected} 行有问题，已写入 {path}",
        "{count} rows imported; {rejected} rows with problems written to {path}",
    ),
    "employment_io.exported": (
        "已导出 {count} 行到 {path}（联系电话已遮蔽）",
        "{count} rows exported to {path} (phones masked)",
    ),
    "employment_io.cli_import_employers_help": (
        "导入用工主体（CSV 或 XLSX）",
        "import employers (CSV or XLSX)",
    ),
    "employment_io.cli_import_postings_help": (
        "导入岗位信息（CSV 或 XLSX）",
        "import job postings (CSV or XLSX)",
    ),
    "employment_io.cli_export_employers_help": ("导出用工主体", "export employers"),
    "employment_io.cli_export_postings_help": ("导出岗位信息", "export job postings"),
    # the notice board and the chat-group message
    "notice.title": (
        "岗位信息 {day}（共 {count} 个岗位）",
        "Job postings {day} ({count} postings)",
    ),
    "notice.age": ("年龄 {low}-{high} 岁", "age {low}-{high}"),
    "notice.col_title": ("岗位", "Job"),
    "notice.col_employer": ("用工单位", "Employer"),
    "notice.col_free": ("招聘人数", "Places"),
    "notice.col_pay": ("薪酬", "Pay"),
    "notice.col_place": ("工作地点", "Place"),
    "notice.col_hours": ("工作时间", "Hours"),
    "notice.col_requirements": ("要求", "Requirements"),
    "notice.col_contact": ("联系方式", "Contact"),
    "notice.col_until": ("截止日期", "Until"),
    "notice.line_pay": ("薪酬：{pay}，招 {free} 人", "Pay: {pay}, {free} places"),
    "notice.line_place": ("地点：{value}", "Place: {value}"),
    "notice.line_hours": ("时间：{value}", "Hours: {value}"),
    "notice.line_requirements": ("要求：{value}", "Requirements: {value}"),
    "notice.line_contact": ("联系：{value}", "Contact: {value}"),
    "notice.line_until": ("截止：{day}", "Until: {day}"),
    "notice.chat_title": ("【{day} 招聘信息】", "[Jobs {day}]"),
    "notice.people": ("人", " places"),
    "notice.print_title": ("招聘信息", "Jobs on offer"),
    "notice.none_open": ("今天没有在招的岗位", "No posting is open today"),
    "notice.not_open": (
        "这个岗位今天不在招聘中（已招满、已撤回、已过期或尚未开始），不能发布",
        "This posting is not open today (filled, withdrawn, expired or not yet started): "
        "it is not published",
    ),
    "notice.chat_call": ("电话 {phone}", "Call {phone}"),
    "notice.chat_more": (
        "另有 {count} 个岗位，详见社区服务中心公告栏",
        "{count} more postings on the service center's notice board",
    ),
    "notice.cli_help": (
        "发布招聘中的岗位：公告栏表格（XLSX、CSV 或 TXT），或 --chat 输出微信群消息",
        "publish the open postings: a notice-board sheet (XLSX, CSV or TXT), or --chat for a chat group",
    ),
    "notice.cli_opt_chat": (
        "在屏幕上输出适合手机群聊的文字",
        "print a text sized for a phone chat group",
    ),
    "notice.cli_output_needed": ("请给出 -o 文件，或用 --chat", "give -o FILE, or use --chat"),
    "notice.exported": ("已发布 {count} 个岗位到 {path}", "{count} postings published to {path}"),
}
