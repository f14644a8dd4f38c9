"""Rules of micro-factory gigs (DOMAIN.md, "Gig and piece-work dispatch"): pure, no database.

Order fields as typed, the wage of one assignment, the order of candidates, and the
part-time labour checks (劳动合同法 art. 68–72) that warn but never refuse a settlement.
Money is integer fen; a rate is an exact Decimal of fen (piece rates go below one fen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from db.models.gigs import ASSIGNMENT_STATUSES, PAY_MODES
from frontdesk.domain.forms import Collector, nfkc
from frontdesk.domain.money import clean_method, decimal_places, fmt_fen, parse_yuan
from frontdesk.errors import UserError

MAX_HEADCOUNT = 500
MAX_MINUTES = 24 * 60
MAX_PIECES = 1_000_000
PAY_MODE_NAMES = {"计件": "piece", "计时": "hour", "按天": "day", "日薪": "day"}  # as typed
RATE_DECIMALS = {"piece": 4, "hour": 2, "day": 2}  # yuan: a piece rate may be 0.0355 yuan
NO_SHOW_PENALTY = 10  # reliability points lost per no-show (放鸽子), never below zero
DAY_AVERAGE_MIN = 4 * 60  # part-time: at most 4 h a day on average ...
WEEK_MAX_MIN = 24 * 60  # ... and 24 h a week, per employer (art. 68)
PAY_CYCLE_DAYS = 15  # wages settled within 15 days (art. 72)

# Order status: open → filled → in progress → done, or cancelled (DOMAIN.md).
ORDER_NEXT: dict[str, tuple[str, ...]] = {
    "open": ("filled", "in_progress", "cancelled"),
    "filled": ("open", "in_progress", "cancelled"),
    "in_progress": ("done", "cancelled"),
    "done": (),
    "cancelled": (),
}
# Assignments that hold a place on an order and a slot in the worker's day.
HOLDING = ("assigned", "checked_in", "checked_out", "paying", "settled")
WORKED = ("checked_out", "paying", "settled")
OPEN_ORDER = ("open", "filled", "in_progress")

# Ranking points: wanting the job counts most, then the skill, then fitting the shift.
DESIRED_POINTS, SKILLED_POINTS = 3, 2
FIT_POINTS = {"full": 2, "unknown": 1, "partial": 1, "none": 0}
_HHMM = re.compile(r"^(\d{1,2})[:：.]?(\d{2})$")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


# --- order fields --------------------------------------------------------------------------


@dataclass
class OrderInput:
    """A gig order as typed on the order form."""

    employer_id: object = None
    job_type: str = ""
    place: str = ""
    work_date: date | str = ""
    shift_start: time | str = ""
    shift_end: time | str = ""
    headcount: str | int = ""
    pay_mode: str = ""
    rate: str = ""  # yuan as typed, e.g. "0.0355" a piece or "19" an hour
    unit: str = ""  # what a piece is (件, 箱); optional for hour and day pay
    service_fee: str = ""  # yuan, the center's fee for this order; optional
    fee_method: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CleanOrder:
    job_type: str
    place: str
    work_date: date
    shift_start: time
    shift_end: time
    headcount: int
    pay_mode: str
    rate_fen: Decimal
    unit: str
    service_fee_fen: int
    fee_method: str
    notes: str


def validate_order(raw: OrderInput, today: date, ceiling_fen: int) -> CleanOrder:
    """Every field checked; all problems raised at once (FormErrors), each at its field."""
    form = Collector()
    check = form.check
    mode = check(clean_pay_mode, raw.pay_mode)
    start = check(clean_time, raw.shift_start, "shift_start")
    end = check(clean_time, raw.shift_end, "shift_end")
    if start is not None and end is not None and start >= end:
        form.add("gig.shift_order", "shift_end")
    values = {
        "job_type": check(clean_text, raw.job_type, 40, "job_type", True),
        "place": check(clean_text, raw.place, 120, "place", True),
        "work_date": check(clean_work_date, raw.work_date, today),
        "headcount": check(clean_headcount, raw.headcount),
        "rate_fen": check(clean_rate, raw.rate, mode, ceiling_fen) if mode else None,
        "unit": check(clean_unit, raw.unit, mode) if mode else None,
        "notes": check(clean_text, raw.notes, 500, "notes", False),
    }
    fee = check(clean_fee, raw.service_fee, raw.fee_method, ceiling_fen)
    form.raise_any()
    assert fee is not None  # no refusal, so every rule returned
    fee_fen, fee_method = fee
    return CleanOrder(
        shift_start=start,
        shift_end=end,
        pay_mode=mode,
        service_fee_fen=fee_fen,
        fee_method=fee_method,
        **values,
    )


def clean_text(raw: object, limit: int, name: str, required: bool) -> str:
    text = re.sub(r"\s+", " ", nfkc(raw))
    if required and not text:
        raise UserError("gig.required", field=name)
    if len(text) > limit:
        raise UserError("seeker.text_long", field=name, limit=limit)
    return text


def clean_pay_mode(raw: object) -> str:
    text = nfkc(raw).lower()
    mode = PAY_MODE_NAMES.get(text, text)
    if mode not in PAY_MODES:
        raise UserError("gig.pay_mode", field="pay_mode")
    return mode


def clean_time(raw: time | str, name: str) -> time:
    if isinstance(raw, time):
        return raw.replace(second=0, microsecond=0)
    found = _HHMM.match(nfkc(raw))
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise UserError("gig.time_format", field=name)
    return time(int(found.group(1)), int(found.group(2)))


def clean_work_date(raw: date | str, today: date) -> date:
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(nfkc(raw))
    except ValueError:
        raise UserError("gig.date_format", field="work_date") from None
    if day < today:
        raise UserError("gig.date_past", field="work_date")
    return day


def clean_headcount(raw: object) -> int:
    text = nfkc(raw)
    if not text.isdigit() or not 1 <= int(text) <= MAX_HEADCOUNT:
        raise UserError("gig.headcount", field="headcount", limit=MAX_HEADCOUNT)
    return int(text)


def clean_rate(raw: object, pay_mode: str, ceiling_fen: int) -> Decimal:
    """Yuan as typed to exact fen: up to 4 decimals for a piece rate, 2 for hour and day."""
    text = nfkc(raw).replace(",", "").removeprefix("¥")
    places = RATE_DECIMALS[pay_mode]
    if not _PLAIN_NUMBER.match(text) or decimal_places(Decimal(text)) > places:
        raise UserError("gig.rate_format", field="rate", places=places)
    yuan = Decimal(text)
    if yuan <= 0:
        raise UserError("gig.rate_positive", field="rate")
    fen = yuan.scaleb(2)  # exact: a shift of the decimal point
    if fen > ceiling_fen:
        raise UserError("money.too_large", field="rate")
    return fen if decimal_places(fen) >= 0 else fen.quantize(Decimal(1))


def clean_unit(raw: object, pay_mode: str) -> str:
    return clean_text(raw, 20, "unit", pay_mode == "piece")  # a piece rate names its piece


def clean_fee(raw: object, method: object, ceiling_fen: int) -> tuple[int, str]:
    """The center's fee in fen and how it was paid; none at all is (0, "")."""
    fen = parse_yuan(nfkc(raw), "service_fee", ceiling_fen) or 0
    paid_by = clean_method(nfkc(method)) if fen else ""
    if fen and not paid_by:
        raise UserError("walkin.method_required", field="fee_method")
    return fen, paid_by


def check_transition(current: str, new: str) -> None:
    from frontdesk.i18n import t

    if new not in ORDER_NEXT.get(current, ()):
        now, to = t(f"gig.order_status.{current}"), t(f"gig.order_status.{new}")
        raise UserError("gig.order_transition", field="status", now=now, to=to)


# --- attendance ----------------------------------------------------------------------------


def clean_hours(raw: object) -> int:
    """Hours as typed ("3.5", "3:30") to whole minutes; above zero, at most a day."""
    text = nfkc(raw)
    clock = _HHMM.match(text) if ":" in text or "：" in text else None
    if clock:
        minutes = int(clock.group(1)) * 60 + int(clock.group(2))
    elif _PLAIN_NUMBER.match(text):
        minutes = round_half_up(Decimal(text) * 60, 1)  # kept in whole minutes
    else:
        minutes = -1
    if not 0 < minutes <= MAX_MINUTES:
        raise UserError("gig.hours_format", field="hours", limit=MAX_MINUTES // 60)
    return minutes


def clean_pieces(completed: object, accepted: object, defective: object) -> tuple[int, int, int]:
    """Whole pieces, none negative, and accepted plus defective no more than completed."""
    counts = []
    for name, raw in (("completed", completed), ("accepted", accepted), ("defective", defective)):
        text = nfkc(raw) or "0"
        if text.lstrip("-").isdigit() and int(text) < 0:
            raise UserError("gig.pieces_negative", field=name)
        if not text.isdigit() or int(text) > MAX_PIECES:
            raise UserError("gig.pieces_format", field=name, limit=MAX_PIECES)
        counts.append(int(text))
    done, ok, bad = counts
    if ok + bad > done:
        raise UserError("gig.pieces_sum", field="accepted")
    return done, ok, bad


# Why an action is refused, by the state the worker's assignment is in.
STATE_ERRORS = {status: f"gig.state.{status}" for status in ASSIGNMENT_STATUSES}


def check_state(status: str, *allowed: str) -> None:
    """Refuse an action unless the assignment is in one of `allowed`, saying where it is."""
    if status not in allowed:
        raise UserError(STATE_ERRORS[status], field="status")


def lower_reliability(current: int) -> int:
    return max(0, current - NO_SHOW_PENALTY)


def overlaps(start: time, end: time, other_start: time, other_end: time) -> bool:
    """Two shifts of one day overlap when each starts before the other ends."""
    return start < other_end and other_start < end


# --- wages ---------------------------------------------------------------------------------


def wage_parts(pay_mode: str, rate_fen: Decimal, minutes: int, pieces: int) -> tuple[Decimal, int]:
    """The exact wage as (numerator, divisor) in fen: rate × pieces, × minutes ÷ 60, or a day."""
    if minutes < 0 or pieces < 0 or rate_fen < 0:
        raise ValueError("a wage is never made of negative parts")
    if pay_mode == "piece":
        return rate_fen * pieces, 1
    if pay_mode == "hour":
        return rate_fen * minutes, 60
    if pay_mode == "day":
        return rate_fen, 1
    raise ValueError(f"unknown pay mode {pay_mode!r}")


def round_half_up(numerator: Decimal, divisor: int) -> int:
    """numerator ÷ divisor to a whole fen, half up, exactly (no inexact division first)."""
    whole, rest = divmod(numerator, divisor)  # both exact: Decimal integer division
    return int(whole) + (1 if 2 * rest >= divisor else 0)


def wage_fen(pay_mode: str, rate_fen: Decimal, minutes: int, pieces_accepted: int) -> int:
    """One assignment's pay to the fen: computed exactly, rounded once, half up."""
    return round_half_up(*wage_parts(pay_mode, rate_fen, minutes, pieces_accepted))


def fmt_rate(rate_fen: Decimal) -> str:
    """An exact rate in yuan, at least two decimals: 35.5 fen -> '0.355', 1900 -> '19.00'."""
    yuan = rate_fen.scaleb(-2)
    text = f"{yuan.normalize():f}"
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents.ljust(2, '0')}"


# --- ranking -------------------------------------------------------------------------------


def fit_class(avail: int, need: int) -> str:
    """How a person's stated availability meets a shift's needs (db/job_keys.py bits)."""
    if avail == 0:
        return "unknown"
    if avail & need == need:
        return "full"
    return "partial" if avail & need else "none"


def match_score(desired: bool, skilled: bool, fit: str) -> int:
    return DESIRED_POINTS * desired + SKILLED_POINTS * skilled + FIT_POINTS[fit]


# --- labour-law checks -------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A warning to show before paying: a catalogue key and its parameters."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self) -> str:
        from frontdesk.i18n import t

        return t(self.code, **self.params)


def labour_notices(
    wage: int,
    minutes: int,
    min_wage_fen_per_hour: int,
    week: list[tuple[date, int]],
    work_date: date,
    paid_on: date,
) -> list[Notice]:
    """Warnings for one settlement. `week`: (day, minutes) the worker gave this employer in
    the ISO week of the work, this assignment included."""
    notices: list[Notice] = []
    if minutes > 0 and wage * 60 < min_wage_fen_per_hour * minutes:
        hourly = round_half_up(Decimal(wage * 60), minutes)
        notices.append(
            Notice(
                "gig.warn_min_wage",
                {"pay": fmt_fen(hourly), "minimum": fmt_fen(min_wage_fen_per_hour)},
            )
        )
    total = sum(m for _, m in week)
    days = len({d for d, _ in week})
    if days and total > DAY_AVERAGE_MIN * days:
        notices.append(Notice("gig.warn_day_average", {"hours": _hours(total, days)}))
    if total > WEEK_MAX_MIN:
        notices.append(Notice("gig.warn_week_hours", {"hours": _hours(total, 1)}))
    late = (paid_on - work_date).days
    if late > PAY_CYCLE_DAYS:
        notices.append(Notice("gig.warn_pay_cycle", {"days": late, "limit": PAY_CYCLE_DAYS}))
    return notices


def _hours(minutes: int, days: int) -> str:
    """Hours to one decimal, half up, for a message ('4.5')."""
    tenths = round_half_up(Decimal(minutes), 6 * days)
    return f"{tenths // 10}.{tenths % 10}"


def status_moves(status: str) -> tuple[str, ...]:
    """Where an order may be moved on from `status` (cancelling has its own step, with a
    reason)."""
    return tuple(s for s in ORDER_NEXT.get(status, ()) if s != "cancelled")
