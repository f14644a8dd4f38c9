"""Names of the keys that move about a list or a page, shown by F1: key -> (zh_CN, English)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "key.row_up": ("上一行", "Previous row"),
    "key.row_down": ("下一行", "Next row"),
    "key.page_up": ("上一页", "Page up"),
    "key.page_down": ("下一页", "Page down"),
    "key.row_first": ("第一行", "First row"),
    "key.row_last": ("最后一行", "Last row"),
    "key.scroll_up": ("向上滚动", "Scroll up"),
    "key.scroll_down": ("向下滚动", "Scroll down"),
    "key.scroll_top": ("到顶", "To the top"),
    "key.scroll_bottom": ("到底", "To the bottom"),
}
