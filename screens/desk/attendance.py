"""Attendance keys on a worker's row, shared by the today board and an order's roster.

I check in, O check out, H corrects the hours, P records pieces, N marks a no-show, S settles,
L shows the pay slip (X takes a dispatch back, on the roster). The key bar shows only the
keys the highlighted worker's state allows; pressing another says why it cannot be done.
The check-out, pieces and confirm dialogs live here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import LOCAL_TZ, local_time
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal, DeskScreen, save_or_cancel
from screens.common.tables import CHROME, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar
from screens.desk.gig_format import (
    assignment_cells,
    assignment_summary,
    clock_text,
    hours_text,
    hours_words,
    shift_text,
)

if TYPE_CHECKING:
    from frontdesk.services.attendance import BoardRow

# The states in which each row key does something (the services refuse the others too).
ROW_ACTIONS: dict[str, tuple[str, ...]] = {
    "check_in": ("assigned",),
    "check_out": ("checked_in",),
    "hours": ("checked_out",),
    "pieces": ("checked_in", "checked_out"),
    "no_show": ("assigned",),
    "settle": ("checked_out",),
    "pay_slip": ("settled",),
    "unassign": ("assigned",),
}
# Rows that no longer hold a place stay listed, dimmed.
CLOSED = ("cancelled", "no_show")
# Pieces are whole numbers; a minus sign may be typed, so that it can be refused in words.
PIECE_CHARS = r"[-0-9０-９]*"
TIME_CHARS = r"[0-9:：.]*"


def gated(key: str, action: str) -> list[Binding]:
    """A key shown only when `action` applies, and a hidden twin that says why it does not.

    Both carry the action's id, so a keymap moves them together and F1 always lists the key.
    """
    return [
        Binding(key, action, action, id=action),
        Binding(key, f"refuse('{action}')", action, id=action, show=False),
    ]


# Hours, pieces and wages are figures: right-aligned, so their digits line up.
RIGHT = ("hours", "pieces", "wage")


class AttendanceScreen(DeskScreen[None]):
    """A table of workers (BoardRow) with the row keys; subclasses load and lay it out."""

    TABLE_ID = "roster"
    COLUMNS: Sequence[str] = ()
    FLEXIBLE: Sequence[str] = ()
    WITH_ORDER = False  # the note line names the order (the board spans several)

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, BoardRow] = {}
        self.shown: list[BoardRow] | None = None
        self.busy = False  # one write at a time

    # --- the table --------------------------------------------------------------------------
    def show_rows(self, rows: list[BoardRow]) -> None:
        self.shown = rows
        self.rows = {str(r.assignment_id): r for r in rows}
        self._fill()
        self._describe()
        self.refresh_bindings()

    def _fill(self) -> None:
        if self.shown is None:
            return
        headers = {key: t(f"gigs.col_{key}") for key in self.COLUMNS}
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        rows = [
            (str(r.assignment_id), assignment_cells(r), "dim" if r.status in CLOSED else "")
            for r in self.shown
        ]
        fill_table(table, headers, rows, self.size.width - CHROME, self.FLEXIBLE, RIGHT)

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()  # column widths follow the terminal

    def highlighted(self) -> BoardRow | None:
        if not self.rows:  # also before the table is there: key bars ask early
            return None
        key = highlighted_key(self.query_one(f"#{self.TABLE_ID}", DataTable))
        return self.rows.get(key) if key else None

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self._describe()
        self.refresh_bindings()

    def _describe(self) -> None:
        if self.shown is None:
            return
        row = self.highlighted()
        note = assignment_summary(row, self.WITH_ORDER) if row else self.empty_note()
        self.query_one(f"#{self.TABLE_ID}-note", Static).update(note)

    def empty_note(self) -> str:
        return t("gigs.no_workers")

    def load(self) -> None:
        """Read the rows again (a worker) and show them with `show_rows`; called on resume."""
        raise NotImplementedError

    # --- which keys apply -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = ROW_ACTIONS.get(action)
        if allowed is None:
            return True
        row = self.highlighted()
        return row is not None and row.status in allowed and not self.busy

    def action_refuse(self, action: str) -> None:
        """A row key pressed where it does not apply: say why, change nothing."""
        row = self.highlighted()
        if row is None:
            self.notify(t("gigs.no_row"), severity="warning")
        elif self.busy:
            self.notify(t("gigs.busy"), severity="warning")
        elif action == "pay_slip":
            self.notify(t("slip.not_settled"), severity="warning")
        else:
            try:
                rules.check_state(row.status, *ROW_ACTIONS[action])
            except UserError as exc:
                self.notify(exc.message(), severity="warning")

    # --- the keys ---------------------------------------------------------------------------
    def action_check_in(self) -> None:
        row = self.highlighted()
        if row is not None:
            self._start("check_in", row)

    def _start(self, kind: str, row: BoardRow, reason: str = "") -> None:
        self.busy = True
        self.refresh_bindings()
        self.act(kind, row.assignment_id, row.name, reason)

    def action_check_out(self) -> None:
        self._dialog(CheckOutDialog, correcting=False)

    def action_hours(self) -> None:
        self._dialog(CheckOutDialog, correcting=True)

    def action_pieces(self) -> None:
        self._dialog(PiecesDialog)

    def action_settle(self) -> None:
        from screens.desk.settle_dialog import SettleDialog

        self._dialog(SettleDialog)

    def action_pay_slip(self) -> None:
        from screens.desk.pay_slip_view import PaySlipScreen

        row = self.highlighted()
        if row is not None:
            self.app.push_screen(PaySlipScreen(row.assignment_id, row.name))

    def action_no_show(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        dialog = ConfirmDialog(
            t("gigs.no_show_title", name=row.name),
            t("gigs.no_show_confirm", name=row.name),
        )

        def chosen(answer: tuple[bool, str] | None) -> None:
            if answer:
                self._start("no_show", row)

        self.app.push_screen(dialog, callback=chosen)

    def action_unassign(self) -> None:
        row = self.highlighted()
        if row is None:
            return
        dialog = ConfirmDialog(
            t("gigs.unassign_title", name=row.name),
            t("gigs.unassign_confirm", name=row.name),
            reason=True,
        )

        def chosen(answer: tuple[bool, str] | None) -> None:
            if answer:
                self._start("unassign", row, answer[1])

        self.app.push_screen(dialog, callback=chosen)

    def _dialog(self, cls: Callable[..., DeskModal[Any]], **options: bool) -> None:
        # No callback: the screen reloads whenever it is shown again (on_screen_resume).
        row = self.highlighted()
        if row is not None:
            self.app.push_screen(cls(row, **options))

    def act(self, kind: str, assignment_id: uuid.UUID, name: str, reason: str = "") -> None:
        def call() -> None:
            from frontdesk.services import attendance, dispatch

            engine, actor, now = self.desk.engine, self.actor, self.host.now()
            if kind == "check_in":
                attendance.check_in(engine, actor, assignment_id, now)
            elif kind == "no_show":
                attendance.mark_no_show(engine, actor, assignment_id, now)
            else:
                dispatch.cancel_assignment(engine, actor, assignment_id, now, reason)

        self.run_service(
            call,
            lambda _: self._acted(t(f"gigs.done_{kind}", name=name)),
            group="attendance-act",
            refused=self._acted,
        )

    def _acted(self, outcome: str | Exception) -> None:
        """Done (what was done, in words) or refused (shown as a notice): the rows again."""
        self.busy = False
        if isinstance(outcome, Exception):
            self.show_refusal(outcome)
        else:
            self.notify(outcome)
        self.load()


# --- dialogs ------------------------------------------------------------------------------------
class ConfirmDialog(DeskModal["tuple[bool, str] | None"]):
    """Enter confirms (with an optional reason), Escape leaves everything as it was."""

    AUTO_FOCUS = "#confirm-reason"
    BINDINGS = [
        Binding("enter", "confirm", "submit", id="submit"),
        Binding("escape", "cancel", "cancel", id="cancel"),  # asks first if a reason is typed
    ]

    def __init__(self, title: str, message: str, reason: bool = False) -> None:
        super().__init__()
        self.title_text, self.message, self.with_reason = title, message, reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(self.title_text, classes="title")
            yield Static(self.message, markup=False)
            if self.with_reason:
                with Horizontal(classes="form-row"):
                    yield Label(t("gigs.reason"))
                    yield Input(id="confirm-reason", max_length=200)
                yield FieldError(id="confirm-reason-error", classes="form-error")
        yield KeyBar()

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    @on(Input.Submitted)
    def action_confirm(self) -> None:
        reason = self.query_one("#confirm-reason", Input).value if self.with_reason else ""
        if self.with_reason:
            try:
                reason = rules.clean_text(reason, 200, "reason", False)
            except UserError as exc:
                self.query_one("#confirm-reason-error", FieldError).show(exc.message())
                return
        self.dismiss((True, reason))


class CheckOutDialog(DeskModal[bool]):
    """Check a worker out at a time (default now), hours from the times or as typed; or, for
    a worker already out, correct the hours before the wage is settled. The cursor starts in
    the first box: the time, or the hours when correcting."""

    CANCELLED = False

    BINDINGS = save_or_cancel("submit", "submit")

    FIELD_AT = {"checked_out_at": "out-time"}
    REFUSAL_AT = "checkout-error"

    def __init__(self, row: BoardRow, correcting: bool = False) -> None:
        super().__init__()
        self.row, self.correcting = row, correcting
        self.busy = False

    def compose(self) -> ComposeResult:
        r = self.row
        key = "checkout.hours_title" if self.correcting else "checkout.title"
        with Vertical(classes="box dialog gig-dialog"):
            yield Static(t(key, name=r.name), classes="title")
            summary = t(
                "checkout.summary",
                job=r.job_type,
                shift=shift_text(r.shift_start, r.shift_end),
                checked_in=clock_text(r.checked_in_at),
            )
            yield Static(summary, markup=False)
            if not self.correcting:
                now = local_time(self.host.now()).strftime("%H:%M")
                with Horizontal(classes="form-row"):
                    yield Label(t("checkout.time"))
                    yield Input(
                        now, id="out-time", restrict=TIME_CHARS, max_length=5, classes="mid"
                    )
                yield FieldError(id="out-time-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("checkout.hours"))
                current = hours_text(r.minutes_worked) if self.correcting else ""
                yield Input(current, id="hours", max_length=6)
            yield FieldError(id="hours-error", classes="form-error")
            yield Static("", id="worked", classes="note")
            yield Static(t("checkout.hours_hint"), classes="note")
            yield FieldError(id="checkout-error")
        yield KeyBar()

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        self._show_worked()

    # --- checking ---------------------------------------------------------------------------
    def _out_at(self) -> datetime:
        """The typed check-out time on the day of the check-in, as a UTC instant."""
        typed = rules.clean_time(self.query_one("#out-time", Input).value, "checked_out_at")
        day = local_time(self._checked_in()).date()
        return datetime.combine(day, typed, LOCAL_TZ).astimezone(UTC)

    def _checked_in(self) -> datetime:
        # Only a checked-in worker is offered this dialog; else the time counts from now.
        return self.row.checked_in_at or self.host.now()

    def _show_worked(self) -> None:
        note = self.query_one("#worked", Static)
        if self.correcting:
            note.update(t("checkout.recorded", hours=hours_words(self.row.minutes_worked)))
            return
        try:
            minutes = (self._out_at() - self._checked_in()).total_seconds() // 60
        except UserError:
            note.update("")
            return
        note.update(t("checkout.from_times", hours=hours_words(max(0, int(minutes)))))

    @on(Input.Changed, "#out-time")
    def _time_typed(self) -> None:
        self._show_worked()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._check(event.input.id or "")

    def _check(self, name: str) -> bool:
        box = self.query_one(f"#{name}", Input)
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            if name == "out-time":
                if self._out_at() > self.host.now():  # the service says so too
                    raise UserError("gig.out_in_future", field="checked_out_at")
            elif box.value.strip() or self.correcting:
                rules.clean_hours(box.value)
        except UserError as exc:
            error.show(exc.message())
            return False
        error.show("")
        return True

    # --- saving -----------------------------------------------------------------------------
    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id == "out-time":
            if self._check("out-time"):
                self.query_one("#hours", Input).focus()
            return
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        names = ("hours",) if self.correcting else ("out-time", "hours")
        if not all([self._check(name) for name in names]):
            return
        self.query_one("#checkout-error", FieldError).show("")
        hours = self.query_one("#hours", Input).value
        self.busy = True
        self.save(None if self.correcting else self._out_at(), hours)

    def save(self, at: datetime | None, hours: str) -> None:
        def call() -> None:
            from frontdesk.services import attendance

            engine, actor, now = self.desk.engine, self.actor, self.host.now()
            if self.correcting:
                attendance.set_hours(engine, actor, self.row.assignment_id, hours, now)
            else:
                attendance.check_out(engine, actor, self.row.assignment_id, now, at, hours)

        self.run_service(call, self._saved, group="checkout", refused=self.refused_write)

    def _saved(self, _: None) -> None:
        key = "gigs.done_hours" if self.correcting else "gigs.done_check_out"
        self.notify(t(key, name=self.row.name))
        self.dismiss(True)


PIECE_FIELDS = ("completed", "accepted", "defective")


class PiecesDialog(DeskModal[bool]):
    """Pieces completed, accepted and defective; none negative, accepted + defective ≤ done."""

    CANCELLED = False

    AUTO_FOCUS = "#completed"
    BINDINGS = save_or_cancel("submit", "submit")

    REFUSAL_AT = "pieces-error"

    def __init__(self, row: BoardRow) -> None:
        super().__init__()
        self.row = row
        self.busy = False

    def compose(self) -> ComposeResult:
        r = self.row
        counted = r.pieces_completed or r.pieces_accepted or r.pieces_defective
        values = {
            "completed": r.pieces_completed,
            "accepted": r.pieces_accepted,
            "defective": r.pieces_defective,
        }
        with Vertical(classes="box dialog gig-dialog"):
            yield Static(t("pieces.title", name=r.name), classes="title")
            yield Static(f"{r.employer} {r.job_type}", markup=False)
            for name in PIECE_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(t(f"pieces.{name}"))
                    value = str(values[name]) if counted else ""
                    yield Input(value, id=name, restrict=PIECE_CHARS, max_length=8, classes="mid")
                yield FieldError(id=f"{name}-error", classes="form-error")
            yield Static(t("pieces.hint"), classes="note")
            yield FieldError(id="pieces-error")
        yield KeyBar()

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _check(self, name: str) -> bool:
        """One count on its own (whole, not negative); then, when all three are, their sum."""
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            rules.clean_pieces(self._value(name), 0, 0)
        except UserError as exc:
            error.show(exc.message())
            return False
        error.show("")
        if name != "completed":
            self._check_sum()
        return True

    def _check_sum(self) -> None:
        try:
            rules.clean_pieces(*(self._value(n) for n in PIECE_FIELDS))
        except UserError as exc:
            if exc.code == "gig.pieces_sum":
                self.query_one("#accepted-error", FieldError).show(exc.message())
            return
        self.query_one("#accepted-error", FieldError).show("")

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._check(event.input.id or "")

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        name = event.input.id or ""
        if name == PIECE_FIELDS[-1]:
            self.action_submit()
        elif self._check(name):
            self.focus_next()

    def action_submit(self) -> None:
        if self.busy:
            return
        if not all([self._check(name) for name in PIECE_FIELDS]):
            return
        self.query_one("#pieces-error", FieldError).show("")
        self.busy = True
        self.save(*(self._value(n) for n in PIECE_FIELDS))

    def save(self, completed: str, accepted: str, defective: str) -> None:
        def call() -> None:
            from frontdesk.services import attendance

            attendance.record_pieces(
                self.desk.engine,
                self.actor,
                self.row.assignment_id,
                completed,
                accepted,
                defective,
                self.host.now(),
            )

        self.run_service(call, self._saved, group="pieces", refused=self.refused_write)

    def _saved(self, _: None) -> None:
        self.notify(t("gigs.done_pieces", name=self.row.name))
        self.dismiss(True)
