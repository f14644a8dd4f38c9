"""`frontdesk close`, `void` and `adjust` (headless close-out): key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "closing.cli_close_help": (
        "日结某营业日（与日结界面同一规则）",
        "close a business day (the close-out screen's rules)",
    ),
    "closing.cli_void_help": (
        "冲销一条来访记录（收费的须店长 PIN）",
        "void a walk-in entry (a paid one needs a manager's PIN)",
    ),
    "closing.cli_adjust_help": (
        "为已日结的营业日补录或更正一笔收入（记入今天或下一个未日结日）",
        "a late or corrected entry for a closed day (booked today or in the next open day)",
    ),
    "closing.opt_date": (
        "要日结的营业日，写作 YYYY-MM-DD",
        "the business day to close, YYYY-MM-DD",
    ),
    "closing.opt_counted": (
        "各支付方式的实点金额（元），如 cash=123.40,wechat=58.50；有应收的方式都要给出，0 也要写",
        "counted per method in yuan, e.g. cash=123.40,wechat=58.50; every method with money "
        "expected needs its count, 0 included",
    ),
    "closing.opt_bill": (
        "支付平台当天的账单文件，用于对账（每种方式一份，可多次给出）",
        "a payment platform's bill of the day to reconcile (one per method; may be repeated)",
    ),
    "closing.opt_manager": ("批准的店长姓名", "the approving manager's name"),
    "closing.opt_pin": (
        "店长 PIN（不给时取 FRONTDESK_PIN，或在终端输入）",
        "the manager's PIN (else FRONTDESK_PIN, or typed at a terminal)",
    ),
    "closing.opt_note": ("说明（有店长批准时必填）", "a note (required with an approval)"),
    "closing.opt_entry": (
        "来访记录编号（export walkins 的“记录编号”列）",
        "the walk-in's id (the 记录编号 column of export walkins)",
    ),
    "closing.opt_reason": ("原因", "the reason"),
    "closing.opt_day": ("已日结的营业日，写作 YYYY-MM-DD", "the closed day, YYYY-MM-DD"),
    "closing.opt_service": ("服务代码或名称", "the service's code or name"),
    "closing.opt_amount": (
        "金额（元），负数为更正多记的",
        "the amount in yuan; negative corrects an over-recorded entry",
    ),
    "closing.opt_method": (
        "支付方式：cash/wechat/alipay/unionpay/ecny 或 现金/微信/支付宝/银联/数字人民币",
        "payment method: cash/wechat/alipay/unionpay/ecny or its Chinese name",
    ),
    "closing.bad_counted": (
        "--counted 的“{value}”应写作 支付方式=金额，如 cash=123.40，每种方式一次",
        "--counted: “{value}” should be METHOD=YUAN, such as cash=123.40, each method once",
    ),
    "closing.bad_entry": (
        "“{value}”不是来访记录编号（export walkins 的“记录编号”列）",
        "“{value}” is not a walk-in id (the 记录编号 column of export walkins)",
    ),
    "closing.pin_needed": (
        "给了 --manager 就要给 PIN：--pin、FRONTDESK_PIN 或在终端输入",
        "--manager needs a PIN: --pin, FRONTDESK_PIN or typed at a terminal",
    ),
    "closing.at_method": ("{method}实点：{reason}", "{method} counted: {reason}"),
    "closing.differences": ("差额：{list}", "Differences: {list}"),
    "closing.closed": (
        "{date} 已日结：收入 {income}，长款 {over}，短款 {short}，校验码 {hash}",
        "{date} closed: income {income}, over {over}, short {short}, hash {hash}",
    ),
    "closing.reconciled": (
        "{method}：账单 {bill}，对上 {matched} 笔，有记录无账单 {entries} 笔，"
        "有账单无记录 {lines} 笔，疑似记成现金 {cash} 笔",
        "{method}: bill {bill}, matched {matched}, entries with no bill line {entries}, "
        "bill lines with no entry {lines}, likely keyed as cash {cash}",
    ),
    "closing.not_reconciled": (
        "{method}：未对账（未导入账单）",
        "{method}: not reconciled (no bill)",
    ),
    "closing.voided": ("已冲销 {entry}", "Voided {entry}"),
    "closing.adjusted": (
        "已为 {day} 补录 {amount}，记入 {booked}",
        "Adjustment of {amount} for {day}, booked on {booked}",
    ),
}
