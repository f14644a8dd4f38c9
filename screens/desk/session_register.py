"""A meeting's register (签到): everyone enrolled, ticked one by one or all at once, the
walk-ups, and the people counted without names.

A ticks everyone enrolled, Space ticks or un-ticks the highlighted person, W adds a walk-up
(a registered job seeker or a resident), H sets the head count. A finished or cancelled
session's register is read only (the service refuses, and says so).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.gig_format import shift_text
from screens.desk.session_format import REGISTER_COLUMNS, register_cells

if TYPE_CHECKING:
    from frontdesk.services.session_attendance import MeetingSheet, RosterRow


class RegisterScreen(DeskScreen[None]):
    AUTO_FOCUS = "#register"
    BINDINGS = [
        Binding("a", "all_present", "all_present", id="all_present"),
        Binding("space", "tick", "toggle_present", id="toggle_present"),
        Binding("w", "walk_up", "walk_up", id="walk_up"),
        Binding("h", "headcount", "headcount", id="headcount"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    RegisterScreen #session-register { padding: 0 1; }
    RegisterScreen #register-title { text-style: bold; color: $accent; }
    RegisterScreen #register { height: 1fr; }
    RegisterScreen #register-note { height: 2; }
    """

    def __init__(self, meeting_id: uuid.UUID) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.sheet: MeetingSheet | None = None
        self.rows: dict[str, RosterRow] = {}

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="session-register"):
            yield Static(t("activity.loading"), id="register-title")
            yield Static("", id="register-counts")
            yield RowTable(id="register")
            yield Static("", id="register-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def load(self) -> None:
        from frontdesk.services.session_attendance import meeting_sheet

        self.run_service(
            lambda: meeting_sheet(self.desk.engine, self.desk.site_code, self.meeting_id),
            self._loaded,
            group="session-register",
        )

    def _loaded(self, sheet: MeetingSheet) -> None:
        self.sheet = sheet
        self.rows = {r.key: r for r in sheet.rows}
        m = sheet.meeting
        hours = shift_text(m.starts_at, m.ends_at)
        title = t("activity.register_title", title=sheet.title, date=m.meeting_date, hours=hours)
        self.query_one("#register-title", Static).update(title)
        counts = t(
            "activity.register_counts", present=m.present, counted=m.headcount, visits=m.visits
        )
        self.query_one("#register-counts", Static).update(counts)
        note = "" if sheet.rows else t("activity.register_empty")
        self.query_one("#register-note", Static).update(note)
        with self.app.batch_update():
            self._fill()

    def _fill(self) -> None:
        if self.sheet is None:
            return
        headers = {key: t(f"activity.col_{key}") for key in REGISTER_COLUMNS}
        headers["present"] = t("activity.col_present")
        headers["hours"] = t("activity.col_hours")
        rows = [(r.key, register_cells(r), "") for r in self.sheet.rows]
        table = self.query_one("#register", DataTable)
        fill_table(table, headers, rows, self.size.width - CHROME, ("name",), ("hours",))

    def highlighted(self) -> RosterRow | None:
        key = highlighted_key(self.query_one("#register", DataTable))
        return self.rows.get(key) if key else None

    # --- keys -----------------------------------------------------------------------------
    def _write(self, call, done=None) -> None:
        self.run_service(call, done or (lambda _: self.load()), group="session-register-write")

    def action_all_present(self) -> None:
        from frontdesk.services.session_attendance import tick_all

        def done(n: int) -> None:
            self.notify(t("activity.all_ticked", n=n))
            self.load()

        self._write(
            lambda: tick_all(self.desk.engine, self.actor, self.meeting_id, self.host.now()), done
        )

    def action_tick(self) -> None:
        from frontdesk.services.session_attendance import set_present

        r = self.highlighted()
        if r is None or r.enrolment_id is None:
            return  # a walk-up is ticked by being added
        enrolment_id, present = r.enrolment_id, not r.present
        self._write(
            lambda: set_present(
                self.desk.engine,
                self.actor,
                self.meeting_id,
                enrolment_id,
                present,
                self.host.now(),
            )
        )

    def action_walk_up(self) -> None:
        from screens.desk.session_dialogs import PersonDialog

        if self.sheet is not None:
            dialog = PersonDialog(self.sheet.session_id, self.sheet.title, self.meeting_id)
            self.app.push_screen(dialog)

    def action_headcount(self) -> None:
        from screens.desk.session_dialogs import HeadcountDialog

        if self.sheet is not None:
            self.app.push_screen(HeadcountDialog(self.meeting_id, self.sheet.meeting.headcount))

    @on(DataTable.RowSelected, "#register")
    def _selected(self) -> None:
        self.action_tick()  # Enter ticks too

    def action_back(self) -> None:
        self.dismiss()
