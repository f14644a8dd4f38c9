"""Payment platforms' bills (reading them for a close-out): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "bills.no_file": ("账单文件 {path} 不存在", "The bill file {path} does not exist"),
    "bills.too_large": (
        "{path} 超过 {limit}，不像是一天的账单",
        "{path} is larger than {limit}, too large for a day's bill",
    ),
    "bills.empty": ("账单 {path} 没有内容", "The bill {path} is empty"),
    "bills.unknown": (
        "{path} 不是能识别的账单。可导入：微信支付商户交易账单（CSV）、支付宝商户账单（ZIP 或"
        "其中的业务明细 CSV）、微信个人账单明细（XLSX 或 CSV）、支付宝个人账单（CSV）；"
        "应有表头，如“交易时间、微信订单号、交易状态”或“支付宝交易号、业务类型、订单金额（元）”",
        "{path} is not a bill we know. Accepted: a WeChat Pay merchant trade bill (CSV), an "
        "Alipay merchant bill (the ZIP, or its 业务明细 CSV), a WeChat personal bill (XLSX or "
        "CSV) and an Alipay personal bill (CSV), each with its header row, such as "
        "交易时间, 微信订单号, 交易状态 or 支付宝交易号, 业务类型, 订单金额（元）",
    ),
    "bills.encoding": (
        "无法读取 {path}：不是 UTF-8、GBK 或 GB18030 编码的文本",
        "Cannot read {path}: it is not UTF-8, GBK or GB18030 text",
    ),
    "bills.damaged": (
        "{path} 已损坏或不完整（{kind}），请重新下载账单",
        "{path} is damaged or incomplete ({kind}): download the bill again",
    ),
    "bills.bad_cell": (
        "{path} 第 {row} 行【{column}】无法识别：{value}",
        "{path}, row {row}, column {column}: cannot read {value}",
    ),
    "bills.no_lines": (
        "账单 {path} 的明细是空的：没有一笔交易",
        "The bill {path} lists no transactions",
    ),
    "bills.two_of_method": (
        "同一种支付方式导入了两份账单：每种支付方式只用一份当天的账单",
        "Two bills of one payment method: give one bill of the day per method",
    ),
    "bills.other_day": (
        "这份账单是 {found} 的，没有 {date} 的交易",
        "This bill is for {found}: it has no transactions on {date}",
    ),
    "bills.other_merchant": (
        "这份账单属于 {found}，不是本服务站的收款账户 {expected}：请导入本站自己的账单"
        "（收款账户有变更时，请在配置的 [bill_accounts] 中写明）",
        "This bill belongs to {found}, not to this desk's account {expected}: import the "
        "desk's own bill (if the desk's account changed, list it under [bill_accounts] in "
        "the config)",
    ),
    "bills.used": (
        "这份账单已在 {date} 的日结中导入过，不能再用",
        "This bill was already imported for the close-out of {date}",
    ),
    "bills.correct_refund": (
        "退款或已冲销的记录不能改支付方式，请先冲销后重新登记",
        "A refund or a voided entry keeps its method: void it and log it again",
    ),
    "bills.correct_same": ("这笔已经是这种支付方式", "The entry already has this method"),
    "bills.layout.wechat_merchant": ("微信支付商户交易账单", "WeChat Pay merchant trade bill"),
    "bills.layout.alipay_merchant": ("支付宝商户账单", "Alipay merchant bill"),
    "bills.layout.wechat_personal": ("微信个人账单明细", "WeChat personal bill"),
    "bills.layout.alipay_personal": ("支付宝个人账单", "Alipay personal bill"),
}
