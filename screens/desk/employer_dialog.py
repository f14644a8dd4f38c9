"""Add an employer (用工主体), or edit one: its name, unified social credit code, kind, how
to reach it and whether its phone may be published on the notice board.

The order and posting forms add one with F2 without leaving them; the employers list adds
and edits. Each box is checked as it is left by the rule the service applies; on save all
of them again, each refusal at its field (a wrong credit code's check character at the
code). An edit shows the phone masked as a hint: left blank, the stored one stays.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from frontdesk.domain import credit_code
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.job_rules import EMPLOYER_KINDS
from frontdesk.domain.registration import clean_phone
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.employers import EmployerInput, EmployerView

# Text box -> longest text (the widths of the employers table), in the order laid out.
FIELDS = {
    "name": 80,
    "credit_code": 18,
    "contact_name": 40,
    "phone": 20,
    "address": 200,
    "notes": 500,
}
TEXT_LIMITS = {"name": 80, "contact_name": 40, "address": 200, "notes": 500}


def _check_phone(value: str) -> object:
    return clean_phone(value) if value.strip() else ""


def _rule(name: str) -> Callable[[str], object]:
    if name == "phone":
        return _check_phone
    if name == "credit_code":
        return credit_code.normalise
    return lambda v: rules.clean_text(v, TEXT_LIMITS[name], name, name == "name")


class EmployerDialog(DeskModal[uuid.UUID | None]):
    """Dismisses with the employer's id once saved, or None when cancelled."""

    REFUSAL_AT = "employer-error"

    AUTO_FOCUS = "#name"
    BINDINGS = save_or_cancel("save")

    def __init__(self, employer: EmployerView | None = None) -> None:
        super().__init__()
        self.employer = employer
        self.busy = False

    def compose(self) -> ComposeResult:
        title = "employer.title_edit" if self.employer else "employer.title"
        with Vertical(id="employer-box", classes="box dialog"):
            yield Static(t(title), classes="title")
            for name, limit in FIELDS.items():
                with Horizontal(classes="form-row"):
                    yield Label(t(f"employer.{name}"))
                    yield Input(id=name, max_length=limit)
                yield FieldError(id=f"{name}-error", classes="form-error")
                if name == "credit_code":
                    yield from self._kind()
            with Horizontal(classes="form-row"):
                yield Label("")
                yield Checkbox(t("employer.publish_phone"), id="publish_phone")
            yield FieldError(id="employer-error")
        yield KeyBar()

    def _kind(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t("employer.kind_label"))
            yield Select(
                [(t(f"employer.kind.{k}"), k) for k in EMPLOYER_KINDS],
                id="kind",
                value="company",
                allow_blank=False,
                classes="short-select",
            )
        yield FieldError(id="kind-error", classes="form-error")

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        e = self.employer
        if e is None:
            return
        for name, value in (
            ("name", e.name),
            ("credit_code", e.credit_code),
            ("contact_name", e.contact_name),
            ("address", e.address),
            ("notes", e.notes),
        ):
            self.query_one(f"#{name}", Input).value = value
        if e.phone:
            self.query_one("#phone", Input).placeholder = t("employer.phone_kept", phone=e.phone)
        self.query_one("#kind", Select).value = e.kind or "company"
        self.query_one("#publish_phone", Checkbox).value = e.publish_phone

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        if name not in FIELDS:
            return
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            _rule(name)(event.value)
        except UserError as exc:
            error.show(exc.message())
            return
        error.show("")

    def _input(self) -> EmployerInput:
        from frontdesk.services.employers import EmployerInput

        texts = {n: self.query_one(f"#{n}", Input).value for n in FIELDS}
        return EmployerInput(
            **texts,
            kind=str(self.query_one("#kind", Select).value),
            publish_phone=self.query_one("#publish_phone", Checkbox).value,
        )

    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.begin_write():
            return
        self.save(self._input())

    def save(self, raw: EmployerInput) -> None:
        from frontdesk.services.employers import add_employer, update_employer

        def write() -> object:
            engine, actor, now = self.desk.engine, self.actor, self.host.now()
            if self.employer is None:
                return add_employer(engine, actor, raw, now)
            return update_employer(engine, actor, self.employer.id, raw, now)

        self.run_service(
            write,
            lambda employer: self.dismiss(getattr(employer, "id")),  # noqa: B009
            group="employer-save",
            refused=self.refused_write,
        )
