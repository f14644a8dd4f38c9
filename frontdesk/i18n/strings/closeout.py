"""Strings of the daily close-out (日结), its reports and adjustments."""

ENTRIES: dict[str, tuple[str, str]] = {
    "key.closeout": ("日结", "Close-out"),
    "palette.closeout": ("日结：核对今日收入并锁定", "Close out: check today's income and lock it"),
    "closeout.future": ("不能日结未来的营业日", "A future business day cannot be closed"),
    "closeout.needs_manager": (
        "差额超过允许范围，须店长输入 PIN 批准",
        "The difference is beyond the tolerance: a manager must approve with a PIN",
    ),
    "closeout.needs_note": (
        "差额超过允许范围，须填写说明",
        "The difference is beyond the tolerance: add a note",
    ),
    "closeout.already": (
        "{date} 已经日结，不能重复日结",
        "{date} is already closed; it cannot be closed twice",
    ),
    "closeout.bad_count": (
        "点钞数须为非负整数",
        "Counts of notes and coins are whole numbers, not negative",
    ),
    "closeout.count_missing": (
        "应有 {amount}：请填写实点金额（没有就填 0）",
        "{amount} expected: type the amount counted (0 if there is none)",
    ),
    "closeout.count_too_large": (
        "超过金额上限 {ceiling}，请核对",
        "More than the amount ceiling of {ceiling}: check it",
    ),
    "closeout.not_closed": (
        "{date} 尚未日结，请直接在当天登记",
        "{date} is not closed: enter it on that day",
    ),
    "closeout.day_closed": (
        "{date} 已日结，记录不能再改动；迟到或更正的款项请作为调整登记",
        "{date} is closed and cannot change; book late or corrected entries as adjustments",
    ),
    "closeout.adjust_reason": ("调整须填写原因", "An adjustment needs a reason"),
    "closeout.adjust_zero": ("调整金额不能为零", "An adjustment's amount cannot be zero"),
    "store.day_closed": (
        "该营业日已日结，记录不能再改动；迟到或更正的款项请作为调整登记",
        "That business day is closed and cannot change; book late or corrected entries as adjustments",
    ),
}
