"""Referring a seeker to a posting, and moving a referral's outcome on.

The refer dialog comes up with its follow-up date filled in (a week on): Enter refers.
The outcome dialog lists the steps the referral may take now; a letter picks one
(I interviewed, Y intention reached, P placed, N not hired, W withdrew) and Enter records
it, with the follow-up date for a step that stays open. What the service refuses (a
closed posting, a second open referral, a date in the past) is said at its field.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskModal, save_or_cancel
from screens.common.widgets import FieldError, KeyBar, form_row
from screens.desk.gig_format import own_short_name
from screens.desk.job_format import OUTCOME_KEYS

if TYPE_CHECKING:
    from frontdesk.services.referrals import ReferralRow

DATE_CHARS = r"[0-9-]*"


def follow_up_default(today: date) -> str:
    return (today + timedelta(days=rules.FOLLOW_UP_DAYS)).isoformat()


def follow_up_row(today: date) -> ComposeResult:
    """The follow-up date box of a referral, as both dialogs ask it, FOLLOW_UP_DAYS on at first."""
    box = Input(follow_up_default(today), id="follow_up_on", max_length=10, restrict=DATE_CHARS)
    yield from form_row("follow_up_on", t("refer.follow_up_on"), box)


class ReferDialog(DeskModal[bool]):
    """Dismisses with True once the referral is written, False when cancelled."""

    CANCELLED = False
    FIELD_AT = {"posting": None, "person": None}  # said on the dialog's own line
    REFUSAL_AT = "refer-error"
    AUTO_FOCUS = "#follow_up_on"
    BINDINGS = save_or_cancel("save")

    def __init__(self, posting_id: uuid.UUID, person_id: uuid.UUID, what: str) -> None:
        super().__init__()
        self.posting_id, self.person_id, self.what = posting_id, person_id, what

    def compose(self) -> ComposeResult:
        today = business_date(self.host.now())
        with Vertical(classes="box dialog job-dialog"):
            yield Static(t("refer.title"), classes="title")
            yield Static(self.what, markup=False)
            yield from follow_up_row(today)
            notes = Input(id="notes", max_length=500)
            yield from form_row("notes", t("refer.notes"), notes)
            yield FieldError(id="refer-error").hidden()
        yield KeyBar()

    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.begin_write():
            return
        follow = self.query_one("#follow_up_on", Input).value
        notes = self.query_one("#notes", Input).value
        self.run_service(
            lambda: self._refer(follow, notes),
            lambda _: self.dismiss(True),
            group="refer-save",
            refused=self.refused_write,
        )

    def _refer(self, follow: str, notes: str) -> object:
        from frontdesk.services.referrals import refer

        return refer(
            self.desk.engine,
            self.actor,
            self.posting_id,
            self.person_id,
            self.host.now(),
            follow_up_on=follow,
            notes=notes,
        )


class OutcomeDialog(DeskModal[bool]):
    """Dismisses with True once the step is recorded, False when cancelled."""

    CANCELLED = False
    FIELD_AT = {"outcome": "outcome"}
    REFUSAL_AT = "outcome-error"
    AUTO_FOCUS = "#outcome"
    BINDINGS = [
        *(
            Binding(key, f"pick('{outcome}')", f"outcome_{outcome}", show=False)
            for outcome, key in OUTCOME_KEYS.items()
        ),
        *save_or_cancel("save"),
    ]

    def __init__(self, referral: ReferralRow) -> None:
        super().__init__()
        self.referral = referral
        self.steps = rules.OUTCOME_NEXT[referral.outcome]

    def compose(self) -> ComposeResult:
        r = self.referral
        today = business_date(self.host.now())
        what = t(
            "outcome.what",
            person=r.person,
            title=r.title,
            employer=own_short_name(r.employer),
            now=t(f"job.outcome.{r.outcome}"),
        )
        with Vertical(classes="box dialog job-dialog"):
            yield Static(t("outcome.title"), classes="title")
            yield Static(what, markup=False)
            yield OptionList(
                *(
                    Option(f"{OUTCOME_KEYS[o].upper()}  {t(f'job.outcome.{o}')}", id=o)
                    for o in self.steps
                ),
                id="outcome",
            )
            yield FieldError(id="outcome-error", classes="form-error").hidden()
            yield from follow_up_row(today)
            note = Input(id="note", max_length=200)
            yield from form_row("note", t("outcome.note"), note)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#outcome", OptionList).highlighted = 0  # the next step on
        self._follow_up_shown()

    def chosen(self) -> str | None:
        options = self.query_one("#outcome", OptionList)
        index = options.highlighted
        return None if index is None else self.steps[index]

    @on(OptionList.OptionHighlighted)
    def _follow_up_shown(self) -> None:
        # A follow-up date only for a step that leaves the referral open.
        row = self.query_one("#follow_up_on", Input).parent
        if row is not None:
            row.display = self.chosen() in rules.OPEN_OUTCOMES

    def action_pick(self, outcome: str) -> None:
        if outcome in self.steps:
            options = self.query_one("#outcome", OptionList)
            options.highlighted = self.steps.index(outcome)
            options.focus()

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)
    def action_save(self) -> None:
        outcome = self.chosen()
        if outcome is None or not self.begin_write():
            return
        follow = self.query_one("#follow_up_on", Input).value
        note = self.query_one("#note", Input).value
        self.run_service(
            lambda: self._record(outcome, follow, note),
            lambda _: self._recorded(outcome),
            group="outcome-save",
            refused=self.refused_write,
        )

    def _record(self, outcome: str, follow: str, note: str) -> object:
        from frontdesk.services.referrals import record_outcome

        follow_up = follow if outcome in rules.OPEN_OUTCOMES else None
        return record_outcome(
            self.desk.engine,
            self.actor,
            self.referral.id,
            outcome,
            self.host.now(),
            note=note,
            follow_up_on=follow_up,
        )

    def _recorded(self, outcome: str) -> None:
        self.notify(t("outcome.recorded", outcome=t(f"job.outcome.{outcome}")))
        self.dismiss(True)
