"""Strings of the today's-log screens that catalogue/walkins.py does not have yet."""

ENTRIES: dict[str, tuple[str, str]] = {
    "palette.void": ("冲销选中的来访记录", "Void the highlighted entry"),
    "palette.follow_ups": ("查看到期的待回访记录", "Follow-ups due"),
    "palette.follow_done": ("把选中的回访标记为已回访", "Mark the highlighted follow-up as done"),
    "daylog.loading": ("正在读取…", "Loading…"),
}
