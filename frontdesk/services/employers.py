"""Employers (用工主体): the one employer record of the micro-factory and the gig market.

Views mask the phone (domain/privacy.py) unless a caller asks for it to be published and
the employer agreed to that. An individual's phone is personal data, stored sealed to the
desk's key (frontdesk/services/sealed_contacts.py): published only while the key is held.
A credit code names one employer at a site: the partial unique index says so whichever
path writes, and the service turns its refusal into words.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import Employer
from db.sealed import Opener, Unreadable, is_sealed
from db.session import reading, writing
from frontdesk.domain import credit_code, job_rules
from frontdesk.domain.forms import Collector, nfkc
from frontdesk.domain.gig_rules import clean_text
from frontdesk.domain.registration import clean_phone
from frontdesk.errors import UserError
from frontdesk.services import personal_keys
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.sealed_contacts import (
    INDIVIDUAL,
    open_employer_phone,
    stored_employer_phone,
)

LIMITS = {"name": 80, "contact_name": 40, "address": 200, "notes": 500}


@dataclass
class EmployerInput:
    name: str = ""
    contact_name: str = ""
    phone: str = ""
    address: str = ""
    notes: str = ""
    credit_code: str = ""
    kind: str = ""  # blank: a company
    publish_phone: bool = False


@dataclass(frozen=True)
class EmployerView:
    id: uuid.UUID
    name: str
    credit_code: str
    kind: str
    contact_name: str
    phone: str  # masked unless published with consent
    publish_phone: bool
    address: str
    notes: str


def clean_employer(raw: EmployerInput) -> dict[str, object]:
    """Every field checked, all refusals at once, each at its field."""
    form = Collector()
    fields: dict[str, object] = {
        name: form.check(clean_text, getattr(raw, name), limit, name, name == "name")
        for name, limit in LIMITS.items()
    }
    fields["credit_code"] = form.check(credit_code.normalise, raw.credit_code)
    fields["kind"] = form.check(job_rules.clean_kind, raw.kind)
    fields["phone"] = form.check(clean_phone, raw.phone) if nfkc(raw.phone) else ""
    fields["publish_phone"] = bool(raw.publish_phone)
    form.raise_any()
    return fields


def add_employer(engine: Engine, actor: Actor, raw: EmployerInput, now: datetime) -> Employer:
    fields = clean_employer(raw)
    with writing(engine) as s:
        employer = Employer(site_code=actor.site_code, **fields)  # type: ignore[arg-type]
        _store_phone(s, employer, str(fields["phone"]))
        s.add(employer)
        _flush(s)
        _audit(s, actor, "employer_add", employer.id, now)
    return employer


def add_employers(s: Session, actor: Actor, cleans: list[dict[str, object]]) -> list[Employer]:
    """Many employers in the caller's transaction (an import): all or none."""
    made = [Employer(site_code=actor.site_code, **c) for c in cleans]  # type: ignore[arg-type]
    for employer, clean in zip(made, cleans, strict=True):
        _store_phone(s, employer, str(clean["phone"]))
    s.add_all(made)
    _flush(s)
    return made


def update_employer(
    engine: Engine, actor: Actor, employer_id: uuid.UUID, raw: EmployerInput, now: datetime
) -> Employer:
    """Save an edit; a phone left blank keeps the stored one (the form shows it masked)."""
    with writing(engine) as s:
        employer = own_employer(s, actor.site_code, employer_id)
        kept = employer.phone if not nfkc(raw.phone) else None
        for name, value in clean_employer(raw).items():
            setattr(employer, name, value)
        if kept is None:
            _store_phone(s, employer, employer.phone)
        elif is_sealed(kept) or employer.kind != INDIVIDUAL:
            employer.phone = kept  # as stored: opening it would need the key
        else:
            _store_phone(s, employer, kept)  # a company's plain phone, now an individual's
        _flush(s)
        _audit(s, actor, "employer_edit", employer.id, now)
    return employer


def list_employers(
    engine: Engine, site_code: str, search: str = "", limit: int = 500, offset: int = 0
) -> list[EmployerView]:
    """This site's employers by name (a page from `offset`); `search` finds a name fragment
    or a credit code."""
    stmt = select(Employer).where(
        Employer.site_code == site_code, col(Employer.deleted_at).is_(None)
    )
    text = nfkc(search)
    if text:
        stmt = stmt.where(
            or_(col(Employer.name).contains(text), col(Employer.credit_code) == text.upper())
        )
    with reading(engine) as s:
        rows = s.exec(
            stmt.order_by(col(Employer.name), col(Employer.id)).offset(offset).limit(limit)
        ).all()
    return [view_of(e) for e in rows]


def get_employer(engine: Engine, site_code: str, employer_id: uuid.UUID) -> EmployerView:
    with reading(engine) as s:
        return view_of(own_employer(s, site_code, employer_id))


def view_of(e: Employer, published: bool = False, opener: Opener | None = None) -> EmployerView:
    """Masked phone, or the full one when `published` and the employer agreed to it."""
    phone = published_phone(e, opener) if published else e.phone_masked
    return EmployerView(
        e.id,
        e.name,
        e.credit_code,
        e.kind,
        e.contact_name,
        phone,
        e.publish_phone,
        e.address,
        e.notes,
    )


def published_phone(e: Employer, opener: Opener | None) -> str:
    """The phone a notice may print: in full only with the employer's consent, and an
    individual's (sealed) only with the desk's key held; otherwise masked."""
    if not e.publish_phone or not e.phone:
        return e.phone_masked
    if not is_sealed(e.phone):
        return e.phone
    if opener is None:
        return e.phone_masked
    try:
        return open_employer_phone(opener, e.id, e.phone)
    except Unreadable:
        return e.phone_masked


def _store_phone(s: Session, employer: Employer, phone: str) -> None:
    stored = stored_employer_phone(personal_keys.sealer(s), employer.id, employer.kind, phone)
    employer.phone, employer.phone_masked = stored["phone"], stored["phone_masked"]


def find_employer(s: Session, site_code: str, name_or_code: str) -> Employer | None:
    """A known employer of the site by its credit code, else by its exact name."""
    text = nfkc(name_or_code)
    if not text:
        return None
    mine = select(Employer).where(
        Employer.site_code == site_code, col(Employer.deleted_at).is_(None)
    )
    found = s.exec(mine.where(Employer.credit_code == text.upper())).first()
    return found or s.exec(mine.where(Employer.name == text).order_by(col(Employer.id))).first()


def own_employer(s: Session, site_code: str, employer_id: object) -> Employer:
    employer = s.get(Employer, employer_id) if isinstance(employer_id, uuid.UUID) else None
    if employer is None or employer.site_code != site_code or employer.deleted_at is not None:
        raise UserError("gig.employer_required", field="employer")
    return employer


def _flush(s: Session) -> None:
    try:
        s.flush()
    except IntegrityError as exc:  # the unique (site, credit code) index
        if "credit_code" not in str(exc.orig):
            raise
        raise UserError("employer.credit_code_taken", field="credit_code") from exc


def _audit(s: Session, actor: Actor, action: str, employer_id: uuid.UUID, now: datetime) -> None:
    record_act(s, actor, action, "employers", employer_id, now)
