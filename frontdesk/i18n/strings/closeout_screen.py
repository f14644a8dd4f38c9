"""Strings of the close-out screen (日结) and the sign-in flag for days left unclosed."""

ENTRIES: dict[str, tuple[str, str]] = {
    "key.close_day": ("确认日结", "Close day"),
    "palette.close_day": (
        "按清点金额日结此营业日并锁定",
        "Close this day with the counted amounts and lock it",
    ),
    "key.adjust": ("补记调整", "Adjust"),
    "palette.adjust": (
        "为已日结的营业日补记迟到或更正的款项（记入今天）",
        "A late or corrected entry for a closed day, booked today",
    ),
    "key.pick_day": ("营业日", "Day"),
    "palette.pick_day": (
        "选择要日结的营业日：较早未日结的日子或今天",
        "Choose the day to close: an earlier unclosed day or today",
    ),
    "key.save_report": ("存报表", "Save"),
    "palette.save_report": (
        "查看此营业日的 58mm 小票报表并存为文件",
        "The day's 58 mm receipt report, saved to a file",
    ),
    "key.import_bill": ("导入账单", "Bill"),
    "palette.import_bill": (
        "导入支付平台当天的账单，与当天记录逐笔对账",
        "Import a payment platform's bill of the day and match it to the day's entries",
    ),
    "key.use_bill": ("用此账单", "Use bill"),
    "key.correct_method": ("改支付方式", "Fix method"),
    "closeout.bills": ("账单：{list}", "Bills: {list}"),
    "closeout.reconciliation": ("移动支付对账", "Mobile payments vs. bills"),
    "closeout.reconciled": (
        "{method}：账单 {bill}，对上 {matched} 笔，有记录无账单 {entries} 笔，有账单无记录 {lines} 笔",
        "{method}: bill {bill}, matched {matched}, no bill line {entries}, no entry {lines}",
    ),
    "closeout.not_reconciled": (
        "{method}：未对账（未导入账单）",
        "{method}: not reconciled (no bill)",
    ),
    "bill_screen.title": ("导入账单 · {date}", "Import a bill · {date}"),
    "bill_screen.file": ("文件", "File"),
    "bill_screen.hint": (
        "输入账单文件的路径后按回车：微信支付或支付宝的商户账单、个人账单明细",
        "Type the bill file's path and press Enter: a WeChat Pay or Alipay merchant or "
        "personal bill",
    ),
    "bill_screen.read": ("已读取{layout}（{method}）", "Read: {layout} ({method})"),
    "bill_screen.day_lines": (
        "本日账单 {count} 笔，共 {amount}",
        "The day's bill: {count}, {amount}",
    ),
    "bill_screen.matched": ("对上 {count} 笔，共 {amount}", "Matched: {count}, {amount}"),
    "bill_screen.no_bill_line": (
        "有记录无账单 {count} 笔 {amount}：{times}",
        "Entries with no bill line: {count}, {amount}: {times}",
    ),
    "bill_screen.no_entry": (
        "有账单无记录 {count} 笔 {amount}：{times}",
        "Bill lines with no entry: {count}, {amount}: {times}",
    ),
    "bill_screen.more": ("等 {count} 笔", " and {count} more"),
    "bill_screen.balanced": ("账单与记录一致", "Bill and entries agree"),
    "bill_screen.slips": (
        "疑似记成现金 {count} 笔：选中后按 F2 改为{method}",
        "Likely keyed as cash: {count}; F2 changes the highlighted one to {method}",
    ),
    "bill_screen.slip": (
        "现金 {entry} {amount} ↔ 账单 {line}",
        "Cash {entry} {amount} ↔ bill {line}",
    ),
    "bill_screen.corrected": ("已改为{method}，重新对账", "Changed to {method}; matched again"),
    "bill_screen.read_first": (
        "请先输入账单文件并按回车",
        "Type a bill file and press Enter first",
    ),
    "closeout.unclosed": (
        "较早的 {count} 个营业日尚未日结：{dates}（F3 选择）",
        "Earlier days not closed ({count}): {dates} (F3 picks)",
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
    "closeout.adjustments": (
        "本日入账的调整（{count} 笔）",
        "Adjustments booked this day ({count})",
    ),
    "closeout.adjustment_for": ("补 {date} {method}：{reason}", "for {date}, {method}: {reason}"),
    "closeout.adjustments_later": (
        "日结后补记本日的调整（{count} 笔）",
        "Later adjustments for this day ({count})",
    ),
    "closeout.adjustment_on": (
        "记于 {date} {method}：{reason}",
        "booked {date}, {method}: {reason}",
    ),
    "closeout.walkins": ("来访登记 {count} 人次", "Walk-ins: {count}"),
    "closeout.after_close": (
        "其中 {date} 日结后收款（{count} 笔）",
        "of which taken after the close of {date} ({count})",
    ),
    "closeout.walkins_at_close": (
        "来访登记 {count} 人次（截至日结）",
        "Walk-ins as of the close: {count}",
    ),
    "closeout.walkins_after": (
        "日结后来访增减 {count} 人次（不改动日结）",
        "Walk-ins since the close: {count} (the close-out stays as it is)",
    ),
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
    "closeout.not_counted": ("未填", "not counted"),
    # --- Ctrl+S: the last look before closing ----------------------------------------------
    "closeout.confirm_title": ("确认日结 {date}", "Close {date}?"),
    "closeout.confirm_hint": (
        "回车日结并锁定（此后不能再改动）；Esc 返回修改",
        "Enter closes and locks the day (it cannot change after); Esc goes back",
    ),
    "closeout.confirm_approval": (
        "差额超过允许范围：由 {manager} 以 PIN 批准，说明：{note}",
        "Beyond the tolerance: approved by {manager} with a PIN; note: {note}",
    ),
    # --- the Z report --------------------------------------------------------------------
    "closeout.closed_at": ("日结时间", "Closed at"),
    "closeout.hash": ("校验码", "Check code"),
    "closeout.note_shown": ("说明：{note}", "Note: {note}"),
    "closeout.counted_by": ("现金点钞：{pieces}", "Cash counted: {pieces}"),
    # --- F2: an adjustment for a closed day ---------------------------------------------
    "adjust.title": ("补记调整（已日结的营业日）", "Adjustment for a closed day"),
    "adjust.booked_today": (
        "记入 {date}（今天；今天已日结则为下一个营业日），并关联到所选营业日；该日的记录不变",
        "Booked in {date} (today; after today's close, the next business day), linked to the "
        "day chosen; that day stays as closed",
    ),
    "adjust.day": ("所属营业日", "For day"),
    "adjust.amount_hint": ("更正多记的款项填负数", "Negative for a correction"),
    "adjust.reason": ("原因", "Reason"),
    "adjust.bad_day": ("请按 YYYY-MM-DD 填写日期", "A date as YYYY-MM-DD"),
    "adjust.method_required": ("请选择支付方式（1-5）", "Choose the payment method (1-5)"),
    "closeout.adjusted": (
        "已补记调整：{date} {amount}，记入 {booked}",
        "Adjustment for {date}: {amount}, booked in {booked}",
    ),
    # --- F3: which day ------------------------------------------------------------------
    "closeout.pick_title": ("选择营业日", "Choose the business day"),
    "closeout.pick_today": ("今天", "today"),
    "closeout.pick_unclosed": ("未日结", "not closed"),
    # --- F4: the report to a file -------------------------------------------------------
    "closeout.file_title": ("报表 {date}（58mm 小票）", "Report of {date} (58 mm receipt)"),
    "closeout.file": ("文件", "File"),
    "closeout.file_hint": (
        "以 .xlsx 结尾存为表格，否则存为小票文本",
        ".xlsx for a sheet, else the receipt text",
    ),
    "closeout.file_saved": ("报表已保存到 {path}", "Report saved to {path}"),
    # --- home, once today is closed ------------------------------------------------------
    "home.closed": (
        "今天已于 {time} 日结：来访、登记、转介照常，收费记入 {booked}",
        "Today was closed at {time}: visits, registrations and referrals go on; money is "
        "booked in the next business day, {booked}",
    ),
    # --- sign-in -------------------------------------------------------------------------
    "signin.unclosed_dates": ("日期：{dates}", "Dates: {dates}"),
}
