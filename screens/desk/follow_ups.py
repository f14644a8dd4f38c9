"""Follow-ups due by today, oldest first; `d` marks the highlighted one as done."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.walkin_format import service_name, visitor_label

if TYPE_CHECKING:
    from frontdesk.services.walkins import FollowUp

COLUMNS = {
    "due": "follow.due",
    "service": "daylog.service",
    "visitor": "daylog.visitor",
    "outcome": "quick.outcome",
}
FLEXIBLE = ("service", "outcome")


def follow_up_cells(item: FollowUp) -> dict[str, str]:
    return {
        "due": item.due.isoformat(),
        "service": service_name(item.service_zh, item.service_en),
        "visitor": visitor_label(item.visitor),
        "outcome": item.outcome,
    }


def follow_up_summary(item: FollowUp) -> str:
    cells = follow_up_cells(item)
    parts = [f"{cells['due']} {cells['service']}", cells["visitor"], cells["outcome"]]
    return " · ".join(p for p in parts if p)


class FollowUpsScreen(DeskScreen[None]):
    AUTO_FOCUS = "#follow-ups"
    BINDINGS = [
        Binding("d", "done", "done", id="done"),
        Binding("escape", "back", "back", id="back"),
    ]
    # Styled like the day log's title (see DayLogScreen).
    DEFAULT_CSS = """
    FollowUpsScreen #follow { padding: 0 1; }
    FollowUpsScreen #follow-title { text-style: bold; color: $accent; }
    FollowUpsScreen #follow-ups { height: 1fr; }
    FollowUpsScreen #follow-note { height: auto; max-height: 3; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FollowUp] = []
        self.marking = False  # one mark at a time: a double press marks once

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="follow"):
            today = business_date(self.host.now()).isoformat()
            yield Static(t("follow.title", date=today), id="follow-title")
            yield RowTable(id="follow-ups")
            yield Static(t("daylog.loading"), id="follow-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.done"), t("palette.follow_done"), self.action_done)

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        self.run_service(self._read, lambda read: self._show(*read), group="follow-ups")

    def _read(self) -> tuple[date, list[FollowUp]]:
        from frontdesk.services.walkins import follow_ups_due

        desk = self.desk
        today = business_date(self.host.now())
        return today, follow_ups_due(desk.engine, desk.site_code, today)

    def _show(self, today: date, items: list[FollowUp]) -> None:
        self.items = items
        title = t("follow.title", date=today.isoformat())
        self.query_one("#follow-title", Static).update(title)
        self._fill()
        self._describe_highlighted()

    def _fill(self) -> None:
        headers = {key: t(label) for key, label in COLUMNS.items()}
        rows = [(str(i.walkin_id), follow_up_cells(i), "") for i in self.items]
        table = self.query_one("#follow-ups", DataTable)
        with self.app.batch_update():
            fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE)

    def on_resize(self, _event: events.Resize) -> None:
        if self.items:
            self._fill()

    def highlighted(self) -> FollowUp | None:
        key = highlighted_key(self.query_one("#follow-ups", DataTable))
        if key is None:
            return None
        wanted = uuid.UUID(key)
        return next((i for i in self.items if i.walkin_id == wanted), None)

    @on(DataTable.RowHighlighted, "#follow-ups")
    def _describe_highlighted(self) -> None:
        # The whole entry, which the table may have had to cut short.
        item = self.highlighted()
        note = t("follow.none") if not self.items else follow_up_summary(item) if item else ""
        self.query_one("#follow-note", Static).update(note)

    # --- keys ---------------------------------------------------------------------------------
    def action_done(self) -> None:
        item = self.highlighted()
        if item is None or self.marking:
            return
        self.marking = True
        self.mark(item.walkin_id)

    def mark(self, walkin_id: uuid.UUID) -> None:
        from frontdesk.services.walkins import mark_followed_up

        self.run_service(
            lambda: mark_followed_up(self.desk.engine, self.actor, walkin_id, self.host.now()),
            lambda _: self._marked(t("follow.done")),
            group="follow-mark",
            refused=self._marked,
        )

    def _marked(self, outcome: str | Exception) -> None:
        """Done (in words) or refused (a notice): the list again."""
        self.marking = False
        if isinstance(outcome, Exception):
            self.show_refusal(outcome)
        else:
            self.notify(outcome)
        self.load()

    def action_back(self) -> None:
        self.dismiss()
