"""Translated names for key bindings, shared by the key bar and the help screen."""

from __future__ import annotations

from textual.binding import Binding

from frontdesk.i18n import t
from frontdesk.i18n.strings import CATALOGUE

# Textual's own bindings carry no id; these are the ones a person uses.
_BY_ACTION = {
    "app.focus_next": "key.next_field",
    "app.focus_previous": "key.prev_field",
    "focus_next": "key.next_field",
    "focus_previous": "key.prev_field",
}


def binding_label(binding: Binding) -> str | None:
    """The binding's name in the user's language, or None for bindings people never see."""
    key = f"key.{binding.id}" if binding.id else _BY_ACTION.get(binding.action, "")
    return t(key) if key in CATALOGUE else None


def key_display(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    parts = binding.key.split("+")
    return "+".join(_key_name(p) for p in parts)


def _key_name(part: str) -> str:
    return part.upper() if part[:1] == "f" and part[1:].isdigit() else part.capitalize()
