"""Employers and job postings in and out of spreadsheets (CLI.md, `import|export
employers|postings`), with the seekers import's rules: CSV (UTF-8 or GB18030) or XLSX,
English or Chinese headers in any order, unknown columns refused, all rows or none, or
the valid ones with `--skip-invalid` and the others in a rejects file.

File reading, the header rules, the row/column/reason report and the rejects file are every
spreadsheet's (services/spreadsheets.py); each row is checked by the same rules as the
desk's forms (services/employers.py, domain/job_rules.py). Exports mask contact phones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.models import Employer, JobPosting
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain import job_rules
from frontdesk.domain.clock import business_date
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.money import MAX_PAY_FEN, yuan_text
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record
from frontdesk.services.employers import EmployerInput, add_employers, clean_employer, find_employer
from frontdesk.services.postings import new_posting
from frontdesk.services.spreadsheets import (
    Columns,
    ImportRejected,
    ImportResult,
    Layout,
    PendingRejects,
    Problem,
    cell_day,
    cell_problems,
    check_target,
    export_audited,
    read_table,
    rejects_target,
    row_values,
)

# The columns (CLI.md): the English name is the field, then the headers offices write it
# under, the canonical Chinese first. A contract with people's sheets, as for seekers.
EMPLOYER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "企业名称", "用工主体"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "kind": ("类型", "主体类型"),
    "contact": ("联系人",),
    "phone": ("联系电话", "电话", "手机号"),
    "address": ("地址", "单位地址"),
    "notes": ("备注", "说明"),
}
POSTING_ALIASES: dict[str, tuple[str, ...]] = {
    "employer": ("用工单位", "招聘单位", "单位名称"),
    "title": ("岗位名称", "岗位"),
    "job_type": ("工种",),
    "positions": ("招聘人数", "人数"),
    "pay_min": ("薪酬下限", "最低薪酬"),
    "pay_max": ("薪酬上限", "最高薪酬"),
    "pay_unit": ("计薪方式", "薪酬单位"),
    "place": ("工作地点", "地点"),
    "hours": ("工作时间",),
    "valid_from": ("开始日期", "发布日期"),
    "valid_until": ("截止日期", "有效期至"),
    "requirements": ("要求", "岗位要求"),
    "notes": ("备注", "说明"),
}
EMPLOYER_COLUMNS = Columns(EMPLOYER_ALIASES, ("name",), "seeker_io.unknown_column")
POSTING_COLUMNS = Columns(
    POSTING_ALIASES,
    ("employer", "title", "job_type", "positions", "pay_min", "pay_unit"),
    "seeker_io.unknown_column",
)
# A form's field where the sheet's column has another name.
FORM_FIELD_COLUMN = {"contact_name": "contact", "posting": "employer"}
UNIT_WORDS = {"hour": "时", "day": "日", "month": "月", "piece": "件"}


@dataclass
class _Row:
    number: int
    cells: list[str]
    problems: list[Problem] = field(default_factory=list)
    clean: object = None


# --- import ----------------------------------------------------------------------------------


def import_employers(
    engine: Engine, actor: Actor, path: Path, now: datetime, **options
) -> ImportResult:
    return _import(engine, actor, Path(path), now, _EmployerRows(), **options)


def import_postings(
    engine: Engine, actor: Actor, path: Path, now: datetime, **options
) -> ImportResult:
    return _import(engine, actor, Path(path), now, _PostingRows(business_date(now)), **options)


def _import(
    engine: Engine,
    actor: Actor,
    path: Path,
    now: datetime,
    kind: _Rows,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    via: str = "tui",
    sheet: str | None = None,
) -> ImportResult:
    """Every row checked, then the good ones written in one transaction: all or none."""
    rejects = rejects_target(path, rejects)
    table = read_table(path, kind.columns, sheet)
    rows = [_Row(number, cells) for number, cells in table.entries()]
    with writing(engine) as s:  # checked under the lock: a twin added meanwhile is seen
        for row in rows:
            values = row_values(row.cells, table.layout)
            errors = cell_problems(values)
            if not errors:
                row.clean, errors = kind.check(s, actor.site_code, values)
            errors.sort(key=lambda e: table.layout.position(_column(e)))  # the sheet's order
            row.problems = [_problem(row.number, table.layout, e) for e in errors]
        kind.twins(rows, table.layout)
        bad = [r for r in rows if r.problems]
        problems = [p for r in bad for p in r.problems]
        if bad and not skip_invalid:
            raise ImportRejected(problems)
        good = [r.clean for r in rows if not r.problems]
        with PendingRejects(rejects, table.header, table.layout, bad) as pending:
            kind.write(s, actor, good)
            detail = f"imported={len(good)} rejected={len(bad)} via={via}"
            record(s, actor.site_code, kind.action, staff_id=actor.staff_id, detail=detail, at=now)
            pending.publish()
    return ImportResult(len(good), len(bad), problems, pending.path)


def _problem(number: int, layout: Layout, error: UserError) -> Problem:
    name = _column(error)
    return Problem(number, layout.labels.get(name, name), error)


def _column(error: UserError) -> str:
    return FORM_FIELD_COLUMN.get(error.field or "", error.field or "")


Checked = tuple[object, list[UserError]]  # the row's clean value, or its problems


class _Rows:
    columns: Columns
    action: str

    def check(self, s: Session, site: str, values: dict[str, str]) -> Checked:
        raise NotImplementedError

    def twins(self, rows: list[_Row], layout: Layout) -> None:
        """Problems between rows of the file itself."""

    def write(self, s: Session, actor: Actor, cleans: list) -> None:
        raise NotImplementedError


class _EmployerRows(_Rows):
    columns = EMPLOYER_COLUMNS
    action = "employers_import"

    def check(self, s: Session, site: str, values: dict[str, str]) -> Checked:
        raw = EmployerInput(
            name=values.get("name", ""),
            credit_code=values.get("credit_code", ""),
            kind=values.get("kind", ""),
            contact_name=values.get("contact", ""),
            phone=values.get("phone", ""),
            address=values.get("address", ""),
            notes=values.get("notes", ""),
        )
        try:
            clean = clean_employer(raw)
        except FormErrors as exc:
            return None, exc.errors
        code = clean["credit_code"]
        if code and find_employer(s, site, str(code)) is not None:
            return None, [UserError("employer.credit_code_taken", field="credit_code")]
        return clean, []

    def twins(self, rows: list[_Row], layout: Layout) -> None:
        seen: dict[object, int] = {}
        for row in rows:
            code = row.clean["credit_code"] if isinstance(row.clean, dict) else ""
            if row.problems or not code:
                continue
            first = seen.setdefault(code, row.number)
            if first != row.number:
                twin = UserError("seeker_io.duplicate_in_file", field="credit_code", row=first)
                row.problems.append(_problem(row.number, layout, twin))

    def write(self, s: Session, actor: Actor, cleans: list) -> None:
        add_employers(s, actor, cleans)


class _PostingRows(_Rows):
    columns = POSTING_COLUMNS
    action = "postings_import"

    def __init__(self, today: date) -> None:
        self.today = today

    def check(self, s: Session, site: str, values: dict[str, str]) -> Checked:
        errors: list[UserError] = []
        employer = find_employer(s, site, values.get("employer", ""))
        if employer is None:
            errors.append(UserError("job.unknown_employer", field="employer"))
        days: dict[str, date | None] = {}
        for name in ("valid_from", "valid_until"):
            try:
                days[name] = cell_day(values.get(name, ""), name)
            except UserError as exc:
                errors.append(exc)
        raw = job_rules.PostingInput(
            **{k: values.get(k, "") for k in POSTING_ALIASES if k not in ("employer", *days)},
            valid_from=days.get("valid_from") or "",
            valid_until=days.get("valid_until") or "",
            source="desk",
        )
        try:
            clean = job_rules.validate_posting(raw, self.today, MAX_PAY_FEN)
        except FormErrors as exc:
            return None, errors + exc.errors
        if errors or employer is None:
            return None, errors
        return (employer.id, clean), []

    def write(self, s: Session, actor: Actor, cleans: list) -> None:
        s.add_all([new_posting(actor, employer_id, clean) for employer_id, clean in cleans])
        s.flush()


# --- export ----------------------------------------------------------------------------------


def export_employers(
    engine: Engine, actor: Actor, path: Path, now: datetime | None = None, via: str = "tui"
) -> int:
    """This site's employers, contact phones masked."""
    with reading(engine) as s:
        found = s.exec(_mine(Employer, actor.site_code).order_by(col(Employer.name))).all()
    rows: list[list[object]] = [
        [
            e.name,
            e.credit_code,
            t(f"employer.kind.{e.kind}"),
            e.contact_name,
            e.phone_masked,
            e.address,
            e.notes,
        ]
        for e in found
    ]
    return _export(engine, actor, Path(path), EMPLOYER_ALIASES, rows, "employers_export", now, via)


def export_postings(
    engine: Engine, actor: Actor, path: Path, now: datetime | None = None, via: str = "tui"
) -> int:
    """This site's postings in the import's columns, so the file reads back as it was."""
    with reading(engine) as s:
        found = s.exec(
            select(JobPosting, col(Employer.credit_code), col(Employer.name))
            .join(Employer, col(Employer.id) == JobPosting.employer_id)
            .where(JobPosting.site_code == actor.site_code, col(JobPosting.deleted_at).is_(None))
            .order_by(col(JobPosting.valid_from), col(JobPosting.id))
        ).all()
    rows = [_posting_row(p, code or name) for p, code, name in found]
    return _export(engine, actor, Path(path), POSTING_ALIASES, rows, "postings_export", now, via)


def _posting_row(p: JobPosting, employer: str) -> list[object]:
    return [
        employer,
        p.title,
        p.job_type,
        p.positions,
        yuan_text(p.pay_min_fen),
        yuan_text(p.pay_max_fen),
        UNIT_WORDS[p.pay_unit] if language() == "zh" else p.pay_unit,
        p.place,
        p.hours,
        p.valid_from,
        p.valid_until,
        p.requirements,
        p.notes,
    ]


def _mine(model, site_code: str):
    return select(model).where(model.site_code == site_code, col(model.deleted_at).is_(None))


def _export(
    engine: Engine,
    actor: Actor,
    path: Path,
    aliases: dict[str, tuple[str, ...]],
    rows: list[list[object]],
    action: str,
    now: datetime | None,
    via: str,
) -> int:
    check_target(path)
    chinese = language() == "zh"
    header = [names[0] if chinese else name for name, names in aliases.items()]
    export_audited(
        engine,
        path,
        header,
        rows,
        guard_formulas=True,
        site_code=actor.site_code,
        action=action,
        staff_id=actor.staff_id,
        detail=f"rows={len(rows)} via={via}",
        at=now or utcnow(),
    )
    return len(rows)
