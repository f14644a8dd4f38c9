"""Receipts (收据) of paid entries: issued once with the desk's next number, laid out as text.

A receipt is issued the first time one is asked for (the print key after a save, or from
the day's log) and kept: its number and what it says (db/models/receipts.py), so a reprint
says the same even after the catalogue or a staff name changed. Issuing commits before
anything is sent to a printer, so a printing fault never takes the receipt back, and the
income entry itself was committed before either.

Numbers are `SITE-series-number` and unique per desk: `number` is one more than the
highest of the desk's series (inside the write transaction, which holds the database's
write lock, so two issues never take the same one; a unique index says so again). A desk
rebuilt by `frontdesk restore` gets the next series, so numbers the dead desk issued after
its last sync, which the central store never saw, are not issued a second time.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from db.models import DeskInfo, Payment, Receipt, Service, Site, Staff
from db.session import reading, writing
from frontdesk.domain.clock import local_time
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.services import printout as out
from frontdesk.services.acting import Actor

NUMBER_DIGITS = 6
NUMBER = re.compile(r"(?:(?P<site>[A-Z][A-Z0-9]*)-)?(?:(?P<series>\d{1,6})-)?(?P<number>\d{1,9})")


@dataclass(frozen=True)
class ReceiptView:
    """A receipt as issued: what every copy of it says."""

    id: uuid.UUID
    site_code: str
    series: int
    number: int
    payment_id: uuid.UUID
    site_name: str
    service_zh: str
    service_en: str
    amount_fen: int
    method: str
    received_at: datetime
    staff_name: str
    issued_at: datetime

    @property
    def number_text(self) -> str:
        """'HS01-1-000042': the site, the desk's series, the number."""
        return f"{self.site_code}-{self.series}-{self.number:0{NUMBER_DIGITS}d}"

    def service(self) -> str:
        return self.service_zh if language() == "zh" else self.service_en


def issue_receipt(engine: Engine, actor: Actor, entry_id: uuid.UUID, now: datetime) -> ReceiptView:
    """The receipt of an income entry (or of the walk-in it was paid for): the one issued
    before, or a new one with the desk's next number."""
    with writing(engine) as s:
        pay = _entry_payment(s, actor.site_code, entry_id)
        found = _receipt_of(s, pay.id)
        if found is not None:
            return _view(found)
        if pay.amount_fen <= 0 or pay.reverses_id is not None:
            raise UserError("receipt.not_income", field="receipt")
        row = _new_receipt(s, actor, pay, now)
        s.add(row)
        s.flush()
        return _view(row)


def _entry_payment(s: Session, site_code: str, entry_id: uuid.UUID) -> Payment:
    """An income entry by its id, or the one a walk-in was paid with (today's log shows
    visits by their walk-in's id)."""
    pay = (
        s.get(Payment, entry_id)
        or s.exec(
            select(Payment).where(Payment.walkin_id == entry_id, col(Payment.reverses_id).is_(None))
        ).first()
    )
    if pay is None or pay.site_code != site_code:
        raise UserError("receipt.no_entry", field="receipt")
    return pay


def receipt_for(engine: Engine, site_code: str, receipt_id: uuid.UUID) -> ReceiptView:
    with reading(engine) as s:
        row = s.get(Receipt, receipt_id)
    if row is None or row.site_code != site_code:
        raise UserError("receipt.no_entry", field="receipt")
    return _view(row)


def find_receipt(engine: Engine, site_code: str, text: str) -> ReceiptView:
    """A receipt by the number printed on it: `HS01-1-000042`, `1-42`, or `42` (this desk's
    own series)."""
    found = NUMBER.fullmatch(text.strip().upper())
    if found is None or (found["site"] and found["site"] != site_code):
        raise UserError("receipt.unknown", field="document", number=text.strip())
    with reading(engine) as s:
        series = int(found["series"]) if found["series"] else _series(s)
        row = s.exec(
            select(Receipt).where(
                Receipt.site_code == site_code,
                Receipt.series == series,
                Receipt.number == int(found["number"]),
            )
        ).first()
    if row is None:
        raise UserError("receipt.unknown", field="document", number=text.strip())
    return _view(row)


def _series(s: Session) -> int:
    return s.exec(select(DeskInfo.receipt_series)).first() or 1


def receipt_of_entry(engine: Engine, site_code: str, payment_id: uuid.UUID) -> ReceiptView | None:
    """The receipt issued for an income entry, if one was."""
    with reading(engine) as s:
        row = _receipt_of(s, payment_id)
    return _view(row) if row is not None and row.site_code == site_code else None


def _receipt_of(s: Session, payment_id: uuid.UUID) -> Receipt | None:
    return s.exec(select(Receipt).where(Receipt.payment_id == payment_id)).first()


def _new_receipt(s: Session, actor: Actor, pay: Payment, now: datetime) -> Receipt:
    series = _series(s)
    last = s.exec(
        select(func.max(col(Receipt.number))).where(
            Receipt.site_code == actor.site_code, Receipt.series == series
        )
    ).one()
    service = s.get_one(Service, pay.service_id)
    site = s.exec(select(Site.name).where(Site.code == actor.site_code)).first()
    staff = s.get(Staff, pay.staff_id)
    return Receipt(
        site_code=actor.site_code,
        series=series,
        number=(last or 0) + 1,
        payment_id=pay.id,
        issued_at=now,
        issued_by=actor.staff_id,
        site_name=site or actor.site_code,
        service_zh=service.name_zh,
        service_en=service.name_en,
        amount_fen=pay.amount_fen,
        method=pay.method,
        received_at=pay.received_at,
        staff_name=staff.name if staff else "",
    )


def _view(row: Receipt) -> ReceiptView:
    return ReceiptView(
        id=row.id,
        site_code=row.site_code,
        series=row.series,
        number=row.number,
        payment_id=row.payment_id,
        site_name=row.site_name,
        service_zh=row.service_zh,
        service_en=row.service_en,
        amount_fen=row.amount_fen,
        method=row.method,
        received_at=row.received_at,
        staff_name=row.staff_name,
        issued_at=row.issued_at,
    )


# --- the layout: the screen, the text file and the printer all use this ------------------------


def receipt_text(r: ReceiptView, width: int, reprint_at: datetime | None = None) -> str:
    """The receipt, `width` cells a line (32 on 58 mm paper, 48 on 80 mm); a reprint is
    marked 重印 with when it was reprinted, above everything else."""
    out.check_width(width, "receipt")
    head = [out.center(line, width) for line in out.wrap(r.site_name, width)]
    head.append(out.center(t("receipt.title"), width))
    if reprint_at is not None:
        head.append(out.center(reprint_mark(reprint_at), width))
    body = [
        out.pair(t("receipt.number"), r.number_text, width),
        out.pair(t("receipt.time"), _minute(r.received_at), width),
        *out.labelled(t("receipt.service"), r.service(), width),
        out.pair(t("receipt.method"), t(f"method.{r.method}"), width),
        *out.labelled(t("receipt.staff"), r.staff_name, width),
    ]
    total = [out.money(t("receipt.amount"), r.amount_fen, width)]
    return out.framed([head, body, total, out.wrap(t("receipt.thanks"), width)], width)


def reprint_mark(at: datetime) -> str:
    return t("print.reprint_mark", at=_minute(at))


def _minute(at: datetime) -> str:
    return local_time(at).strftime("%Y-%m-%d %H:%M")
