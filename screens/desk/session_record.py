"""One session: its details on top, its meetings and the people enrolled below.

Tab moves between the meetings and the people. On a meeting, A (or Enter) opens its
register. E enrols someone (a place, or the waiting list), W withdraws the highlighted
person (a refund needs a manager's PIN), T moves the session's status on, L saves the
completion list of a course (`.xlsx` for a sheet, any other name for the text).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from rich.table import Table
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain import session_rules as rules
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import language, t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.session_format import (
    ENROLMENT_COLUMNS,
    MEETING_COLUMNS,
    dates_text,
    enrolment_cells,
    meeting_cells,
)

if TYPE_CHECKING:
    from frontdesk.services.enrolment import EnrolmentRow
    from frontdesk.services.sessions import MeetingView, SessionRow


def session_details(s: SessionRow) -> Table:
    """The session's fields, two to a line."""
    table = Table.grid(padding=(0, 1), expand=True)
    for style in ("bold", "", "bold", ""):
        table.add_column(style=style, no_wrap=True, ratio=None if style else 1)
    category = s.category_zh if language() == "zh" else s.category_en
    capacity = str(s.capacity) if s.capacity else t("activity.no_limit")
    fee = fmt_fen(s.fee_fen) if s.fee_fen else t("activity.free")
    table.add_row(t("activity.col_dates"), dates_text(s), t("activity.category_label"), category)
    table.add_row(t("activity.place"), s.place, t("activity.runner"), s.runner)
    table.add_row(t("activity.capacity_label"), capacity, t("activity.fee_label"), fee)
    status = t(f"activity.status.{s.status}")
    if s.kind == "course":
        hours = t("activity.hours", hours=f"{s.completion_min / 60:g}") if s.completion_min else ""
        table.add_row(t("activity.status_label"), status, t("activity.threshold_label"), hours)
    else:
        table.add_row(t("activity.status_label"), status, t("activity.col_visits"), str(s.visits))
    return table


class SessionScreen(DeskScreen[None]):
    AUTO_FOCUS = "#meetings"
    BINDINGS = [
        Binding("a", "attendance", "attendance", id="attendance"),
        Binding("e", "enrol", "enrol", id="enrol"),
        Binding("w", "withdraw", "withdraw", id="withdraw"),
        Binding("t", "status", "session_status", id="session_status"),
        Binding("l", "completion", "completion_list", id="completion_list"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    SessionScreen #session-record { padding: 0 1; }
    SessionScreen #session-title { text-style: bold; color: $accent; }
    SessionScreen #session-details { height: auto; }
    SessionScreen .section { text-style: bold; }
    SessionScreen #meetings { height: 1fr; min-height: 3; }
    SessionScreen #people { height: 2fr; min-height: 3; }
    SessionScreen #people-note { height: 1; }
    """

    def __init__(self, session_id: uuid.UUID) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: SessionRow | None = None
        self.meetings: list[MeetingView] = []
        self.people: list[EnrolmentRow] = []

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="session-record"):
            yield Static(t("activity.loading"), id="session-title")
            yield Static("", id="session-details")
            yield Static(t("activity.meetings"), classes="section")
            yield RowTable(id="meetings")
            yield Static(t("activity.people"), classes="section", id="people-section")
            yield RowTable(id="people")
            yield Static("", id="people-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def load(self) -> None:
        self.run_service(self._read, lambda read: self._loaded(*read), group="session-record")

    def _read(self) -> tuple[SessionRow, list[MeetingView], list[EnrolmentRow]]:
        from frontdesk.services.enrolment import list_enrolments
        from frontdesk.services.sessions import get_session, list_meetings

        engine, site = self.desk.engine, self.desk.site_code
        return (
            get_session(engine, site, self.session_id),
            list_meetings(engine, site, self.session_id),
            list_enrolments(engine, site, self.session_id),
        )

    def _loaded(
        self, session: SessionRow, meetings: list[MeetingView], people: list[EnrolmentRow]
    ) -> None:
        self.session, self.meetings, self.people = session, meetings, people
        kind = t(f"activity.kind.{session.kind}")
        self.query_one("#session-title", Static).update(f"{session.title} · {kind}")
        self.query_one("#session-details", Static).update(session_details(session))
        enrolling = session.kind in rules.ENROLLING_KINDS
        self.query_one("#people-section").display = enrolling
        self.query_one("#people").display = enrolling
        note = t("activity.no_people") if enrolling and not people else ""
        self.query_one("#people-note", Static).update(note)
        with self.app.batch_update():
            self._fill()
        self.refresh_bindings()

    def _fill(self) -> None:
        if self.session is None:
            return
        room = self.size.width - CHROME
        headers = {key: t(f"activity.col_{key}") for key in MEETING_COLUMNS}
        headers["hours"] = t("activity.col_time")
        rows = [(str(m.id), meeting_cells(m), "") for m in self.meetings]
        fill_table(self.query_one("#meetings", DataTable), headers, rows, room, ("date",), ())
        heads = {key: t(f"activity.col_{key}") for key in ENROLMENT_COLUMNS}
        heads["status"] = t("activity.col_status")
        people = [
            (str(e.id), enrolment_cells(e), "dim" if e.status == "withdrawn" else "")
            for e in self.people
        ]
        fill_table(self.query_one("#people", DataTable), heads, people, room, ("name",), ("fee",))

    # --- keys -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if s is None:
            return action == "back"
        open_ = s.status in rules.OPEN_STATUSES
        if action == "enrol":
            return open_ and s.kind in rules.ENROLLING_KINDS
        if action == "withdraw":
            return open_ and s.kind in rules.ENROLLING_KINDS and bool(self.people)
        if action == "session_status":
            return bool(rules.STATUS_NEXT[s.status])
        if action == "completion":
            return s.kind == "course"
        if action == "attendance":
            return bool(self.meetings)
        return True

    def action_attendance(self) -> None:
        from screens.desk.session_register import RegisterScreen

        key = highlighted_key(self.query_one("#meetings", DataTable))
        if key is not None:
            self.app.push_screen(RegisterScreen(uuid.UUID(key)))

    @on(DataTable.RowSelected, "#meetings")
    def _meeting_chosen(self) -> None:
        self.action_attendance()

    def action_enrol(self) -> None:
        from screens.desk.session_dialogs import PersonDialog

        if self.session is not None:
            s = self.session
            self.app.push_screen(PersonDialog(s.id, s.title, fee_fen=s.fee_fen))

    def action_withdraw(self) -> None:
        from screens.desk.session_dialogs import WithdrawDialog

        key = highlighted_key(self.query_one("#people", DataTable))
        row = next((e for e in self.people if str(e.id) == key), None)
        if row is not None and row.status != "withdrawn":
            self.app.push_screen(WithdrawDialog(row))

    def action_status(self) -> None:
        from screens.desk.session_dialogs import StatusDialog

        if self.session is not None:
            self.app.push_screen(StatusDialog(self.session))

    def action_completion(self) -> None:
        from screens.desk.completion_view import CompletionScreen

        if self.session is not None:
            self.app.push_screen(CompletionScreen(self.session.id, self.session.title))

    def action_back(self) -> None:
        self.dismiss()
