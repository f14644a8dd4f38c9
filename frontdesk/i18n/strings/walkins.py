"""Strings of walk-in logging: rules, the quick log, today's log, voids and follow-ups."""

ENTRIES: dict[str, tuple[str, str]] = {
    # rules
    "walkin.unknown_service": ("没有这个服务项目", "No such service"),
    "walkin.unknown_method": (
        "支付方式须为现金、微信、支付宝、银联或数字人民币",
        "Payment method must be cash, WeChat, Alipay, UnionPay or e-CNY",
    ),
    "walkin.headcount": (
        "人数须为 1 至 {limit} 的整数",
        "Head count is a whole number from 1 to {limit}",
    ),
    "walkin.duration": ("时长须为 0 至 {limit} 分钟", "Duration is 0 to {limit} minutes"),
    "walkin.follow_up_format": ("回访日期格式为 YYYY-MM-DD", "Follow-up date is YYYY-MM-DD"),
    "walkin.follow_up_past": ("回访日期不能早于今天", "The follow-up date cannot be in the past"),
    "walkin.follow_up_no_such_date": (
        "没有 {date} 这一天，请核对日期",
        "{date} is a date that does not exist: check it",
    ),
    "walkin.follow_up_needs_person": (
        "回访须有回访对象：请先选择来访者",
        "A follow-up needs a person to follow up with: choose the visitor first",
    ),
    "walkin.free_no_amount": (
        "免费服务不收费，请清空金额和支付方式",
        "A free service takes no amount or method",
    ),
    "walkin.amount_required": ("收费服务须填写金额", "A paid service needs the amount"),
    "walkin.method_required": ("收费服务须选择支付方式", "A paid service needs the payment method"),
    "walkin.channel": ("渠道须为现场或电话", "Channel is in person or phone"),
    "walkin.attendees": ("登记的参加者多于人数", "More registered attendees than the head count"),
    "walkin.not_found": ("找不到这条来访记录", "No such walk-in entry"),
    "walkin.is_reversal": (
        "这是一条冲销记录，不能再冲销",
        "This is a reversal; it cannot be voided",
    ),
    "walkin.already_voided": ("这条记录已冲销", "This entry is already voided"),
    "walkin.void_reason": ("冲销须填写原因", "A void needs a reason"),
    "walkin.day_closed": (
        "{date} 已日结，收费项目不能再补登到这一天；这一天收的款项请作为 {date} 的调整登记"
        "（日结页 F2），免费来访仍可登记",
        "{date} is closed: a paid entry cannot be added to it. Book money taken that day as an "
        "adjustment for {date} (F2 on the close-out screen); free visits can still be logged",
    ),
    "walkin.booked_later": (
        "{date} 已日结：此笔款项记入下一个营业日 {booked}，来访仍计入 {date}",
        "{date} is closed: this money is booked in the next business day, {booked}; the visit "
        "counts for {date}",
    ),
    "walkin.after_close": (
        "{date} 已日结：来访照常登记，计入当日来访统计，不改动日结数字",
        "{date} is closed: the visit is logged and counts for the day, the close-out stays as "
        "it is",
    ),
    "walkin.void_needs_manager": (
        "收费记录的冲销须店长输入 PIN",
        "Voiding a paid entry needs a manager's PIN",
    ),
    "channel.in_person": ("现场", "In person"),
    "channel.phone": ("电话", "Phone"),
    "line.gig_market": ("零工市场", "Gig market"),
    "line.micro_factory": ("小社微工厂", "Micro-factory"),
    "line.housekeeping": ("家政", "Housekeeping"),
    "line.wellness": ("康养", "Wellness"),
    "line.skills": ("技能培训", "Skills courses"),
    "line.classes": ("公益课堂与活动", "Classes and events"),
    # keys
    "key.quick_log": ("来访登记", "Log a visit"),
    "key.day_log": ("今日记录", "Today's log"),
    "key.void": ("冲销", "Void"),
    "key.follow_ups": ("待回访", "Follow-ups"),
    "key.done": ("已回访", "Done"),
    "key.attendees": ("参加者", "Attendees"),
    "palette.quick_log": ("登记一次来访或服务", "Log a visit or service"),
    "palette.day_log": ("查看今日来访与收入", "Today's walk-ins and income"),
    # quick log
    "quick.title": ("来访登记", "Log a visit"),
    "quick.service": ("服务项目", "Service"),
    "quick.service_hint": (
        "拼音首字母、代码或数字键 1-9",
        "Pinyin initials, code or a number key 1-9",
    ),
    "quick.visitor": ("来访者", "Visitor"),
    "quick.visitor_hint": (
        "留空为匿名；输入姓名、拼音或后四位查找",
        "Blank for anonymous; type to find",
    ),
    "quick.anonymous": ("匿名", "Anonymous"),
    "quick.headcount": ("人数", "Head count"),
    "quick.channel": ("渠道", "Channel"),
    "quick.duration": ("时长（分钟）", "Minutes"),
    "quick.outcome": ("处理结果", "Outcome"),
    "quick.referral": ("转介", "Referred to"),
    "quick.follow_up": ("回访日期", "Follow up on"),
    "quick.amount": ("金额（元）", "Amount (yuan)"),
    "quick.method": ("支付方式", "Payment method"),
    "quick.method_hint": (
        "1 现金 2 微信 3 支付宝 4 银联 5 数字人民币",
        "1 cash 2 WeChat 3 Alipay 4 UnionPay 5 e-CNY",
    ),
    "quick.free": ("免费", "Free"),
    "quick.price": ("收费 {price}", "Paid {price}"),
    "quick.saved": ("已登记：{service}", "Logged: {service}"),
    "quick.saved_paid": (
        "已登记：{service}，收款 {amount}",
        "Logged: {service}, received {amount}",
    ),
    "quick.no_service": ("没有匹配的服务项目", "No service matches"),
    "quick.attendees_count": ("已登记参加者 {count} 人", "{count} registered attendees"),
    # today's log
    "daylog.title": ("今日记录 {date}", "Log of {date}"),
    "daylog.time": ("时间", "Time"),
    "daylog.service": ("服务", "Service"),
    "daylog.visitor": ("来访者", "Visitor"),
    "daylog.people": ("人数", "People"),
    "daylog.amount": ("金额", "Amount"),
    "daylog.method": ("方式", "Method"),
    "daylog.state": ("状态", "State"),
    "daylog.voided": ("已冲销", "Voided"),
    "daylog.reversal": ("冲销：{reason}", "Void: {reason}"),
    "daylog.totals_line": ("按服务", "By service line"),
    "daylog.totals_method": ("按支付方式", "By method"),
    "daylog.visits": ("{visits} 次 / {people} 人", "visits {visits} · people {people}"),
    "daylog.total": ("合计", "Total"),
    "daylog.empty": ("今天还没有记录", "Nothing logged today yet"),
    "daylog.void_done": ("已冲销", "Voided"),
    "daylog.adjustment": ("补 {date} 的调整：{reason}", "Adjustment for {date}: {reason}"),
    "daylog.adjustments": ("已日结营业日的调整", "Adjustments for closed days"),
    "daylog.carried": ("{date} 日结后收款，记入本日", "Taken after the close of {date}"),
    "daylog.other": ("用工订单收款", "Gig order money"),
    "daylog.booked_on": ("款项记入 {date}", "Money booked in {date}"),
    "daylog.after_close": ("日结后登记", "Logged after the close"),
    "daylog.not_a_visit": (
        "这是一笔款项，不是来访记录：请在日结页（F5）以调整更正",
        "This is money, not a visit: correct it as an adjustment on the close-out screen (F5)",
    ),
    # void dialog
    "void.title": ("冲销这条记录", "Void this entry"),
    "void.reason": ("原因", "Reason"),
    "void.paid_note": (
        "收费记录：需店长PIN。冲销款（负数）记入今天，今天已日结则记入下一个营业日；"
        "已日结的原营业日不变，冲销作为它的调整",
        "Paid entry: a manager's PIN. The negative entry is booked today (after today's "
        "close, in the next business day); a closed day stays as it is, the refund is an "
        "adjustment for it",
    ),
    "void.manager": ("店长", "Manager"),
    "void.pin": ("店长 PIN", "Manager's PIN"),
    # follow-ups
    "follow.title": ("待回访（截至 {date}）", "Follow-ups due by {date}"),
    "follow.due": ("回访日期", "Due"),
    "follow.none": ("没有待回访的记录", "No follow-ups due"),
    "follow.done": ("已标记为已回访", "Marked as followed up"),
}
