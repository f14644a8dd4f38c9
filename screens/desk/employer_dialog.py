"""Add an employer (用工企业) without leaving the order form: a name, and how to reach them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from frontdesk.domain import gig_rules as rules
from frontdesk.domain.registration import clean_phone
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.employers import EmployerInput

# Field -> longest text (the widths of the employers table).
FIELDS = {"name": 80, "contact_name": 40, "phone": 20, "address": 200}


class EmployerDialog(DeskModal[uuid.UUID | None]):
    """Dismisses with the new employer's id, or None when cancelled."""

    REFUSAL_AT = "employer-error"

    AUTO_FOCUS = "#name"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(t("employer.title"), classes="title")
            for name, limit in FIELDS.items():
                with Horizontal(classes="form-row"):
                    yield Label(t(f"employer.{name}"))
                    yield Input(id=name, max_length=limit)
                yield FieldError(id=f"{name}-error", classes="form-error")
            yield FieldError(id="employer-error")
        yield KeyBar()

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        value = event.value
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            if name == "phone":
                if value.strip():
                    clean_phone(value)
            else:
                rules.clean_text(value, FIELDS[name], name, name == "name")
        except UserError as exc:
            error.show(exc.message())
            return
        error.show("")

    @on(Input.Submitted)
    def action_save(self) -> None:
        from frontdesk.services.employers import EmployerInput

        if self.busy:
            return
        for error in self.query(FieldError):
            error.show("")
        raw = EmployerInput(**{n: self.query_one(f"#{n}", Input).value for n in FIELDS})  # type: ignore[arg-type]
        self.busy = True
        self.save(raw)

    def save(self, raw: EmployerInput) -> None:
        from frontdesk.services.employers import add_employer

        self.run_service(
            lambda: add_employer(self.desk.engine, self.actor, raw, self.host.now()),
            lambda employer: self.dismiss(employer.id),
            group="employer-save",
            refused=self.refused_write,
        )
