"""Plan a session: kind, category, title, first and last day with the hours of its
meetings (every day, or on the days of the week named, to the last day or for a number of
meetings), place, who runs it, capacity, fee per person and a course's hours to complete.
The service checks everything on save (frontdesk/domain/session_rules.py), each error at
its field; Ctrl+S or Enter saves, Escape leaves without saving."""

from __future__ import annotations

import uuid
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from frontdesk.domain import session_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.i18n import language, t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import FieldError, KeyBar, clear_errors, field_errors, form_row
from screens.desk.session_format import KINDS

MONEY_CHARS = r"[0-9０-９.．,，¥￥]*"


class SessionFormScreen(DeskModal["uuid.UUID | None"]):
    """Dismisses with the new session's id, or None when cancelled."""

    AUTO_FOCUS = "#kind"
    FIELD_AT = {"service": "category"}
    REFUSAL_AT = "form-summary"
    BINDINGS = save_or_cancel("save")

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.kind_loaded = ""

    def compose(self) -> ComposeResult:
        today = business_date(self.host.now()).isoformat()
        with VerticalScroll(id="session-form", classes="box"):
            yield Static(t("activity.form_title"), classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_kind"))
                yield Select(
                    [(t(f"activity.kind.{k}"), k) for k in KINDS],
                    id="kind",
                    value="course",
                    allow_blank=False,
                    classes="short-select",
                )
            yield FieldError(id="kind-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_category"))
                yield Select[str]([], id="category", prompt=t("form.none"))
            yield FieldError(id="category-error", classes="form-error")
            yield from self._row("title", t("activity.form_title_label"), max_length=80)
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_starts_on"))
                yield Input(today, id="starts_on", max_length=10, classes="mid")
                yield Label(t("activity.form_ends_on"), classes="inline")
                yield Input(today, id="ends_on", max_length=10, classes="mid")
            yield from field_errors("starts_on", "ends_on")
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_hours"))
                yield Input(id="hours", max_length=5, placeholder="14:00", classes="short")
                yield Label(t("activity.form_to"), classes="inline")
                yield Input(id="hours_end", max_length=5, placeholder="16:00", classes="short")
            yield from field_errors("hours")
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_weekdays"))
                yield Input(id="weekdays", max_length=14, placeholder="135", classes="mid")
                yield Label(t("activity.form_count"), classes="inline")
                count = Input(id="meeting_count", max_length=2, restrict=r"[0-9]*", classes="short")
                yield count
            yield Static(t("activity.form_schedule_note"), classes="note")
            yield from field_errors("weekdays", "meeting_count")
            yield from self._row("place", t("activity.form_place"), max_length=120)
            yield from self._row("runner", t("activity.form_runner"), max_length=80)
            with Horizontal(classes="form-row"):
                yield Label(t("activity.form_capacity"))
                yield Input(
                    id="capacity",
                    max_length=5,
                    restrict=r"[-0-9]*",
                    classes="short",
                    placeholder=t("activity.form_capacity_hint"),
                )
                yield Label(t("activity.form_fee"), classes="inline")
                yield Input(id="fee", max_length=10, restrict=MONEY_CHARS, classes="mid")
            yield from field_errors("capacity", "fee")
            yield from self._row(
                "completion_hours", t("activity.form_completion"), max_length=6, classes="short"
            )
            yield Static("", id="form-summary", classes="error")
        yield KeyBar()

    def _row(self, name: str, label: str, **options: Any) -> ComposeResult:
        return form_row(name, label, Input(id=name, **options))

    def on_mount(self) -> None:
        clear_errors(self)
        self._kind_chosen()

    def refusal_field(self, error: BaseException) -> str | None:
        if str(getattr(error, "field", "")).startswith("meeting_"):
            return "hours"  # every meeting has the form's daily hours
        return super().refusal_field(error)

    @on(Select.Changed, "#kind")
    def _kind_chosen(self) -> None:
        from frontdesk.services.sessions import categories

        kind = str(self.query_one("#kind", Select).value)
        if kind == self.kind_loaded:
            return  # the Select says so once more as it mounts
        self.kind_loaded = kind
        self.query_one("#completion_hours", Input).disabled = kind != "course"
        self.run_service(
            lambda: categories(self.desk.engine, kind), self._categories, group="categories"
        )

    def _categories(self, found) -> None:
        box = self.query_one("#category", Select)
        zh = language() == "zh"
        box.set_options([(f"{c.code} {c.name_zh if zh else c.name_en}", str(c.id)) for c in found])
        if len(found) == 1:
            box.value = str(found[0].id)

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _input(self) -> rules.SessionInput:
        category = self.query_one("#category", Select).value
        schedule = rules.ScheduleInput(
            self._value("hours"),
            self._value("hours_end"),
            self._value("weekdays"),
            self._value("meeting_count"),
        )
        return rules.SessionInput(
            kind=str(self.query_one("#kind", Select).value),
            title=self._value("title"),
            service_id=None if category is Select.NULL else uuid.UUID(str(category)),
            starts_on=self._value("starts_on"),
            ends_on=self._value("ends_on"),
            place=self._value("place"),
            runner=self._value("runner"),
            capacity=self._value("capacity"),
            fee=self._value("fee"),
            completion_hours=self._value("completion_hours"),
            schedule=schedule,
        )

    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.begin_write():
            return
        self.query_one("#form-summary", Static).update("")
        raw = self._input()
        from frontdesk.services.sessions import create_session

        self.run_service(
            lambda: create_session(
                self.desk.engine,
                self.actor,
                raw,
                self.host.now(),
                self.host.cfg.amount_ceiling_fen,
            ),
            self._saved,
            group="session-form-save",
            refused=self._refused,
        )

    def _saved(self, session) -> None:
        self.notify(t("activity.form_saved"))
        self.dismiss(session.id)

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        if self.show_refusal(exc) is not None:
            count = len(getattr(exc, "errors", [exc]))
            self.query_one("#form-summary", Static).update(t("form.fix_errors", count=count))
