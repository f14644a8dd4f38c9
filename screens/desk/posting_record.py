"""One job posting: its details on top, its candidates best first, and its referrals.

The candidates list has the cursor: R refers the highlighted one (the best-ranked at
first) with a follow-up date a week on, so R, Enter is a referral. Tab goes to the
referrals, where O records the next step of the highlighted one (O, P, Enter: placed).
E edits the posting, W withdraws it, F6 prints its notice for the board.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.printing import PRINT_KEY
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar, StatusBar
from screens.desk.gig_format import own_short_name
from screens.desk.job_format import (
    JOB_CANDIDATE_COLUMNS,
    REFERRAL_COLUMNS,
    job_candidate_cells,
    job_candidate_reasons,
    posting_details,
    referral_cells,
    referral_summary,
)

if TYPE_CHECKING:
    from frontdesk.services.dispatch import Candidate
    from frontdesk.services.postings import PostingRow
    from frontdesk.services.referrals import ReferralRow

Read = tuple["PostingRow", list["Candidate"], list["ReferralRow"]]


class PostingScreen(DeskScreen[None]):
    AUTO_FOCUS = "#candidates"
    REFUSAL_AT = "posting-error"
    BINDINGS = [
        Binding("r", "refer", "refer", id="refer"),
        Binding("o", "outcome", "outcome", id="outcome"),
        Binding("e", "edit", "edit_posting", id="edit_posting"),
        Binding("w", "withdraw", "withdraw_posting", id="withdraw_posting"),
        PRINT_KEY,
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    PostingScreen #posting { padding: 0 1; }
    PostingScreen #posting-title { text-style: bold; color: $accent; }
    PostingScreen #posting-details { height: auto; }
    PostingScreen .list-label { text-style: bold; }
    PostingScreen #candidates { height: 1fr; }
    PostingScreen #referrals { height: 1fr; }
    PostingScreen #posting-note { height: 2; }
    """

    def __init__(self, posting_id: uuid.UUID) -> None:
        super().__init__()
        self.posting_id = posting_id
        self.posting: PostingRow | None = None
        self.candidates: list[Candidate] = []
        self.referrals: list[ReferralRow] = []

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="posting"):
            yield Static(t("posting.loading"), id="posting-title")
            yield Static("", id="posting-details")
            yield Static(t("posting.candidates"), classes="list-label")
            yield RowTable(id="candidates")
            yield Static(t("posting.referrals"), classes="list-label")
            yield RowTable(id="referrals")
            yield Static("", id="posting-note", classes="note")
            yield FieldError(id="posting-error").hidden()
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()  # first showing, back from a dialog or the form

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.refer"), t("palette.refer"), self.action_refer)
        yield SystemCommand(t("key.outcome"), t("palette.outcome"), self.action_outcome)

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        self.run_service(self._read, lambda read: self._loaded(*read), group="posting")

    def _read(self) -> Read:
        from frontdesk.services.matching import candidates_for_posting
        from frontdesk.services.postings import get_posting
        from frontdesk.services.referrals import of_posting

        desk, today = self.desk, self._today()
        engine, site = desk.engine, desk.site_code
        posting = get_posting(engine, site, self.posting_id, today)
        return (
            posting,
            candidates_for_posting(engine, site, self.posting_id, today),
            of_posting(engine, site, self.posting_id),
        )

    def _today(self) -> date:
        return business_date(self.host.now())

    def _loaded(
        self, posting: PostingRow, people: list[Candidate], refs: list[ReferralRow]
    ) -> None:
        self.posting, self.candidates, self.referrals = posting, people, refs
        title = t("posting.title", title=posting.title, employer=own_short_name(posting.employer))
        self.query_one("#posting-title", Static).update(title)
        self.query_one("#posting-details", Static).update(posting_details(posting))
        with self.app.batch_update():
            self._fill()
        self._describe()
        self.refresh_bindings()

    def _fill(self) -> None:
        if self.posting is None:
            return
        room = self.size.width - CHROME
        people = [(str(c.person_id), job_candidate_cells(c), "") for c in self.candidates]
        headers = {k: t(f"picker.col_{k}") for k in JOB_CANDIDATE_COLUMNS if k != "pay"}
        headers = {**headers, "pay": t("posting.col_pay_fit")}
        headers = {k: headers[k] for k in JOB_CANDIDATE_COLUMNS}
        fill_table(self.query_one("#candidates", DataTable), headers, people, room, ("fit",))
        refs = [(str(r.id), referral_cells(r), "") for r in self.referrals]
        headers = {k: t(f"posting.col_{k}") for k in REFERRAL_COLUMNS}
        fill_table(self.query_one("#referrals", DataTable), headers, refs, room, ("person",))

    # --- the highlighted rows ---------------------------------------------------------------
    def candidate(self) -> Candidate | None:
        key = highlighted_key(self.query_one("#candidates", DataTable))
        return next((c for c in self.candidates if str(c.person_id) == key), None)

    def referral(self) -> ReferralRow | None:
        key = highlighted_key(self.query_one("#referrals", DataTable))
        return next((r for r in self.referrals if str(r.id) == key), None)

    @on(DataTable.RowHighlighted)
    @on(events.DescendantFocus)
    def _describe(self) -> None:
        if self.posting is None:
            return
        if self.focused is self.query_one("#referrals", DataTable):
            r = self.referral()
            note = referral_summary(r) if r else t("posting.no_referrals")
        else:
            c = self.candidate()
            note = job_candidate_reasons(c, self.posting.job_type) if c else t("picker.none_ranked")
        self.query_one("#posting-note", Static).update(note)
        self.refresh_bindings()

    # --- keys -------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = getattr(self.focused, "id", None)
        if action == "refer":
            return focused == "candidates"
        if action == "outcome":
            r = self.referral() if focused == "referrals" else None
            return r is not None and bool(rules.OUTCOME_NEXT[r.outcome])
        if action == "withdraw":
            return self.posting is not None and self.posting.status != "withdrawn"
        if action == "print":  # a notice only of what is open today
            return self.posting is not None and self.posting.status == "open"
        return True

    def action_refer(self) -> None:
        from screens.desk.referral_dialogs import ReferDialog

        c, p = self.candidate(), self.posting
        if c is None or p is None:
            return
        self.query_one("#posting-error", FieldError).show("")
        what = t("refer.what", person=c.name, title=p.title, employer=own_short_name(p.employer))
        self.app.push_screen(ReferDialog(p.id, c.person_id, what), callback=self._referred)

    def _referred(self, done: bool | None) -> None:
        if done:
            self.notify(t("refer.done"))

    def action_outcome(self) -> None:
        from screens.desk.referral_dialogs import OutcomeDialog

        r = self.referral()
        if r is not None:
            self.app.push_screen(OutcomeDialog(r))

    def action_edit(self) -> None:
        from screens.desk.posting_form import PostingFormScreen

        if self.posting is not None:
            self.app.push_screen(PostingFormScreen(self.posting))

    def action_withdraw(self) -> None:
        from screens.desk.attendance import ConfirmDialog

        p = self.posting
        if p is None:
            return
        message = t("posting.withdraw_what", title=p.title, employer=own_short_name(p.employer))
        self.app.push_screen(
            ConfirmDialog(t("posting.withdraw_title"), message), callback=self._withdraw_answered
        )

    def _withdraw_answered(self, answer: tuple[bool, str] | None) -> None:
        if not answer or not answer[0]:
            return
        from frontdesk.services.postings import withdraw_posting

        self.run_service(
            lambda: withdraw_posting(
                self.desk.engine, self.actor, self.posting_id, self.host.now()
            ),
            lambda _: self._withdrawn(),
            group="posting-withdraw",
        )

    def _withdrawn(self) -> None:
        self.notify(t("posting.withdrawn"))
        self.load()

    def action_print(self) -> None:
        from frontdesk.printing.jobs import print_notices
        from screens.common.printing import print_in_worker

        wanted = self.posting_id
        print_in_worker(
            self, lambda engine, actor, setup, now: print_notices(engine, actor, setup, now, wanted)
        )

    def action_back(self) -> None:
        self.dismiss()
