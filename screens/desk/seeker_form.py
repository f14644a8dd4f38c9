"""Register or edit a job seeker. Errors show at their field as you type or leave it.

Gender and birth date come from the ID number and are shown, never typed. Tab moves through
the fields in order, Enter (or Ctrl+S) saves, Escape leaves without saving.

On an edit the ID number, phone and address are shown masked, like everywhere else (only
a manager's audited reveal shows them in full). Left as shown, a masked field keeps the
stored value; anything typed over it is a new value, checked as usual.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static

from frontdesk.domain import registration as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.money import parse_yuan, yuan_text
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from frontdesk.services.seekers import DuplicateSeeker, SeekerView

JOBS = (1, 2, 3)
TEXTS = ("name", "ethnicity", "skills", "availability", "notes")  # and ID, phone, address
# While typing, these only complain once the value could be complete.
COMPLETE_AT = {"id_number": 18, "phone": 11}


class SeekerFormScreen(DeskModal["uuid.UUID | None"]):
    """Dismisses with the saved person's id, or None when cancelled."""

    REFUSAL_AT = "consent-error"  # an error of no field here: nothing is kept hidden

    AUTO_FOCUS = "#name"
    BINDINGS = save_or_cancel("save")

    def __init__(self, person: SeekerView | None = None) -> None:
        super().__init__()
        self.person = person  # None for a new registration
        # What the masked fields show on an edit; a field still showing it is unchanged.
        self.masked = (
            {"id_number": person.id_number, "phone": person.phone, "address": person.address}
            if person
            else {}
        )

    # --- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        p = self.person
        title = t("form.edit_title", name=p.name) if p else t("form.new_title")
        with VerticalScroll(id="seeker-form", classes="box"):
            yield Static(title, classes="title")
            yield from self._text("name", p.name if p else "", 40)
            yield from self._text("id_number", self.masked.get("id_number", ""), 20)
            yield Static("", id="derived", classes="note form-error")
            yield from self._text("phone", self.masked.get("phone", ""), 20)
            if p:
                yield Static(t("form.masked_hint"), id="masked-hint", classes="note form-error")
            yield from self._select("education", rules.EDUCATION, "edu", p.education if p else "")
            yield from self._select(
                "hukou_type", rules.HUKOU_TYPES, "hukou", p.hukou_type if p else ""
            )
            yield from self._text("ethnicity", p.ethnicity if p else "", 20)
            yield from self._text("skills", "；".join(p.skills) if p else "", 200)
            jobs = list(p.desired_jobs) if p else []
            for n in JOBS:
                yield from self._job(n, jobs[n - 1] if n <= len(jobs) else None)
            yield from self._text("availability", p.availability if p else "", 200)
            yield Label(t("form.categories"), classes="form-label")
            yield SelectionList[str](
                *[(t(f"category.{c}"), c, bool(p and c in p.categories)) for c in rules.CATEGORIES],
                id="categories",
            )
            yield FieldError(id="categories-error")
            yield from self._text("address", self.masked.get("address", ""), 200)
            yield from self._text("notes", p.notes if p else "", 500)
            yield Checkbox(t("form.consent"), bool(p and p.consent_at), id="consent")
            yield FieldError(id="consent-error")
            yield Checkbox(
                t("form.sensitive_consent"),
                bool(p and p.sensitive_consent_at),
                id="sensitive_consent",
            )
            yield FieldError(id="sensitive_consent-error")
            yield Static("", id="form-summary", classes="error")
        yield KeyBar()

    def _text(self, name: str, value: str, limit: int) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(f"form.{name}"))
            yield Input(value, id=name, max_length=limit)
        yield FieldError(id=f"{name}-error", classes="form-error")

    def _select(self, name: str, codes: tuple[str, ...], prefix: str, value: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(f"form.{name}"))
            yield Select(
                [(t(f"{prefix}.{c}"), c) for c in codes],
                id=name,
                value=value or Select.NULL,
                prompt=t("form.none"),
            )
        yield FieldError(id=f"{name}-error", classes="form-error")

    def _job(self, n: int, job: dict[str, Any] | None) -> ComposeResult:
        pay = job.get("pay_fen") if job else None
        with Horizontal(classes="form-row job-row"):
            yield Label(t("form.job", n=n))
            yield Input(
                job["job"] if job else "",
                id=f"job{n}",
                max_length=40,
                placeholder=t("form.job_placeholder"),
            )
            yield Input(
                yuan_text(pay) if pay is not None else "",
                id=f"pay{n}",
                max_length=10,
                placeholder=t("form.pay_placeholder"),
            )
            yield Input(
                job["area"] if job else "",
                id=f"area{n}",
                max_length=40,
                placeholder=t("form.area_placeholder"),
            )
        yield FieldError(id=f"job{n}-error", classes="form-error")
        yield FieldError(id=f"pay{n}-error", classes="form-error")

    def on_mount(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        self._check("id_number", final=self.person is not None)

    # --- checking as you type -------------------------------------------------------------
    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.input.id or "", final=False)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._check(event.input.id or "", final=True)

    def _check(self, field: str, final: bool) -> None:
        rule = self._rule(field)
        if rule is None:
            return
        value = self.query_one(f"#{field}", Input).value.strip()
        error = self.query_one(f"#{field}-error", FieldError)
        if field == "id_number":
            self._show_derived(None)
        if self._unchanged(field, value):  # the stored value, already checked when saved
            error.show("")
            if field == "id_number" and self.person is not None:
                self._show_facts(self.person.gender, self.person.birth_date, self.person.age)
            return
        # While typing, an empty or not-yet-complete value is no mistake (yet).
        short = len(value) < COMPLETE_AT.get(field, 0) and not error.display
        if not final and (not value or short):
            error.show("")
            return
        try:
            clean = rule(value)
        except UserError as exc:
            error.show(exc.message())
            return
        error.show("")
        if field == "id_number":
            self._show_derived(clean)

    def _unchanged(self, field: str, value: str) -> bool:
        return field in self.masked and value.strip() == self.masked[field]

    def _rule(self, field: str) -> Callable[[str], Any] | None:
        today = business_date(self.host.now())
        if field == "name":
            return rules.clean_name
        if field == "id_number":
            return lambda v: rules.clean_id_number(v, today)
        if field == "phone":
            return rules.clean_phone
        if field.startswith("pay"):
            return lambda v: parse_yuan(v, field)
        return None

    def _show_derived(self, id18: str | None) -> None:
        from frontdesk.domain import idcard

        derived = self.query_one("#derived", Static)
        derived.display = id18 is not None
        if id18 is None:
            return
        born = idcard.birth_of(id18)
        age = idcard.age_on(born, business_date(self.host.now()))
        self._show_facts(idcard.gender_of(id18), born, age)

    def _show_facts(self, gender: str, born: date, age: int) -> None:
        """What an ID number says of its holder, under the ID field."""
        derived = self.query_one("#derived", Static)
        derived.display = True
        derived.update(
            t("form.derived", gender=t(f"gender.{gender}"), birth=born.isoformat(), age=age)
        )

    # --- saving ---------------------------------------------------------------------------
    def _input(self) -> rules.SeekerInput:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        def personal(name: str) -> str | None:  # None: left masked, keep the stored value
            value = text(name)
            return None if self._unchanged(name, value) else value

        def choice(name: str) -> str:
            value = self.query_one(f"#{name}", Select).value
            return "" if value is Select.NULL else str(value)

        return rules.SeekerInput(
            **{name: text(name) for name in TEXTS},
            id_number=personal("id_number"),
            phone=personal("phone"),
            address=personal("address"),
            education=choice("education"),
            hukou_type=choice("hukou_type"),
            desired_jobs=[(text(f"job{n}"), text(f"pay{n}"), text(f"area{n}")) for n in JOBS],
            categories=list(self.query_one("#categories", SelectionList).selected),
            consent=self.query_one("#consent", Checkbox).value,
            sensitive_consent=self.query_one("#sensitive_consent", Checkbox).value,
            registered_on=self.person.registered_on if self.person else None,
        )

    @on(Input.Submitted)
    def action_save(self) -> None:
        for error in self.query(FieldError):
            error.show("")
        self.query_one("#form-summary", Static).update("")
        self.save(self._input())

    def save(self, raw: rules.SeekerInput) -> None:
        def call() -> uuid.UUID:
            from frontdesk.services import seekers

            engine, actor, now = self.desk.engine, self.actor, self.host.now()
            if self.person is None:
                return seekers.register(engine, actor, raw, now).id
            return seekers.update(engine, actor, self.person.id, raw, now).id

        self.run_service(call, self.dismiss, group="seeker-save", refused=self._refused)

    def _refused(self, exc: Exception) -> None:
        from frontdesk.services.seekers import DuplicateSeeker

        if isinstance(exc, DuplicateSeeker):
            self._duplicate(exc)
            return
        self.show_refusal(exc)
        count = len(exc.errors) if isinstance(exc, FormErrors) else 1
        self.query_one("#form-summary", Static).update(t("form.fix_errors", count=count))

    def _duplicate(self, dup: DuplicateSeeker) -> None:
        from screens.desk.seeker_dialogs import DuplicateDialog

        def chosen(open_existing: bool | None) -> None:
            if open_existing:
                self.dismiss(dup.person_id)

        self.show_refusal(dup, focus=False)
        self.app.push_screen(DuplicateDialog(dup.message()), callback=chosen)
