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

from sqlalchemy import Engine, case, literal
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
    """The open postings that fit a seeker, best first (score, then the newest): scored in
    SQL over the postings index's ranges of the seeker's job types, cut to a page."""
    with reading(engine) as s:
        person = s.get(Person, person_id)
        if person is None or person.site_code != site_code:
            raise UserError("seeker.not_found")
        keys = {k.job: k for k in s.exec(select(PersonJob).where(PersonJob.person_id == person_id))}
        if not keys:  # not active, or no job type on file
            return []
        score = _seeker_score(list(keys.values())).label("score")
        found = s.execute(  # six columns: more than sqlmodel's select is typed for
            sa_select(
                col(JobPosting.id),
                col(JobPosting.job_key),
                col(JobPosting.hours_mask),
                col(JobPosting.pay_max_fen),
                col(JobPosting.pay_unit),
                score,
            )
            .where(
                col(JobPosting.site_code) == site_code,
                col(JobPosting.job_key).in_(list(keys)),
                col(JobPosting.status) == "open",
                col(JobPosting.valid_until) >= today,
                col(JobPosting.id).not_in(_referred_to(person_id)),
            )
            .order_by(score.desc(), col(JobPosting.id).desc())
            .limit(limit)
        ).all()
        rows = {r.id: r for r in get_rows(s, site_code, [f[0] for f in found], today)}
    matches = []
    for pid, job, need, pay_max, unit, _ in found:
        desired, skilled, fit, pay, points = _score(keys[job], need, pay_max, unit)
        matches.append(PostingMatch(rows[pid], desired, skilled, fit, pay, points))
    return matches


def _seeker_score(keys: list[PersonJob]):
    """job_rules' points of a posting for this seeker, in SQL: the fit of the posting's hours
    with the seeker's (the same for every job type), plus per job type the want, the skill
    and the posting's pay by the month against the pay wished for with it."""
    mask, avail = col(JobPosting.hours_mask), keys[0].avail
    fits = gig_rules.FIT_POINTS
    fit = (
        literal(fits["unknown"])
        if avail == 0
        else case(
            (mask.op("&")(avail) == mask, fits["full"]),
            (mask.op("&")(avail) != 0, fits["partial"]),
            else_=fits["none"],
        )
    )
    per_job = case(
        *(
            (
                col(JobPosting.job_key) == k.job,
                gig_rules.match_score(bool(k.desired), bool(k.skilled), "none")
                + _pay_points(k.pay_fen),
            )
            for k in keys
        ),
        else_=0,
    )
    return fit + per_job


def _pay_points(wish: int):
    """job_rules.pay_class in SQL, the month worked out as job_rules.monthly_fen does."""
    points = job_rules.PAY_POINTS
    if not wish:
        return literal(points["unknown"])
    unit, pay = col(JobPosting.pay_unit), col(JobPosting.pay_max_fen)
    monthly = case(
        (unit == "month", pay),
        (unit == "day", (pay * 2175 + 50) // 100),  # × 21.75, half up: exact in integers
        else_=pay * int(job_rules.HOURS_A_MONTH),
    )
    return case(
        (unit == "piece", points["unknown"]),
        (monthly >= wish, points["met"]),
        (monthly * 100 >= wish * job_rules.NEAR_PERCENT, points["near"]),
        else_=points["far"],
    )


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
