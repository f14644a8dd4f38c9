"""One job seeker's record: masked by default; keys to edit, set status, renew, reveal.

Below the record: the open postings that fit the seeker, best first (the same ranking as a
posting's candidates), and the seeker's referrals with their outcomes, newest first.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from frontdesk.domain.clock import business_date
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.widgets import KeyBar, StatusBar

if TYPE_CHECKING:
    from frontdesk.services.matching import PostingMatch
    from frontdesk.services.referrals import ReferralRow
    from frontdesk.services.seekers import Revealed, SeekerView


MATCHES = 5  # the best few: the record stays one screen


class SeekerRecordScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("e", "edit", "edit", id="edit"),
        Binding("s", "status", "status", id="status"),
        Binding("r", "renew", "renew", id="renew"),
        Binding("v", "reveal", "reveal", id="reveal"),
        Binding("escape", "back", "back", id="back"),
    ]

    def __init__(self, person_id: uuid.UUID) -> None:
        super().__init__()
        self.person_id = person_id
        self.person: SeekerView | None = None
        # Full ID and phone after an audited reveal, until we leave or the desk locks.
        self.revealed: Revealed | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with VerticalScroll(id="record"):
            yield Static("", id="record-title", classes="title")
            yield Static("", id="record-body")
            yield Static("", id="record-matches")
            yield Static("", id="record-referrals")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # The first showing too: loading on mount as well started every read twice, the
        # second cancelling the first.
        self.load()

    def load(self) -> None:
        from frontdesk.services import seekers

        today = business_date(self.host.now())
        self.run_service(
            lambda: seekers.get(self.desk.engine, self.desk.site_code, self.person_id, today),
            self._show,
            group="record",
        )
        self.run_service(self._read_jobs, lambda found: self._show_jobs(*found), group="jobs")

    def _read_jobs(self) -> tuple[list[PostingMatch], list[ReferralRow]]:
        from frontdesk.services.matching import postings_for_seeker
        from frontdesk.services.referrals import of_person

        desk, today = self.desk, business_date(self.host.now())
        engine, site = desk.engine, desk.site_code
        return (
            postings_for_seeker(engine, site, self.person_id, today, limit=MATCHES),
            of_person(engine, site, self.person_id),
        )

    def _show_jobs(self, matches: list[PostingMatch], referrals: list[ReferralRow]) -> None:
        from screens.desk.job_format import seeker_matches, seeker_referrals

        shown = seeker_matches(matches) if matches else None
        self._section("#record-matches", "record.matches", shown, "record.no_matches")
        shown = seeker_referrals(referrals) if referrals else None
        self._section("#record-referrals", "record.referrals", shown, "record.no_referrals")

    def _section(self, selector: str, title: str, table: Table | None, none: str) -> None:
        body = Table.grid()
        body.add_row(Text(t(title), style="bold"))
        body.add_row(table if table is not None else Text(t(none), style="dim"))
        self.query_one(selector, Static).update(body)

    def _show(self, person: SeekerView) -> None:
        self.person = person
        self.query_one("#record-title", Static).update(t("record.title", name=person.name))
        self.query_one("#record-body", Static).update(self._table(person))

    def _table(self, p: SeekerView) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        id_text = self.revealed.id_number if self.revealed else p.id_number
        phone = self.revealed.phone if self.revealed else p.phone
        address = self.revealed.address if self.revealed else p.address
        none = t("record.none")
        valid = p.valid_until.isoformat() if p.valid_until else none
        if p.expired:
            valid += t("record.expired")
        status = t(f"status.{p.status}") + (f"（{p.status_reason}）" if p.status_reason else "")
        rows = [
            (t("form.id_number"), id_text),
            (
                t("record.gender_birth"),
                f"{t('gender.' + p.gender)} · {p.birth_date} · {p.age}",
            ),
            (t("form.phone"), phone),
            (t("seekers.col_status"), status),
            (t("record.validity"), valid),
            (t("record.registered"), p.registered_on.isoformat()),
            (t("form.education"), t(f"edu.{p.education}") if p.education else none),
            (t("form.hukou_type"), t(f"hukou.{p.hukou_type}") if p.hukou_type else none),
            (t("form.ethnicity"), p.ethnicity or none),
            (t("form.skills"), "；".join(p.skills) or none),
        ]
        for n, job in enumerate(p.desired_jobs, start=1):
            pay = fmt_fen(job["pay_fen"]) if job.get("pay_fen") is not None else ""
            parts = (job["job"], pay, job["area"])
            rows.append((t("form.job", n=n), " · ".join(x for x in parts if x)))
        rows += [
            (t("form.availability"), p.availability or none),
            (t("record.categories"), "、".join(t(f"category.{c}") for c in p.categories) or none),
            (t("form.address"), address or none),
            (t("form.notes"), p.notes or none),
            (t("record.consent"), _when(p.consent_at)),
            (t("record.sensitive_consent"), _when(p.sensitive_consent_at)),
        ]
        for label, value in rows:
            table.add_row(label, value)
        return table

    # --- keys -----------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        from screens.desk.seeker_form import SeekerFormScreen

        if self.person is not None:
            self.app.push_screen(SeekerFormScreen(self.person), callback=self._edited)

    def _edited(self, person_id: uuid.UUID | None) -> None:
        if person_id is not None:
            self.notify(t("record.saved"))

    def action_status(self) -> None:
        from screens.desk.seeker_dialogs import StatusDialog

        if self.person is not None:
            self.app.push_screen(StatusDialog(self.person))

    def action_reveal(self) -> None:
        from screens.desk.seeker_dialogs import RevealDialog

        if self.person is not None:
            self.app.push_screen(RevealDialog(self.person), callback=self._revealed)

    def _revealed(self, shown: Revealed | None) -> None:
        if shown is not None and self.person is not None:
            self.revealed = shown
            self._show(self.person)
            self.notify(t("record.revealed"))

    def forget_revealed(self) -> None:
        """The desk locks: the full numbers go; after unlocking the record is masked again."""
        self.revealed = None
        if self.person is not None:
            self._show(self.person)

    def action_renew(self) -> None:
        from frontdesk.services import seekers

        self.run_service(
            lambda: seekers.renew(self.desk.engine, self.actor, self.person_id, self.host.now()),
            self._renewed,
            group="record",
        )

    def _renewed(self, until: date) -> None:
        self.notify(t("record.renewed", date=until.isoformat()))
        self.load()


def _when(at: datetime | None) -> str:
    from frontdesk.domain.clock import local_time

    return local_time(at).strftime("%Y-%m-%d %H:%M") if at else t("record.none")
