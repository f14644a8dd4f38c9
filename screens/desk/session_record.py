"""One session: its details on top, its meetings and the people enrolled below.

Tab moves between the meetings and the people. On a meeting, A (or Enter) opens its
register. E enrols someone (a place, or the waiting list), W withdraws the highlighted
person (a refund needs a manager's PIN), T moves the session's status on, L saves the
completion list of a course (`.xlsx` for a sheet, any other name for the text), P takes
the fee of a place given from the waiting list (its method, through the ledger).
A job fair shows its employers and the postings they brought instead of people enrolled:
B adds an employer or a posting, X removes the highlighted one, R refers an attendee to
the highlighted posting.
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
    FAIR_COLUMNS,
    MEETING_COLUMNS,
    dates_text,
    enrolment_cells,
    fair_rows,
    fair_totals,
    meeting_cells,
)

if TYPE_CHECKING:
    from frontdesk.services.enrolment import EnrolmentRow
    from frontdesk.services.fairs import FairView
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
        Binding("p", "take_fee", "take_fee", id="take_fee"),
        Binding("b", "fair_add", "fair_add", id="fair_add"),
        Binding("x", "fair_remove", "fair_remove", id="fair_remove"),
        Binding("r", "fair_refer", "fair_refer", id="fair_refer"),
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
    SessionScreen #fair { height: 2fr; min-height: 3; }
    """

    def __init__(self, session_id: uuid.UUID) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: SessionRow | None = None
        self.meetings: list[MeetingView] = []
        self.people: list[EnrolmentRow] = []
        self.fair: FairView | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="session-record"):
            yield Static(t("activity.loading"), id="session-title")
            yield Static("", id="session-details")
            yield Static(t("activity.meetings"), classes="section")
            yield RowTable(id="meetings")
            yield Static(t("activity.people"), classes="section", id="people-section")
            yield RowTable(id="people")
            yield Static("", classes="section", id="fair-section")
            yield RowTable(id="fair")
            yield Static("", id="people-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def load(self) -> None:
        self.run_service(self._read, lambda read: self._loaded(*read), group="session-record")

    def _read(
        self,
    ) -> tuple[SessionRow, list[MeetingView], list[EnrolmentRow], FairView | None]:
        from frontdesk.services.enrolment import list_enrolments
        from frontdesk.services.fairs import fair_view
        from frontdesk.services.sessions import get_session, list_meetings

        engine, site = self.desk.engine, self.desk.site_code
        session = get_session(engine, site, self.session_id)
        fair = fair_view(engine, site, session.id) if session.kind == "job_fair" else None
        return (
            session,
            list_meetings(engine, site, self.session_id),
            list_enrolments(engine, site, self.session_id),
            fair,
        )

    def _loaded(
        self,
        session: SessionRow,
        meetings: list[MeetingView],
        people: list[EnrolmentRow],
        fair: FairView | None,
    ) -> None:
        self.session, self.meetings, self.people, self.fair = session, meetings, people, fair
        kind = t(f"activity.kind.{session.kind}")
        self.query_one("#session-title", Static).update(f"{session.title} · {kind}")
        self.query_one("#session-details", Static).update(session_details(session))
        enrolling = session.kind in rules.ENROLLING_KINDS
        self.query_one("#people-section").display = enrolling
        self.query_one("#people").display = enrolling
        note = t("activity.no_people") if enrolling and not people else ""
        self.query_one("#people-note", Static).update(note)
        self.query_one("#fair-section").display = fair is not None
        self.query_one("#fair").display = fair is not None
        if fair is not None:
            self.query_one("#fair-section", Static).update(fair_totals(fair))
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
        if self.fair is not None:
            cols = {key: t(f"fair.col_{key}") for key in FAIR_COLUMNS}
            numbers = ("positions", "referrals", "intentions")
            table = self.query_one("#fair", DataTable)
            fill_table(table, cols, fair_rows(self.fair), room, ("employer", "posting"), numbers)

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
        if action == "take_fee":
            return open_ and any(e.fee_due for e in self.people)
        if action == "attendance":
            return bool(self.meetings)
        if action in ("fair_add", "fair_remove", "fair_refer"):
            return self._fair_key(action, open_)
        return True

    def _fair_key(self, action: str, open_: bool) -> bool:
        fair = self.fair
        if fair is None or not open_:
            return False
        if action == "fair_remove":
            return bool(fair.employers)
        if action == "fair_refer":
            return fair.postings > 0
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

    def action_take_fee(self) -> None:
        from screens.desk.session_dialogs import FeeDialog

        key = highlighted_key(self.query_one("#people", DataTable))
        row = next((e for e in self.people if str(e.id) == key), None)
        if row is None or not row.fee_due or self.session is None:
            self.notify(t("activity.pick_fee_due"), severity="warning")
            return
        self.app.push_screen(FeeDialog(row, self.session.fee_fen))

    def action_status(self) -> None:
        from screens.desk.session_dialogs import StatusDialog

        if self.session is not None:
            self.app.push_screen(StatusDialog(self.session))

    def action_completion(self) -> None:
        from screens.desk.completion_view import CompletionScreen

        if self.session is not None:
            self.app.push_screen(CompletionScreen(self.session.id, self.session.title))

    def action_fair_add(self) -> None:
        from screens.desk.fair_dialogs import FairAddDialog

        if self.session is not None:
            heading = t("fair.add_title", title=self.session.title)
            self.app.push_screen(FairAddDialog(self.session.id, heading))

    def _fair_line(self) -> str:
        return highlighted_key(self.query_one("#fair", DataTable)) or ""

    def action_fair_remove(self) -> None:
        from frontdesk.services import fairs

        kind, _, raw = self._fair_line().partition(":")
        if self.session is None or not raw:
            return
        remove = fairs.remove_employer if kind == "e" else fairs.remove_posting
        session_id, thing = self.session.id, uuid.UUID(raw)
        self.run_service(
            lambda: remove(self.desk.engine, self.actor, session_id, thing, self.host.now()),
            lambda _: self._changed(t("fair.removed")),
            group="fair-remove",
        )

    def _changed(self, message: str) -> None:
        self.notify(message)
        self.load()

    def action_fair_refer(self) -> None:
        from screens.desk.fair_dialogs import FairReferDialog

        kind, _, raw = self._fair_line().partition(":")
        if self.session is None or self.fair is None:
            return
        if kind != "p":
            self.notify(t("fair.pick_posting"), severity="warning")
            return
        title = next(
            p.title for e in self.fair.employers for p in e.postings if str(p.posting_id) == raw
        )
        self.app.push_screen(FairReferDialog(self.session.id, uuid.UUID(raw), title))

    def action_back(self) -> None:
        self.dismiss()
