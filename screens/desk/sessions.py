"""Group activities (F12): the site's sessions by date and kind, a page at a time.

The list starts at today (sessions still running or to come); a date shows the sessions
from that day on, a kind only those. Enter opens a session's record, A takes attendance at
its meeting of today (else the next one, else the last one), Ctrl+N plans a new session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.paged_list import BACK_KEY, OPEN_KEY, PAGE_KEYS, PagedListScreen
from screens.desk.session_format import KINDS, SESSION_COLUMNS, session_cells, session_summary

if TYPE_CHECKING:
    from frontdesk.services.sessions import SessionRow


class SessionListScreen(PagedListScreen["SessionRow"]):
    AUTO_FOCUS = "#sessions"
    LIST = "sessions"
    BOX = "session-list"
    LOADING = "activity.loading"
    RIGHT = ("people", "visits")
    FLEXIBLE = ("title",)
    BINDINGS = [
        OPEN_KEY,
        Binding("a", "attendance", "attendance", id="attendance"),
        Binding("ctrl+n", "new", "new_session", id="new_session"),
        *PAGE_KEYS,
        BACK_KEY,
    ]

    def filters(self) -> ComposeResult:
        today = business_date(self.host.now()).isoformat()
        yield Label(t("activity.filter_kind"))
        yield Select(
            [(t("activity.filter_all"), ""), *((t(f"activity.kind.{k}"), k) for k in KINDS)],
            id="kind-filter",
            value="",
            allow_blank=False,
        )
        yield Label(t("activity.filter_date"), classes="inline")
        yield Input(
            today, id="date-filter", max_length=10, restrict=r"[0-9-]*", placeholder="YYYY-MM-DD"
        )
        yield Static(t("activity.filter_hint"), classes="note")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.new_session"), t("activity.form_title"), self.action_new)

    # --- the list ---------------------------------------------------------------------------
    def title_text(self, page: int) -> str:
        return t("activity.list_title", page=page + 1)

    def page_reader(self, offset: int, limit: int) -> Callable[[], list[SessionRow]] | None:
        from frontdesk.services.sessions import list_sessions

        good, day = self.typed_day()
        if not good:
            return None
        kind = self.chosen("kind-filter")
        return lambda: list_sessions(
            self.desk.engine,
            self.desk.site_code,
            date_from=day,
            kind=kind,
            offset=offset,
            limit=limit,
        )

    def headers(self) -> Mapping[str, str]:
        return {key: t(f"activity.col_{key}") for key in SESSION_COLUMNS}

    def cells(self, rows: list[SessionRow]) -> Iterable[tuple[str, Mapping[str, str], str]]:
        for r in rows:
            yield str(r.id), session_cells(r), "dim" if r.status == "cancelled" else ""

    def summary(self, row: SessionRow) -> str:
        return session_summary(row)

    def empty_note(self, first_page: bool) -> str:
        return t("activity.none") if first_page else t("activity.no_more")

    def open_row(self, row: SessionRow) -> None:
        self.open_session(row.id)

    # --- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "attendance":
            return self.focused_id() == "sessions"  # A types in the date box
        return super().check_action(action, parameters)

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

    def action_new(self) -> None:
        from screens.desk.session_form import SessionFormScreen

        self.app.push_screen(SessionFormScreen(), callback=self._after_form)

    def _after_form(self, session_id: uuid.UUID | None) -> None:
        if session_id is not None:
            self.open_session(session_id)
