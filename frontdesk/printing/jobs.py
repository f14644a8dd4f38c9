"""Printing the desk's documents: a receipt, the day's report, a pay slip, job notices.

Each job lays the document out with its own layout function at the paper's width (the one
the screen and the text file use too), sends it, and then notes the print in the audit
trail (action `print`, the document's kind and id). A document printed before is marked 重印
(reprint) the next time. The document is never part of the transaction of the act it
records: a receipt is issued and committed before anything is sent, so a printer that is
off, out of paper or silent leaves the sale and the receipt as they were, to be printed
later. These calls block (up to the printer's timeout): the TUI runs them in a worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import select

from db.models import AuditLog, Closeout
from db.session import reading, writing
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from frontdesk.printing.escpos_out import PrintFault, send
from frontdesk.printing.setup import PrinterSetup
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record_act

ACTION = "print"
REPRINT = "reprint"


@dataclass(frozen=True)
class Printed:
    document: str  # what was printed, in words ("收据 HS01-1-000042")
    where: str
    reprint: bool

    def message(self) -> str:
        key = "print.done_reprint" if self.reprint else "print.done"
        return t(key, document=self.document, where=self.where)


def print_receipt(
    engine: Engine, actor: Actor, setup: PrinterSetup, entry_id: uuid.UUID, now: datetime
) -> Printed:
    """The receipt of an income entry or of the walk-in it paid for, issued first if it has
    none; any print after the first is a reprint."""
    from frontdesk.services.receipts import issue_receipt, receipt_text

    _ready(setup)
    receipt = issue_receipt(engine, actor, entry_id, now)  # committed: a fault keeps it
    name = t("print.receipt_name", number=receipt.number_text)
    return _job(
        engine,
        actor,
        setup,
        ("receipt", receipt.id, name, "print.kept"),
        lambda reprint_at: receipt_text(receipt, setup.columns, reprint_at),
        now,
    )


def print_day_report(
    engine: Engine, actor: Actor, setup: PrinterSetup, day: date, now: datetime
) -> Printed:
    """The day's report: a closed day's Z report (signature lines; 重印 after its first
    print), or an open day's X report, which changes until the close and is never a reprint."""
    from frontdesk.services.closeout import day_report
    from frontdesk.services.day_report import receipt_text
    from frontdesk.services.ledger import closeout_of

    _ready(setup)
    report = day_report(engine, actor.site_code, day)
    with reading(engine) as s:
        closed: Closeout | None = closeout_of(s, actor.site_code, day)
    name = t("print.report_name", date=day.isoformat())
    doc_id = closed.id if closed is not None else None
    return _job(
        engine,
        actor,
        setup,
        ("z_report", doc_id, name, "print.kept_report"),
        lambda reprint_at: receipt_text(report, setup.columns, reprint_at),
        now,
    )


def print_pay_slip(
    engine: Engine, actor: Actor, setup: PrinterSetup, assignment_id: uuid.UUID, now: datetime
) -> Printed:
    """A settled worker's pay slip (工资条), at the paper's width."""
    from frontdesk.services.pay_slip import pay_slip, slip_text

    _ready(setup)
    slip = pay_slip(engine, actor.site_code, assignment_id)
    name = t("print.slip_name", name=slip.worker)
    return _job(
        engine,
        actor,
        setup,
        ("pay_slip", assignment_id, name, "print.not_printed"),
        lambda reprint_at: slip_text(slip, setup.columns, reprint_at),
        now,
    )


def print_notices(
    engine: Engine,
    actor: Actor,
    setup: PrinterSetup,
    now: datetime,
    posting_id: uuid.UUID | None = None,
) -> Printed:
    """One open posting's notice, or every open posting's, to pin on the notice board. A
    notice is a copy for the public, not a document of the desk: printed as often as boards
    need it, never marked 重印, not audited."""
    from frontdesk.domain.clock import business_date
    from frontdesk.services.notice_board import notices_to_print

    _ready(setup)
    today = business_date(now)
    text = notices_to_print(engine, actor.site_code, today, setup.columns, posting_id)
    name = t("print.notice_name" if posting_id else "print.board_name", date=today.isoformat())
    return _job(
        engine, actor, setup, ("notice", None, name, "print.not_printed"), lambda _: text, now
    )


def print_named(
    engine: Engine, actor: Actor, setup: PrinterSetup, wanted: str, now: datetime
) -> Printed:
    """A document named as it is printed: a receipt's number (`HS01-1-000042`, or `42` in
    this desk's series) or a day (`2026-11-25`: its report). Printed before, it is a reprint."""
    from frontdesk.services.receipts import find_receipt

    text = wanted.strip()
    if not text:
        raise UserError("print.document_required", field="document")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        receipt = find_receipt(engine, actor.site_code, text)
        return print_receipt(engine, actor, setup, receipt.payment_id, now)
    return print_day_report(engine, actor, setup, day, now)


def _ready(setup: PrinterSetup) -> None:
    if not setup.configured:
        raise PrintFault("printer.not_configured", field="printer")


def _job(
    engine: Engine,
    actor: Actor,
    setup: PrinterSetup,
    what: tuple[str, uuid.UUID | None, str, str],
    layout: Callable[[datetime | None], str],
    now: datetime,
) -> Printed:
    kind, doc_id, name, kept_key = what
    reprint = doc_id is not None and printed_before(engine, actor.site_code, kind, doc_id)
    text = layout(now if reprint else None)
    try:
        send(setup, text.splitlines())
    except PrintFault as fault:
        raise PrintFault(kept_key, field="printer", fault=describe(fault), document=name) from fault
    if doc_id is not None:
        with writing(engine) as s:
            record_act(s, actor, ACTION, kind, doc_id, now, REPRINT if reprint else "")
    return Printed(name, setup.where(), reprint)


def printed_before(engine: Engine, site_code: str, kind: str, doc_id: uuid.UUID) -> bool:
    """The audit trail says this document came out of a printer already."""
    with reading(engine) as s:
        found = s.exec(
            select(AuditLog.id).where(
                AuditLog.site_code == site_code,
                AuditLog.action == ACTION,
                AuditLog.entity == kind,
                AuditLog.entity_id == doc_id,
            )
        ).first()
    return found is not None


def print_test_page(setup: PrinterSetup, now: datetime) -> Printed:
    """The test page of `frontdesk printer test` (nothing is recorded: no document)."""
    from frontdesk.printing.sample_page import QR_TEXT, sample_lines

    _ready(setup)
    send(setup, sample_lines(setup, now), qr=QR_TEXT)
    return Printed(t("printer.test_title"), setup.where(), reprint=False)
