"""The daily close-out (日结): X report, close with counts, Z report, adjustments.

Money is integer fen. Shares and the rebate are computed exactly (in integers, as Decimal
would) and rounded once per line, half up, to the fen; the community's proceeds are what is
left of the income after the partners' shares, so the parts always add up to the whole.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Row, Table, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from db.models import (
    Adjustment,
    BusinessDay,
    Closeout,
    Outbox,
    Partner,
    PartnerAgreement,
    Payment,
    Site,
    WalkIn,
)
from db.session import reading, writing
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import Collector
from frontdesk.domain.money import MAX_PAY_FEN, METHODS, check_cash_jiao, fmt_fen, split
from frontdesk.domain.reconcile import BillRules
from frontdesk.errors import UserError
from frontdesk.services import ledger
from frontdesk.services.acting import Actor
from frontdesk.services.audit import detail_of, record_act
from frontdesk.services.auth import confirm_pin
from frontdesk.services.closeout_bills import (
    Reconciled,
    from_stored,
    reconcile_bills,
    reconciled_json,
    stored,
    summary,
)
from frontdesk.services.ledger import closeout_of

if TYPE_CHECKING:  # reading bills (zipfile, csv) waits until a bill is read
    from frontdesk.services.bills import Bill

DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10)  # 100 yuan ... 1 jiao
ROUNDING = "half_up_per_line"  # stated on every report
REASON_MAX = 200  # the width of payments.reason and adjustments.reason


@dataclass(frozen=True)
class PartnerLine:
    partner: str
    income_fen: int
    share_fen: int


@dataclass(frozen=True)
class AdjustmentLine:
    closed_date: date
    booked_date: date
    amount_fen: int
    method: str
    reason: str


@dataclass(frozen=True)
class AfterCloseLine:
    visit_day: date  # the closed day the visit was on
    amount_fen: int
    entries: int


@dataclass
class DayReport:
    """The X report of an open day or the Z report of a closed one."""

    site: str
    day: date
    closed: bool
    opening_float_fen: int
    entries: int
    walkins: int
    income_by_method: dict[str, int]
    expected_fen: dict[str, int]  # cash includes the opening float
    income_fen: int
    partners: list[PartnerLine]
    partner_share_fen: int
    community_proceeds_fen: int
    rebate_rate_bp: int
    rebate_base: str
    rebate_fen: int
    adjustments_fen: int  # booked on this day for earlier closed days
    adjustments_booked: list[AdjustmentLine] = field(default_factory=list)
    adjustments_later: list[AdjustmentLine] = field(default_factory=list)  # for this day
    walkins_after_close: int = 0  # visits logged after the close: not in `walkins`
    # In `income_fen`: money booked here for visits of an earlier day, taken after its close.
    after_close: list[AfterCloseLine] = field(default_factory=list)
    counted_fen: dict[str, int] | None = None
    over_short_fen: dict[str, int] | None = None
    cash_count: dict[str, int] = field(default_factory=dict)
    note: str = ""
    closed_at: datetime | None = None
    hash: str = ""
    prev_hash: str = ""
    outbox_seq: int = 0
    rounding: str = ROUNDING
    # Mobile method -> its bill's reconciliation at the close; absent: not reconciled.
    reconciled: dict[str, Reconciled] = field(default_factory=dict)

    @property
    def over_fen(self) -> int:
        """长款: the sum of the methods that were over (never netted against shorts)."""
        return sum(v for v in (self.over_short_fen or {}).values() if v > 0)

    @property
    def short_fen(self) -> int:
        """短款: the sum of the methods that were short, as a negative number."""
        return sum(v for v in (self.over_short_fen or {}).values() if v < 0)


# --- the business day ----------------------------------------------------------------------


def open_day(engine: Engine, actor: Actor, day: date, float_fen: int, now: datetime) -> None:
    """Record (or correct, while the day is open) the opening cash float."""
    if float_fen < 0:
        raise UserError("money.negative", field="float")
    with writing(engine) as s:
        _refuse_closed(s, actor.site_code, day)
        row = _business_day(s, actor.site_code, day)
        if row is None:
            row = BusinessDay(
                site_code=actor.site_code,
                business_date=day,
                opening_float_fen=float_fen,
                opened_at=now,
                opened_by=actor.staff_id,
            )
        row.opening_float_fen = float_fen
        s.add(row)


def unclosed_days(engine: Engine, site_code: str, today: date) -> list[date]:
    """Past days with activity (or an opened float) and no close-out: flagged at sign-in."""
    with reading(engine) as s:
        closed = select(col(Closeout.business_date)).where(Closeout.site_code == site_code)
        found: set[date] = set()
        for model in (Payment, WalkIn, BusinessDay):
            found.update(
                s.exec(
                    select(col(model.business_date))
                    .distinct()
                    .where(
                        model.site_code == site_code,
                        col(model.business_date) < today,
                        col(model.business_date).not_in(closed),
                    )
                )
            )
    return sorted(found)


@dataclass(frozen=True)
class DayClosed:
    """A closed business day, as home shows it: when, and where money goes meanwhile."""

    day: date
    closed_at: datetime
    books_into: date  # the next open day, where money taken now is booked


def day_closed(engine: Engine, site_code: str, day: date) -> DayClosed | None:
    """None while `day` is open."""
    with reading(engine) as s:
        closeout = closeout_of(s, site_code, day)
        if closeout is None:
            return None
        return DayClosed(day, closeout.closed_at, ledger.booking_day(s, site_code, day))


def last_closed_day(engine: Engine, site_code: str) -> date | None:
    """The latest closed business day: where a late or corrected entry usually belongs."""
    with reading(engine) as s:
        return s.exec(
            select(func.max(Closeout.business_date)).where(Closeout.site_code == site_code)
        ).one()


# --- computing ------------------------------------------------------------------------------


def x_report(engine: Engine, site_code: str, day: date) -> DayReport:
    with reading(engine) as s:
        report = _compute(s, site_code, day)
        report.after_close = _after_close(s, site_code, day)
        return report


def day_report(engine: Engine, site_code: str, day: date) -> DayReport:
    """Z report from the stored close-out when the day is closed, else the X report."""
    with reading(engine) as s:
        closeout = closeout_of(s, site_code, day)
        report = _compute(s, site_code, day)
        if closeout is not None:
            _apply_close(report, closeout)
        report.adjustments_later = _adjustments(s, site_code, closed_date=day)
        report.after_close = _after_close(s, site_code, day)
        return report


def _after_close(s: Session, site_code: str, day: date) -> list[AfterCloseLine]:
    """Money booked on `day` for visits of earlier days: taken after those days' close."""
    query = (
        sa_select(col(WalkIn.business_date), func.sum(Payment.amount_fen), func.count())
        .join(WalkIn, col(WalkIn.id) == Payment.walkin_id)
        .where(
            col(Payment.site_code) == site_code,
            col(Payment.business_date) == day,
            col(WalkIn.business_date) < day,
            col(Payment.deleted_at).is_(None),
        )
        .group_by(col(WalkIn.business_date))
        .order_by(col(WalkIn.business_date))
    )
    rows = s.connection().execute(query).all()
    return [AfterCloseLine(when, int(fen), n) for when, fen, n in rows]


def _compute(s: Session, site_code: str, day: date) -> DayReport:
    site = s.exec(select(Site).where(Site.code == site_code)).first()
    entries = _gather(s, site_code, day).get((site_code, day), DayEntries())
    rate = site.rebate_rate_bp if site else 2000
    base = site.rebate_base if site else "community_share"
    return _figures(site_code, day, entries, _agreements(s), _partner_names(s), rate, base)


@dataclass
class DayEntries:
    """What a day's figures are made of, as the entries, walk-ins, float and adjustments have it.

    Entries come grouped by what decides their share: 5,000 entries become a few dozen rows,
    and since shares round per entry, equal amounts have equal shares (times the count).
    """

    # (method, partner, service, amount, the day whose share applies, how many)
    groups: list[tuple[str, uuid.UUID | None, uuid.UUID, int, date, int]] = field(
        default_factory=list
    )
    float_fen: int = 0
    walkins: int = 0  # as of the close, on a closed day
    walkins_after_close: int = 0  # logged after the day closed (never in its close-out)
    booked: list[AdjustmentLine] = field(default_factory=list)  # on this day, for earlier ones


def _gather(s: Session, site_code: str | None, day: date | None) -> dict[tuple, DayEntries]:
    """DayEntries by (site, day): of one day (an X report, a close), or, with `day` None, of
    every closed day (of one site, or of all): the same grouped queries either way."""

    def scoped(stmt, model, column):
        if day is not None:
            return stmt.where(model.site_code == site_code, column == day)
        stmt = stmt.join(
            Closeout,
            (col(Closeout.site_code) == model.site_code) & (col(Closeout.business_date) == column),
        )
        return stmt if site_code is None else stmt.where(Closeout.site_code == site_code)

    conn = s.connection()  # plain rows: a year of days is thousands of them
    found: dict[tuple, DayEntries] = defaultdict(DayEntries)
    # A refund's or a late entry's share is the one in force when the money was taken: the
    # refunded payment's day, or the closed day an adjustment belongs to.
    taken = aliased(Payment)
    share_day = func.coalesce(
        taken.business_date, Adjustment.closed_date, col(Payment.business_date)
    )
    keys = (
        col(Payment.method),
        col(Payment.partner_id),
        col(Payment.service_id),
        col(Payment.amount_fen),
        share_day,
    )
    groups = (
        scoped(  # more columns than sqlmodel's select is typed for
            sa_select(col(Payment.site_code), col(Payment.business_date), *keys, func.count()),
            Payment,
            Payment.business_date,
        )
        .outerjoin(taken, taken.id == Payment.reverses_id)
        .outerjoin(Adjustment, col(Adjustment.payment_id) == Payment.id)
        .where(col(Payment.deleted_at).is_(None))
    )
    for site, when, *group in conn.execute(
        groups.group_by(Payment.site_code, Payment.business_date, *keys)
    ):
        found[(site, when)].groups.append(tuple(group))
    original = col(WalkIn.reverses_id).is_(None)
    late = col(WalkIn.after_close)
    walkins = scoped(
        sa_select(col(WalkIn.site_code), col(WalkIn.business_date), original, late, func.count()),
        WalkIn,
        WalkIn.business_date,
    ).group_by(WalkIn.site_code, WalkIn.business_date, original, late)
    for site, when, is_original, after_close, n in conn.execute(walkins):
        # Visits logged after the close were never in its figures: counted apart.
        entries = found[(site, when)]
        if after_close:
            entries.walkins_after_close += n if is_original else -n
        else:
            entries.walkins += n if is_original else -n
    floats = scoped(
        select(BusinessDay.site_code, BusinessDay.business_date, BusinessDay.opening_float_fen),
        BusinessDay,
        BusinessDay.business_date,
    )
    for site, when, float_fen in conn.execute(floats):
        found[(site, when)].float_fen = float_fen
    booked = scoped(
        select(Adjustment, Payment.method).join(Payment, col(Payment.id) == Adjustment.payment_id),
        Adjustment,
        Adjustment.booked_date,
    ).order_by(Adjustment.created_at)
    for a, method in s.exec(booked):
        line = AdjustmentLine(a.closed_date, a.booked_date, a.amount_fen, method, a.reason)
        found[(a.site_code, a.booked_date)].booked.append(line)
    return found


class Agreements:
    """The partner agreements on file and the share rates in force on a day (worked out once
    per day: a year of close-outs of 26 sites asks for each day 26 times)."""

    def __init__(self, rows: list[PartnerAgreement]) -> None:
        self.rows = rows  # oldest start first: a later one takes over
        self._rates: dict[date, dict[tuple, int]] = {}

    def rates_on(self, day: date) -> dict[tuple, int]:
        """Share in basis points by (partner, service); service None: the general one."""
        found = self._rates.get(day)
        if found is None:
            found = self._rates[day] = {
                (a.partner_id, a.service_id): a.share_bp
                for a in self.rows
                if a.valid_from <= day and (a.valid_to is None or a.valid_to >= day)
            }
        return found


def _agreements(s: Session) -> Agreements:
    return Agreements(
        list(
            s.exec(
                select(PartnerAgreement)
                .where(col(PartnerAgreement.deleted_at).is_(None))
                .order_by(col(PartnerAgreement.valid_from), col(PartnerAgreement.created_at))
            )
        )
    )


def _partner_names(s: Session) -> dict[uuid.UUID, str]:
    return {p.id: p.name for p in s.exec(select(Partner))}


def _figures(
    site_code: str,
    day: date,
    e: DayEntries,
    agreements: Agreements,
    names: dict[uuid.UUID, str],
    rate: int,
    base: str,
    kept_shares: dict[uuid.UUID, int] | None = None,
) -> DayReport:
    """The day's figures from its entries: the one place the close-out's arithmetic lives.

    `kept_shares` (checking a closed day only) are partners' shares taken as the close-out
    stored them, where the agreements on file may no longer be the ones it applied.
    """
    by_method = {m: 0 for m in METHODS}
    for method, _, _, amount, _, n in e.groups:
        by_method[method] += amount * n
    income = sum(by_method.values())
    partners = _partner_lines(day, e.groups, agreements, names, kept_shares or {})
    partner_share = sum(line.share_fen for line in partners)
    proceeds = income - partner_share
    rebate = split(proceeds if base == "community_share" else income, rate)
    expected = expected_of(by_method, e.float_fen)
    return DayReport(
        site=site_code,
        day=day,
        closed=False,
        opening_float_fen=e.float_fen,
        entries=sum(n for *_, n in e.groups),
        walkins=e.walkins,
        income_by_method=by_method,
        expected_fen=expected,
        income_fen=income,
        partners=partners,
        partner_share_fen=partner_share,
        community_proceeds_fen=proceeds,
        rebate_rate_bp=rate,
        rebate_base=base,
        rebate_fen=rebate,
        adjustments_fen=sum(a.amount_fen for a in e.booked),
        adjustments_booked=list(e.booked),
        walkins_after_close=e.walkins_after_close,
    )


def _partner_lines(
    day: date,
    groups: list,
    agreements: Agreements,
    names: dict[uuid.UUID, str],
    kept: dict[uuid.UUID, int],
) -> list[PartnerLine]:
    """Each entry's share by its partner's agreement on the day its money was taken (a
    refund gives back at the share it was taken at), rounded per entry."""
    income: dict[uuid.UUID, int] = defaultdict(int)
    share: dict[uuid.UUID, int] = defaultdict(int)
    for _, partner_id, service_id, amount, taken_on, n in groups:
        if partner_id is None:
            continue
        rates = agreements.rates_on(taken_on or day)  # a service's own agreement wins
        bp = rates.get((partner_id, service_id), rates.get((partner_id, None), 0))
        income[partner_id] += amount * n
        share[partner_id] += split(amount, bp) * n
    share.update((pid, fen) for pid, fen in kept.items() if pid in income)
    return sorted(
        (PartnerLine(names.get(pid, "?"), income[pid], share[pid]) for pid in income),
        key=lambda line: line.partner,
    )


def _adjustments(s: Session, site_code: str, **where: date) -> list[AdjustmentLine]:
    stmt = select(Adjustment, Payment).join(Payment, col(Payment.id) == Adjustment.payment_id)
    stmt = stmt.where(Adjustment.site_code == site_code)
    for column, value in where.items():
        stmt = stmt.where(getattr(Adjustment, column) == value)
    return [
        AdjustmentLine(a.closed_date, a.booked_date, a.amount_fen, p.method, a.reason)
        for a, p in s.exec(stmt.order_by(col(Adjustment.created_at)))
    ]


# --- closing --------------------------------------------------------------------------------


@dataclass
class CloseInput:
    day: date
    # Per method; a method left out was left blank, which is never taken as zero: every
    # method with money expected needs its count (an explicit 0 is a count). Cash may come
    # from `cash_count`.
    counted_fen: dict[str, int]
    cash_count: dict[int, int] | None = None  # denomination in fen -> pieces
    note: str = ""
    manager_id: uuid.UUID | None = None  # needed when a difference exceeds the tolerance
    pin: str = ""
    bills: tuple[Bill, ...] = ()  # read beforehand (services/bills.py), one per method at most


def expected_of(income_by_method: Mapping[str, int], float_fen: int) -> dict[str, int]:
    """What should be there per method: the day's takings, and the float in the cash."""
    expected = {m: income_by_method.get(m, 0) for m in METHODS}
    expected["cash"] += float_fen
    return expected


def over_short(expected: Mapping[str, int], counted: Mapping[str, int]) -> dict[str, int]:
    """Per method: counted minus expected (positive = 长款 over, negative = 短款 short)."""
    return {m: counted.get(m, 0) - expected.get(m, 0) for m in METHODS}


def live_count(
    report: DayReport, float_fen: int, counted: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """For the screen while counting: expected per method with the float as typed, and the
    difference of each method counted so far (the close works them out again)."""
    expected = expected_of(report.income_by_method, float_fen)
    differences = over_short(expected, counted)
    return expected, {m: differences[m] for m in METHODS if m in counted}


def needs_approval(engine: Engine, site_code: str, differences: dict[str, int]) -> bool:
    """Whether these differences need a manager (for the screen, before closing)."""
    with reading(engine) as s:
        return _beyond_tolerance(s, site_code, differences)


def _beyond_tolerance(s: Session, site_code: str, differences: dict[str, int]) -> bool:
    site = s.exec(select(Site).where(Site.code == site_code)).first()
    tolerance = site.closeout_tolerance_fen if site else 0
    return any(abs(v) > tolerance for v in differences.values())


DEFAULT_RULES = BillRules()  # a ten-minute window, accounts learnt from earlier bills


def close_day(
    engine: Engine,
    actor: Actor,
    raw: CloseInput,
    now: datetime,
    ceiling_fen: int = MAX_PAY_FEN,
    rules: BillRules = DEFAULT_RULES,
    via: str = "tui",
) -> DayReport:
    """One transaction: figures, counts, over/short, shares, the bills' reconciliation (by
    the desk's `rules`: window and accounts), chained hash; then locked.

    The figures are computed once, under the write lock, so nothing logged meanwhile can
    slip past the tolerance check or the missing counts. A count above `ceiling_fen` (the
    configured amount ceiling, see `count_ceiling`) is a typing slip. A manager's PIN is
    checked before the lock (the check keeps its own count and audit row); an approval always
    carries a note.
    """
    given = _counted(raw)
    if raw.day > business_date(now):
        raise UserError("closeout.future", field="day")
    approver = None
    if raw.manager_id is not None:
        if not raw.note.strip():
            raise UserError("closeout.needs_note", field="note")
        confirm_pin(engine, raw.manager_id, raw.pin, now, action="closeout_pin", role="manager")
        approver = raw.manager_id
    with writing(engine) as s:
        if closeout_of(s, actor.site_code, raw.day) is not None:
            raise UserError("closeout.already", field="day", date=raw.day.isoformat())
        report = _compute(s, actor.site_code, raw.day)
        counted = complete_counts(report.expected_fen, given, ceiling_fen)
        differences = over_short(report.expected_fen, counted)
        if _beyond_tolerance(s, actor.site_code, differences):
            if approver is None:
                raise UserError("closeout.needs_manager", field="manager")
        else:
            approver = None  # nothing to approve
        found = reconcile_bills(s, actor.site_code, raw.day, raw.bills, rules)
        report.reconciled = {b.method: summary(b, found[b.method]) for b in raw.bills}
        closeout = _closeout_row(s, actor, raw, report, counted, approver, now)
        s.add(closeout)
        record_act(
            s,
            actor,
            "closeout",
            "closeouts",
            closeout.id,
            now,
            detail_of(raw.day.isoformat(), via=via),
        )
    _apply_close(report, closeout)
    return report


def count_ceiling(expected_fen: int, ceiling_fen: int) -> int:
    """The largest count taken for a method: the configured amount ceiling, or on a day whose
    expected amount is itself beyond it, that amount plus the ceiling (money that is there can
    always be counted; an extra digit typed by mistake still cannot)."""
    return ceiling_fen if expected_fen <= ceiling_fen else expected_fen + ceiling_fen


def complete_counts(
    expected: Mapping[str, int], given: Mapping[str, int], ceiling_fen: int = MAX_PAY_FEN
) -> dict[str, int]:
    """Every method's count: a blank one is zero only where nothing was expected.

    A method with money expected and no count refuses the close at that method's field, and
    so does a count beyond `count_ceiling` (all of them at once), so a box skipped or an
    amount mistyped never becomes a 短款 or a 长款.
    """
    found = Collector()
    for m in METHODS:
        limit = count_ceiling(expected.get(m, 0), ceiling_fen)
        if m not in given and expected.get(m, 0):
            found.add("closeout.count_missing", m, amount=fmt_fen(expected[m]))
        elif given.get(m, 0) > limit:
            found.add("closeout.count_too_large", m, ceiling=fmt_fen(limit))
    found.raise_any()
    return {m: given.get(m, 0) for m in METHODS}


def _counted(raw: CloseInput) -> dict[str, int]:
    """The counts given, checked; a method left out stays out (see `complete_counts`)."""
    counted: dict[str, int] = {}
    found = Collector()
    for method, fen in raw.counted_fen.items():
        if method not in METHODS:
            raise UserError("walkin.unknown_method", field=method)
        if fen < 0:
            found.add("money.negative", method)
        counted[method] = fen
    if raw.cash_count:
        for denomination, pieces in raw.cash_count.items():
            if denomination not in DENOMINATIONS_FEN or pieces < 0:
                raise UserError("closeout.bad_count", field="cash")
        counted["cash"] = sum(d * n for d, n in raw.cash_count.items())
    if len(raw.note) > 500:
        found.add("seeker.text_long", "note", limit=500)
    found.raise_any()
    return counted


def _closeout_row(
    s: Session,
    actor: Actor,
    raw: CloseInput,
    r: DayReport,
    counted: dict[str, int],
    approver: uuid.UUID | None,
    now: datetime,
) -> Closeout:
    # Chained in the order days were closed, so closing a forgotten earlier day later
    # extends the chain instead of breaking it.
    last = s.exec(
        select(Closeout)
        .where(Closeout.site_code == actor.site_code)
        .order_by(col(Closeout.closed_at).desc(), col(Closeout.id).desc())
    ).first()
    row = Closeout(
        site_code=actor.site_code,
        business_date=raw.day,
        opening_float_fen=r.opening_float_fen,
        entries=r.entries,
        walkins=r.walkins,
        expected_fen=r.expected_fen,
        counted_fen=counted,
        cash_count={str(d): n for d, n in (raw.cash_count or {}).items()},
        over_short_fen=over_short(r.expected_fen, counted),
        income_fen=r.income_fen,
        partner_lines=[[p.partner, p.income_fen, p.share_fen] for p in r.partners],
        partner_share_fen=r.partner_share_fen,
        community_proceeds_fen=r.community_proceeds_fen,
        rebate_fen=r.rebate_fen,
        rebate_rate_bp=r.rebate_rate_bp,
        rebate_base=r.rebate_base,
        adjustments_fen=r.adjustments_fen,
        outbox_seq=s.exec(select(func.max(Outbox.seq))).one() or 0,
        prev_hash=last.hash if last else "",
        hash="",
        closed_at=now,
        closed_by=actor.staff_id,
        approved_by=approver,
        note=raw.note.strip(),
        reconciled=stored(r.reconciled),
    )
    row.hash = closeout_hash(row)
    return row


HASHED = (
    "site_code",
    "business_date",
    "opening_float_fen",
    "entries",
    "walkins",
    "expected_fen",
    "counted_fen",
    "cash_count",
    "over_short_fen",
    "income_fen",
    "partner_lines",
    "partner_share_fen",
    "community_proceeds_fen",
    "rebate_fen",
    "rebate_rate_bp",
    "rebate_base",
    "adjustments_fen",
    "outbox_seq",
    "closed_at",
    "closed_by",
    "approved_by",
    "note",
)


def closeout_hash(c: Closeout | Row) -> str:
    """SHA-256 over the previous hash and every locked figure (tamper evidence)."""
    fields = {name: getattr(c, name) for name in HASHED}
    fields["closed_at"] = c.closed_at.astimezone(UTC).isoformat()
    if c.reconciled:  # covered when there is one, so close-outs made before it keep theirs
        fields["reconciled"] = c.reconciled
    body = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256((c.prev_hash + body).encode()).hexdigest()


def _apply_close(report: DayReport, c: Closeout) -> None:
    """A closed day reports what was locked, never a recomputation."""
    report.closed = True
    report.counted_fen, report.over_short_fen = dict(c.counted_fen), dict(c.over_short_fen)
    report.expected_fen, report.cash_count = dict(c.expected_fen), dict(c.cash_count)
    report.income_fen, report.entries = c.income_fen, c.entries
    report.partner_share_fen = c.partner_share_fen
    report.community_proceeds_fen, report.rebate_fen = c.community_proceeds_fen, c.rebate_fen
    report.rebate_rate_bp, report.rebate_base = c.rebate_rate_bp, c.rebate_base
    report.opening_float_fen, report.note = c.opening_float_fen, c.note
    report.closed_at, report.hash, report.prev_hash = c.closed_at, c.hash, c.prev_hash
    report.outbox_seq = c.outbox_seq
    report.walkins = c.walkins
    report.reconciled = from_stored(c.reconciled)
    report.partners = [PartnerLine(name, income, share) for name, income, share in c.partner_lines]
    report.income_by_method = dict(c.expected_fen)
    report.income_by_method["cash"] -= c.opening_float_fen


def verify_chain(engine: Engine, site_code: str) -> list[date]:
    """Days whose figures or link no longer match their hash (tamper evidence)."""
    with reading(engine) as s:
        return [c.day for c in check_closed_days(s, site_code) if not c.hash_ok or not c.link_ok]


@dataclass(frozen=True)
class Difference:
    """One figure of a close-out that its day's entries no longer give."""

    figure: str  # opening_float, entries, walkins, expected, over_short, counted, income,
    # partner_lines, partner_share, proceeds, rebate, adjustments
    method: str  # for the per-method figures, else ""
    stored: int | str
    found: int | str


@dataclass(frozen=True)
class ClosedDayCheck:
    """A close-out held against its hash, the close-out before it and the day's entries."""

    site: str
    day: date
    hash_ok: bool  # its hash is that of its figures (nothing changed since closing)
    link_ok: bool  # it names the hash of the close-out closed before it
    differences: tuple[Difference, ...]  # figures its entries no longer give
    entries_found: int
    income_found_fen: int

    @property
    def sound(self) -> bool:
        return self.hash_ok and self.link_ok and not self.differences


def check_closed_days(s: Session, site_code: str | None = None) -> list[ClosedDayCheck]:
    """Every close-out (of one site, or all), chain and figures, in the order closed.

    The figures are worked out again from the day's entries, walk-ins, float and adjustments
    by `_figures`, the very arithmetic of the close, with the rebate rate and base the
    close-out applied (a site's rate may change later). A partner's share is worked out again
    from the agreements on file unless one of that partner's agreements changed on or after
    the day: head office may set a share from an earlier date, and a closed day keeps the
    share it was closed with (`hq.reference.set_share`); then the stored share stands, and
    the partner's income, the proceeds and the rebate are still checked. A few set-based
    queries serve every day, so a year of close-outs costs what one does.
    """
    # Plain rows, read by attribute like the model (closeout_hash).
    table: Table = Closeout.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass
    query = sa_select(table).order_by(table.c.site_code, table.c.closed_at, table.c.id)
    if site_code is not None:
        query = query.where(table.c.site_code == site_code)
    closeouts = s.connection().execute(query).all()
    if not closeouts:
        return []
    entries = _gather(s, site_code, None)
    agreements, names = _agreements(s), _partner_names(s)
    ids = {name: pid for pid, name in names.items()}
    # partner -> latest business date of a change
    changed: dict[uuid.UUID, date] = defaultdict(lambda: date.min)
    for a in s.exec(select(PartnerAgreement)):  # deleted ones too: a deletion is a change
        changed[a.partner_id] = max(changed[a.partner_id], business_date(a.updated_at))
    found: list[ClosedDayCheck] = []
    prev: dict[str, str] = {}
    for c in closeouts:
        e = entries.get((c.site_code, c.business_date), DayEntries())
        kept = {
            ids[name]: share
            for name, _, share in c.partner_lines
            if name in ids and changed[ids[name]] >= c.business_date
        }
        report = _figures(
            c.site_code,
            c.business_date,
            e,
            agreements,
            names,
            c.rebate_rate_bp,
            c.rebate_base,
            kept,
        )
        found.append(
            ClosedDayCheck(
                site=c.site_code,
                day=c.business_date,
                hash_ok=closeout_hash(c) == c.hash,
                link_ok=c.prev_hash == prev.get(c.site_code, ""),
                differences=tuple(_differences(c, report)),
                entries_found=report.entries,
                income_found_fen=report.income_fen,
            )
        )
        prev[c.site_code] = c.hash
    return found


def _differences(c: Closeout | Row, r: DayReport) -> list[Difference]:
    out: list[Difference] = []

    def differ(figure: str, stored, found, method: str = "") -> None:
        if stored != found:
            out.append(Difference(figure, method, stored, found))

    differ("opening_float", c.opening_float_fen, r.opening_float_fen)
    differ("entries", c.entries, r.entries)
    differ("walkins", c.walkins, r.walkins)
    for m in METHODS:
        differ("expected", c.expected_fen.get(m, 0), r.expected_fen.get(m, 0), m)
    if c.cash_count:  # counted cash is what the denominations add up to
        raw = CloseInput(c.business_date, {}, {int(d): n for d, n in c.cash_count.items()})
        differ("counted", c.counted_fen.get("cash", 0), _counted(raw).get("cash", 0), "cash")
    found = over_short(r.expected_fen, c.counted_fen)
    for m in METHODS:
        differ("over_short", c.over_short_fen.get(m, 0), found[m], m)
    differ("income", c.income_fen, r.income_fen)
    stored_lines = [list(line) for line in c.partner_lines]
    found_lines = [[p.partner, p.income_fen, p.share_fen] for p in r.partners]
    if stored_lines != found_lines:
        differ("partner_lines", _lines_text(stored_lines), _lines_text(found_lines))
    differ("partner_share", c.partner_share_fen, r.partner_share_fen)
    differ("proceeds", c.community_proceeds_fen, r.community_proceeds_fen)
    differ("rebate", c.rebate_fen, r.rebate_fen)
    differ("adjustments", c.adjustments_fen, r.adjustments_fen)
    return out


def _lines_text(lines: list[list]) -> str:
    return "; ".join(f"{name} {income}/{share}" for name, income, share in lines) or "-"


# --- adjustments ----------------------------------------------------------------------------


@dataclass
class AdjustmentInput:
    closed_date: date
    service_id: uuid.UUID
    amount_fen: int  # negative corrects an over-recorded entry
    method: str
    reason: str


def add_adjustment(
    engine: Engine, actor: Actor, raw: AdjustmentInput, now: datetime, via: str = "tui"
) -> Payment:
    """A late or corrected entry for a closed day, booked today (after today's close, in the
    next open day: `ledger.booking_day`) and linked to that day."""
    from db.models import Service

    today = business_date(now)
    reason = raw.reason.strip()
    if not reason:
        raise UserError("closeout.adjust_reason", field="reason")
    if len(reason) > REASON_MAX:
        raise UserError("seeker.text_long", field="reason", limit=REASON_MAX)
    if raw.method not in METHODS:
        raise UserError("walkin.unknown_method", field="method")
    if raw.amount_fen == 0:
        raise UserError("closeout.adjust_zero", field="amount")
    check_cash_jiao(raw.amount_fen, raw.method)
    with writing(engine) as s:
        if closeout_of(s, actor.site_code, raw.closed_date) is None:
            raise UserError(
                "closeout.not_closed", field="closed_date", date=raw.closed_date.isoformat()
            )
        booked = ledger.booking_day(s, actor.site_code, today)
        service = s.get(Service, raw.service_id)
        if service is None:
            raise UserError("walkin.unknown_service", field="service")
        payment = ledger.income(
            actor, service, raw.amount_fen, raw.method, booked, now, reason=reason
        )
        s.add(payment)
        ledger.link_adjustment(s, actor, raw.closed_date, payment)
        record_act(
            s,
            actor,
            "adjustment",
            "payments",
            payment.id,
            now,
            detail_of(raw.closed_date.isoformat(), via=via),
        )
    return payment


# --- helpers --------------------------------------------------------------------------------


def _business_day(s: Session, site_code: str, day: date) -> BusinessDay | None:
    return s.exec(
        select(BusinessDay).where(
            BusinessDay.site_code == site_code, BusinessDay.business_date == day
        )
    ).first()


def _refuse_closed(s: Session, site_code: str, day: date) -> None:
    if closeout_of(s, site_code, day) is not None:
        raise UserError("closeout.day_closed", field="day", date=day.isoformat())


def report_json(r: DayReport) -> dict:
    """The `report day --format json` object of CLI.md."""
    return {
        "site": r.site,
        "date": r.day.isoformat(),
        "closed": r.closed,
        "entries": r.entries,
        "expected_fen": dict(r.expected_fen),
        "counted_fen": r.counted_fen,
        "over_short_fen": r.over_short_fen,
        "income_fen": r.income_fen,
        "partner_share_fen": r.partner_share_fen,
        "community_proceeds_fen": r.community_proceeds_fen,
        "rebate_fen": r.rebate_fen,
        "walkins": r.walkins,
        "adjustments_fen": r.adjustments_fen,
        "reconciled": reconciled_json(r.reconciled),
    }
