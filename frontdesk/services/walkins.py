"""Walk-in services and their income entries: log, void by reversal, today's log, follow-ups."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import (
    Adjustment,
    Payment,
    Person,
    Service,
    WalkIn,
    WalkInAttendee,
)
from db.session import reading, writing
from frontdesk.domain import walkin_rules as rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.money import METHODS, check_cash_jiao
from frontdesk.domain.privacy import mask_name
from frontdesk.domain.session_rules import group_kind
from frontdesk.domain.text import clean_text
from frontdesk.errors import UserError
from frontdesk.services import ledger
from frontdesk.services.acting import Actor
from frontdesk.services.audit import detail_of, record_act
from frontdesk.services.auth import confirm_pin
from frontdesk.services.ledger import is_closed


@dataclass
class WalkInInput:
    """A walk-in as typed at the quick log or read from a paper-log row."""

    service_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    headcount: str | int = 1
    channel: str = "in_person"
    duration_min: str | int = ""
    outcome: str = ""
    referral: str = ""
    follow_up_on: date | str | None = None
    amount: str = ""  # yuan as typed
    method: str = ""
    notes: str = ""
    attendees: list[uuid.UUID] = field(default_factory=list)
    started_at: datetime | None = None  # paper entries carry their own time


@dataclass(frozen=True)
class Logged:
    walkin: WalkIn
    payment: Payment | None

    @property
    def booked_later(self) -> bool:
        """Taken after the walk-in's day was closed: its money is in a later, open day."""
        return self.payment is not None and self.payment.business_date > self.walkin.business_date


def log_walkin(
    engine: Engine, actor: Actor, raw: WalkInInput, now: datetime, ceiling_fen: int
) -> Logged:
    """Validate and save a walk-in and, for a paid service, its income entry: one commit."""
    with writing(engine) as s:
        return add_walkin(s, actor, raw, now, ceiling_fen)


def add_walkin(
    s: Session, actor: Actor, raw: WalkInInput, now: datetime, ceiling_fen: int
) -> Logged:
    """Add to the caller's transaction (the quick log shares it with the paper-log import)."""
    return store_walkin(s, prepare_walkin(s, actor, raw, now, ceiling_fen))


@dataclass(frozen=True)
class Prepared:
    """A checked walk-in with its attendees and income entry, not written yet."""

    walkin: WalkIn
    attendees: list[WalkInAttendee]
    payment: Payment | None


def store_walkin(s: Session, ready: Prepared) -> Logged:
    store_walkins(s, [ready])
    return Logged(ready.walkin, ready.payment)


def store_walkins(s: Session, prepared: list[Prepared]) -> None:
    """The walk-ins first, then what refers to them (their foreign keys are checked at once)."""
    s.add_all([p.walkin for p in prepared])
    s.flush()
    s.add_all([a for p in prepared for a in p.attendees])
    s.add_all([p.payment for p in prepared if p.payment is not None])
    s.flush()


def prepare_walkin(
    s: Session, actor: Actor, raw: WalkInInput, now: datetime, ceiling_fen: int
) -> Prepared:
    """Every check, by reads only: an import checks all its rows before it takes the lock."""
    started = raw.started_at or now
    day = business_date(started)
    service = _service(s, raw.service_id)
    errors: list[UserError] = []

    def check(fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except UserError as exc:
            errors.append(exc)
            return None

    if group_kind(service.code, service.line) is not None:  # attendance has one place
        errors.append(UserError("walkin.group_service", field="service"))
    headcount = check(rules.clean_headcount, raw.headcount)
    duration = check(rules.clean_duration, raw.duration_min)
    follow_up = check(rules.clean_follow_up, raw.follow_up_on, business_date(now))
    fen = check(rules.clean_amount, service.paid, raw.amount, ceiling_fen)
    method = check(rules.clean_paid_method, service.paid, raw.method)
    if fen is not None and method is not None:
        check(check_cash_jiao, fen, method)
    texts = {
        name: check(clean_text, getattr(raw, name), name, multiline=name == "notes")
        for name in ("outcome", "referral", "notes")
    }
    for name, limit in (("outcome", 200), ("referral", 120), ("notes", 500)):
        if len(texts[name] or "") > limit:
            errors.append(UserError("seeker.text_long", field=name, limit=limit))
    if raw.channel not in rules.CHANNELS:
        errors.append(UserError("walkin.channel", field="channel"))
    if follow_up is not None and raw.person_id is None:  # nobody to call back
        errors.append(UserError("walkin.follow_up_needs_person", field="follow_up"))
    if raw.person_id is not None and not _person_here(s, actor, raw.person_id):
        errors.append(UserError("seeker.not_found", field="visitor"))
    if headcount and len(raw.attendees) > headcount:
        errors.append(UserError("walkin.attendees", field="headcount"))
    # Closing the money never stops the desk: a visit after the close is logged on its day
    # (marked, outside the close-out's figures) and its money booked into the next open day.
    # Money for an earlier closed day is a late entry, an adjustment (closeout.add_adjustment).
    after_close = is_closed(s, actor.site_code, day)
    if after_close and service.paid and day < business_date(now):
        errors.append(UserError("walkin.day_closed", field="date", date=day.isoformat()))
    if errors:
        from frontdesk.domain.forms import FormErrors

        raise FormErrors(errors)
    walkin = WalkIn(
        site_code=actor.site_code,
        business_date=day,
        started_at=started,
        service_id=service.id,
        person_id=raw.person_id,
        headcount=headcount,
        staff_id=actor.staff_id,
        channel=raw.channel,
        duration_min=duration,
        outcome=texts["outcome"],
        referral=texts["referral"],
        follow_up_on=follow_up,
        notes=texts["notes"],
        after_close=after_close,
    )
    attendees = []
    for person_id in dict.fromkeys(raw.attendees):
        if not _person_here(s, actor, person_id):
            raise UserError("seeker.not_found", field="attendees")
        attendees.append(
            WalkInAttendee(site_code=actor.site_code, walkin_id=walkin.id, person_id=person_id)
        )
    income = None
    if service.paid:
        booked = ledger.booking_day(s, actor.site_code, day)
        income = ledger.income(actor, service, fen, method, booked, started, walkin_id=walkin.id)
    return Prepared(walkin, attendees, income)


def void_walkin(
    engine: Engine,
    actor: Actor,
    walkin_id: uuid.UUID,
    reason: str,
    now: datetime,
    manager_id: uuid.UUID | None = None,
    pin: str = "",
    via: str = "tui",
) -> Logged:
    """A reversal entry with a reason, never a delete; a paid entry needs a manager's PIN.
    The audit row says `via=cli` when a script, not the desk's screen, asked."""
    reason = reason.strip()
    if not reason:
        raise UserError("walkin.void_reason", field="reason")
    if len(reason) > 200:
        raise UserError("seeker.text_long", field="reason", limit=200)
    with reading(engine) as s:
        original, paid = _voidable(s, actor, walkin_id)
    if paid is not None:
        if manager_id is None:
            raise UserError("walkin.void_needs_manager", field="manager")
        confirm_pin(engine, manager_id, pin, now, action="void_pin", role="manager")
    with writing(engine) as s:
        original, paid = _voidable(s, actor, walkin_id)  # again, inside the write lock
        return _reverse(s, actor, original, paid, reason, now, manager_id, via)


def _voidable(s: Session, actor: Actor, walkin_id: uuid.UUID) -> tuple[WalkIn, Payment | None]:
    original = s.get(WalkIn, walkin_id)
    if original is None or original.site_code != actor.site_code:
        raise UserError("walkin.not_found")
    if original.reverses_id is not None:
        raise UserError("walkin.is_reversal")
    if s.exec(select(WalkIn.id).where(WalkIn.reverses_id == walkin_id)).first() is not None:
        raise UserError("walkin.already_voided")
    # An entry of an earlier closed day is voided today, its refund then booked as an
    # adjustment linked to that day (ledger.refund); after today's close the reversal is a
    # visit logged after the close and the refund goes into the next open day (_reverse).
    paid = s.exec(
        select(Payment).where(Payment.walkin_id == walkin_id, col(Payment.reverses_id).is_(None))
    ).first()
    return original, paid


def _reverse(
    s: Session,
    actor: Actor,
    original: WalkIn,
    paid: Payment | None,
    reason: str,
    now: datetime,
    manager_id: uuid.UUID | None,
    via: str = "tui",
) -> Logged:
    day = business_date(now)  # booked today, whatever day the original was on
    after_close = is_closed(s, actor.site_code, day)
    reversal = WalkIn(
        site_code=actor.site_code,
        business_date=day,
        started_at=now,
        service_id=original.service_id,
        person_id=original.person_id,
        headcount=original.headcount,
        staff_id=actor.staff_id,
        channel=original.channel,
        reverses_id=original.id,
        void_reason=reason,
        after_close=after_close,
    )
    s.add(reversal)
    s.flush()
    refund = None
    if paid is not None:
        booked = ledger.booking_day(s, actor.site_code, day)
        refund = ledger.refund(s, actor, paid, booked, now, reason, walkin_id=reversal.id)
    record_act(
        s,
        actor,
        "walkin_void",
        "walkins",
        original.id,
        now,
        detail_of(f"approved_by={manager_id}" if manager_id else "", via=via),
    )
    s.flush()
    return Logged(reversal, refund)


def mark_followed_up(engine: Engine, actor: Actor, walkin_id: uuid.UUID, now: datetime) -> None:
    """Record that the follow-up was done; allowed on a closed day's entry too, since it
    changes none of the day's figures (the closed-day trigger lets this column through)."""
    with writing(engine) as s:
        walkin = s.get(WalkIn, walkin_id)
        if walkin is None or walkin.site_code != actor.site_code:
            raise UserError("walkin.not_found")
        walkin.followed_up_at = now


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogLine:
    id: uuid.UUID  # the walk-in's; for a money-only line, its payment's
    started_at: datetime
    service_code: str
    service_zh: str
    service_en: str
    line: str
    visitor: str  # masked name, or "" for anonymous
    headcount: int
    amount_fen: int
    method: str
    reversal: bool
    voided: bool
    reason: str
    kind: str = "visit"  # visit, or money-only: adjustment, carried (after a close), other
    after_close: bool = False  # a visit logged after its day was closed
    booked_on: date | None = None  # its money is in this later day's figures, not this one's
    for_day: date | None = None  # adjustment: the closed day; carried: the day of the visit

    @property
    def is_visit(self) -> bool:
        return self.kind == "visit"


@dataclass(frozen=True)
class DayLog:
    """A day's entries and totals. Income is what is booked on the day, however it got there
    (its visits, an adjustment for a closed day, money taken after an earlier day's close, a
    gig order's fee), so the totals per line plus the adjustments equal those per method."""

    day: date
    lines: list[LogLine]
    by_line: dict[str, tuple[int, int, int]]  # line -> (visits, visitors, income fen)
    by_method: dict[str, int]  # method -> income fen
    income_fen: int
    adjustments_fen: int = 0  # booked on this day for closed days: their own line


def day_log(engine: Engine, site_code: str, day: date) -> DayLog:
    """Every entry of a business day, newest first, with running totals; voids net out."""
    with reading(engine) as s:
        rows = s.exec(
            select(WalkIn, Service, Person.name)
            .join(Service, col(Service.id) == WalkIn.service_id)
            .outerjoin(Person, col(Person.id) == WalkIn.person_id)
            .where(WalkIn.site_code == site_code, WalkIn.business_date == day)
            .order_by(col(WalkIn.started_at).desc(), col(WalkIn.id).desc())
        ).all()
        ids = [w.id for w, _, _ in rows]
        # The day's visits' money, whatever day it is booked in (after a close: the next).
        own = s.exec(select(Payment).where(col(Payment.walkin_id).in_(ids))).all()
        booked = s.exec(
            select(Payment, Service, col(WalkIn.business_date))
            .join(Service, col(Service.id) == Payment.service_id)
            .outerjoin(WalkIn, col(WalkIn.id) == Payment.walkin_id)
            .where(Payment.site_code == site_code, Payment.business_date == day)
        ).all()
        adjusted: dict[uuid.UUID, date] = dict(
            s.exec(
                select(col(Adjustment.payment_id), col(Adjustment.closed_date)).where(
                    Adjustment.site_code == site_code, Adjustment.booked_date == day
                )
            ).all()
        )
        # Voided entries of this day, whenever the reversal was booked.
        voided = set(s.exec(select(WalkIn.reverses_id).where(col(WalkIn.reverses_id).in_(ids))))
    paid_by_walkin = {p.walkin_id: p for p in own}
    lines = [
        _visit_line(w, svc, person, paid_by_walkin.get(w.id), voided) for w, svc, person in rows
    ]
    by_line: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for w, svc, _ in rows:
        sign = -1 if w.reverses_id else 1
        by_line[svc.line][0] += sign
        by_line[svc.line][1] += sign * w.headcount
    by_method = {m: 0 for m in METHODS}
    adjustments = 0
    for pay, svc, visit_day in booked:
        by_method[pay.method] += pay.amount_fen
        if pay.id in adjusted:
            adjustments += pay.amount_fen  # its own line, not a service line's
        else:
            by_line[svc.line][2] += pay.amount_fen
        if visit_day != day:  # no visit of this day shows it: a line of its own
            lines.append(_money_line(pay, svc, visit_day, adjusted.get(pay.id)))
    lines.sort(key=lambda x: (x.started_at, x.id), reverse=True)
    return DayLog(
        day,
        lines,
        {k: (n, people, fen) for k, (n, people, fen) in by_line.items()},
        by_method,
        sum(by_method.values()),
        adjustments,
    )


def _visit_line(
    w: WalkIn, svc: Service, person: str | None, pay: Payment | None, voided: set
) -> LogLine:
    later = pay.business_date if pay and pay.business_date != w.business_date else None
    return LogLine(
        w.id,
        w.started_at,
        svc.code,
        svc.name_zh,
        svc.name_en,
        svc.line,
        mask_name(person) if person else "",
        w.headcount,
        pay.amount_fen if pay else 0,
        pay.method if pay else "",
        w.reverses_id is not None,
        w.id in voided,
        w.void_reason,
        after_close=w.after_close,
        booked_on=later,
    )


def _money_line(pay: Payment, svc: Service, visit_day: date | None, closed: date | None) -> LogLine:
    """A payment booked on the day with no visit of the day to show it."""
    if closed is not None:
        kind, for_day = "adjustment", closed
    elif visit_day is not None:
        kind, for_day = "carried", visit_day  # taken after that day's close
    else:
        kind, for_day = "other", None  # a gig order's fee or its refund
    return LogLine(
        pay.id,
        pay.received_at,
        svc.code,
        svc.name_zh,
        svc.name_en,
        svc.line,
        "",
        0,
        pay.amount_fen,
        pay.method,
        pay.reverses_id is not None,
        False,
        pay.reason,
        kind=kind,
        for_day=for_day,
    )


@dataclass(frozen=True)
class FollowUp:
    walkin_id: uuid.UUID
    due: date
    service_zh: str
    service_en: str
    visitor: str
    outcome: str


def follow_ups_due(engine: Engine, site_code: str, day: date) -> list[FollowUp]:
    """Follow-ups due on or before `day`, not yet done, of entries that were not voided."""
    with reading(engine) as s:
        voided = select(col(WalkIn.reverses_id)).where(
            WalkIn.site_code == site_code, col(WalkIn.reverses_id).is_not(None)
        )
        rows = s.exec(
            select(WalkIn, Service, Person.name)
            .join(Service, col(Service.id) == WalkIn.service_id)
            .outerjoin(Person, col(Person.id) == WalkIn.person_id)
            .where(
                WalkIn.site_code == site_code,
                col(WalkIn.follow_up_on) <= day,
                col(WalkIn.followed_up_at).is_(None),
                col(WalkIn.id).not_in(voided),
            )
            .order_by(col(WalkIn.follow_up_on))
        ).all()
    found = []
    for w, svc, name in rows:
        assert w.follow_up_on is not None  # the query keeps only entries with a date due
        found.append(
            FollowUp(
                w.id,
                w.follow_up_on,
                svc.name_zh,
                svc.name_en,
                mask_name(name) if name else "",
                w.outcome,
            )
        )
    return found


def _service(s: Session, service_id: uuid.UUID | None) -> Service:
    service = s.get(Service, service_id) if service_id else None
    if service is None or not service.active or service.deleted_at is not None:
        raise UserError("walkin.unknown_service", field="service")
    return service


def _person_here(s: Session, actor: Actor, person_id: uuid.UUID) -> bool:
    person = s.get(Person, person_id)
    return person is not None and person.site_code == actor.site_code
