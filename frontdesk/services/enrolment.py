"""Enrolment in a course or class (报名): a place, or the waiting list beyond capacity.

A registered job seeker (found with the usual search) or a resident by name and phone only
(a light record, its phone masked like every phone) enrols at most once while enrolled or
waiting. A fee is an income entry of the session's service through the ledger, in the
enrolment's own transaction; a withdrawal with refund is a reversal with a manager's PIN.
When a place frees, the first on the waiting list moves up (its fee is then taken apart).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import ActivitySession, Enrolment, Payment, Person, Resident, Service
from db.session import reading, writing
from db.types import new_id
from frontdesk.domain import session_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.gig_rules import clean_text
from frontdesk.domain.privacy import mask_name, phone_hash
from frontdesk.domain.registration import clean_name, clean_phone
from frontdesk.errors import UserError
from frontdesk.services import ledger, personal_keys
from frontdesk.services.acting import Actor
from frontdesk.services.auth import confirm_pin
from frontdesk.services.sealed_contacts import stored_resident_phone
from frontdesk.services.seekers import hash_key
from frontdesk.services.sessions import audit, own_session


@dataclass
class ResidentInput:
    """A resident who is not a registered job seeker: name and phone only."""

    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Enrolled:
    enrolment: Enrolment
    payment: Payment | None

    @property
    def waiting(self) -> bool:
        return self.enrolment.status == "waiting"


def enrol(
    engine: Engine,
    actor: Actor,
    session_id: uuid.UUID,
    now: datetime,
    *,
    person_id: uuid.UUID | None = None,
    resident: ResidentInput | None = None,
    method: str = "",
) -> Enrolled:
    """A place (its fee taken now) or, when the session is full, a place on the waiting list."""
    with writing(engine) as s:
        session = _open_for_enrolment(s, actor, session_id)
        person, res = who(s, actor, person_id, resident)
        _refuse_twice(s, session.id, person, res)
        full = session.capacity is not None and enrolled_count(s, session.id) >= session.capacity
        paid_by = "" if full else rules.clean_fee_method(session.fee_fen, method)
        enrolment = Enrolment(
            site_code=actor.site_code,
            session_id=session.id,
            person_id=person,
            resident_id=res,
            status="waiting" if full else "enrolled",
            queue_no=_next_queue_no(s, session.id),
            staff_id=actor.staff_id,
        )
        s.add(enrolment)
        try:
            s.flush()  # the partial unique index is the last word on "never twice"
        except IntegrityError:
            raise UserError("activity.enrolled_twice", field="person") from None
        payment = _take_fee(s, actor, session, enrolment, paid_by, now) if paid_by else None
        audit(s, actor, "session_enrol", session.id, now, detail=enrolment.status)
    return Enrolled(enrolment, payment)


def pay_fee(
    engine: Engine, actor: Actor, enrolment_id: uuid.UUID, method: str, now: datetime
) -> Payment:
    """The fee of a place given from the waiting list (no fee was taken while waiting)."""
    with writing(engine) as s:
        enrolment = own_enrolment(s, actor.site_code, enrolment_id)
        session = own_session(s, actor.site_code, enrolment.session_id)
        if enrolment.status != "enrolled" or not session.fee_fen:
            raise UserError("activity.no_fee_due", field="method")
        if enrolment.payment_id is not None:
            raise UserError("activity.fee_paid", field="method")
        paid_by = rules.clean_fee_method(session.fee_fen, method)
        return _take_fee(s, actor, session, enrolment, paid_by, now)


def withdraw(
    engine: Engine,
    actor: Actor,
    enrolment_id: uuid.UUID,
    reason: str,
    now: datetime,
    *,
    refund: bool = False,
    manager_id: uuid.UUID | None = None,
    pin: str = "",
) -> Enrolment | None:
    """Withdraw; a refund of the fee is a reversal with a manager's PIN. Returns whoever
    moved up from the waiting list into the freed place, if anyone did."""
    reason = clean_text(reason, 200, "reason", True)
    if refund:
        if manager_id is None:
            raise UserError("walkin.void_needs_manager", field="manager")
        confirm_pin(engine, manager_id, pin, now, action="session_refund_pin", role="manager")
    with writing(engine) as s:
        enrolment = own_enrolment(s, actor.site_code, enrolment_id)
        if enrolment.status == "withdrawn":
            raise UserError("activity.withdrawn", field="enrolment")
        freed = enrolment.status == "enrolled"
        enrolment.status = "withdrawn"
        enrolment.withdrawn_at = now
        if refund:
            _refund(s, actor, enrolment, reason, now)
        detail = f"{reason}; approved_by={manager_id}" if refund else reason
        audit(s, actor, "session_withdraw", enrolment.session_id, now, detail=detail)
        s.flush()
        return move_up(s, enrolment.session_id) if freed else None


def move_up(s: Session, session_id: uuid.UUID) -> Enrolment | None:
    """The first on the waiting list takes a free place."""
    session = s.get(ActivitySession, session_id)
    assert session is not None
    if session.capacity is not None and enrolled_count(s, session_id) >= session.capacity:
        return None
    first = s.exec(
        select(Enrolment)
        .where(Enrolment.session_id == session_id, Enrolment.status == "waiting")
        .order_by(col(Enrolment.queue_no))
    ).first()
    if first is not None:
        first.status = "enrolled"
    return first


def _refund(s: Session, actor: Actor, enrolment: Enrolment, reason: str, now: datetime) -> None:
    paid = s.get(Payment, enrolment.payment_id) if enrolment.payment_id else None
    if paid is None or enrolment.refund_id is not None:
        raise UserError("activity.no_fee", field="refund")
    day = ledger.booking_day(s, actor.site_code, business_date(now))
    back = ledger.refund(s, actor, paid, day, now, reason)
    s.flush()
    enrolment.refund_id = back.id


def _take_fee(
    s: Session,
    actor: Actor,
    session: ActivitySession,
    enrolment: Enrolment,
    method: str,
    now: datetime,
) -> Payment:
    # After today's close the fee goes into the next open day (the closed day never changes).
    day = ledger.booking_day(s, actor.site_code, business_date(now))
    service = s.get(Service, session.service_id)
    if service is None or not service.active:
        raise UserError("walkin.unknown_service", field="method")
    fee = ledger.income(actor, service, session.fee_fen, method, day, now, reason=session.title)
    s.add(fee)
    s.flush()
    enrolment.payment_id = fee.id
    return fee


# --- who enrols ----------------------------------------------------------------------------


def who(
    s: Session, actor: Actor, person_id: uuid.UUID | None, resident: ResidentInput | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """A registered person of this site, or a resident's light record (found or made)."""
    if person_id is not None:
        person = s.get(Person, person_id)
        if person is None or person.site_code != actor.site_code:
            raise UserError("seeker.not_found", field="person")
        return person.id, None
    if resident is None:
        raise UserError("activity.who", field="person")
    return None, resident_id(s, actor, resident)


def resident_id(s: Session, actor: Actor, raw: ResidentInput) -> uuid.UUID:
    from frontdesk.domain.forms import Collector

    form = Collector()
    name = form.check(clean_name, raw.name)
    phone = form.check(clean_phone, raw.phone)
    form.raise_any()
    key = hash_key(s)
    found = s.exec(
        select(Resident).where(
            Resident.site_code == actor.site_code,
            Resident.phone_hash == phone_hash(phone, key),  # the phone is sealed
            Resident.name == name,
        )
    ).first()
    if found is not None:
        return found.id
    made_id = new_id()  # before sealing: the row's id is in the sealed value's data
    stored = stored_resident_phone(personal_keys.sealer(s), made_id, phone, key)
    made = Resident(id=made_id, site_code=actor.site_code, name=name, **stored)
    s.add(made)
    s.flush()
    return made.id


def _open_for_enrolment(s: Session, actor: Actor, session_id: uuid.UUID) -> ActivitySession:
    session = own_session(s, actor.site_code, session_id)
    if session.kind not in rules.ENROLLING_KINDS:
        raise UserError("activity.no_enrolment", field="session")
    if session.status not in rules.OPEN_STATUSES:
        raise UserError("activity.enrol_closed", field="session")
    return session


def _refuse_twice(
    s: Session, session_id: uuid.UUID, person: uuid.UUID | None, res: uuid.UUID | None
) -> None:
    live = select(Enrolment.id).where(
        Enrolment.session_id == session_id, col(Enrolment.status).in_(("enrolled", "waiting"))
    )
    if person is not None:
        live = live.where(Enrolment.person_id == person)
    else:
        live = live.where(Enrolment.resident_id == res)
    if s.exec(live).first() is not None:
        raise UserError("activity.enrolled_twice", field="person")


def enrolled_count(s: Session, session_id: uuid.UUID) -> int:
    return s.exec(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.session_id == session_id, Enrolment.status == "enrolled")
    ).one()


def _next_queue_no(s: Session, session_id: uuid.UUID) -> int:
    top = s.exec(
        select(func.max(Enrolment.queue_no)).where(Enrolment.session_id == session_id)
    ).one()
    return (top or 0) + 1


def own_enrolment(s: Session, site_code: str, enrolment_id: uuid.UUID) -> Enrolment:
    enrolment = s.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.site_code != site_code:
        raise UserError("activity.enrolment_not_found")
    return enrolment


# --- reading -------------------------------------------------------------------------------


def contact(person: Person | None, res: Resident | None, *, mask: bool = False) -> tuple[str, str]:
    """The name and masked phone of a registered person or a resident's light record. The
    desk's lists show names whole (staff call people by them, as in the seeker list); a
    list that leaves the desk (the completion list) masks the name too (`mask`)."""
    if person is not None:  # a job seeker's phone is sealed: the stored masked form
        return (mask_name(person.name) if mask else person.name), person.phone_masked
    if res is None:
        return "", ""
    return (mask_name(res.name) if mask else res.name), res.phone_masked


@dataclass(frozen=True)
class EnrolmentRow:
    """One person of a session's list, masked: the service decides what shows."""

    id: uuid.UUID
    name: str
    phone: str  # masked
    registered: bool  # a registered job seeker, not a light record
    status: str
    queue_no: int
    waiting_place: int  # 1 for the first on the waiting list; 0 when not waiting
    fee_fen: int  # paid and not refunded
    completed: bool
    fee_due: bool = False  # a place given from the waiting list whose fee is not taken yet


def list_enrolments(engine: Engine, site_code: str, session_id: uuid.UUID) -> list[EnrolmentRow]:
    """Enrolled first, then the waiting list in its order, then withdrawn."""
    with reading(engine) as s:
        session = own_session(s, site_code, session_id)
        rows = s.exec(
            select(Enrolment, Person, Resident, Payment)
            .outerjoin(Person, col(Person.id) == Enrolment.person_id)
            .outerjoin(Resident, col(Resident.id) == Enrolment.resident_id)
            .outerjoin(Payment, col(Payment.id) == Enrolment.payment_id)
            .where(Enrolment.session_id == session_id)
            .order_by(col(Enrolment.queue_no))
        ).all()
    order = {"enrolled": 0, "waiting": 1, "withdrawn": 2}
    found, place = [], 0
    for e, person, res, pay in sorted(rows, key=lambda r: (order[r[0].status], r[0].queue_no)):
        name, phone = contact(person, res)
        place += e.status == "waiting"
        kept = pay.amount_fen if pay is not None and e.refund_id is None else 0
        found.append(
            EnrolmentRow(
                e.id,
                name,
                phone,
                person is not None,
                e.status,
                e.queue_no,
                place if e.status == "waiting" else 0,
                kept,
                e.completed,
                bool(session.fee_fen) and e.status == "enrolled" and e.payment_id is None,
            )
        )
    return found
