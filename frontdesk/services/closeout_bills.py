"""The day's entries against the payment platforms' bills, as the close-out keeps them.

`frontdesk/domain/reconcile.py` does the matching; here the day's payments become its
entries (in Beijing time, as the bills print theirs), bills are checked against the day
and the close-outs before (a bill of another day or another merchant, two bills of one
method, a bill already used by an earlier close are refused), and each method's result is
summed into what the close-out stores and its hash covers: the bill file's digest, the
account it names and the matched and unmatched counts and amounts. A mobile method with
no bill is not reconciled: it has no entry in the summary, and nothing reads its absence
as balanced.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Closeout, Payment
from db.session import reading, writing
from frontdesk.domain.clock import local_time
from frontdesk.domain.money import METHODS, check_cash_jiao
from frontdesk.domain.reconcile import BillRules, Entry, Reconciliation, reconcile
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act
from frontdesk.services.ledger import closeout_of

if TYPE_CHECKING:  # reading bills (zipfile, csv) waits until a bill is read
    from frontdesk.services.bills import Bill

MOBILE = ("wechat", "alipay", "unionpay", "ecny")  # what a platform's bill can vouch for


@dataclass(frozen=True)
class Reconciled:
    """One method's reconciliation as the close-out stores it (counts and fen)."""

    layout: str
    digest: str  # SHA-256 of the bill file
    bill_fen: int  # the bill's lines of the day, refunds negative
    matched: int
    matched_fen: int
    unmatched_entries: int  # desk entries with no bill line
    unmatched_entries_fen: int
    unmatched_bill_lines: int  # bill lines with no desk entry
    unmatched_bill_lines_fen: int
    keyed_as_cash: int  # likely mobile payments keyed as cash
    account: str = ""  # the merchant numbers / account names the bill named, comma separated

    @property
    def balanced(self) -> bool:
        return not self.unmatched_entries and not self.unmatched_bill_lines

    def stored(self) -> dict[str, int | str]:
        return asdict(self)

    @classmethod
    def from_stored(cls, data: dict) -> Reconciled:
        # Close-outs made before a field existed keep their stored JSON: the field's default.
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def summary(bill: Bill, found: Reconciliation) -> Reconciled:
    return Reconciled(
        layout=bill.layout,
        digest=bill.digest,
        bill_fen=found.bill_fen,
        matched=len(found.matched),
        matched_fen=sum(entry.amount_fen for entry, _ in found.matched),
        unmatched_entries=len(found.unmatched_entries),
        unmatched_entries_fen=sum(e.amount_fen for e in found.unmatched_entries),
        unmatched_bill_lines=len(found.unmatched_lines),
        unmatched_bill_lines_fen=sum(line.amount_fen for line in found.unmatched_lines),
        keyed_as_cash=len(found.keyed_as_cash),
        account=",".join(sorted(bill.accounts)),
    )


def day_entries(s: Session, site_code: str, day: date) -> list[Entry]:
    """The day's payments (refunds negative), timed in Beijing time like the bills."""
    rows = s.exec(
        select(Payment.id, Payment.received_at, Payment.amount_fen, Payment.method).where(
            Payment.site_code == site_code,
            Payment.business_date == day,
            col(Payment.deleted_at).is_(None),
        )
    )
    return [
        Entry(str(pid), local_time(at).replace(tzinfo=None), fen, method)
        for pid, at, fen, method in rows
    ]


def reconcile_bills(
    s: Session, site_code: str, day: date, bills: Sequence[Bill], rules: BillRules
) -> dict[str, Reconciliation]:
    """Each bill's method reconciled for the day, after `check_bills`."""
    if not bills:
        return {}  # a close without bills reads nothing more
    check_bills(s, site_code, day, bills, rules)
    entries = day_entries(s, site_code, day)
    return {b.method: reconcile(b.method, entries, b.on(day), rules.window) for b in bills}


def check_bills(
    s: Session, site_code: str, day: date, bills: Sequence[Bill], rules: BillRules
) -> None:
    """Refuse (field "bill") a bill with nothing on the day, a second bill of one method, a
    bill file an earlier close-out already used (the same digest) and a bill of another
    merchant or account than the desk's."""
    methods: set[str] = set()
    used = _used_digests(s, site_code)
    for bill in bills:
        _check_account(s, site_code, bill, rules)
        if bill.method in methods:
            raise UserError("bills.two_of_method", field="bill")
        methods.add(bill.method)
        if bill.digest in used:  # said first: a day's bill used again is not "another day"
            raise UserError("bills.used", field="bill", date=used[bill.digest].isoformat())
        if not bill.on(day):
            days = sorted(bill.days())
            raise UserError(
                "bills.other_day",
                field="bill",
                date=day.isoformat(),
                found=f"{days[0]}…{days[-1]}" if len(days) > 1 else str(days[0]),
            )


def _check_account(s: Session, site_code: str, bill: Bill, rules: BillRules) -> None:
    """The desk's accounts for the method are the configured ones or, when none are, the
    account its last reconciled bill of that method named. A bill naming none is taken."""
    expected = rules.accounts.get(bill.method) or _last_account(s, site_code, bill.method)
    if not bill.accounts or not expected or bill.accounts <= expected:
        return
    raise UserError(
        "bills.other_merchant",
        field="bill",
        found="、".join(sorted(bill.accounts)),
        expected="、".join(sorted(expected)),
    )


def _last_account(s: Session, site_code: str, method: str) -> frozenset[str]:
    query = select(col(Closeout.reconciled)).where(
        Closeout.site_code == site_code, col(Closeout.reconciled).is_not(None)
    )
    for reconciled in s.exec(query.order_by(col(Closeout.business_date).desc())):
        kept: dict = (reconciled or {}).get(method) or {}
        account = str(kept.get("account", ""))
        if account:
            return frozenset(account.split(","))
    return frozenset()


def _used_digests(s: Session, site_code: str) -> dict[str, date]:
    """Bill digest -> the closed day that used it."""
    query = select(col(Closeout.business_date), col(Closeout.reconciled))
    rows = s.exec(query.where(Closeout.site_code == site_code))
    return {
        kept["digest"]: day
        for day, reconciled in rows
        for kept in (reconciled or {}).values()
        if "digest" in kept
    }


def preview(
    engine: Engine, site_code: str, day: date, bill: Bill, rules: BillRules
) -> Reconciliation:
    """For the close-out screen before closing: the bill against the day's entries now."""
    with reading(engine) as s:
        return reconcile_bills(s, site_code, day, [bill], rules)[bill.method]


def stored(found: dict[str, Reconciled]) -> dict[str, dict]:
    return {method: r.stored() for method, r in sorted(found.items())}


def from_stored(data: dict | None) -> dict[str, Reconciled]:
    return {method: Reconciled.from_stored(kept) for method, kept in (data or {}).items()}


def reconciled_json(found: dict[str, Reconciled]) -> dict[str, dict | None]:
    """`reconciled` of `report day --format json`: every mobile method, None (null) for one
    with no bill (not reconciled, never balanced)."""
    out: dict[str, dict | None] = {}
    for method in MOBILE:
        r = found.get(method)
        out[method] = None if r is None else {**r.stored(), "balanced": r.balanced}
    return out


def correct_method(
    engine: Engine, actor: Actor, payment_id: uuid.UUID, method: str, now: datetime
) -> Payment:
    """An entry keyed with the wrong method (a WeChat payment keyed as cash), put right
    before its day is closed: the one field changes, with a new row version (synced like
    any change) and an audit row saying from what to what. A closed day's entry is never
    changed (an adjustment is its correction), nor a refund or a refunded entry, whose
    reversal must mirror it."""
    if method not in METHODS:
        raise UserError("walkin.unknown_method", field="method")
    with writing(engine) as s:
        payment = s.get(Payment, payment_id)
        if payment is None or payment.site_code != actor.site_code or payment.deleted_at:
            raise UserError("walkin.not_found")
        if closeout_of(s, actor.site_code, payment.business_date) is not None:
            day = payment.business_date.isoformat()
            raise UserError("closeout.day_closed", field="day", date=day)
        reversed_by = select(Payment.id).where(Payment.reverses_id == payment.id)
        if payment.reverses_id is not None or s.exec(reversed_by).first() is not None:
            raise UserError("bills.correct_refund", field="method")
        if payment.method == method:
            raise UserError("bills.correct_same", field="method")
        check_cash_jiao(payment.amount_fen, method, "method")
        before, payment.method = payment.method, method
        s.add(payment)
        record_act(s, actor, "payment_method", "payments", payment.id, now, f"{before}->{method}")
        s.flush()
        s.refresh(payment)
        return payment
