"""Pick the registered people who came to a class or event (F6 on the quick log)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.widgets import KeyBar

if TYPE_CHECKING:
    from frontdesk.services.search import PersonRow

Chosen = list[tuple[uuid.UUID, str]]


class AttendeesDialog(DeskModal["Chosen | None"]):
    """Type to find, Enter adds the highlighted person, Delete removes; Ctrl+S keeps the list."""

    AUTO_FOCUS = "#attendee-search"
    BINDINGS = [
        Binding("ctrl+s", "keep", "save", id="save"),
        Binding("escape", "dismiss(None)", "cancel", id="cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, chosen: Chosen) -> None:
        super().__init__()
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("key.attendees"), classes="title")
            yield Input(id="attendee-search", placeholder=t("quick.visitor_hint"))
            yield OptionList(id="attendee-matches", classes="matches")
            yield Static("", id="attendee-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#attendee-matches", OptionList).can_focus = False
        self._show_chosen()

    @on(Input.Changed, "#attendee-search")
    def _typed(self, event: Input.Changed) -> None:
        self.find(event.value)

    def find(self, query: str) -> None:
        self.run_service(
            lambda: self._search(query), lambda rows: self._found(query, rows), group="attendees"
        )

    def _search(self, query: str) -> list[PersonRow]:
        from frontdesk.services.search import search

        desk = self.desk
        return search(desk.engine, desk.site_code, query, limit=5) if query.strip() else []

    def _found(self, query: str, rows: list[PersonRow]) -> None:
        if query != self.query_one("#attendee-search", Input).value:
            return
        box = self.query_one("#attendee-matches", OptionList)
        box.clear_options()
        for r in rows:
            box.add_option(Option(f"{r.name}  {r.phone_masked}", id=f"{r.id}|{r.name}"))
        if rows:
            box.highlighted = 0

    def action_move(self, step: int) -> None:
        box = self.query_one("#attendee-matches", OptionList)
        if box.option_count:
            box.highlighted = max(0, min(box.option_count - 1, (box.highlighted or 0) + step))

    @on(Input.Submitted, "#attendee-search")
    def _add(self) -> None:
        box = self.query_one("#attendee-matches", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        if option is None or option.id is None:
            return
        person_id, name = option.id.split("|", 1)
        if all(str(pid) != person_id for pid, _ in self.chosen):
            self.chosen.append((uuid.UUID(person_id), name))
        self.query_one("#attendee-search", Input).value = ""
        box.clear_options()
        self._show_chosen()

    def _show_chosen(self) -> None:
        names = "、".join(name for _, name in self.chosen)
        count = t("quick.attendees_count", count=len(self.chosen))
        self.query_one("#attendee-list", Static).update(f"{count}：{names}" if names else count)

    def action_keep(self) -> None:
        self.dismiss(self.chosen)
