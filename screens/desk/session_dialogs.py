"""The activity screens' dialogs: a person to enrol or a walk-up, a head count, a withdrawal
(its refund with a manager's PIN), and a session's status."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from frontdesk.domain import session_rules as rules
from frontdesk.domain.money import METHODS
from frontdesk.i18n import t
from screens.common.base import SAVE_OR_CANCEL, DeskModal
from screens.common.managers import LoadsManagers, approval
from screens.common.widgets import (
    PIN_CHARS,
    PIN_LEN,
    FieldError,
    KeyBar,
    clear_errors,
    form_row,
)

if TYPE_CHECKING:
    from frontdesk.services.enrolment import EnrolmentRow
    from frontdesk.services.search import PersonRow
    from frontdesk.services.sessions import SessionRow


class PersonDialog(DeskModal[bool]):
    """Enrol someone in a session (`meeting_id` None), or add a walk-up to a meeting: a job
    seeker found by typing (Enter picks the highlighted one), or a resident's name and phone."""

    CANCELLED = False
    AUTO_FOCUS = "#person-search"
    FIELD_AT = {"person": "person-search", "name": "resident-name", "phone": "resident-phone"}
    REFUSAL_AT = "person-error"
    BINDINGS = [
        *SAVE_OR_CANCEL,
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]
    DEFAULT_CSS = "PersonDialog { align: center middle; }"

    def __init__(
        self,
        session_id: uuid.UUID,
        title: str,
        meeting_id: uuid.UUID | None = None,
        fee_fen: int = 0,
    ) -> None:
        super().__init__()
        self.session_id, self.title_text, self.meeting_id = session_id, title, meeting_id
        self.fee_fen = fee_fen
        self.picked: uuid.UUID | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        heading = (
            t("activity.walk_up_title")
            if self.meeting_id
            else t("activity.enrol_title", title=self.title_text)
        )
        with Vertical(classes="box dialog"):
            yield Static(heading, classes="title")
            search = Input(id="person-search", placeholder=t("activity.enrol_search_hint"))
            yield from form_row("person-search", t("activity.enrol_search"), search)
            yield OptionList(id="person-matches", classes="matches")
            yield from form_row(
                "resident-name",
                t("activity.resident_name"),
                Input(id="resident-name", max_length=40),
            )
            phone = Input(id="resident-phone", max_length=20, restrict=r"[0-9+ -]*")
            yield from form_row("resident-phone", t("activity.resident_phone"), phone)
            if self.fee_fen and self.meeting_id is None:
                method = Input(id="method", restrict=r"[1-5]?", max_length=1, classes="short")
                yield from form_row("method", t("activity.method"), method)
                yield Static(t("quick.method_hint"), classes="note")
            yield FieldError(id="person-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        self.query_one("#person-matches", OptionList).can_focus = False

    @on(Input.Changed, "#person-search")
    def _typed(self, event: Input.Changed) -> None:
        self.picked = None
        query = event.value
        self.run_service(
            lambda: self._search(query), lambda rows: self._found(query, rows), group="person"
        )

    def _search(self, query: str) -> list[PersonRow]:
        from frontdesk.services.search import search

        desk = self.desk
        return search(desk.engine, desk.site_code, query, limit=4) if query.strip() else []

    def _found(self, query: str, rows: list[PersonRow]) -> None:
        if query != self.query_one("#person-search", Input).value:
            return
        box = self.query_one("#person-matches", OptionList)
        box.clear_options()
        for r in rows:
            box.add_option(Option(f"{r.name}  {r.phone_masked}", id=str(r.id)))
        if rows:
            box.highlighted = 0

    def action_move(self, step: int) -> None:
        box = self.query_one("#person-matches", OptionList)
        if box.option_count:
            box.highlighted = max(0, min(box.option_count - 1, (box.highlighted or 0) + step))

    @on(Input.Submitted)
    def action_submit(self) -> None:
        if not self.begin_write():
            return
        box = self.query_one("#person-matches", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        person_id = uuid.UUID(option.id) if option is not None and option.id else None
        resident = None
        if person_id is None:
            from frontdesk.services.enrolment import ResidentInput

            resident = ResidentInput(
                self.query_one("#resident-name", Input).value,
                self.query_one("#resident-phone", Input).value,
            )
        method = ""
        if self.query("#method"):
            key = self.query_one("#method", Input).value
            method = METHODS[int(key) - 1] if key else ""
        self.run_service(
            lambda: self._save(person_id, resident, method),
            self._saved,
            group="person-save",
            refused=self.refused_write,
        )

    def _save(self, person_id, resident, method: str) -> str:
        from frontdesk.services import enrolment, session_attendance

        engine, now = self.desk.engine, self.host.now()
        if self.meeting_id is not None:
            session_attendance.add_walk_up(
                engine, self.actor, self.meeting_id, now, person_id=person_id, resident=resident
            )
            return ""
        done = enrolment.enrol(
            engine,
            self.actor,
            self.session_id,
            now,
            person_id=person_id,
            resident=resident,
            method=method,
        )
        return t("activity.waiting_ok") if done.waiting else t("activity.enrolled_ok")

    def _saved(self, message: str) -> None:
        if message:
            self.notify(message)
        self.dismiss(True)


class HeadcountDialog(DeskModal[bool]):
    """People counted at a meeting without names: zero or more."""

    CANCELLED = False
    AUTO_FOCUS = "#headcount"
    REFUSAL_AT = "headcount-error"
    BINDINGS = SAVE_OR_CANCEL
    DEFAULT_CSS = "HeadcountDialog { align: center middle; }"

    def __init__(self, meeting_id: uuid.UUID, current: int) -> None:
        super().__init__()
        self.meeting_id, self.current = meeting_id, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("activity.headcount_title"), classes="title")
            box = Input(str(self.current), id="headcount", max_length=7, classes="short")
            yield from form_row("headcount", t("activity.headcount_label"), box)
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    @on(Input.Submitted)
    def action_submit(self) -> None:
        from frontdesk.services.session_attendance import set_headcount

        value = self.query_one("#headcount", Input).value
        self.run_service(
            lambda: set_headcount(
                self.desk.engine, self.actor, self.meeting_id, value, self.host.now()
            ),
            lambda _: self.dismiss(True),
            group="headcount",
        )


class WithdrawDialog(LoadsManagers[bool]):
    """Withdraw an enrolment: a reason; a refund of its fee needs a manager's PIN."""

    CANCELLED = False
    AUTO_FOCUS = "#reason"
    FIELD_AT = {"staff": "manager", "refund": "refund"}
    REFUSAL_AT = "withdraw-error"
    RETYPED = ("pin",)
    BINDINGS = SAVE_OR_CANCEL
    DEFAULT_CSS = "WithdrawDialog { align: center middle; }"

    def __init__(self, row: EnrolmentRow) -> None:
        super().__init__()
        self.row = row
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("activity.withdraw_title"), classes="title")
            yield Static(f"{self.row.name}  {self.row.phone}")
            yield from form_row("reason", t("activity.reason"), Input(id="reason", max_length=200))
            if self.row.fee_fen:
                yield from form_row("refund", "", Checkbox(t("activity.refund"), id="refund"))
                manager = Select[str]([], id="manager", prompt=t("form.none"))
                yield from form_row("manager", t("void.manager"), manager)
                pin = Input(id="pin", password=True, restrict=PIN_CHARS, max_length=PIN_LEN)
                yield from form_row("pin", t("activity.manager_pin"), pin)
            yield FieldError(id="withdraw-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        if self.row.fee_fen:
            self.load_managers()

    @on(Input.Submitted)
    def action_submit(self) -> None:
        if not self.begin_write():
            return
        refund = bool(self.query("#refund")) and self.query_one("#refund", Checkbox).value
        manager_id, pin = None, ""
        if refund:
            manager_id, pin = approval(self)
        reason = self.query_one("#reason", Input).value
        from frontdesk.services.enrolment import withdraw

        self.run_service(
            lambda: withdraw(
                self.desk.engine,
                self.actor,
                self.row.id,
                reason,
                self.host.now(),
                refund=refund,
                manager_id=manager_id,
                pin=pin,
            ),
            self._done,
            group="withdraw",
            refused=self.refused_write,
        )

    def _done(self, moved) -> None:
        if moved is not None:
            self.notify(t("activity.moved_up"))
        self.dismiss(True)


class FeeDialog(DeskModal[bool]):
    """The fee of a place given from the waiting list: its method, 1-5, then Enter."""

    CANCELLED = False
    AUTO_FOCUS = "#method"
    REFUSAL_AT = "fee-error"
    BINDINGS = SAVE_OR_CANCEL
    DEFAULT_CSS = "FeeDialog { align: center middle; }"

    def __init__(self, row: EnrolmentRow, fee_fen: int) -> None:
        super().__init__()
        self.row, self.fee_fen = row, fee_fen
        self.busy = False

    def compose(self) -> ComposeResult:
        from frontdesk.domain.money import fmt_fen

        with Vertical(classes="box dialog"):
            yield Static(t("activity.fee_title", name=self.row.name), classes="title")
            yield Static(t("activity.fee_amount", amount=fmt_fen(self.fee_fen)))
            method = Input(id="method", restrict=r"[1-5]?", max_length=1, classes="short")
            yield from form_row("method", t("activity.method"), method)
            yield Static(t("quick.method_hint"), classes="note")
            yield FieldError(id="fee-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    @on(Input.Submitted)
    def action_submit(self) -> None:
        from frontdesk.services.enrolment import pay_fee

        if not self.begin_write():
            return
        key = self.query_one("#method", Input).value
        method = METHODS[int(key) - 1] if key else ""
        self.run_service(
            lambda: pay_fee(self.desk.engine, self.actor, self.row.id, method, self.host.now()),
            self._paid,
            group="take-fee",
            refused=self.refused_write,
        )

    def _paid(self, _payment) -> None:
        self.notify(t("activity.fee_taken"))
        self.dismiss(True)


class StatusDialog(DeskModal[bool]):
    """Move a session on: planned → running → done, or cancelled."""

    CANCELLED = False
    AUTO_FOCUS = "#status-to"
    REFUSAL_AT = "status-error"
    BINDINGS = SAVE_OR_CANCEL
    DEFAULT_CSS = "StatusDialog { align: center middle; }"

    def __init__(self, session: SessionRow) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        moves = rules.STATUS_NEXT[self.session.status]
        with Vertical(classes="box dialog"):
            yield Static(t("activity.status_title"), classes="title")
            yield Static(f"{self.session.title} · {t(f'activity.status.{self.session.status}')}")
            choice = Select(
                [(t(f"activity.status.{m}"), m) for m in moves],
                id="status-to",
                value=moves[0],
                allow_blank=False,
            )
            yield from form_row("status", t("activity.status_to"), choice)
            yield FieldError(id="status-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)

    def action_submit(self) -> None:
        from frontdesk.services.sessions import set_status

        status = str(self.query_one("#status-to", Select).value)
        self.run_service(
            lambda: set_status(
                self.desk.engine, self.actor, self.session.id, status, self.host.now()
            ),
            lambda _: self.dismiss(True),
            group="session-status",
        )
