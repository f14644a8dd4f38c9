"""Job seekers in and out of spreadsheets: CSV (UTF-8 or GB18030) and XLSX (../shared/CLI.md).

Import checks every row with the registration rules before anything is written, then adds
all rows in one transaction, or none. Export masks names, ID numbers and phones unless a
manager has confirmed with a PIN, which is audited.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Person, Staff
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain.clock import business_date
from frontdesk.domain.privacy import mask_id, mask_name, mask_phone
from frontdesk.domain.registration import EDUCATION, CleanSeeker, FormErrors, SeekerInput, validate
from frontdesk.domain.text import check_cells
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services.audit import record
from frontdesk.services.auth import confirm_pin
from frontdesk.services.seekers import Actor, DuplicateSeeker, add_people, find_duplicate

FORMATS = (".csv", ".xlsx")
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
REASON = "reason"  # the column a rejects file adds; accepted, and ignored, on re-import
REASON_NAMES = ("reason", "原因")
# Sensitive categories are left out of exports (PIPL art. 28: restricted access).
EXPORT_COLUMNS: dict[str, str] = {
    **{name: COLUMNS[name] for name in list(COLUMNS)[:7]},
    "valid_until": "有效期至",
    "status": "状态",
    "notes": "备注",
}
ITEM_SEPARATORS = re.compile(r"[;；]")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXACT_DIGITS = 10**15  # Excel keeps 15 significant digits: a longer number lost its tail
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


class _LossyNumber(str):
    """Digits of a numeric cell too long for Excel to have kept exactly (an 18-digit ID)."""


@dataclass(frozen=True)
class Problem:
    """Why one cell (or the header, row 1) cannot be imported; row numbers as in the sheet."""

    row: int
    column: str
    error: UserError

    @property
    def reason(self) -> str:
        return self.error.message()

    def line(self) -> str:
        return t("seeker_io.problem", row=self.row, column=self.column, reason=self.reason)


class ImportRejected(UserError):
    """The file has problems and nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        rows = len({p.row for p in problems})
        super().__init__("seeker_io.rejected", rows=rows, problems=len(problems))
        self.problems = problems

    def report(self) -> list[str]:
        return [p.line() for p in self.problems] + [self.message()]


@dataclass(frozen=True)
class ImportResult:
    imported: int
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejects: Path | None = None


@dataclass(frozen=True)
class Layout:
    """What each column of the file holds: a field name, REASON, or None (blank, unused)."""

    fields: list[str | None]
    labels: dict[str, str]  # field -> the header as written in the file
    chinese: bool  # the file names its columns in Chinese

    def position(self, name: str) -> int:
        return self.fields.index(name) if name in self.fields else len(self.fields)


@dataclass
class _Row:
    number: int
    cells: list[str]
    clean: CleanSeeker | None = None  # set once every check passed
    problems: list[Problem] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows as text; row i of `rows` is spreadsheet row i + 2."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError("seeker_io.format", field="file", path=str(path))
    if not path.is_file():
        raise UserError("seeker_io.no_file", field="file", path=str(path))
    table = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
    while table and not any(table[-1]):
        table.pop()  # trailing blank rows (XLSX sheets often carry formatted empty ones)
    if not table or not any(table[0]):
        raise UserError("seeker_io.empty", field="file", path=str(path))
    return [c.strip() for c in table[0]], table[1:]


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GB18030
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    raise UserError("seeker_io.encoding", field="file", path=str(path))


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with path.open("rb") as fh:
            book = load_workbook(fh, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [[_cell_text(v) for v in r] for r in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
    except Exception as exc:  # a damaged workbook fails in many ways (zip, XML, styles)
        raise UserError(
            "seeker_io.unreadable", field="file", path=str(path), reason=str(exc)
        ) from exc


def _cell_text(value: object) -> str:
    """A cell as the text a person sees: 13800138000, not 13800138000.0 or 1.38e10."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        shown = Decimal(repr(value))  # the shortest decimal that is this float, as Excel shows
        if not value.is_integer():
            return format(shown, "f")
        digits = str(int(shown))
        return _LossyNumber(digits) if abs(value) >= EXACT_DIGITS else digits
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --- header ----------------------------------------------------------------------------


def map_header(
    header: Sequence[str],
    rows: Sequence[Sequence[str]] = (),
    *,
    columns: dict[str, str] = COLUMNS,
    required: Sequence[str] = REQUIRED,
    unknown_code: str = "seeker_io.unknown_column",
) -> Layout:
    """Which field each column holds; every header problem at once, as row 1.

    `columns` maps each field to its Chinese header; English or Chinese names are accepted,
    and the reason column of a rejects file is taken and ignored. Walk-in imports pass theirs.
    """
    known = {n: en for en, zh in columns.items() for n in (en, zh)}
    known.update(dict.fromkeys(REASON_NAMES, REASON))
    problems: list[Problem] = []
    fields: list[str | None] = []
    labels: dict[str, str] = {}
    for label in header:
        key = unicodedata.normalize("NFKC", label).strip()
        name = (known.get(key) or known.get(key.lower())) if key else None
        if key and name is None:
            problems.append(Problem(1, label, UserError(unknown_code)))
        elif name in labels:
            problems.append(Problem(1, label, UserError("seeker_io.duplicate_column")))
            name = None
        elif name is not None:
            labels[name] = label
        fields.append(name)
    problems += _unnamed_columns(header, rows)
    chinese = any(CJK.search(label) for label in header)
    for name in required:
        if name not in labels:
            missing = UserError("seeker_io.missing_column")
            problems.append(Problem(1, columns[name] if chinese else name, missing))
    if problems:
        raise ImportRejected(problems)
    return Layout(fields, labels, chinese)


def _unnamed_columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Problem]:
    """Data under a blank header cell (or past the last one) has no column name to go by."""
    width = max((len(r) for r in rows), default=0)
    found = []
    for index in range(width):
        if index < len(header) and header[index].strip():
            continue
        if any(index < len(r) and r[index].strip() for r in rows):
            column = t("seeker_io.column_number", number=index + 1)
            found.append(Problem(1, column, UserError("seeker_io.unnamed_column")))
    return found


# --- rows ------------------------------------------------------------------------------


def _parse_row(number: int, cells: list[str], layout: Layout, today: date) -> _Row:
    row = _Row(number, cells)
    values = {f: cells[i] for i, f in enumerate(layout.fields) if f and i < len(cells)}
    lost = [f for f, value in values.items() if isinstance(value, _LossyNumber)]
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
    for row in parsed:
        if row.clean is None:
            continue
        existing = find_duplicate(s, site_code, row.clean.id_number)
        if existing is not None:
            masked = mask_name(existing.name), mask_id(existing.id_number)
            row.problems.append(_problem(row, layout, DuplicateSeeker(existing.id, *masked)))
            row.clean = None


# --- import ----------------------------------------------------------------------------


def rejects_target(source: Path, rejects: Path | None) -> Path | None:
    """A rejects file is new and has the input's format, so it can be fixed and re-imported."""
    if rejects is None:
        return None
    rejects = Path(rejects)
    _check_target(rejects)
    if rejects.suffix.lower() != source.suffix.lower():
        raise UserError("seeker_io.rejects_format", field="output", suffix=source.suffix.lower())
    return rejects


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
    layout = map_header(header, rows)
    parsed = _parse_all(rows, layout, business_date(now))
    with reading(engine) as s:
        _mark_registered(s, actor.site_code, parsed, layout)
    bad = [r for r in parsed if r.problems]
    problems = [p for r in bad for p in r.problems]
    if bad and not skip_invalid:
        raise ImportRejected(problems)
    good = [r for r in parsed if r.clean is not None]
    made = None
    if bad and rejects is not None:  # made before the lock, published inside the transaction
        made = _write_tmp(rejects, *_rejects_table(header, layout, bad), guard_formulas=False)
    published = False
    try:
        with writing(engine) as s:
            add_people(s, actor, [row.clean for row in good if row.clean is not None], now)
            detail = f"imported={len(good)} rejected={len(bad)} via={via}"
            record(
                s, actor.site_code, "seekers_import", staff_id=actor.staff_id, detail=detail, at=now
            )
            if made is not None and rejects is not None:
                _publish(made, rejects)
                published = True
    except BaseException:
        if published and rejects is not None:  # the commit failed after the rejects file was made
            rejects.unlink(missing_ok=True)
        raise
    finally:
        if made is not None:
            made.unlink(missing_ok=True)
    return ImportResult(len(good), len(bad), problems, rejects if published else None)


def _rejects_table(
    header: list[str], layout: Layout, bad: list[_Row]
) -> tuple[list[str], list[list[object]]]:
    """The rejected rows as they were, with the reasons in a last column."""
    if REASON in layout.fields:  # a rejects file imported again: refresh its reasons
        at = layout.fields.index(REASON)
        header = header[:at] + header[at + 1 :]
    else:
        at = None
    label = "原因" if layout.chinese else "reason"
    table: list[list[object]] = []
    for row in bad:
        cells = list(row.cells) + [""] * (len(layout.fields) - len(row.cells))
        if at is not None:
            del cells[at]
        reasons = " ".join(
            t("seeker_io.reason_item", column=p.column, reason=p.reason) for p in row.problems
        )
        table.append([*cells[: len(header)], reasons])
    return [*header, label], table


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
    _check_target(path)
    now = now or utcnow()
    with reading(engine) as s:
        if reveal_by is not None:
            _require_manager(s, reveal_by)
        people = s.exec(
            select(Person)
            .where(Person.site_code == site_code, col(Person.deleted_at).is_(None))
            .order_by(col(Person.registered_on), col(Person.created_at))
        ).all()
    chinese = language() == "zh"
    header = [zh if chinese else en for en, zh in EXPORT_COLUMNS.items()]
    rows = [_export_row(p, reveal=reveal_by is not None) for p in people]
    tmp = _write_tmp(path, header, rows, guard_formulas=True)
    try:
        with writing(engine) as s:
            who = reveal_by or actor
            action = "seekers_export_unmasked" if reveal_by else "seekers_export"
            staff_id = who.staff_id if who else None
            detail = f"rows={len(rows)} via={via}"
            record(s, site_code, action, staff_id=staff_id, detail=detail, at=now)
            _publish(tmp, path)
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


def _require_manager(s: Session, actor: Actor) -> Staff:
    staff = s.get(Staff, actor.staff_id)
    if (
        staff is None
        or staff.site_code != actor.site_code
        or staff.role != "manager"
        or not staff.active
        or staff.deleted_at is not None
    ):
        raise UserError("reveal.manager_only", field="manager")
    return staff


def confirm_manager(
    engine: Engine, site_code: str, staff_id: uuid.UUID, pin: str, now: datetime
) -> Actor:
    """A manager re-types the PIN before an unmasked export; wrong PINs count towards the lock."""
    confirm_pin(engine, staff_id, pin, now, action="export_pin", role="manager")
    return Actor(site_code, staff_id)


def manager_named(engine: Engine, site_code: str, name: str) -> uuid.UUID:
    with reading(engine) as s:
        found = s.exec(_managers(site_code).where(Staff.name == name.strip())).first()
    if found is None:
        raise UserError("seeker_io.no_such_manager", field="manager", name=name.strip())
    return found.id


def cli_actor(engine: Engine, site_code: str) -> Actor:
    """The command line acts as the site's first active manager (audited with via=cli)."""
    with reading(engine) as s:
        first = s.exec(_managers(site_code).order_by(Staff.created_at, Staff.name)).first()
    if first is None:
        raise UserError("seeker_io.no_manager", site=site_code)
    return Actor(site_code, first.id)


def _managers(site_code: str):
    return select(Staff).where(
        Staff.site_code == site_code,
        Staff.role == "manager",
        Staff.active,
        col(Staff.deleted_at).is_(None),
    )


# --- writing files ---------------------------------------------------------------------


def _check_target(path: Path) -> None:
    """An output file: a known format, a folder that exists, and nothing overwritten."""
    if path.suffix.lower() not in FORMATS:
        raise UserError("seeker_io.format", field="output", path=str(path))
    if path.exists():
        raise UserError("seeker_io.exists", field="output", path=str(path))
    if not path.parent.is_dir():
        raise UserError("seeker_io.no_folder", field="output", path=str(path.parent))


def _write_tmp(
    path: Path, header: list[str], rows: list[list[object]], *, guard_formulas: bool
) -> Path:
    """Write beside the target first, so a failure never leaves a half-written file."""
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        if path.suffix.lower() == ".csv":
            _write_csv(tmp, header, rows, guard_formulas)
        else:
            _write_xlsx(tmp, header, rows)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            "seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror
        ) from exc
    return tmp


def _publish(tmp: Path, path: Path) -> None:
    if path.exists():  # made while we were writing: still never overwrite
        raise UserError("seeker_io.exists", field="output", path=str(path))
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(
            "seeker_io.cannot_write", field="output", path=str(path), reason=exc.strerror
        ) from exc


def _write_csv(path: Path, header: list[str], rows: list[list[object]], guard: bool) -> None:
    # UTF-8 with a BOM: Excel on Chinese Windows otherwise reads the file as GBK.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for row in rows:
            out.writerow([_csv_text(v, guard) for v in row])


def _csv_text(value: object, guard: bool) -> str:
    text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
    if guard and text.startswith(FORMULA_START):
        return "'" + text  # a typed "=..." must not become a formula when Excel opens it
    return text


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()

    def cell(value: object) -> WriteOnlyCell:
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            made.data_type = "s"  # text stays text: no formula, ID numbers keep every digit
        elif isinstance(value, date):
            made.number_format = "yyyy-mm-dd"
        return made

    sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    book.save(path)


# --- shared with other spreadsheets (services/walkin_io.py) ----------------------------
# Public names for the machinery above, so every import and export behaves the same way.
# They only delegate: seekers' own behaviour is unchanged.


def is_lossy_number(value: str) -> bool:
    """A numeric cell too long for Excel to have kept every digit of (see read_rows)."""
    return isinstance(value, _LossyNumber)


def check_target(path: Path) -> None:
    """Refuse an output path with an unknown format, a missing folder, or an existing file."""
    _check_target(path)


def rejects_table(
    header: list[str], layout: Layout, bad: list
) -> tuple[list[str], list[list[object]]]:
    """`bad`: rows with `cells` (as read) and `problems`, like this module's own `_Row`."""
    return _rejects_table(header, layout, bad)


def write_tmp(
    path: Path, header: list[str], rows: list[list[object]], *, guard_formulas: bool
) -> Path:
    return _write_tmp(path, header, rows, guard_formulas=guard_formulas)


def publish(tmp: Path, path: Path) -> None:
    _publish(tmp, path)
