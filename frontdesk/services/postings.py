"""Job postings (岗位信息): publish, withdraw, list and read, with the places filled.

A posting's stored status is open, filled or withdrawn; one still open past its end date
is shown (and filtered) as expired without anyone touching it (job_rules.shown_status).
The filled count is the number of its referrals that ended in a placement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, and_, func
from sqlmodel import Session, col, select

from db.job_keys import availability_mask, job_key
from db.models import Employer, JobPosting, Referral
from db.session import reading, writing
from frontdesk.domain import job_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import Collector
from frontdesk.domain.money import MAX_PAY_FEN
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.employers import own_employer

PAGE = 20


def add_posting(
    engine: Engine,
    actor: Actor,
    employer_id: object,
    raw: rules.PostingInput,
    now: datetime,
    ceiling_fen: int = MAX_PAY_FEN,
) -> JobPosting:
    """Validate and publish a posting of an employer of this site."""
    form = Collector()
    clean = form.form(rules.validate_posting, raw, business_date(now), ceiling_fen)
    with writing(engine) as s:
        employer = form.first(own_employer, s, actor.site_code, employer_id)
        form.raise_any()
        posting = new_posting(actor, employer.id, clean)
        s.add(posting)
        s.flush()
        _audit(s, actor, "posting_add", posting.id, now)
    return posting


def new_posting(actor: Actor, employer_id: uuid.UUID, clean: rules.CleanPosting) -> JobPosting:
    """The row of a clean posting (the form's save and an import's)."""
    return JobPosting(
        site_code=actor.site_code,
        employer_id=employer_id,
        job_key=job_key(clean.job_type),
        hours_mask=availability_mask(clean.hours),
        staff_id=actor.staff_id,
        **vars(clean),
    )


def update_posting(
    engine: Engine,
    actor: Actor,
    posting_id: uuid.UUID,
    employer_id: object,
    raw: rules.PostingInput,
    now: datetime,
    ceiling_fen: int = MAX_PAY_FEN,
) -> JobPosting:
    """Save an edit of a posting, checked as a new one is; its places may not drop below
    the people already placed, and it is filled or open again as its places now say."""
    form = Collector()
    clean = form.form(rules.validate_posting, raw, business_date(now), ceiling_fen)
    with writing(engine) as s:
        posting = own_posting(s, actor.site_code, posting_id)
        employer = form.first(own_employer, s, actor.site_code, employer_id)
        placed = s.exec(select(placed_count()).where(JobPosting.id == posting.id)).one()
        if not form.errors and clean.positions < placed:
            form.add("job.positions_below_placed", "positions", placed=placed)
        form.raise_any()
        for name, value in vars(clean).items():
            setattr(posting, name, value)
        posting.employer_id = employer.id
        posting.job_key = job_key(clean.job_type)
        posting.hours_mask = availability_mask(clean.hours)
        if posting.status in ("open", "filled"):
            posting.status = "filled" if placed >= clean.positions else "open"
        _audit(s, actor, "posting_edit", posting.id, now)
    return posting


def withdraw_posting(
    engine: Engine, actor: Actor, posting_id: uuid.UUID, now: datetime
) -> JobPosting:
    """Take a posting off the board (the employer no longer hires); it keeps its history."""
    with writing(engine) as s:
        posting = own_posting(s, actor.site_code, posting_id)
        if posting.status == "withdrawn":
            raise UserError("job.already_withdrawn", field="status")
        posting.status = "withdrawn"
        _audit(s, actor, "posting_withdraw", posting.id, now)
    return posting


@dataclass(frozen=True)
class PostingRow:
    """One posting as the lists, the record and the notice board show it."""

    id: uuid.UUID
    employer_id: uuid.UUID
    employer: str
    title: str
    job_type: str
    positions: int
    placed: int
    pay_min_fen: int
    pay_max_fen: int
    pay_unit: str
    place: str
    hours: str
    age_min: int | None
    age_max: int | None
    education: str
    skills: list[str]
    requirements: str
    valid_from: date
    valid_until: date
    source: str
    status: str  # as shown today: open / filled / expired / withdrawn
    notes: str


def list_postings(
    engine: Engine,
    site_code: str,
    today: date,
    *,
    employer_id: uuid.UUID | None = None,
    job_type: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = PAGE,
) -> list[PostingRow]:
    """Postings newest first, filtered by employer, job type and the status shown today."""
    stmt = _rows_stmt(site_code)
    if employer_id is not None:
        stmt = stmt.where(JobPosting.employer_id == employer_id)
    if job_type.strip():
        stmt = stmt.where(JobPosting.job_key == job_key(job_type))
    if status:
        stmt = stmt.where(status_clause(status, today))
    stmt = stmt.order_by(col(JobPosting.id).desc()).offset(offset).limit(limit)
    with reading(engine) as s:
        return [_row(p, name, n, today) for p, name, n in s.exec(stmt).all()]


def get_posting(engine: Engine, site_code: str, posting_id: uuid.UUID, today: date) -> PostingRow:
    with reading(engine) as s:
        found = s.exec(_rows_stmt(site_code).where(JobPosting.id == posting_id)).first()
    if found is None:
        raise UserError("job.posting_not_found")
    posting, employer, placed = found
    return _row(posting, employer, placed, today)


def get_rows(s: Session, site_code: str, ids: list[uuid.UUID], today: date) -> list[PostingRow]:
    """The rows of the given postings of the site, in no particular order."""
    if not ids:
        return []
    found = s.exec(_rows_stmt(site_code).where(col(JobPosting.id).in_(ids))).all()
    return [_row(p, name, n, today) for p, name, n in found]


def status_clause(status: str, today: date):
    """Where a posting has the status `status` as shown on `today`."""
    if status == "open":
        return and_(col(JobPosting.status) == "open", col(JobPosting.valid_until) >= today)
    if status == "expired":
        return and_(col(JobPosting.status) == "open", col(JobPosting.valid_until) < today)
    if status in rules.POSTING_STATUSES:
        return col(JobPosting.status) == status
    raise UserError("job.status_unknown", field="status")


def placed_count():
    """A posting's placements, as a correlated scalar subquery: read by the referrals'
    posting index for the postings on a page, never counted for every posting on file."""
    return (
        select(func.count())
        .select_from(Referral)
        .where(col(Referral.posting_id) == JobPosting.id, col(Referral.outcome) == "placed")
        .scalar_subquery()
    )


def _rows_stmt(site_code: str):
    return (
        select(JobPosting, Employer.name, placed_count())
        .join(Employer, col(Employer.id) == JobPosting.employer_id)
        .where(JobPosting.site_code == site_code, col(JobPosting.deleted_at).is_(None))
    )


def _row(p: JobPosting, employer: str, placed: int, today: date) -> PostingRow:
    return PostingRow(
        id=p.id,
        employer_id=p.employer_id,
        employer=employer,
        title=p.title,
        job_type=p.job_type,
        positions=p.positions,
        placed=placed,
        pay_min_fen=p.pay_min_fen,
        pay_max_fen=p.pay_max_fen,
        pay_unit=p.pay_unit,
        place=p.place,
        hours=p.hours,
        age_min=p.age_min,
        age_max=p.age_max,
        education=p.education,
        skills=list(p.skills or []),
        requirements=p.requirements,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        source=p.source,
        status=rules.shown_status(p.status, p.valid_until, today),
        notes=p.notes,
    )


def own_posting(s: Session, site_code: str, posting_id: uuid.UUID) -> JobPosting:
    posting = s.get(JobPosting, posting_id)
    if posting is None or posting.site_code != site_code or posting.deleted_at is not None:
        raise UserError("job.posting_not_found", field="posting")
    return posting


def _audit(s: Session, actor: Actor, action: str, posting_id: uuid.UUID, now: datetime) -> None:
    record_act(s, actor, action, "job_postings", posting_id, now)
