"""The pay slip (工资条) of a settled assignment: 32- or 48-column text, and one XLSX sheet.

Nothing is computed here but the layout: the wage is the settled one, and the exact
figure, the rounding and the warnings are the settlement's (services/settlement.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from db.models import Employer, GigAssignment, GigOrder, Person, Site, Staff
from db.session import reading
from frontdesk.domain import gig_rules as rules
from frontdesk.domain.clock import local_time
from frontdesk.domain.money import yuan
from frontdesk.errors import UserError
from frontdesk.i18n import t
from frontdesk.services import printout as out
from frontdesk.services.dispatch import own_assignment
from frontdesk.services.settlement import WageQuote, quote

SLIP_WIDTH = 32  # a 58 mm receipt printer; 48 for an 80 mm one
SHEET_WIDTHS = (18, 40)


@dataclass(frozen=True)
class PaySlip:
    site: str
    employer: str
    job_type: str
    work_date: date
    shift_start: time
    shift_end: time
    worker: str
    phone_masked: str
    pieces_completed: int
    pieces_defective: int
    method: str
    reference: str
    settled_at: datetime
    settled_by: str
    quote: WageQuote  # pay mode, rate, hours, pieces accepted, exact and rounded wage


def pay_slip(engine: Engine, site_code: str, assignment_id: uuid.UUID) -> PaySlip:
    """The slip of a settled assignment (there is none before the wage is paid)."""
    with reading(engine) as s:
        row = own_assignment(s, site_code, assignment_id)
        if row.status != "settled":
            raise UserError("slip.not_settled", field="status")
        order = s.get_one(GigOrder, row.order_id)
        person = s.get_one(Person, row.person_id)
        site = s.exec(select(Site.name).where(Site.code == site_code)).first()
        employer = s.get(Employer, order.employer_id)
        staff = s.get(Staff, row.settled_by) if row.settled_by else None
    settled_at = row.settled_at
    assert settled_at is not None  # set when settled
    found = quote(engine, site_code, assignment_id, settled_at)
    return _slip(row, order, person, site or site_code, employer, staff, found, settled_at)


def _slip(
    row: GigAssignment,
    order: GigOrder,
    person: Person,
    site: str,
    employer: Employer | None,
    staff: Staff | None,
    found: WageQuote,
    settled_at: datetime,
) -> PaySlip:
    return PaySlip(
        site=site,
        employer=employer.name if employer else "",
        job_type=order.job_type,
        work_date=order.work_date,
        shift_start=order.shift_start,
        shift_end=order.shift_end,
        worker=person.name,
        phone_masked=person.phone_masked,
        pieces_completed=row.pieces_completed,
        pieces_defective=row.pieces_defective,
        method=row.pay_method,
        reference=row.pay_reference,
        settled_at=settled_at,
        settled_by=staff.name if staff else "",
        quote=found,
    )


# --- wording shared by the text and the sheet -----------------------------------------------


def formula(q: WageQuote) -> str:
    """How the wage was worked out, e.g. '1200 件 × ¥0.355 = ¥426.00'."""
    rate = rules.fmt_rate(q.rate_fen)
    if q.pay_mode == "piece":
        how = t("slip.formula_piece", pieces=q.pieces_accepted, unit=q.unit, rate=rate)
    elif q.pay_mode == "hour":
        how = t("slip.formula_hour", rate=rate, minutes=q.minutes)
    else:
        how = t("slip.formula_day", rate=rate)
    return f"{how} {exact_yuan(q)}"


def exact_yuan(q: WageQuote) -> str:
    """'= ¥43.807' when the exact wage ends; '≈ ¥221.6667' (to 0.0001 yuan) when it does not."""
    fen = q.numerator / q.divisor
    if fen * q.divisor == q.numerator:  # the division ended: nothing was cut off
        return f"= ¥{rules.fmt_rate(fen)}"
    yuan = fen.scaleb(-2).quantize(Decimal("0.0001"), ROUND_HALF_UP)  # shown only
    return f"≈ ¥{yuan}"


def hours(minutes: int) -> str:
    return t("slip.hours_value", h=minutes // 60, m=f"{minutes % 60:02d}")


def _settled_when(at: datetime) -> str:
    return local_time(at).strftime("%Y-%m-%d %H:%M")


def _shift(p: PaySlip) -> str:
    return f"{p.shift_start:%H:%M}–{p.shift_end:%H:%M}"


# --- text ------------------------------------------------------------------------------------


def slip_text(slip: PaySlip, width: int = SLIP_WIDTH, reprint_at: datetime | None = None) -> str:
    """The slip as plain text, `width` cells a line (32 or 48 for receipt printers); a slip
    printed before is marked 重印 with when, under its title."""
    from frontdesk.services.receipts import reprint_mark

    out.check_width(width, "pay slip")
    head = _head(slip, width)
    if reprint_at is not None:
        head.insert(1, out.center(reprint_mark(reprint_at), width))
    blocks = [head, _work(slip, width), _wage(slip, width), _paid(slip, width)]
    if slip.quote.notices:
        blocks.append(_notices(slip, width))
    blocks.append(out.wrap(t("slip.signature"), width))
    return out.framed(blocks, width)


def _head(p: PaySlip, width: int) -> list[str]:
    return [
        out.center(t("slip.title"), width),
        out.pair(t("slip.site"), p.site, width),
        out.shorten(p.employer, width),  # a whole line: long names differ at the end
        out.pair(t("slip.job"), p.job_type, width),
        out.pair(t("slip.date"), p.work_date.isoformat(), width),
        out.pair(t("slip.shift"), _shift(p), width),
        out.pair(t("slip.worker"), p.worker, width),
        out.pair(t("slip.phone"), p.phone_masked, width),
    ]


def _work(p: PaySlip, width: int) -> list[str]:
    q = p.quote
    lines = [
        out.pair(t("slip.pay_mode"), t(f"gig.pay_mode.{q.pay_mode}"), width),
        out.pair(t("slip.rate"), _rate(q), width),
        out.pair(t("slip.hours"), hours(q.minutes), width),
    ]
    if q.pay_mode == "piece":
        lines.append(out.pair(t("slip.completed"), str(p.pieces_completed), width))
        lines.append(out.pair(t("slip.accepted"), str(q.pieces_accepted), width))
        lines.append(out.pair(t("slip.defective"), str(p.pieces_defective), width))
    return lines


def _rate(q: WageQuote) -> str:
    per = q.unit if q.pay_mode == "piece" else t(f"slip.per.{q.pay_mode}")
    return f"¥{rules.fmt_rate(q.rate_fen)}/{per}" if per else f"¥{rules.fmt_rate(q.rate_fen)}"


def _wage(p: PaySlip, width: int) -> list[str]:
    q = p.quote
    return [
        *out.wrap(formula(q), width),
        *out.wrap(t("slip.rounding"), width),
        out.money(t("slip.wage"), q.wage_fen, width),
    ]


def _paid(p: PaySlip, width: int) -> list[str]:
    lines = [out.pair(t("slip.method"), t(f"method.{p.method}"), width)]
    if p.reference:
        lines.append(out.shorten(t("slip.reference"), width))
        lines.extend(out.wrap(p.reference, width, out.INDENT))
    lines.append(out.pair(t("slip.settled_at"), _settled_when(p.settled_at), width))
    lines.append(out.pair(t("slip.settled_by"), p.settled_by, width))
    return lines


def _notices(p: PaySlip, width: int) -> list[str]:
    lines = [out.shorten(t("slip.notices"), width)]
    for notice in p.quote.notices:
        lines.extend(out.wrap(f"! {notice.message()}", width))
    return lines


# --- files -----------------------------------------------------------------------------------


def write_slip_text(slip: PaySlip, path: Path, width: int = SLIP_WIDTH) -> None:
    out.write_text(slip_text(slip, width), path)


def write_slip_xlsx(slip: PaySlip, path: Path) -> None:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("slip.xlsx_suffix", field="output", path=str(path))
    out.write_sheet(sheet_rows(slip), path, t("slip.sheet"), SHEET_WIDTHS)


def sheet_rows(p: PaySlip) -> list[out.Row]:
    """Label and value per row: amounts and the rate as exact Decimal yuan, counts as int."""
    q = p.quote
    rows: list[out.Row] = [
        [t("slip.title")],
        [t("slip.site"), p.site],
        [t("slip.employer"), p.employer],
        [t("slip.job"), p.job_type],
        [t("slip.date"), p.work_date],
        [t("slip.shift"), _shift(p)],
        [t("slip.worker"), p.worker],
        [t("slip.phone"), p.phone_masked],
        [t("slip.pay_mode"), t(f"gig.pay_mode.{q.pay_mode}")],
        [t("slip.rate_yuan"), q.rate_fen.scaleb(-2)],
        [t("slip.unit"), q.unit],
        [t("slip.minutes"), q.minutes],
    ]
    if q.pay_mode == "piece":
        rows.append([t("slip.completed"), p.pieces_completed])
        rows.append([t("slip.accepted"), q.pieces_accepted])
        rows.append([t("slip.defective"), p.pieces_defective])
    rows += [
        [t("slip.formula"), formula(q)],
        [t("slip.rounding_label"), t("slip.rounding")],
        [t("slip.wage_yuan"), yuan(q.wage_fen)],
        [t("slip.method"), t(f"method.{p.method}")],
        [t("slip.reference"), p.reference],
        [t("slip.settled_at"), _settled_when(p.settled_at)],
        [t("slip.settled_by"), p.settled_by],
    ]
    rows += [[t("slip.notices"), n.message()] for n in q.notices]
    return rows
