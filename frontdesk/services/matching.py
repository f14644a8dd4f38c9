"""Matching both ways for job referral, on dispatch's one ranking (services/dispatch.py).

From a posting: its candidates, best first, read from `person_jobs` by the same covering
index and score as a gig order's, plus how the posting's pay meets what each wishes for.
From a seeker: the open postings of the job types they wish for or have as skills,
scored by the same points (want, skill, hours, pay) and cut to a page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.models import JobPosting, Person, PersonJob, Referral
from db.session import reading
from frontdesk.domain import gig_rules, job_rules
from frontdesk.errors import UserError
from frontdesk.services.dispatch import (
    Candidate,
    candidate_of,
    no_shows_of,
    people_by_id,
    ranked_people,
)
from frontdesk.services.postings import PostingRow, get_rows, own_posting

PAGE = 20


def candidates_for_posting(
    engine: Engine,
    site_code: str,
    posting_id: uuid.UUID,
    today: date,
    offset: int = 0,
    limit: int = PAGE,
) -> list[Candidate]:
    """A page of active seekers for the posting, best first, leaving out anyone with an
    open referral to it."""
    with reading(engine) as s:
        posting = own_posting(s, site_code, posting_id)
        offered = job_rules.monthly_fen(posting.pay_max_fen, posting.pay_unit)
        stmt = ranked_people(
            site_code,
            posting.job_key,
            posting.hours_mask,
            _referred(posting.id),
            -1 if offered is None else offered,
        )
        ranked = s.execute(stmt.offset(offset).limit(limit)).all()
        ids = [row[0] for row in ranked]
        people, no_shows = people_by_id(s, ids), no_shows_of(s, ids)
    found = []
    for pid, desired, skilled, avail, _, wish, _ in ranked:
        if pid in people:
            fit = gig_rules.fit_class(avail, posting.hours_mask)
            pay = job_rules.pay_class(wish, offered)
            shows = no_shows.get(pid, 0)
            found.append(candidate_of(people[pid], today, desired, skilled, fit, shows, pay))
    return found


def _referred(posting_id: uuid.UUID) -> SelectOfScalar:
    return select(col(Referral.person_id)).where(
        Referral.posting_id == posting_id,
        col(Referral.outcome).not_in(job_rules.CLOSED_OUTCOMES),
    )


@dataclass(frozen=True)
class PostingMatch:
    posting: PostingRow
    desired: bool
    skilled: bool
    fit: str
    pay: str
    score: int


def postings_for_seeker(
    engine: Engine, site_code: str, person_id: uuid.UUID, today: date, limit: int = PAGE
) -> list[PostingMatch]:
    """The open postings that fit a seeker, best first (score, then the newest)."""
    with reading(engine) as s:
        person = s.get(Person, person_id)
        if person is None or person.site_code != site_code:
            raise UserError("seeker.not_found")
        keys = {k.job: k for k in s.exec(select(PersonJob).where(PersonJob.person_id == person_id))}
        if not keys:  # not active, or no job type on file
            return []
        found = s.execute(  # five columns: more than sqlmodel's select is typed for
            sa_select(
                col(JobPosting.id),
                col(JobPosting.job_key),
                col(JobPosting.hours_mask),
                col(JobPosting.pay_max_fen),
                col(JobPosting.pay_unit),
            ).where(
                col(JobPosting.site_code) == site_code,
                col(JobPosting.job_key).in_(list(keys)),
                col(JobPosting.status) == "open",
                col(JobPosting.valid_until) >= today,
                col(JobPosting.id).not_in(_referred_to(person_id)),
            )
        ).all()
        scored = sorted(
            ((*_score(keys[job], need, pay, unit), pid) for pid, job, need, pay, unit in found),
            key=lambda m: (-m[4], -m[5].int),  # best score, then the newest (UUIDv7)
        )[:limit]
        rows = {r.id: r for r in get_rows(s, site_code, [m[5] for m in scored], today)}
    return [PostingMatch(rows[pid], d, k, fit, pay, score) for d, k, fit, pay, score, pid in scored]


def _referred_to(person_id: uuid.UUID) -> SelectOfScalar:
    return select(col(Referral.posting_id)).where(
        Referral.person_id == person_id,
        col(Referral.outcome).not_in(job_rules.CLOSED_OUTCOMES),
    )


def _score(key: PersonJob, need: int, pay_max: int, unit: str) -> tuple:
    fit = gig_rules.fit_class(key.avail, need)
    pay = job_rules.pay_class(key.pay_fen, job_rules.monthly_fen(pay_max, unit))
    points = gig_rules.match_score(bool(key.desired), bool(key.skilled), fit)
    return bool(key.desired), bool(key.skilled), fit, pay, points + job_rules.PAY_POINTS[pay]
