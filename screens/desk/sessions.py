"""Group activities (F12): the site's sessions by date and kind, a page at a time.

The list starts at today (sessions still running or to come); a date shows the sessions
from that day on, a kind only those. Enter opens a session's record, A takes attendance at
its meeting of today (else the next one, else the last one), Ctrl+N plans a new session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, Static

from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar, StatusBar
from screens.desk.gig_orders import day_of
from screens.desk.session_format import KINDS, SESSION_COLUMNS, session_cells, session_summary

if TYPE_CHECKING:
    from frontdesk.services.sessions import SessionRow

PAGE = 20
RIGHT = ("people", "visits")
FLEXIBLE = ("title",)


class SessionListScreen(DeskScreen[None]):
    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding("enter", "open", "open", id="open", priority=True),
        Binding("a", "attendance", "attendance", id="attendance"),
        Binding("ctrl+n", "new", "new_session", id="new_session"),
        Binding(
            "pagedown", "page(1)", "next_page", id="next_page", key_display="PgDn", priority=True
        ),
        Binding(
            "pageup", "page(-1)", "prev_page", id="prev_page", key_display="PgUp", priority=True
        ),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    SessionListScreen #session-list { padding: 0 1; }
    SessionListScreen #sessions-title { text-style: bold; color: $accent; }
    SessionListScreen #sessions-filter { height: 1; }
    SessionListScreen #sessions-filter Label { width: auto; margin: 0 1 0 0; }
    SessionListScreen #sessions-filter Label.inline { margin: 0 1 0 2; }
    SessionListScreen #sessions-filter Select { width: 16; height: 1; }
    SessionListScreen #sessions-filter SelectCurrent {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    SessionListScreen #sessions-filter Input {
        width: 14; height: 1; border: none; padding: 0 1; background: $boost;
    }
    SessionListScreen #sessions-filter Input:focus { background: $primary 30%; }
    SessionListScreen #sessions { height: 1fr; }
    SessionListScreen #sessions-note { height: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.sessions: dict[str, SessionRow] = {}
        self.shown: list[SessionRow] | None = None

    def compose(self) -> ComposeResult:
        today = business_date(self.host.now()).isoformat()
        yield StatusBar(id="status")
        with Vertical(id="session-list"):
            yield Static(t("activity.list_title", page=1), id="sessions-title")
            with Horizontal(id="sessions-filter"):
                yield Label(t("activity.filter_kind"))
                yield Select(
                    [
                        (t("activity.filter_all"), ""),
                        *((t(f"activity.kind.{k}"), k) for k in KINDS),
                    ],
                    id="kind-filter",
                    value="",
                    allow_blank=False,
                )
                yield Label(t("activity.filter_date"), classes="inline")
                yield Input(
                    today,
                    id="date-filter",
                    max_length=10,
                    restrict=r"[0-9-]*",
                    placeholder="YYYY-MM-DD",
                )
                yield Static(t("activity.filter_hint"), classes="note")
            yield FieldError(id="date-filter-error")
            yield RowTable(id="sessions")
            yield Static(t("activity.loading"), id="sessions-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#date-filter-error", FieldError).show("")

    def on_screen_resume(self) -> None:
        self.load()  # first showing, back from a session or the form: as it is now

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_session"), t("activity.form_title"), self.action_new)

    # --- filtering and loading ------------------------------------------------------------
    @on(Select.Changed, "#kind-filter")
    def _kind_chosen(self) -> None:
        self.page = 0
        self.load()

    @on(Input.Changed, "#date-filter")
    def _date_typed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value and len(value) < 10:
            return  # not a whole date yet
        self.page = 0
        self.load()

    def _filters(self) -> tuple[str, date | None] | None:
        error = self.query_one("#date-filter-error", FieldError)
        try:
            day = day_of(self.query_one("#date-filter", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return None
        error.show("")
        return str(self.query_one("#kind-filter", Select).value), day

    def load(self) -> None:
        filters = self._filters()
        if filters is None:
            return
        kind, day = filters
        page = self.page
        from frontdesk.services.sessions import list_sessions

        self.run_service(
            lambda: list_sessions(
                self.desk.engine,
                self.desk.site_code,
                date_from=day,
                kind=kind,
                offset=page * PAGE,
                limit=PAGE,
            ),
            lambda rows: self._show(page, rows),
            group="session-list",
        )

    def _show(self, page: int, rows: list[SessionRow]) -> None:
        self.page, self.shown = page, rows
        self.sessions = {str(r.id): r for r in rows}
        self.query_one("#sessions-title", Static).update(t("activity.list_title", page=page + 1))
        with self.app.batch_update():
            self._fill()
        self._describe()

    def _fill(self) -> None:
        if self.shown is None:
            return
        headers = {key: t(f"activity.col_{key}") for key in SESSION_COLUMNS}
        rows = [
            (str(r.id), session_cells(r), "dim" if r.status == "cancelled" else "")
            for r in self.shown
        ]
        table = self.query_one("#sessions", DataTable)
        fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE, RIGHT)

    def highlighted(self) -> SessionRow | None:
        key = highlighted_key(self.query_one("#sessions", DataTable))
        return self.sessions.get(key) if key else None

    @on(DataTable.RowHighlighted, "#sessions")
    def _describe(self) -> None:
        if self.shown is None:
            return
        r = self.highlighted()
        if r is not None:
            note = session_summary(r)
        else:
            note = t("activity.none") if self.page == 0 else t("activity.no_more")
        self.query_one("#sessions-note", Static).update(note)

    # --- keys -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return getattr(self.focused, "id", None) in ("sessions", "date-filter")
        if action == "attendance":
            return getattr(self.focused, "id", None) == "sessions"  # A types in the date box
        return True

    def action_open(self) -> None:
        table = self.query_one("#sessions", DataTable)
        if self.focused is not table:
            table.focus()  # Enter in the date filter: on to the list
            return
        r = self.highlighted()
        if r is not None:
            self.open_session(r.id)

    def open_session(self, session_id: uuid.UUID) -> None:
        from screens.desk.session_record import SessionScreen

        self.app.push_screen(SessionScreen(session_id))

    def action_attendance(self) -> None:
        r = self.highlighted()
        if r is None:
            return
        from frontdesk.services.sessions import meeting_on

        day = business_date(self.host.now())
        self.run_service(
            lambda: meeting_on(self.desk.engine, self.desk.site_code, r.id, day),
            self._open_register,
            group="session-list-register",
        )

    def _open_register(self, meeting_id: uuid.UUID) -> None:
        from screens.desk.session_register import RegisterScreen

        self.app.push_screen(RegisterScreen(meeting_id))

    def action_page(self, step: int) -> None:
        table = self.query_one("#sessions", DataTable)
        if (step > 0 and table.row_count < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.load()

    def action_new(self) -> None:
        from screens.desk.session_form import SessionFormScreen

        self.app.push_screen(SessionFormScreen(), callback=self._after_form)

    def _after_form(self, session_id: uuid.UUID | None) -> None:
        if session_id is not None:
            self.open_session(session_id)

    def action_back(self) -> None:
        self.dismiss()
