"""Publish a job posting, or edit one: employer, title, job type, places, pay and its unit,
place and hours, requirements (ages, least education, skills, anything else), the days it
runs and where it came from.

Each box is checked as it is left by the rule the service applies (frontdesk/domain/
job_rules.py), and every field again on save, all at once, each refusal at its field: an
upside-down pay range at the highest pay, an end before the start at the end date. F2
adds an employer without leaving the form. Ctrl+S (or Enter in a box) saves, Escape
leaves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.education import education_code
from frontdesk.domain.forms import nfkc
from frontdesk.domain.money import yuan_text
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.widgets import FieldError, KeyBar, field_errors, form_row
from screens.desk.employer_choice import add_employer, load_employers

if TYPE_CHECKING:
    from frontdesk.services.postings import PostingRow

MONEY_CHARS = r"[0-9０-９.．,，¥￥]*"
DATE_CHARS = r"[0-9-]*"
# Fields sharing a line with another: their errors, stacked under it, name them.
NAMED = ("pay_max", "pay_unit", "age_max", "valid_until")


class PostingFormScreen(DeskModal["uuid.UUID | None"]):
    """Dismisses with the posting's id once saved, or None when cancelled."""

    REFUSAL_AT = "posting-form-summary"
    AUTO_FOCUS = "#employer"
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="save"),
        Binding("f2", "new_employer", "new_employer", id="new_employer"),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]

    def __init__(
        self, posting: PostingRow | None = None, employer_id: uuid.UUID | None = None
    ) -> None:
        super().__init__()
        self.posting = posting
        self.employer_id = posting.employer_id if posting else employer_id
        self.ceiling_fen = 0

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = "posting_form.title_edit" if self.posting else "posting_form.title_new"
        with VerticalScroll(id="posting-form", classes="box"):
            yield Static(t(title), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("posting_form.employer"))
                yield Select[str]([], id="employer", prompt=t("order_form.employer_none"))
            yield from field_errors("employer")
            yield from self._row("title", 60)
            yield from self._row("job_type", 40, placeholder=t("order_form.job_hint"))
            yield from self._row("positions", 4, restrict=r"[0-9]*", classes="short")
            with Horizontal(classes="form-row"):
                yield Label(t("posting_form.pay_min"))
                yield Input(id="pay_min", restrict=MONEY_CHARS, max_length=12, classes="mid")
                yield Label(t("posting_form.pay_max"), classes="inline")
                yield Input(id="pay_max", restrict=MONEY_CHARS, max_length=12, classes="mid")
                yield Select(
                    [(t(f"job.pay_unit.{u}"), u) for u in rules.PAY_UNITS],
                    id="pay_unit",
                    value="month",
                    allow_blank=False,
                    classes="short-select",
                )
            yield from field_errors("pay_min", "pay_max", "pay_unit")
            yield from self._row("place", 120)
            yield from self._row("hours", 120, placeholder=t("posting_form.hours_hint"))
            with Horizontal(classes="form-row"):
                yield Label(t("posting_form.age_min"))
                yield Input(id="age_min", restrict=r"[0-9]*", max_length=2, classes="short")
                yield Label(t("posting_form.age_max"), classes="inline")
                yield Input(id="age_max", restrict=r"[0-9]*", max_length=2, classes="short")
            yield from field_errors("age_min", "age_max")
            yield from self._row("education", 20, placeholder=t("posting_form.education_hint"))
            yield from self._row("skills", 200, placeholder=t("posting_form.skills_hint"))
            yield from self._row("requirements", 200)
            with Horizontal(classes="form-row"):
                yield Label(t("posting_form.valid_from"))
                yield Input(id="valid_from", restrict=DATE_CHARS, max_length=10, classes="mid")
                yield Label(t("posting_form.valid_until"), classes="inline")
                yield Input(id="valid_until", restrict=DATE_CHARS, max_length=10, classes="mid")
            yield from field_errors("valid_from", "valid_until")
            with Horizontal(classes="form-row"):
                yield Label(t("posting_form.source"))
                yield Select(
                    [(t(f"job.source.{s}"), s) for s in rules.POSTING_SOURCES],
                    id="source",
                    value="desk",
                    allow_blank=False,
                    classes="short-select",
                )
            yield from field_errors("source")
            yield from self._row("notes", 500)
            yield Static("", id="posting-form-summary", classes="error")
        yield KeyBar()

    def _row(self, name: str, limit: int, **options: Any) -> ComposeResult:
        label = t(f"posting_form.{name}")
        return form_row(name, label, Input(id=name, max_length=limit, **options))

    def on_mount(self) -> None:
        self.ceiling_fen = self.host.cfg.amount_ceiling_fen
        if self.posting is not None:
            self._fill_in(self.posting)
        self.load_employers(self.employer_id)

    def _fill_in(self, p: PostingRow) -> None:
        values = {
            "title": p.title,
            "job_type": p.job_type,
            "positions": str(p.positions),
            "pay_min": yuan_text(p.pay_min_fen).removesuffix(".00"),
            "pay_max": yuan_text(p.pay_max_fen).removesuffix(".00"),
            "place": p.place,
            "hours": p.hours,
            "age_min": "" if p.age_min is None else str(p.age_min),
            "age_max": "" if p.age_max is None else str(p.age_max),
            "education": p.education,
            "skills": "；".join(p.skills),
            "requirements": p.requirements,
            "valid_from": p.valid_from.isoformat(),
            "valid_until": p.valid_until.isoformat(),
            "notes": p.notes,
        }
        for name, value in values.items():
            self.query_one(f"#{name}", Input).value = value
        self.query_one("#pay_unit", Select).value = p.pay_unit
        self.query_one("#source", Select).value = p.source

    # --- employers --------------------------------------------------------------------------
    def load_employers(self, chosen: uuid.UUID | None) -> None:
        load_employers(self, chosen, "posting-form-employers")

    def action_new_employer(self) -> None:
        add_employer(self, "posting-form-employers")

    # --- checking a box as it is left -------------------------------------------------------
    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _rule(self, name: str) -> Callable[[], object] | None:
        """The service's own rule for the box `name`, on what the form holds now; a pair's
        second box (highest pay, age, end date) is checked against the first."""
        v, today = self._value, business_date(self.host.now())
        ceiling = self.ceiling_fen
        text_limits = {"title": 60, "job_type": 40, "place": 120, "hours": 120, "notes": 500}
        if name in text_limits:
            required = name in ("title", "job_type")
            return lambda: rules.clean_text(v(name), text_limits[name], name, required)
        by_field: dict[str, Callable[[], object]] = {
            "positions": lambda: rules.clean_positions(v("positions")),
            "pay_min": lambda: rules.clean_pay(v("pay_min"), "", ceiling),
            "pay_max": lambda: rules.clean_pay(v("pay_min"), v("pay_max"), ceiling),
            "age_min": lambda: rules.clean_ages(v("age_min"), ""),
            "age_max": lambda: rules.clean_ages(v("age_min"), v("age_max")),
            "education": lambda: education_code(nfkc(v("education")), "education"),
            "skills": lambda: rules.clean_skills(v("skills")),
            "requirements": lambda: rules.clean_requirements(v("requirements")),
            "valid_from": lambda: rules.clean_dates(v("valid_from"), "", today),
            "valid_until": lambda: rules.clean_dates(v("valid_from"), v("valid_until"), today),
        }
        return by_field.get(name)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = event.input.id or ""
        rule = self._rule(name)
        if rule is None:
            return
        error = self.query_one(f"#{name}-error", FieldError)
        try:
            rule()
        except UserError as exc:
            if exc.field == name:  # the first box's own fault is said at the first box
                self.say_refusal(name, describe(exc))
                return
        error.show("")

    # --- saving -----------------------------------------------------------------------------

    def _input(self) -> rules.PostingInput:
        texts = (
            "title", "job_type", "positions", "pay_min", "pay_max", "place", "hours",
            "age_min", "age_max", "education", "skills", "requirements", "valid_from",
            "valid_until", "notes",
        )  # fmt: skip
        raw = rules.PostingInput(**{name: self._value(name) for name in texts})
        raw.pay_unit = str(self.query_one("#pay_unit", Select).value)
        raw.source = str(self.query_one("#source", Select).value)
        return raw

    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.begin_write():
            return
        self.query_one("#posting-form-summary", Static).update("")
        employer = self.query_one("#employer", Select).value
        employer_id = None if employer is Select.NULL else uuid.UUID(str(employer))
        raw = self._input()
        self.run_service(
            lambda: self._save(employer_id, raw),
            lambda posting: self._saved(posting.id),
            group="posting-form-save",
            refused=self._refused,
        )

    def _save(self, employer_id: uuid.UUID | None, raw: rules.PostingInput) -> Any:
        from frontdesk.services.postings import add_posting, update_posting

        engine, actor, now = self.desk.engine, self.actor, self.host.now()
        if self.posting is None:
            return add_posting(engine, actor, employer_id, raw, now, self.ceiling_fen)
        return update_posting(
            engine, actor, self.posting.id, employer_id, raw, now, self.ceiling_fen
        )

    def _saved(self, posting_id: uuid.UUID) -> None:
        self.notify(t("posting_form.saved"))
        self.dismiss(None if self.posting else posting_id)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        if self.show_refusal(exc) is not None:  # at their fields: the summary counts them
            count = len(getattr(exc, "errors", [exc]))
            self.query_one("#posting-form-summary", Static).update(
                t("form.fix_errors", count=count)
            )

    def say_refusal(self, name: str | None, message: str) -> None:
        if name in NAMED:  # on a shared line: the error names its field
            field = t(f"posting_form.named.{name}")
            message = t("order_form.at_field", field=field, message=message)
        super().say_refusal(name, message)
