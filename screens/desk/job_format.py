"""How the employment screens show postings, employers, candidates and referrals: the
cells of their tables and the whole line under each list, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from frontdesk.domain.org_names import short_name
from frontdesk.i18n import t
from screens.desk.gig_format import candidate_cells, candidate_reasons, own_short_name

if TYPE_CHECKING:
    from frontdesk.services.dispatch import Candidate
    from frontdesk.services.employers import EmployerView
    from frontdesk.services.matching import PostingMatch
    from frontdesk.services.postings import PostingRow
    from frontdesk.services.referrals import ReferralRow

# Outcome -> the letter that picks it in the outcome dialog (shown beside its name).
OUTCOME_KEYS = {
    "interviewed": "i",
    "intention": "y",
    "placed": "p",
    "not_hired": "n",
    "withdrew": "w",
}


def pay_of(p: PostingRow) -> str:
    from frontdesk.services.notice_board import pay_text

    return pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit)


# --- postings ----------------------------------------------------------------------------------
POSTING_COLUMNS = ("title", "employer", "job", "places", "pay", "until", "status")


def posting_cells(p: PostingRow, prefix: str = "") -> dict[str, str]:
    return {
        "title": p.title,
        "employer": short_name(p.employer, prefix),
        "job": p.job_type,
        "places": f"{p.placed}/{p.positions}",
        "pay": pay_of(p),
        "until": p.valid_until.isoformat(),
        "status": t(f"job.status.{p.status}"),
    }


def posting_summary(p: PostingRow) -> str:
    parts = [f"{p.title}（{own_short_name(p.employer)}）", pay_of(p), p.place, p.hours]
    return " · ".join(x for x in parts if x)


def posting_details(p: PostingRow) -> Table:
    """The posting's fields, two to a line."""
    table = Table.grid(padding=(0, 1), expand=True)
    for _ in range(2):
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    none = t("record.none")
    ages = ""
    if p.age_min is not None or p.age_max is not None:
        ages = f"{p.age_min or ''}-{p.age_max or ''}"
    period = f"{p.valid_from.isoformat()} ~ {p.valid_until.isoformat()}"
    table.add_row(
        t("posting.employer"), own_short_name(p.employer), t("posting.job_type"), p.job_type
    )
    table.add_row(
        t("posting.pay"),
        pay_of(p),
        t("posting.places"),
        t("posting.places_text", placed=p.placed, positions=p.positions),
    )
    table.add_row(t("posting.place"), p.place or none, t("posting.hours"), p.hours or none)
    table.add_row(t("posting.period"), period, t("posting.status"), t(f"job.status.{p.status}"))
    table.add_row(t("posting.ages"), ages or none, t("posting.skills"), "、".join(p.skills) or none)
    return table


# --- employers ---------------------------------------------------------------------------------
EMPLOYER_COLUMNS = ("name", "kind", "credit_code", "contact", "phone")


def employer_cells(e: EmployerView) -> dict[str, str]:
    return {
        "name": e.name,
        "kind": t(f"employer.kind.{e.kind}"),
        "credit_code": e.credit_code,
        "contact": e.contact_name,
        "phone": e.phone,
    }


def employer_summary(e: EmployerView) -> str:
    consent = t("employers.publish_yes" if e.publish_phone else "employers.publish_no")
    parts = [e.name, e.address, consent]
    return " · ".join(x for x in parts if x)


# --- candidates and referrals ------------------------------------------------------------------
JOB_CANDIDATE_COLUMNS = ("name", "who", "phone", "desired", "skilled", "fit", "pay", "reliability")


def job_candidate_cells(c: Candidate) -> dict[str, str]:
    cells = candidate_cells(c)
    cells["pay"] = t(f"posting.pay_class.{c.pay or 'unknown'}")
    return cells


def job_candidate_reasons(c: Candidate, job: str) -> str:
    pay = t(f"posting.why_pay.{c.pay or 'unknown'}")
    return f"{candidate_reasons(c, job)} · {pay}"


REFERRAL_COLUMNS = ("person", "phone", "referred", "outcome", "follow_up", "staff")


def outcome_text(r: ReferralRow) -> str:
    return t(f"job.outcome.{r.outcome}")


def referral_cells(r: ReferralRow) -> dict[str, str]:
    return {
        "person": r.person,
        "phone": r.phone,
        "referred": r.referred_on.isoformat(),
        "outcome": outcome_text(r),
        "follow_up": r.follow_up_on.isoformat() if r.follow_up_on else "",
        "staff": r.staff,
    }


def referral_summary(r: ReferralRow) -> str:
    parts = [f"{r.person} → {r.title}（{own_short_name(r.employer)}）", outcome_text(r)]
    if r.follow_up_on:
        parts.append(t("posting.follow_up_on", date=r.follow_up_on.isoformat()))
    return " · ".join(parts)


def seeker_referrals(rows: list[ReferralRow]) -> Table:
    """A seeker's referrals, newest first, for their record."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    for key in ("referred", "title", "employer", "outcome", "follow_up"):
        table.add_column(t(f"posting.col_{key}"), no_wrap=True, overflow="ellipsis")
    for r in rows:
        follow = r.follow_up_on.isoformat() if r.follow_up_on else ""
        table.add_row(
            r.referred_on.isoformat(), r.title, own_short_name(r.employer), outcome_text(r), follow
        )
    return table


def seeker_matches(found: list[PostingMatch]) -> Table:
    """The open postings that fit a seeker, best first, for their record."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    for key in ("title", "employer", "pay", "fit", "places"):
        table.add_column(t(f"posting.col_{key}"), no_wrap=True, overflow="ellipsis")
    for m in found:
        p = m.posting
        table.add_row(
            p.title,
            own_short_name(p.employer),
            pay_of(p),
            t(f"picker.fit.{m.fit}"),
            f"{p.placed}/{p.positions}",
        )
    return table
