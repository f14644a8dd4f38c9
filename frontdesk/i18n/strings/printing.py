"""Printed documents (receipts, reprints, signatures) and the printer settings screen:
key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # --- the receipt -----------------------------------------------------------------------
    "receipt.title": ("收  据", "RECEIPT"),
    "receipt.number": ("收据号", "No."),
    "receipt.time": ("时间", "Time"),
    "receipt.service": ("服务项目", "Service"),
    "receipt.method": ("支付方式", "Paid by"),
    "receipt.staff": ("经办人", "Staff"),
    "receipt.amount": ("金额", "Amount"),
    "receipt.thanks": ("请妥善保管本收据，谢谢！", "Please keep this receipt. Thank you!"),
    "receipt.no_entry": (
        "这条记录没有收费，没有收据",
        "This entry took no money: it has no receipt",
    ),
    "receipt.not_income": (
        "冲销或退款没有收据，只有收费才开收据",
        "A reversal or refund has no receipt: receipts are for money taken",
    ),
    "receipt.view_title": ("收据 {number}", "Receipt {number}"),
    "receipt.loading": ("正在读取收据…", "Reading the receipt…"),
    "receipt.file": ("保存为", "Save as"),
    "receipt.file_hint": ("文件名（文本）", "file name (text)"),
    "receipt.saved": ("收据已保存：{path}", "Receipt saved: {path}"),
    "receipt.file_name": ("收据-{number}.txt", "receipt-{number}.txt"),
    "key.print": ("打印", "Print"),
    "key.print_receipt": ("打印收据", "Print receipt"),
    "key.receipt": ("收据", "Receipt"),
    "palette.print": ("在收据打印机上打印", "Print on the receipt printer"),
    "palette.receipt": (
        "所选收费的收据（查看、打印、重印）",
        "The entry's receipt (view, print, reprint)",
    ),
    # --- printing and reprints -------------------------------------------------------------
    "print.reprint_mark": ("** 重印 {at} **", "** 重印 REPRINT {at} **"),
    "print.sign_clerk": ("收银员签字", "Clerk"),
    "print.sign_manager": ("负责人签字", "Manager"),
    "print.printing": ("正在打印…", "Printing…"),
    "print.done": ("{document} 已打印（{where}）", "{document} printed ({where})"),
    "print.done_reprint": ("{document} 已重印（{where}）", "{document} reprinted ({where})"),
    "print.kept": (
        "{fault}\n{document} 已保存，可稍后重印（今日登记 F4 中选中该笔，按 R）",
        "{fault}\n{document} is kept: reprint it later (today's log F4, the entry, R)",
    ),
    "print.kept_report": (
        "{fault}\n报表已保存，可稍后在日结（F5）中按 F6 再打印",
        "{fault}\nThe report is kept: print it later from the close-out (F5), F6",
    ),
    "print.not_printed": ("{fault}\n{document}未打印", "{fault}\n{document} was not printed"),
    "print.receipt_name": ("收据 {number}", "Receipt {number}"),
    "print.report_name": ("{date} 日结报表", "The report of {date}"),
    "print.slip_name": ("{name} 的工资条", "{name}'s pay slip"),
    "print.offer": ("按 F4 打印收据", "F4 prints the receipt"),
    "print.nothing_to_print": (
        "刚才没有收费记录可打印收据",
        "No paid entry was just saved: there is no receipt to print",
    ),
}
