"""How orders and assignments read on the gig screens: the cells of their tables and lines.

Pure formatting: no database, no widgets. Times are local (Jiangmen); money is fen and a
rate exact Decimal fen (frontdesk/domain/gig_rules.py), shown with gig_rules.fmt_rate.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from frontdesk.domain.clock import local_time
from frontdesk.domain.gig_rules import fmt_rate
from frontdesk.domain.money import fmt_fen
from frontdesk.domain.org_names import shared_prefix, short_name
from frontdesk.i18n import t

if TYPE_CHECKING:
    from frontdesk.services.attendance import BoardRow
    from frontdesk.services.dispatch import Candidate
    from frontdesk.services.gigs import OrderRow

TICK = "✓"
# Order statuses as the list's filter offers them: the ones still being worked first.
ACTIVE = ("open", "filled", "in_progress")


def shift_text(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def clock_text(at: datetime | None) -> str:
    return local_time(at).strftime("%H:%M") if at else ""


def hours_text(minutes: int) -> str:
    """Minutes as H:MM ('3:05'), the form the hours fields accept back."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def hours_words(minutes: int) -> str:
    """'2 小时 26 分', as the pay slip says it."""
    return t("slip.hours_value", h=minutes // 60, m=f"{minutes % 60:02d}")


def rate_text(pay_mode: str, rate_fen: Decimal, unit: str) -> str:
    """'¥0.355/件', '¥19.00/小时', '¥150.00/天'."""
    per = unit if pay_mode == "piece" else t(f"slip.per.{pay_mode}")
    return f"¥{fmt_rate(rate_fen)}/{per}" if per else f"¥{fmt_rate(rate_fen)}"


def pay_text(pay_mode: str, rate_fen: Decimal, unit: str) -> str:
    """'计件 ¥0.355/件'."""
    return f"{t(f'gig.pay_mode.{pay_mode}')} {rate_text(pay_mode, rate_fen, unit)}"


def wage_text(fen: int | None) -> str:
    return fmt_fen(fen) if fen is not None else ""


def own_short_name(employer: str) -> str:
    """An employer named on its own line: without the administrative units it starts with."""
    return short_name(employer, shared_prefix([employer]))


# --- orders -----------------------------------------------------------------------------------
ORDER_COLUMNS = ("date", "shift", "employer", "job", "people", "pay", "status")


def order_cells(o: OrderRow, prefix: str = "") -> dict[str, str]:
    """A row of the orders list; `prefix` is the administrative prefix the list's employer
    names share (org_names.shared_prefix), left out so the names fit."""
    return {
        "date": f"{o.work_date:%m-%d}",  # the year is in the note line and the filter
        "shift": shift_text(o.shift_start, o.shift_end),
        "employer": short_name(o.employer, prefix),
        "job": o.job_type,
        "people": f"{o.holding}/{o.headcount}",
        "pay": rate_text(o.pay_mode, o.rate_fen, o.unit),
        "status": t(f"gig.order_status.{o.status}"),
    }


def order_summary(o: OrderRow) -> str:
    """The whole order on one line: under the list, and in dialogs about it."""
    parts = [
        f"{o.work_date.isoformat()} {shift_text(o.shift_start, o.shift_end)}",
        f"{own_short_name(o.employer)} {o.job_type}",
        o.place,
        t("gigs.people", holding=o.holding, headcount=o.headcount),
        pay_text(o.pay_mode, o.rate_fen, o.unit),
    ]
    if o.service_fee_fen:
        parts.append(t("gigs.fee_shown", amount=fmt_fen(o.service_fee_fen)))
    return " · ".join(p for p in parts if p)


# --- assignments ------------------------------------------------------------------------------
ROSTER_COLUMNS = ("name", "phone", "status", "in", "out", "hours", "pieces", "wage")
BOARD_COLUMNS = ("start", "job", "name", "status", "in", "out", "hours", "pieces", "wage")


def assignment_cells(r: BoardRow) -> dict[str, str]:
    """Every column either table may show; each table picks its own."""
    worked = r.status in ("checked_out", "paying", "settled")
    return {
        "start": f"{r.shift_start:%H:%M}",
        "job": r.job_type,
        "name": r.name,
        "phone": r.phone_masked,
        "status": t(f"gig.status.{r.status}"),
        "in": clock_text(r.checked_in_at),
        "out": clock_text(r.checked_out_at),
        "hours": hours_text(r.minutes_worked) if worked else "",
        "pieces": pieces_cell(r),
        "wage": wage_text(r.wage_fen),
    }


def pieces_cell(r: BoardRow) -> str:
    """Accepted pieces, once any were counted: what a piece rate pays for."""
    counted = r.pieces_completed or r.pieces_accepted or r.pieces_defective
    return str(r.pieces_accepted) if counted else ""


def assignment_summary(r: BoardRow, with_order: bool) -> str:
    """One worker in full on one line: under the board (with the order) and the roster."""
    parts = []
    if with_order:
        employer = own_short_name(r.employer)
        parts.append(f"{employer} {r.job_type} {shift_text(r.shift_start, r.shift_end)}")
    parts.append(f"{r.name} {r.phone_masked}")
    parts.append(t(f"gig.status.{r.status}"))
    if r.pieces_completed or r.pieces_accepted or r.pieces_defective:
        parts.append(
            t(
                "gigs.pieces_shown",
                completed=r.pieces_completed,
                accepted=r.pieces_accepted,
                defective=r.pieces_defective,
            )
        )
    if r.wage_fen is not None:
        key = "gigs.wage_paid" if r.status == "settled" else "gigs.wage_due"
        parts.append(t(key, amount=fmt_fen(r.wage_fen)))
    return " · ".join(parts)


# --- candidates -------------------------------------------------------------------------------
CANDIDATE_COLUMNS = ("name", "who", "phone", "desired", "skilled", "fit", "reliability", "no_shows")


def candidate_cells(c: Candidate) -> dict[str, str]:
    return {
        "name": c.name,
        "who": f"{t(f'gender.{c.gender}')} {c.age}",
        "phone": c.phone_masked,
        "desired": TICK if c.desired else "",
        "skilled": TICK if c.skilled else "",
        "fit": t(f"picker.fit.{c.fit}"),
        "reliability": str(c.reliability),
        "no_shows": str(c.no_shows) if c.no_shows else "",
    }


def candidate_reasons(c: Candidate, job: str) -> str:
    """Why a person is where they are in the list, in words."""
    parts = [
        t("picker.why_desired" if c.desired else "picker.why_not_desired", job=job),
        t("picker.why_skilled" if c.skilled else "picker.why_not_skilled"),
        t(f"gig.fit.{c.fit}"),
        t("picker.why_reliability", points=c.reliability),
    ]
    if c.no_shows:
        parts.append(t("picker.why_no_shows", count=c.no_shows))
    if c.availability:
        parts.append(t("picker.why_availability", text=c.availability))
    return f"{c.name}：" + " · ".join(parts)
