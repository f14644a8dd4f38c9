"""Rules for a job seeker's registration fields (DOMAIN.md), shared by the form, CLI and import.

Each rule takes the raw text a person typed and returns the clean value or raises UserError
naming the field, so the TUI can check a field as it is typed and the import can report
row, column and reason with the same words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

from frontdesk.domain import idcard
from frontdesk.domain.dates import check_recorded
from frontdesk.domain.education import CODES, education_code
from frontdesk.domain.forms import Collector, nfkc, split_items
from frontdesk.domain.money import parse_yuan
from frontdesk.domain.text import clean_text
from frontdesk.errors import UserError

EDUCATION = CODES  # the stored GB/T 4658 codes (domain/education.py)
STATUSES = ("active", "employed", "cancelled")
HUKOU_TYPES = ("local_urban", "local_rural", "other_urban", "other_rural")
# Self-declared employment-difficulty categories; True marks sensitive information
# (PIPL art. 28/29), which needs its own consent.
CATEGORIES: dict[str, bool] = {
    "older_unemployed": False,
    "long_unemployed": False,
    "landless_farmer": False,
    "veteran": False,
    "zero_employment_family": True,
    "dibao": True,
    "disability": True,
    "released_prisoner": True,
    "mental_health_recovery": True,
}
MAX_DESIRED_JOBS = 3
MOBILE = re.compile(r"^(?:(?:\+|00)86)?(1[3-9]\d{9})$", re.ASCII)
LANDLINE = re.compile(r"^(\d{3}-\d{8}|\d{4}-\d{7,8})$", re.ASCII)


def clean_name(raw: str) -> str:
    name = re.sub(r"\s+", " ", clean_text(nfkc(raw), "name"))
    if not name:
        raise UserError("seeker.name_required", field="name")
    if len(name) > 40:
        raise UserError("seeker.name_long", field="name")
    return name


def clean_id_number(raw: str, today: date) -> str:
    return idcard.normalise(raw, today)


def clean_phone(raw: str) -> str:
    """A mobile as its 11 digits (country code and spaces dropped) or a landline with dash."""
    text = re.sub(r"[\s()]", "", nfkc(raw))
    if not text:
        raise UserError("phone.required", field="phone")
    mobile = MOBILE.match(text.replace("-", ""))
    if mobile:
        return mobile.group(1)
    if LANDLINE.match(text):
        return text
    raise UserError("phone.format", field="phone")


def clean_education(raw: str) -> str:
    """A stored code from any written form: a code, a name, a short form or an English word."""
    return education_code(raw)


def clean_list(raw: str | list[str], limit: int, field_name: str) -> list[str]:
    if isinstance(raw, str):  # as a cell or a field holds it: remembered per text
        return list(_clean_text_list(raw, limit, field_name))
    return list(_clean_items(tuple(raw), limit, field_name))


@functools.lru_cache(maxsize=4096)
def _clean_text_list(raw: str, limit: int, field_name: str) -> tuple[str, ...]:
    return _clean_items(tuple(split_items(raw)), limit, field_name)


def _clean_items(items: tuple[str, ...], limit: int, field_name: str) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))
    if len(cleaned) > limit:
        raise UserError("seeker.too_many", field=field_name, limit=limit)
    return cleaned


@dataclass(frozen=True)
class DesiredJob:
    job: str
    pay_fen: int | None = None  # monthly pay wished for
    area: str = ""

    def as_json(self) -> dict:
        return {"job": self.job, "pay_fen": self.pay_fen, "area": self.area}


@dataclass
class SeekerInput:
    """What a form or an import row supplies, as typed.

    On an edit, `id_number` or `phone` is None when the person left it as shown (masked):
    the stored value stands (seekers.update fills it in before validating). A new
    registration has no stored value, so None there is simply missing.
    """

    name: str = ""
    id_number: str | None = ""
    phone: str | None = ""
    education: str = ""
    skills: str | list[str] = ""
    desired_jobs: list[tuple[str, str, str]] = field(default_factory=list)  # job, pay, area
    availability: str = ""
    categories: list[str] = field(default_factory=list)
    hukou_type: str = ""
    ethnicity: str = ""
    address: str | None = ""  # None: left masked on an edit (the stored one stands)
    notes: str = ""
    registered_on: date | None = None
    consent: bool = False
    sensitive_consent: bool = False


@dataclass(frozen=True)
class CleanSeeker:
    name: str
    id_number: str
    phone: str
    education: str
    skills: list[str]
    desired_jobs: list[DesiredJob]
    availability: str
    categories: list[str]
    hukou_type: str
    ethnicity: str
    address: str
    notes: str
    registered_on: date
    consent: bool
    sensitive_consent: bool

    @property
    def sensitive(self) -> bool:
        return any(CATEGORIES[c] for c in self.categories)


def validate(raw: SeekerInput, today: date) -> CleanSeeker:
    form = Collector()
    check = form.check
    values = {
        "name": check(clean_name, raw.name),
        "id_number": check(clean_id_number, raw.id_number or "", today),
        "phone": check(clean_phone, raw.phone or ""),
        "education": check(clean_education, raw.education),
        "skills": check(clean_list, raw.skills, 20, "skills"),
        "desired_jobs": check(_desired_jobs, raw.desired_jobs),
        "categories": check(_categories, raw.categories),
        "hukou_type": check(_choice, raw.hukou_type, HUKOU_TYPES, "hukou_type"),
    }
    texts = {
        "availability": (raw.availability, 200),
        "ethnicity": (raw.ethnicity, 20),
        "address": (raw.address or "", 200),
        "notes": (raw.notes, 500),
    }
    for name, (text, limit) in texts.items():
        values[name] = check(_text, text, limit, name)
    registered_on = raw.registered_on or today
    if registered_on > today:
        form.add("seeker.registered_future", "registered_on")
    form.check(check_recorded, registered_on, "registered_on")
    if not raw.consent:
        form.add("seeker.consent_required", "consent")
    cats = values["categories"] or []
    if any(CATEGORIES[c] for c in cats) and not raw.sensitive_consent:
        form.add("seeker.sensitive_consent_required", "sensitive_consent")
    form.raise_any()
    return CleanSeeker(
        **values,
        registered_on=registered_on,
        consent=raw.consent,
        sensitive_consent=raw.sensitive_consent and any(CATEGORIES[c] for c in cats),
    )


def _text(raw: str, limit: int, field_name: str) -> str:
    if not raw:  # most of an imported row's free-text fields: nothing to clean
        return ""
    text = clean_text(nfkc(raw), field_name, multiline=field_name == "notes")
    if len(text) > limit:
        raise UserError("seeker.text_long", field=field_name, limit=limit)
    return text


def _choice(raw: str, allowed: tuple[str, ...], field_name: str) -> str:
    if not raw:
        return ""
    value = nfkc(raw)
    if value and value not in allowed:
        raise UserError("seeker.unknown_choice", field=field_name)
    return value


def _categories(raw: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(c.strip() for c in raw if c.strip()))
    for code in cleaned:
        if code not in CATEGORIES:
            raise UserError("seeker.unknown_choice", field="categories")
    return cleaned


def _desired_jobs(rows: list[tuple[str, str, str]]) -> list[DesiredJob]:
    return list(_jobs_of(tuple(rows)))


@functools.lru_cache(maxsize=4096)
def _jobs_of(rows: tuple[tuple[str, str, str], ...]) -> tuple[DesiredJob, ...]:
    """Remembered per list written (an import's rows repeat a few hundred of them; a
    refusal is not remembered, it is raised anew): DesiredJob is immutable, each
    registration gets a list of its own."""
    jobs = []
    for i, (job, pay, area) in enumerate(rows, start=1):
        job = nfkc(job)
        if not job and not nfkc(pay) and not nfkc(area):
            continue
        if not job:
            raise UserError("seeker.job_required", field=f"job{i}")
        jobs.append(DesiredJob(job[:40], parse_yuan(pay, f"pay{i}"), nfkc(area)[:40]))
    if len(jobs) > MAX_DESIRED_JOBS:
        raise UserError("seeker.too_many", field="desired_jobs", limit=MAX_DESIRED_JOBS)
    return tuple(jobs)
