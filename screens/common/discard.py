"""Asked when Esc would throw typing away: leave (Enter or Y) or go on typing (Esc or N)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from frontdesk.i18n import t
from screens.common.widgets import KeyBar


class DiscardDialog(ModalScreen[bool]):
    """True: throw the typing away and leave; False: back to the form, all kept. A plain
    dialog, not a BaseScreen: the base screen opens it (no import circle), and it has no
    text box, no service to call."""

    BINDINGS = [
        Binding("enter", "dismiss(True)", "discard", id="discard"),
        Binding("y", "dismiss(True)", "discard", show=False),  # the message names both
        Binding("escape", "dismiss(False)", "keep_typing", id="keep_typing"),
        Binding("n", "dismiss(False)", "keep_typing", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box", classes="box dialog"):
            yield Static(t("discard.title"), classes="title")
            yield Static(t("discard.body"))
        yield KeyBar()
