"""Job seekers in and out of spreadsheets: CSV (UTF-8 or GB18030) and XLSX (../shared/CLI.md).

Import checks every row with the registration rules before anything is written, then adds
all rows in one transaction, or none. Export masks names, ID numbers and phones unless a
manager has confirmed with a PIN, which is audited.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Person
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.privacy import mask_id, mask_name, mask_phone
from frontdesk.domain.registration import EDUCATION, CleanSeeker, SeekerInput, validate
from frontdesk.domain.text import check_cells
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services.acting import Actor, require_manager
from frontdesk.services.audit import record
from frontdesk.services.seekers import DuplicateSeeker, add_people, find_registered
from frontdesk.services.spreadsheets import (
    ISO_DATE,
    ImportRejected,
    ImportResult,
    Layout,
    LossyNumber,
    PendingRejects,
    Problem,
    check_target,
    map_header,
    publish,
    read_rows,
    rejects_target,
    write_tmp,
)

# The file format's column names (CLI.md): the English name is the field, then the Chinese.
# They are a contract with the spreadsheets people keep, so they live here and not in the
# translation catalogue.
COLUMNS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "education": "学历",
    "skills": "技能",
    "desired_jobs": "求职意向",
    "registered_on": "登记日期",
    "notes": "备注",
}
REQUIRED = ("name", "id_number", "phone")
# Sensitive categories are left out of exports (PIPL art. 28: restricted access).
EXPORT_COLUMNS: dict[str, str] = {
    **{name: COLUMNS[name] for name in list(COLUMNS)[:7]},
    "valid_until": "有效期至",
    "status": "状态",
    "notes": "备注",
}
ITEM_SEPARATORS = re.compile(r"[;；]")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits: a longer number lost its tail
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


@dataclass
class _Row:
    number: int
    cells: list[str]
    clean: CleanSeeker | None = None  # set once every check passed
    problems: list[Problem] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------


# --- header ----------------------------------------------------------------------------


# --- rows ------------------------------------------------------------------------------


def _parse_row(number: int, cells: list[str], layout: Layout, today: date) -> _Row:
    row = _Row(number, cells)
    values = {f: cells[i] for i, f in enumerate(layout.fields) if f and i < len(cells)}
    lost = [f for f, value in values.items() if isinstance(value, LossyNumber)]
    unreadable = check_cells(values)
    if lost or unreadable:  # what the other checks would say about those cells only repeats it
        errors = [UserError("seeker_io.number_lost", field=f) for f in lost] + unreadable
    else:
        outcome = _check(values, today)
        if isinstance(outcome, CleanSeeker):
            row.clean = outcome
            return row
        errors = outcome
    errors.sort(key=lambda e: layout.position(_field_of(e)))  # in the order of the sheet
    row.problems = [_problem(row, layout, e) for e in errors]
    return row


def _check(values: dict[str, str], today: date) -> CleanSeeker | list[UserError]:
    """The clean registration, or every problem of the row."""
    errors: list[UserError] = []
    raw = SeekerInput(
        name=values.get("name", ""),
        id_number=values.get("id_number", ""),
        phone=values.get("phone", ""),
        skills=_items(values.get("skills", "")),
        desired_jobs=[(job, "", "") for job in _items(values.get("desired_jobs", ""))],
        notes=values.get("notes", ""),
        consent=True,  # the signed paper registration form is the person's consent
    )
    for name, parse in (("education", _education), ("registered_on", _registered_on)):
        try:
            setattr(raw, name, parse(values.get(name, "")))
        except UserError as exc:
            errors.append(exc)
    try:
        clean = validate(raw, today)
    except FormErrors as exc:
        return errors + exc.errors
    return errors or clean


def _problem(row: _Row, layout: Layout, error: UserError) -> Problem:
    name = _field_of(error)
    return Problem(row.number, layout.labels.get(name, name), error)


def _field_of(error: UserError) -> str:
    name = error.field or ""
    return "desired_jobs" if name.startswith(("job", "pay")) else name  # validate's job1, pay2


def _items(text: str) -> list[str]:
    return [item.strip() for item in ITEM_SEPARATORS.split(text) if item.strip()]


def _education(text: str) -> str:
    """A GB/T 4658 code, or its name in Chinese or English as the catalogue spells it."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value or value in EDUCATION:
        return value
    for code in EDUCATION:
        zh, en = CATALOGUE[f"edu.{code}"]
        if value == zh or value.lower() == en.lower():
            return code
    if value == "大专":  # the everyday word for 专科 on paper forms
        return "31"
    raise UserError("seeker_io.bad_education", field="education")


def _registered_on(text: str) -> date | None:
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise UserError("seeker_io.bad_date", field="registered_on") from None


def _parse_all(rows: list[list[str]], layout: Layout, today: date) -> list[_Row]:
    parsed = [
        _parse_row(n, cells, layout, today)
        for n, cells in enumerate(rows, start=2)
        if any(c.strip() for c in cells)  # a blank line between entries is not an entry
    ]
    if not parsed:
        raise UserError("seeker_io.no_rows", field="file")
    first_seen: dict[str, int] = {}
    for row in parsed:
        if row.clean is None:
            continue
        first = first_seen.setdefault(row.clean.id_number, row.number)
        if first != row.number:
            twin = UserError("seeker_io.duplicate_in_file", field="id_number", row=first)
            row.problems.append(_problem(row, layout, twin))
            row.clean = None
    return parsed


def _mark_registered(s: Session, site_code: str, parsed: list[_Row], layout: Layout) -> None:
    """Rows whose ID number this site has already registered (same transaction as the add)."""
    ready = [row for row in parsed if row.clean is not None]
    found = find_registered(s, site_code, [row.clean.id_number for row in ready if row.clean])
    for row in ready:
        existing = found.get(row.clean.id_number) if row.clean else None
        if existing is not None:
            masked = mask_name(existing.name), mask_id(existing.id_number)
            row.problems.append(_problem(row, layout, DuplicateSeeker(existing.id, *masked)))
            row.clean = None


# --- import ----------------------------------------------------------------------------


def import_seekers(
    engine: Engine,
    actor: Actor,
    path: Path,
    now: datetime,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    via: str = "tui",
) -> ImportResult:
    """Every row checked first, without the write lock; then all valid rows in one short
    transaction, audited, so a sync or a clerk's save waits for the writing only.

    With problems and without `skip_invalid`, nothing is written and ImportRejected lists
    them. With `skip_invalid`, the valid rows are added and the others go to `rejects`.
    """
    path = Path(path)
    rejects = rejects_target(path, rejects)
    header, rows = read_rows(path)
    layout = map_header(header, rows, columns=COLUMNS, required=REQUIRED)
    parsed = _parse_all(rows, layout, business_date(now))
    with reading(engine) as s:
        _mark_registered(s, actor.site_code, parsed, layout)
    bad = [r for r in parsed if r.problems]
    problems = [p for r in bad for p in r.problems]
    if bad and not skip_invalid:
        raise ImportRejected(problems)
    good = [r for r in parsed if r.clean is not None]
    with PendingRejects(rejects, header, layout, bad) as pending, writing(engine) as s:
        add_people(s, actor, [row.clean for row in good if row.clean is not None], now)
        detail = f"imported={len(good)} rejected={len(bad)} via={via}"
        record(s, actor.site_code, "seekers_import", staff_id=actor.staff_id, detail=detail, at=now)
        pending.publish()
    return ImportResult(len(good), len(bad), problems, pending.path)


# --- export ----------------------------------------------------------------------------


def export_seekers(
    engine: Engine,
    site_code: str,
    path: Path,
    *,
    reveal_by: Actor | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
    via: str = "tui",
) -> int:
    """Write the site's registrations; masked unless `reveal_by` is a PIN-confirmed manager.

    The caller checks the PIN (confirm_manager); the manager's role is checked again here.
    Every export is audited, and one with full values under its own action.
    """
    path = Path(path)
    check_target(path)
    now = now or utcnow()
    with reading(engine) as s:
        if reveal_by is not None:
            require_manager(s, reveal_by)
        people = s.exec(
            select(Person)
            .where(Person.site_code == site_code, col(Person.deleted_at).is_(None))
            .order_by(col(Person.registered_on), col(Person.created_at))
        ).all()
    chinese = language() == "zh"
    header = [zh if chinese else en for en, zh in EXPORT_COLUMNS.items()]
    rows = [_export_row(p, reveal=reveal_by is not None) for p in people]
    tmp = write_tmp(path, header, rows, guard_formulas=True)
    try:
        with writing(engine) as s:
            who = reveal_by or actor
            action = "seekers_export_unmasked" if reveal_by else "seekers_export"
            staff_id = who.staff_id if who else None
            detail = f"rows={len(rows)} via={via}"
            record(s, site_code, action, staff_id=staff_id, detail=detail, at=now)
            publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(rows)


def _export_row(p: Person, *, reveal: bool) -> list[object]:
    jobs = [j.get("job", "") for j in p.desired_jobs or []]
    return [
        p.name if reveal else mask_name(p.name),
        p.id_number if reveal else mask_id(p.id_number),
        p.phone if reveal else mask_phone(p.phone),
        t(f"edu.{p.education}") if p.education else "",
        ";".join(p.skills or []),
        ";".join(j for j in jobs if j),
        p.registered_on,
        p.valid_until,
        t(f"status.{p.status}"),
        p.notes,
    ]


# --- writing files ---------------------------------------------------------------------
