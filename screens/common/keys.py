"""Translated names for key bindings, shared by the key bar and the help screen, and the
order the key bar gives up keys in when the line is too narrow for them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import ScrollableContainer

from frontdesk.i18n import t
from frontdesk.i18n.strings import CATALOGUE

if TYPE_CHECKING:
    from textual.screen import Screen

# Textual's own bindings carry no id; these are the ones a person uses.
_BY_ACTION = {
    "app.focus_next": "key.next_field",
    "app.focus_previous": "key.prev_field",
    "focus_next": "key.next_field",
    "focus_previous": "key.prev_field",
}
# A scrolling page (a long form, a receipt) moves with these; a text box has the same
# bindings from Textual but they do nothing a person would notice, so they go unnamed there.
_SCROLLING = {
    "scroll_up": "key.scroll_up",
    "scroll_down": "key.scroll_down",
    "scroll_home": "key.scroll_top",
    "scroll_end": "key.scroll_bottom",
    "page_up": "key.page_up",
    "page_down": "key.page_down",
}
_NAMES = {
    "escape": "Esc",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
# Keys a person finds without being told (moving about a list): the key bar shows them last.
NAVIGATION = frozenset({"pageup", "pagedown", "up", "down", "home", "end"})
# The app's least used keys: in F1 and the palette, on the key bar only if there is room.
SPARE_IDS = frozenset({"quit", "palette"})


def binding_label(binding: Binding) -> str | None:
    """The binding's name in the user's language, or None for bindings people never see."""
    key = f"key.{binding.id}" if binding.id else _BY_ACTION.get(binding.action, "")
    return t(key) if key in CATALOGUE else None


def key_display(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    parts = binding.key.split("+")
    return "+".join(_key_name(p) for p in parts)


def bar_rank(binding: Binding) -> int:
    """Where a key comes on the key bar: help first, then the screen's own keys, then moving
    about, then the app's spare keys; what does not fit is dropped from the end."""
    if binding.id == "help":
        return 0
    if binding.id in SPARE_IDS:
        return 3
    return 2 if binding.key in NAVIGATION else 1


def working_keys(screen: Screen) -> list[tuple[Binding, str, bool]]:
    """(binding, name, everywhere) for every named key that works on `screen` now, in key bar
    order. Textual leaves the app's keys out of a dialog's bindings, but a priority key
    (F1, Ctrl+Q) works there too; a key whose action is disabled does not work."""
    found: dict[str, tuple[Binding, str, bool]] = {}
    for key, active in screen.active_bindings.items():
        label = binding_label(active.binding)
        if label is None and isinstance(active.node, ScrollableContainer):
            label = _scroll_label(active.binding)
        if label is not None and active.enabled:
            found[key] = (active.binding, label, active.node is screen.app)
    for binding in type(screen.app).BINDINGS:
        if not isinstance(binding, Binding) or not binding.priority or binding.key in found:
            continue
        label = binding_label(binding)
        if label is not None:
            found[binding.key] = (binding, label, True)
    return sorted(found.values(), key=lambda item: bar_rank(item[0]))


def screen_keys(screen: Screen) -> list[tuple[Binding, str]]:
    """(binding, name) of the keys the screen itself binds that belong on its key bar and
    work now: what the palette offers by name, for those the bar had no room for."""
    return [
        (active.binding, label)
        for active in screen.active_bindings.values()
        if active.node is screen
        and active.binding.show
        and active.enabled
        and (label := binding_label(active.binding)) is not None
    ]


def _scroll_label(binding: Binding) -> str | None:
    key = _SCROLLING.get(binding.action)
    return None if key is None else t(key)


def _key_name(part: str) -> str:
    if part in _NAMES:
        return _NAMES[part]
    return part.upper() if part[:1] == "f" and part[1:].isdigit() else part.capitalize()
