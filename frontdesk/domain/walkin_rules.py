"""Rules for a walk-in entry's fields, shared by the quick log, the today's log and import."""

from __future__ import annotations

import re
from datetime import date

from db.vocabulary import CHANNELS  # noqa: F401  (the rules name it)
from frontdesk.domain.forms import nfkc
from frontdesk.domain.money import check_cash_jiao, clean_method, parse_yuan
from frontdesk.errors import UserError

MAX_HEADCOUNT = 1000
ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # shaped as a date, maybe not one
MAX_DURATION_MIN = 12 * 60


def clean_headcount(raw: object) -> int:
    text = nfkc(raw or "") or "1"
    if not text.isdigit() or not 1 <= int(text) <= MAX_HEADCOUNT:
        raise UserError("walkin.headcount", field="headcount", limit=MAX_HEADCOUNT)
    return int(text)


def clean_duration(raw: object) -> int:
    text = nfkc(raw or "") or "0"
    if not text.isdigit() or int(text) > MAX_DURATION_MIN:
        raise UserError("walkin.duration", field="duration", limit=MAX_DURATION_MIN)
    return int(text)


def clean_follow_up(raw: date | str | None, today: date) -> date | None:
    if raw is None or raw == "":
        return None
    text = raw if isinstance(raw, date) else nfkc(raw)
    try:
        day = text if isinstance(text, date) else date.fromisoformat(text)
    except ValueError:
        if isinstance(text, str) and ISO_SHAPE.fullmatch(text):  # 2026-02-30: no such day
            raise UserError("walkin.follow_up_no_such_date", field="follow_up", date=text) from None
        raise UserError("walkin.follow_up_format", field="follow_up") from None
    if day < today:
        raise UserError("walkin.follow_up_past", field="follow_up")
    return day


def clean_amount(paid: bool, raw: str, ceiling_fen: int) -> int:
    """Fen for a paid service (required, above zero); a free service takes none."""
    fen = parse_yuan(raw, "amount", ceiling_fen)
    if not paid:
        if fen:
            raise UserError("walkin.free_no_amount", field="amount")
        return 0
    if not fen:
        raise UserError("walkin.amount_required", field="amount")
    return fen


def clean_paid_method(paid: bool, raw: str) -> str:
    method = clean_method(raw)
    if not paid:
        if method:
            raise UserError("walkin.free_no_amount", field="method")
        return ""
    if not method:
        raise UserError("walkin.method_required", field="method")
    return method


def clean_payment(paid: bool, amount: str, method: str, ceiling_fen: int) -> tuple[int, str]:
    """(fen, method) of a paid service, (0, "") of a free one; the first problem is raised."""
    fen, code = clean_amount(paid, amount, ceiling_fen), clean_paid_method(paid, method)
    check_cash_jiao(fen, code)
    return fen, code
