"""Rules of the gig market's employment services (DOMAIN.md, "Employers and job postings").

Employers, job postings and referrals as typed, checked once here for the desk's forms, the
CLI and import alike: pure, no database. Pay is integer fen; a posting's pay is a range
with its unit. A posting may require an age range, an education and skills, never a gender
or an ethnicity (就业促进法 art. 3 and 27).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from db.vocabulary import (
    EMPLOYER_KINDS,
    PAY_UNITS,
    POSTING_SOURCES,
    POSTING_STATUSES,
    REFERRAL_OUTCOMES,
)
from frontdesk.domain.dates import parse_day
from frontdesk.domain.education import education_code
from frontdesk.domain.forms import Collector, nfkc, split_items
from frontdesk.domain.gig_rules import clean_text
from frontdesk.domain.money import MAX_PAY_FEN, parse_yuan
from frontdesk.errors import UserError

__all__ = [
    "EMPLOYER_KINDS",
    "PAY_UNITS",
    "POSTING_SOURCES",
    "POSTING_STATUSES",
    "REFERRAL_OUTCOMES",
]

MAX_POSITIONS = 9_999
AGE_RANGE = (16, 70)  # the working ages a requirement may name
DEFAULT_VALID_DAYS = 30  # a posting without an end date runs a month
FOLLOW_UP_DAYS = 7  # a referral is followed up a week later unless told
SHOWN_STATUSES = (*POSTING_STATUSES, "expired")  # expired is worked out, never stored

# What people type or write in a sheet, to the stored codes.
KIND_NAMES = {
    "公司": "company", "企业": "company", "单位": "company", "工厂": "company",
    "个体工商户": "individual_business", "个体户": "individual_business",
    "个体": "individual_business",
    "个人": "individual", "自然人": "individual",
    "individual business": "individual_business",
}  # fmt: skip
UNIT_NAMES = {
    "时": "hour", "小时": "hour", "元/时": "hour", "计时": "hour",
    "日": "day", "天": "day", "元/天": "day", "元/日": "day", "按天": "day", "日薪": "day",
    "月": "month", "元/月": "month", "月薪": "month",
    "件": "piece", "计件": "piece", "元/件": "piece",
}  # fmt: skip
SOURCE_NAMES = {
    "窗口": "desk", "现场": "desk", "前台": "desk", "电话": "phone", "招聘会": "fair",
}  # fmt: skip
# Requirements that discriminate (就业促进法 art. 3, 27; 妇女权益保障法): refused as typed.
FORBIDDEN_WORDS = (
    "限男", "限女", "男性", "女性", "仅男", "仅女", "男士", "女士", "男工", "女工", "男女不限",
    "民族", "汉族", "籍贯", "已婚", "未婚", "未育", "已育",
    "male", "female", "gender", "ethnic",
)  # fmt: skip

# Referral outcomes: referred → interviewed → intention reached → placed, or not hired /
# withdrew from any open step. Skipping forward is allowed (a phone call may bring news
# of a placement straight away); nothing moves back.
OPEN_OUTCOMES = ("referred", "interviewed", "intention")
CLOSED_OUTCOMES = ("not_hired", "withdrew")  # the seeker may be referred to it again
OUTCOME_NEXT: dict[str, tuple[str, ...]] = {
    "referred": ("interviewed", "intention", "placed", "not_hired", "withdrew"),
    "interviewed": ("intention", "placed", "not_hired", "withdrew"),
    "intention": ("placed", "not_hired", "withdrew"),
    "placed": (),
    "not_hired": (),
    "withdrew": (),
}
REACHED_INTENTION = ("intention", "placed")  # counted as 达成就业意向

# Matching a seeker's wished-for pay (monthly) against a posting's best pay.
PAY_POINTS = {"met": 2, "near": 1, "unknown": 1, "far": 0}
NEAR_PERCENT = 80  # within 80% of the wish is "near"
HOURS_A_MONTH = Decimal(174)  # 21.75 paid days × 8 hours (人社部 monthly conversion)
DAYS_A_MONTH = Decimal("21.75")
_WHOLE = re.compile(r"^\d{1,4}$")


# --- employers -----------------------------------------------------------------------------


def clean_kind(raw: object) -> str:
    text = nfkc(raw).lower()
    if not text:
        return "company"
    kind = KIND_NAMES.get(text, text.replace(" ", "_"))
    if kind not in EMPLOYER_KINDS:
        raise UserError("employer.kind", field="kind")
    return kind


# --- postings ------------------------------------------------------------------------------


@dataclass
class PostingInput:
    """A job posting as typed on the form or read from a sheet row."""

    title: str = ""
    job_type: str = ""
    positions: str | int = ""
    pay_min: str = ""  # yuan
    pay_max: str = ""  # yuan; blank: the same as the minimum
    pay_unit: str = ""
    place: str = ""
    hours: str = ""
    age_min: str | int = ""
    age_max: str | int = ""
    education: str = ""  # the least education, GB/T 4658 code or name
    skills: str | list[str] = ""
    requirements: str = ""  # anything else (health certificate …)
    valid_from: date | str = ""  # blank: today
    valid_until: date | str = ""  # blank: a month after valid_from
    source: str = ""  # blank: at the desk
    notes: str = ""


@dataclass(frozen=True)
class CleanPosting:
    title: str
    job_type: str
    positions: int
    pay_min_fen: int
    pay_max_fen: int
    pay_unit: str
    place: str
    hours: str
    age_min: int | None
    age_max: int | None
    education: str
    skills: list[str]
    requirements: str
    valid_from: date
    valid_until: date
    source: str
    notes: str = field(default="")


def validate_posting(
    raw: PostingInput, today: date, ceiling_fen: int = MAX_PAY_FEN
) -> CleanPosting:
    """Every field checked; all problems raised at once (FormErrors), each at its field."""
    form = Collector()
    check = form.check
    pay = check(clean_pay, raw.pay_min, raw.pay_max, ceiling_fen)
    ages = check(clean_ages, raw.age_min, raw.age_max)
    dates = check(clean_dates, raw.valid_from, raw.valid_until, today)
    values = {
        "title": check(clean_text, raw.title, 60, "title", True),
        "job_type": check(clean_text, raw.job_type, 40, "job_type", True),
        "positions": check(clean_positions, raw.positions),
        "pay_unit": check(clean_unit, raw.pay_unit),
        "place": check(clean_text, raw.place, 120, "place", False),
        "hours": check(clean_text, raw.hours, 120, "hours", False),
        "education": check(education_code, nfkc(raw.education), "education"),
        "skills": check(clean_skills, raw.skills),
        "requirements": check(clean_requirements, raw.requirements),
        "source": check(clean_source, raw.source),
        "notes": check(clean_text, raw.notes, 500, "notes", False),
    }
    form.raise_any()
    assert pay is not None and ages is not None and dates is not None  # no refusal
    return CleanPosting(
        pay_min_fen=pay[0],
        pay_max_fen=pay[1],
        age_min=ages[0],
        age_max=ages[1],
        valid_from=dates[0],
        valid_until=dates[1],
        **values,
    )


def clean_positions(raw: object) -> int:
    text = nfkc(raw)
    if not text.lstrip("-").isdigit() or not 1 <= int(text) <= MAX_POSITIONS:
        raise UserError("job.positions", field="positions", limit=MAX_POSITIONS)
    return int(text)


def clean_pay(raw_min: object, raw_max: object, ceiling_fen: int) -> tuple[int, int]:
    """(min, max) in fen: the minimum is required and above zero, the maximum not below it."""
    low = parse_yuan(raw_min, "pay_min", ceiling_fen)
    if not low:
        raise UserError("job.pay_required", field="pay_min")
    high = parse_yuan(raw_max, "pay_max", ceiling_fen)
    if high is None:
        return low, low
    if high < low:
        raise UserError("job.pay_range", field="pay_max")
    return low, high


def clean_unit(raw: object) -> str:
    text = nfkc(raw).lower()
    unit = UNIT_NAMES.get(text, text)
    if unit not in PAY_UNITS:
        raise UserError("job.pay_unit", field="pay_unit")
    return unit


def clean_ages(raw_min: object, raw_max: object) -> tuple[int | None, int | None]:
    found: list[int | None] = []
    for name, raw in (("age_min", raw_min), ("age_max", raw_max)):
        text = nfkc(raw)
        if not text:
            found.append(None)
            continue
        low, high = AGE_RANGE
        if not _WHOLE.match(text) or not low <= int(text) <= high:
            raise UserError("job.age", field=name, low=low, high=high)
        found.append(int(text))
    young, old = found
    if young is not None and old is not None and old < young:
        raise UserError("job.age_order", field="age_max")
    return young, old


def clean_dates(raw_from: date | str, raw_until: date | str, today: date) -> tuple[date, date]:
    start = raw_from if isinstance(raw_from, date) else parse_day(raw_from, "valid_from")
    start = start or today
    end = raw_until if isinstance(raw_until, date) else parse_day(raw_until, "valid_until")
    end = end or start + timedelta(days=DEFAULT_VALID_DAYS)
    if end < start:
        raise UserError("job.dates_order", field="valid_until")
    return start, end


def clean_skills(raw: str | list[str]) -> list[str]:
    items = raw if isinstance(raw, list) else split_items(raw)
    skills = [clean_text(item, 40, "skills", False) for item in items]
    if len(skills) > 10:
        raise UserError("job.too_many_skills", field="skills", limit=10)
    return [s for s in skills if s]


def clean_requirements(raw: object) -> str:
    text = clean_text(raw, 200, "requirements", False)
    folded = text.lower()
    for word in FORBIDDEN_WORDS:
        if word in folded:
            raise UserError("job.discriminatory", field="requirements", word=word)
    return text


def clean_source(raw: object) -> str:
    text = nfkc(raw).lower()
    if not text:
        return "desk"
    source = SOURCE_NAMES.get(text, text)
    if source not in POSTING_SOURCES:
        raise UserError("job.source", field="source")
    return source


def shown_status(stored: str, valid_until: date, today: date) -> str:
    """What a posting is today: an open one past its end date is expired, untouched."""
    if stored == "open" and valid_until < today:
        return "expired"
    return stored


def takes_referrals(stored: str, valid_until: date, today: date) -> bool:
    return shown_status(stored, valid_until, today) == "open"


# --- referrals -----------------------------------------------------------------------------


def check_outcome(current: str, new: str) -> None:
    from frontdesk.i18n import t

    if new not in REFERRAL_OUTCOMES:
        raise UserError("job.outcome_unknown", field="outcome")
    if new not in OUTCOME_NEXT.get(current, ()):
        now, to = t(f"job.outcome.{current}"), t(f"job.outcome.{new}")
        raise UserError("job.outcome_move", field="outcome", now=now, to=to)


def clean_follow_up(raw: date | str | None, day: date) -> date | None:
    """A follow-up date on or after `day`; blank is a week later."""
    if isinstance(raw, date):
        found: date | None = raw
    else:
        found = parse_day(raw or "", "follow_up_on")
    found = found or day + timedelta(days=FOLLOW_UP_DAYS)
    if found < day:
        raise UserError("job.follow_up_past", field="follow_up_on")
    return found


# --- matching ------------------------------------------------------------------------------


def monthly_fen(fen: int, unit: str) -> int | None:
    """Pay as a month's worth, to compare with what a seeker wishes (monthly); None for
    piece work, whose month cannot be known."""
    if unit == "month":
        return fen
    if unit == "day":
        return int((DAYS_A_MONTH * fen).to_integral_value(ROUND_HALF_UP))
    if unit == "hour":
        return int(HOURS_A_MONTH * fen)
    return None


def pay_class(wished_fen: int | None, offered_month_fen: int | None) -> str:
    """How a posting's best pay meets a seeker's wish: met / near / far / unknown."""
    if not wished_fen or offered_month_fen is None:
        return "unknown"
    if offered_month_fen >= wished_fen:
        return "met"
    return "near" if offered_month_fen * 100 >= wished_fen * NEAR_PERCENT else "far"
