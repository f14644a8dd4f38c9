"""The shell, storage, config, CLI and job-seeker strings: key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- application -------------------------------------------------------------------
    "app.title": ("社区党群服务中心前台", "Community Service Center Front Desk"),
    "app.loading": ("正在打开数据库…", "Opening the database…"),
    "app.quit_hint": ("按 Ctrl+Q 退出程序", "Press Ctrl+Q to quit"),
    "app.hq_role": ("街道", "HQ"),
    "role.clerk": ("前台", "Clerk"),
    "role.manager": ("店长", "Manager"),
    "role.hq": ("街道", "HQ"),
    "weekday.0": ("周一", "Mon"),
    "weekday.1": ("周二", "Tue"),
    "weekday.2": ("周三", "Wed"),
    "weekday.3": ("周四", "Thu"),
    "weekday.4": ("周五", "Fri"),
    "weekday.5": ("周六", "Sat"),
    "weekday.6": ("周日", "Sun"),
    # --- keys (bindings), shown in the key bar, the help screen and the palette ----------
    "key.help": ("帮助", "Help"),
    "key.quit": ("退出", "Quit"),
    "key.lock": ("锁屏", "Lock"),
    "key.sign_out": ("注销", "Sign out"),
    "key.refresh": ("刷新", "Refresh"),
    "key.palette": ("命令", "Commands"),
    "key.close": ("关闭", "Close"),
    "key.submit": ("确定", "OK"),
    "key.cancel": ("取消", "Cancel"),
    "key.next_field": ("下一项", "Next field"),
    "key.prev_field": ("上一项", "Previous field"),
    "key.unlock": ("解锁", "Unlock"),
    "key.sign_in": ("登录", "Sign in"),
    # --- status bar --------------------------------------------------------------------
    "status.no_site": ("未设置站点", "no site"),
    "status.not_signed_in": ("未登录", "not signed in"),
    "status.sync": ("同步：{state}", "Sync: {state}"),
    "sync.not_configured": ("未配置", "not configured"),
    # --- sign-in -----------------------------------------------------------------------
    "signin.title": ("员工登录", "Staff sign-in"),
    "signin.staff": ("选择员工", "Choose staff"),
    "signin.pin": ("PIN 码", "PIN"),
    "signin.pin_placeholder": ("输入 PIN 后按回车", "Type the PIN, then Enter"),
    "signin.loading_staff": ("正在读取员工名单…", "Loading staff…"),
    "signin.no_staff": ("没有可登录的员工账号", "No staff account can sign in"),
    "signin.choose_first": ("请先选择员工", "Choose a staff member first"),
    "signin.wrong_pin": (
        "PIN 码错误（计入{name}的账号），还可再试 {left} 次",
        "Wrong PIN for {name}'s account: {left} tries left",
    ),
    "signin.locked": (
        "PIN 错误次数过多，{name}的账号已锁定，请 {seconds} 秒后再试",
        "Too many wrong PINs: {name}'s account locked, try again in {seconds} s",
    ),
    "signin.unknown_staff": (
        "该员工账号不存在或已停用",
        "This staff account is unknown or inactive",
    ),
    "signin.unclosed": ("有 {count} 个营业日尚未日结", "Business days not closed out: {count}"),
    "signin.demo_hint": ("演示数据 PIN：{pins}", "Demo PINs: {pins}"),
    "pin.format": ("PIN 码须为 4 至 12 位数字", "A PIN is 4 to 12 digits"),
    "pin.mismatch": ("两次输入的 PIN 不一致", "The two PINs differ"),
    # --- lock --------------------------------------------------------------------------
    "lock.title": ("前台已锁定", "Desk locked"),
    "lock.body": ("{name}，请输入 PIN 继续", "{name}, type your PIN to continue"),
    "lock.idle": ("闲置超时，已自动锁屏", "Locked after being idle"),
    # --- home --------------------------------------------------------------------------
    "home.title": ("今日概况 {date}", "Today {date}"),
    "home.income": ("今日收入", "Income today"),
    "home.total": ("合计", "Total"),
    "home.entries": ("笔数", "Entries"),
    "home.services": ("今日服务", "Services today"),
    "home.walkins": ("来访登记", "Walk-ins"),
    "home.visitors": ("服务人次", "Visitors"),
    "home.registrations": ("新增求职登记", "New job seekers"),
    "home.gig_workers": ("今日零工在岗", "Gig workers today"),
    "home.pending_sync": ("待同步记录", "Records awaiting sync"),
    "home.loading": ("正在统计…", "Counting…"),
    "home.refreshed": ("已刷新", "Refreshed"),
    "method.cash": ("现金", "Cash"),
    "method.wechat": ("微信支付", "WeChat Pay"),
    "method.alipay": ("支付宝", "Alipay"),
    "method.unionpay": ("银联", "UnionPay"),
    "method.ecny": ("数字人民币", "e-CNY"),
    # --- help --------------------------------------------------------------------------
    "help.title": ("帮助：所有按键", "Help: every key"),
    "help.key": ("按键", "Key"),
    "help.action": ("功能", "Action"),
    "help.where": ("范围", "Where"),
    "help.global": ("全局", "Everywhere"),
    "help.screen": ("本屏", "This screen"),
    "help.footer": (
        "↑ ↓ PgUp PgDn Home End 翻看；Esc 或 F1 关闭",
        "↑ ↓ PgUp PgDn Home End move; Esc or F1 closes",
    ),
    # --- command palette -----------------------------------------------------------------
    "palette.placeholder": ("输入命令…", "Type a command…"),
    "palette.help": ("显示所有按键", "Show every key"),
    "palette.lock": ("锁定前台", "Lock the desk"),
    "palette.sign_out": ("注销当前员工", "Sign the current staff member out"),
    "palette.quit": ("退出程序", "Quit the program"),
    "palette.refresh": ("刷新今日概况", "Refresh today's figures"),
    # --- first-run setup ---------------------------------------------------------------
    "setup.title": (
        "首次使用：建立本社区前台数据库",
        "First run: create this site's desk database",
    ),
    "setup.intro": ("数据库将保存在：{path}", "The database will be kept at: {path}"),
    "setup.site_code": ("站点代码", "Site code"),
    "setup.site_code_hint": ("字母或数字，如 HS01", "Letters or digits, e.g. HS01"),
    "setup.site_name": ("社区名称", "Site name"),
    "setup.manager": ("店长姓名", "Manager's name"),
    "setup.pin": ("店长 PIN", "Manager's PIN"),
    "setup.pin_again": ("再次输入 PIN", "PIN again"),
    "setup.create": ("创建", "Create"),
    "setup.done": ("已建立 {site} 的前台数据库", "Desk database for {site} created"),
    "init.bad_site_code": (
        "站点代码须为 2 至 16 位大写字母、数字、- 或 _",
        "A site code is 2 to 16 capital letters, digits, - or _",
    ),
    "init.bad_site_name": (
        "请填写社区名称（80 字以内）",
        "Give the site's name (up to 80 characters)",
    ),
    "init.bad_manager": (
        "请填写店长姓名（40 字以内）",
        "Give the manager's name (up to 40 characters)",
    ),
    "init.already": (
        "{path} 已是一个前台数据库，未作改动",
        "{path} is already a desk database; nothing changed",
    ),
    # --- job seekers --------------------------------------------------------------------
    "seeker.name_required": ("请填写姓名", "Give the name"),
    "seeker.name_long": ("姓名不能超过 40 个字", "A name has at most 40 characters"),
    "seeker.education": (
        "学历应为 GB/T 4658 代码或名称，如 本科、大专、高中、初中 或代码 21",
        "Education must be a GB/T 4658 code or name, e.g. 本科, 大专, 高中, 初中, "
        "bachelor's or the code 21",
    ),
    "dates.too_early": (
        "日期早于 {earliest}，请核对",
        "The date is before {earliest}: check it",
    ),
    "seeker.too_many": ("最多 {limit} 项", "At most {limit} items"),
    "seeker.text_long": ("不能超过 {limit} 个字", "At most {limit} characters"),
    "text.control": (
        "含有不可见的控制字符（{char}）：请删除后重新输入",
        "Holds an invisible control character ({char}): delete it and type the text again",
    ),
    "seeker.unknown_choice": ("不是可选的值", "Not one of the choices"),
    "seeker.job_required": (
        "填写了薪资或地区，请同时填写求职工种",
        "Give the job as well as pay or area",
    ),
    "seeker.registered_future": (
        "登记日期不能晚于今天",
        "The registration date cannot be after today",
    ),
    "seeker.consent_required": (
        "须经本人同意方可登记（勾选“本人同意”）",
        "The person's consent is required (tick consent)",
    ),
    "seeker.sensitive_consent_required": (
        "所选人员类别属敏感个人信息，须另行取得本人单独同意",
        "The chosen category is sensitive personal information: it needs its own separate consent",
    ),
    "seeker.duplicate": (
        "该身份证号已在本站登记：{name}（{id}）",
        "This ID number is already registered here: {name} ({id})",
    ),
    "seeker.duplicate_race": (
        "该身份证号刚刚已被登记，请重新查找",
        "This ID number was just registered: search again",
    ),
    "seeker.not_found": ("找不到该登记记录", "No such registration"),
    "seeker.reason_required": ("注销须填写原因", "Cancelling needs a reason"),
    "phone.required": ("请填写联系电话", "Give a phone number"),
    "phone.format": (
        "电话号码格式不对：手机 11 位，座机如 0750-1234567",
        "Not a phone number: 11-digit mobile, or landline like 0750-1234567",
    ),
    "money.format": (
        "金额格式不对：元，最多两位小数",
        "Not an amount: yuan with at most two decimals",
    ),
    "money.negative": ("金额不能为负数", "An amount cannot be negative"),
    "money.cash_jiao": (
        "现金收款只到角：{amount} 有分，请按实收的角数填写",
        "Cash is taken in whole jiao: {amount} has fen; enter what was really taken",
    ),
    "money.too_large": ("金额过大，请核对", "The amount is too large: check it"),
    "reveal.manager_only": (
        "只有店长可以查看完整证件号和电话",
        "Only a manager can see full ID numbers and phones",
    ),
    "reveal.no_key": (
        "此店长在本机还没有个人信息密钥：请另一位已登录过的店长先登录一次，再查看",
        "This manager holds no personal-data key at this desk yet: another manager who "
        "has signed in here must sign in once first",
    ),
    "reveal.other_key": (
        "此记录由重建前的旧前台加密，本机无法解开（需要区级密钥）",
        "This record was sealed by the desk before it was rebuilt; this desk cannot open "
        "it (the district's key is needed)",
    ),
    "gender.M": ("男", "M"),
    "gender.F": ("女", "F"),
    "status.active": ("求职中", "Seeking"),
    "status.employed": ("已就业", "Employed"),
    "status.cancelled": ("已注销", "Cancelled"),
    "edu.11": ("博士", "Doctorate"),
    "edu.14": ("硕士", "Master's"),
    "edu.21": ("本科", "Bachelor's"),
    "edu.31": ("专科", "Associate (大专)"),
    "edu.41": ("中专", "Secondary vocational"),
    "edu.44": ("职高", "Vocational high school"),
    "edu.47": ("技校", "Technical school"),
    "edu.61": ("高中", "Senior high school"),
    "edu.71": ("初中", "Junior high school"),
    "edu.81": ("小学", "Primary school"),
    "edu.90": ("其他", "Other"),
    "hukou.local_urban": ("本地城镇", "Local, urban"),
    "hukou.local_rural": ("本地农村", "Local, rural"),
    "hukou.other_urban": ("外地城镇", "Non-local, urban"),
    "hukou.other_rural": ("外地农村", "Non-local, rural"),
    "category.older_unemployed": (
        "大龄失业人员（女40、男50以上）",
        "Older unemployed (women 40+, men 50+)",
    ),
    "category.long_unemployed": ("连续失业一年以上", "Unemployed for a year or more"),
    "category.landless_farmer": ("失地农民", "Landless farmer"),
    "category.veteran": ("退役军人（失业半年以上）", "Veteran (unemployed 6 months+)"),
    "category.zero_employment_family": ("零就业家庭成员", "Member of a zero-employment family"),
    "category.dibao": ("低保家庭成员", "Minimum-living-allowance (低保) household"),
    "category.disability": ("残疾人", "Person with a disability"),
    "category.released_prisoner": ("刑满释放或戒毒康复人员", "Released from prison or rehab"),
    "category.mental_health_recovery": ("精神障碍康复人员", "Mental-health recovery"),
    # --- ID numbers (frontdesk.domain.idcard) -----------------------------------------------------
    "id.length": (
        "身份证号须为 18 位（旧证 15 位）",
        "An ID number has 18 characters (15 on old cards)",
    ),
    "id.chars": ("身份证号只能是数字，最后一位可为 X", "An ID number is digits, the last may be X"),
    "id.birth_date": ("身份证号中的出生日期无效", "The birth date in the ID number is not valid"),
    "id.check": (
        "身份证号校验位不符，请核对",
        "The ID number's check character is wrong: check it",
    ),
    # --- storage errors (codes from db.migrate.StoreError) -------------------------------
    "store.db_is_directory": (
        "{path} 是一个文件夹，不是数据库文件",
        "{path} is a folder, not a database file",
    ),
    "store.db_not_sqlite": (
        "{path} 不是前台数据库（不是 SQLite 文件），未作改动",
        "{path} is not a desk database (not an SQLite file); nothing changed",
    ),
    "store.db_unreadable": (
        "无法读取数据库 {path}：{reason}",
        "Cannot read the database {path}: {reason}",
    ),
    "store.db_foreign": (
        "{path} 是其他程序的 SQLite 数据库，未作改动",
        "{path} is another program's SQLite database; nothing changed",
    ),
    "store.db_newer": (
        "数据库版本 {found} 比本程序新（本程序支持到 {supported}），请先升级 frontdesk",
        "The database is at version {found}, newer than this program ({supported}): "
        "upgrade frontdesk first",
    ),
    "store.write_refused": (
        "当前登录（或文件）只能读取，不能修改；总部修改参考数据请用执行过 central init 的登录",
        "This login (or file) may only read, not change anything; head office changes "
        "reference data with the login that ran central init",
    ),
    "store.db_read_only": (
        "数据库文件 {path} 只读，无法写入",
        "The database file {path} is read-only",
    ),
    "store.db_dir_missing": ("文件夹 {path} 不存在", "The folder {path} does not exist"),
    "store.db_dir_read_only": ("无法在 {path} 中写入文件", "Cannot write files in {path}"),
    "store.db_missing": ("数据库 {path} 不存在", "The database {path} does not exist"),
    "store.db_not_initialised": (
        "{path} 尚未初始化，请先运行 frontdesk init",
        "{path} is not set up yet: run frontdesk init first",
    ),
    "store.db_other_site": (
        "{path} 属于站点 {found}，而配置中的站点是 {expected}，未作改动",
        "{path} belongs to site {found} but the config names site {expected}; nothing changed",
    ),
    "store.busy": (
        "另一个程序正在写入数据库（{path}）：请稍后再试",
        "Another program is writing to the database ({path}): try again in a moment",
    ),
    "store.db_damaged": (
        "数据库文件已损坏或无法使用（{reason}），请用备份恢复",
        "The database file is damaged or unusable ({reason}): restore it from a backup",
    ),
    "store.upgraded": (
        "数据库已升级，原文件备份在 {path}",
        "The database was upgraded; the old file is backed up at {path}",
    ),
    # --- config ------------------------------------------------------------------------
    "config.bad_file": (
        "配置文件 {path} 格式错误：{reason}",
        "The config file {path} is malformed: {reason}",
    ),
    "config.unknown_key": (
        "配置文件 {path} 中有未知设置项 {key}",
        "Unknown setting {key} in {path}",
    ),
    "config.bad_lang": (
        "语言 {value} 不受支持，请用 zh 或 en",
        "Language {value} is not supported: use zh or en",
    ),
    "config.bad_number": (
        "设置项 {key} 须为正整数，当前为 {value}",
        "Setting {key} must be a positive whole number, not {value}",
    ),
    # --- command line ------------------------------------------------------------------
    "cli.description": (
        "社区党群服务中心前台：求职登记、零工派单、来访登记、日结与同步",
        "Community service center front desk: job seekers, gigs, walk-ins, close-out and sync",
    ),
    "cli.usage_error": ("用法错误：{reason}", "Wrong usage: {reason}"),
    "cli.arg_required": ("缺少必需的参数：{names}", "these arguments are required: {names}"),
    "cli.arg_unknown": ("不认识的参数：{names}", "unknown arguments: {names}"),
    "cli.arg_choice": (
        "{name} 不能是 {value}，可选：{choices}",
        "{name} cannot be {value}; choose from {choices}",
    ),
    "cli.arg_value_missing": ("{name} 后面要跟一个值", "{name} needs a value after it"),
    "cli.arg_invalid": ("{name} 的值不对：{value}", "{name} has a wrong value: {value}"),
    "cli.arg_reason": ("参数 {name}：{reason}", "{name}: {reason}"),
    "cli.opt_db": ("前台数据库文件路径", "path of the desk database"),
    "cli.opt_lang": ("界面语言：zh（默认）或 en", "interface language: zh (default) or en"),
    "cli.opt_site": ("站点代码，如 HS01", "site code, e.g. HS01"),
    "cli.opt_site_name": ("社区名称", "site name"),
    "cli.opt_manager": ("第一位店长的姓名", "name of the first manager"),
    "cli.opt_pin": (
        "店长的 PIN（6–12 位数字）；也可用环境变量 FRONTDESK_PIN，或不填在终端中输入",
        "the manager's PIN (6-12 digits); or the FRONTDESK_PIN environment variable, or leave "
        "it out and type it when asked",
    ),
    "cli.pin_prompt": ("请输入 PIN（不显示）：", "PIN (not shown): "),
    "cli.pin_again": ("再输入一次 PIN：", "The PIN again: "),
    "cli.pin_mismatch": (
        "两次输入的 PIN 不一致，什么也没有做",
        "The two PINs differ: nothing done",
    ),
    "cli.pin_missing": (
        "需要 PIN：--pin、环境变量 FRONTDESK_PIN，或在终端中运行以便输入",
        "a PIN is needed: --pin, the FRONTDESK_PIN environment variable, or run it at a "
        "terminal to type it",
    ),
    "cli.opt_no_tui": ("只生成数据，不打开界面", "build the data only, do not open the interface"),
    "cli.opt_seed": (
        "随机种子（相同种子生成相同数据）",
        "random seed (the same seed gives the same data)",
    ),
    "cli.opt_output": ("备份文件路径", "path of the backup file"),
    "cli.init_help": ("为一个站点建立前台数据库", "create a desk database for one site"),
    "cli.demo_help": ("生成演示数据并打开", "build a database of demo data, then open it"),
    "cli.backup_help": (
        "在前台运行时做一致性备份",
        "make a consistent copy while the desk may run",
    ),
    "cli.check_help": (
        "检查数据库完整性、待同步记录与日结",
        "check integrity, outbox consistency and the close-outs",
    ),
    "cli.init_done": (
        "已为站点 {site} 建立前台数据库：{path}",
        "Desk database for site {site} created: {path}",
    ),
    "cli.demo_done": (
        "演示数据已生成：{path}（求职者 {people} 人，来访 {walkins} 次）",
        "Demo data built in {path} ({people} job seekers, {walkins} walk-ins)",
    ),
    "cli.demo_exists": (
        "{path} 已有演示数据，直接打开",
        "{path} already holds demo data: opening it",
    ),
    "cli.demo_pins": (
        "登录：店长 PIN 1234，前台 PIN 1111 / 2222",
        "Sign in: manager PIN 1234, clerks 1111 / 2222",
    ),
    "demo.real_data": (
        "{path} 存有真实数据，演示程序不会改动它；请用 --db 指定另一个文件",
        "{path} holds real data and demo will not touch it: pass --db with another file",
    ),
    "cli.backup_done": ("备份完成：{path}", "Backup written: {path}"),
    "cli.check_ok": ("检查通过：{path}", "Check passed: {path}"),
    "cli.check_failed": ("发现 {count} 个问题", "{count} problems found"),
    "backup.no_source": ("数据库 {path} 不存在", "The database {path} does not exist"),
    "backup.exists": (
        "{path} 已存在，不会覆盖",
        "{path} already exists and will not be overwritten",
    ),
    "backup.bad_target": ("无法在 {path} 中写入备份", "Cannot write a backup in {path}"),
    "backup.corrupt_copy": (
        "备份校验失败，未生成 {path}",
        "The copy failed verification; {path} not written",
    ),
    "check.no_db": ("数据库 {path} 不存在", "The database {path} does not exist"),
    "check.unreadable": ("无法读取数据库：{reason}", "Cannot read the database: {reason}"),
    "check.integrity": ("完整性检查：{detail}", "Integrity check: {detail}"),
    "check.foreign_key": (
        "{table} 中有记录引用了不存在的 {parent}",
        "{table} has rows pointing at missing {parent}",
    ),
    "check.schema": (
        "数据库版本 {found} 与程序版本 {expected} 不一致",
        "Database version {found} differs from the program's {expected}",
    ),
    "check.trigger_missing": (
        "{table} 缺少触发器 {trigger}",
        "{table} lacks the trigger {trigger}",
    ),
    "check.outbox_missing": (
        "{table} 有 {count} 条记录的当前版本不在待同步队列中",
        "{table}: {count} rows have no outbox entry for their current version",
    ),
    "check.outbox_orphans": (
        "待同步队列中有 {count} 条 {table} 记录已不存在",
        "The outbox points at {count} missing rows of {table}",
    ),
    "check.unsearchable": (
        "有 {count} 位求职者没有检索键，无法被查到",
        "{count} job seekers have no search keys and cannot be found",
    ),
    "check.dispatch_stale": (
        "有 {count} 位求职者的派工索引与登记不符，派工推荐会漏掉或排错他们",
        "{count} job seekers' dispatch index differs from their registration: "
        "dispatch would miss or misrank them",
    ),
    "error.unexpected": ("意外错误：{reason}", "Unexpected error: {reason}"),
}
