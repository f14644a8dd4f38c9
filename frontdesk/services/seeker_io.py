"""Job seekers in and out of spreadsheets: CSV (UTF-8 or GB18030), XLSX and XLS (CLI.md).

Import reads the file a batch of rows at a time, checks each row with the registration rules
and writes the batch, all inside one transaction: all rows, or none. Export masks names, ID
numbers, phones and addresses unless a manager has confirmed with a PIN, which is audited; a full
export imports back as it was (its status and valid-until columns are taken).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlmodel import Session, col, select

from db.bulk import large_cache, paused_gc
from db.driver_sql import slots
from db.models import Person
from db.outbox import Append, entries_by_loader
from db.sealed import Opener, Unreadable
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain.clock import business_date
from frontdesk.domain.dates import parse_year_month
from frontdesk.domain.education import education_code
from frontdesk.domain.forms import FormErrors, split_items
from frontdesk.domain.idcard import age_on, birth_of, gender_of, normalise
from frontdesk.domain.privacy import id_hash, mask_name
from frontdesk.domain.registration import STATUSES, CleanSeeker, SeekerInput, validate
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services import ahead as checked_ahead
from frontdesk.services import personal_keys
from frontdesk.services.acting import Actor, require_manager
from frontdesk.services.audit import record
from frontdesk.services.sealed_contacts import open_address
from frontdesk.services.seekers import (
    DuplicateSeeker,
    PeopleWriter,
    PreparedPeople,
    WriterRecipe,
    registered_hashes,
)
from frontdesk.services.spreadsheets import (
    Columns,
    ImportRejected,
    ImportResult,
    Layout,
    PendingRejects,
    Problem,
    Progress,
    SheetStream,
    Table,
    batches,
    cell_day,
    cell_problems,
    check_target,
    export_audited,
    read_table,
    rejects_target,
    row_values,
)

# The file format's columns (CLI.md): the English name is the field, then every header
# offices write it under, the canonical Chinese first. They are a contract with the
# spreadsheets people keep, so they live here and not in the translation catalogue.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    "phone": ("手机号", "手机号码", "联系电话", "电话", "联系方式"),
    "education": ("学历", "文化程度"),
    "skills": ("技能", "专业技能", "技能特长"),
    "desired_jobs": ("求职意向", "意向岗位", "求职岗位"),
    "registered_on": ("登记日期", "日期", "登记时间"),
    "notes": ("备注", "说明"),
    "address": ("住址", "地址", "家庭住址", "现住址"),
    # What an export writes beside the registration: taken back when a sheet has them.
    "valid_until": ("有效期至", "有效期", "有效期限"),
    "status": ("状态", "登记状态"),
    # Not stored (the ID number holds them): checked against it when a sheet has them.
    "gender": ("性别",),
    "birth_date": ("出生日期",),
    "birth_month": ("出生年月",),
    "age": ("年龄",),
}
COLUMNS: dict[str, str] = {name: names[0] for name, names in list(ALIASES.items())[:9]}
REQUIRED = ("name", "id_number", "phone")
SEEKER_COLUMNS = Columns(ALIASES, REQUIRED, "seeker_io.unknown_column")
# Sensitive categories are left out of exports (PIPL art. 28: restricted access).
EXPORT_COLUMNS: dict[str, str] = {
    **{name: COLUMNS[name] for name in list(COLUMNS)[:7]},
    "valid_until": "有效期至",
    "status": "状态",
    "address": "住址",
    "notes": "备注",
}
GENDERS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F",
           "female": "F"}  # fmt: skip
AGE = re.compile(r"(\d{1,3})\s*岁?")
# A status as an export writes it (either language) or as stored.
STATUS_NAMES: dict[str, str] = {
    written.casefold(): status
    for status in STATUSES
    for written in (status, *CATALOGUE[f"status.{status}"])
}


@dataclass
class SeekerRow:
    """One data row of the sheet: its cells as read, and its registration or its problems."""

    number: int
    cells: list[str]
    clean: CleanSeeker | None = None  # set once every check passed
    kept: dict[str, object] = field(default_factory=dict)  # status, valid_until from the sheet
    problems: list[Problem] = field(default_factory=list)


# --- rows ------------------------------------------------------------------------------


def _parse_row(number: int, cells: list[str], layout: Layout, today: date) -> SeekerRow:
    row = SeekerRow(number, cells)
    values = row_values(cells, layout)
    errors = cell_problems(values)
    if not errors:  # what the other checks would say about those cells only repeats them
        outcome = _check(values, today)
        identity = _identity(values, today)
        registered_on = outcome.registered_on if isinstance(outcome, CleanSeeker) else today
        row.kept, kept_errors = _kept(values, registered_on)
        if isinstance(outcome, CleanSeeker) and not identity and not kept_errors:
            row.clean = outcome
            return row
        errors = (outcome if isinstance(outcome, list) else []) + identity + kept_errors
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
        skills=values.get("skills", ""),  # split by the rule, remembered per text
        desired_jobs=[(job, "", "") for job in split_items(values.get("desired_jobs", ""))],
        notes=values.get("notes", ""),
        address=values.get("address", ""),
        consent=True,  # the signed paper registration form is the person's consent
    )
    for name, parse in (("education", education_code), ("registered_on", _registered_on)):
        try:
            setattr(raw, name, parse(values.get(name, "")))
        except UserError as exc:
            errors.append(exc)
    try:
        clean = validate(raw, today)
    except FormErrors as exc:
        return errors + exc.errors
    return errors or clean


def _identity(values: dict[str, str], today: date) -> list[UserError]:
    """性别, 出生日期 or 出生年月, and 年龄, where the sheet has them, against the ID number;
    with a bad ID number there is nothing to check them against (its problem is reported)."""
    written = {name: values[name] for name in IDENTITY if values.get(name)}
    if not written:
        return []
    try:
        id18 = normalise(values.get("id_number", ""), today)
    except UserError:
        return []
    errors = []
    for name, text in written.items():
        try:
            if not IDENTITY[name](text, id18, today):
                errors.append(UserError(f"seeker_io.{name}_mismatch", field=name, day=today))
        except UserError as exc:
            errors.append(exc)
    return errors


def _gender_matches(text: str, id18: str, today: date) -> bool:
    gender = GENDERS.get(text.casefold())
    if gender is None:
        raise UserError("seeker_io.bad_gender", field="gender")
    return gender == gender_of(id18)


def _birth_date_matches(text: str, id18: str, today: date) -> bool:
    try:
        return cell_day(text, "birth_date") == birth_of(id18)
    except UserError:  # a year and month alone is what some offices write here
        return _birth_month_matches(text, id18, today, "birth_date")


def _birth_month_matches(text: str, id18: str, today: date, name: str = "birth_month") -> bool:
    born = birth_of(id18)
    serial = cell_day(text, name) if text.isdigit() else None  # a date cell without format
    month = (serial.year, serial.month) if serial else parse_year_month(text, name)
    return month == (born.year, born.month)


def _age_matches(text: str, id18: str, today: date) -> bool:
    found = AGE.fullmatch(text)
    if found is None:
        raise UserError("seeker_io.bad_age", field="age")
    return int(found[1]) == age_on(birth_of(id18), today)


IDENTITY: dict[str, Callable[[str, str, date], bool]] = {
    "gender": _gender_matches,
    "birth_date": _birth_date_matches,
    "birth_month": _birth_month_matches,
    "age": _age_matches,
}


def _problem(row: SeekerRow, layout: Layout, error: UserError) -> Problem:
    name = _field_of(error)
    return Problem(row.number, layout.labels.get(name, name), error)


def _field_of(error: UserError) -> str:
    name = error.field or ""
    return "desired_jobs" if name.startswith(("job", "pay")) else name  # validate's job1, pay2


def _registered_on(text: str) -> date | None:
    return cell_day(text, "registered_on")


def _kept(values: dict[str, str], registered_on: date) -> tuple[dict[str, object], list[UserError]]:
    """状态 and 有效期至 as an export wrote them, where the sheet has them: the stored
    status and valid-until date instead of a new registration's own."""
    kept: dict[str, object] = {}
    errors: list[UserError] = []
    written = values.get("status", "")
    if written:
        status = STATUS_NAMES.get(written.casefold())
        if status is None:
            errors.append(UserError("seeker_io.bad_status", field="status"))
        else:
            kept["status"] = status
    try:
        until = cell_day(values.get("valid_until", ""), "valid_until")
    except UserError as exc:
        errors.append(exc)
    else:
        if until is not None and until < registered_on:
            errors.append(UserError("seeker_io.valid_until_before", field="valid_until"))
        elif until is not None:
            kept["valid_until"] = until
    return kept, errors


def read_seekers(
    path: Path, today: date, sheet: str | None = None
) -> tuple[Table, list[SeekerRow]]:
    """Every row of a seekers file checked by the registration rules; no database needed."""
    table = read_table(Path(path), SEEKER_COLUMNS, sheet)
    check = _Checker(table.layout, today)
    return table, [check.row(n, cells) for n, cells in table.entries()]


class _Checker:
    """Rows checked one by one, and each ID number against the rows before it in the file."""

    def __init__(self, layout: Layout, today: date) -> None:
        self.layout, self.today = layout, today
        self.first_seen: dict[str, int] = {}

    def row(self, number: int, cells: list[str]) -> SeekerRow:
        row = _parse_row(number, cells, self.layout, self.today)
        if row.clean is not None:
            first = self.first_seen.setdefault(row.clean.id_number, row.number)
            if first != row.number:
                twin = UserError("seeker_io.duplicate_in_file", field="id_number", row=first)
                row.problems.append(_problem(row, self.layout, twin))
                row.clean = None
        return row


def _registered(
    s: Session, site_code: str, rows: list[SeekerRow], hashes: list[str], layout: Layout
) -> list[int]:
    """The positions of the rows (one ID number hash each) this site has already
    registered, each told so at its ID number."""
    known = _known_hashes(s.connection(), site_code, hashes)
    if not known:  # nearly every batch: nothing more to look up
        return []
    found = registered_hashes(s, site_code, sorted(known))
    positions = [at for at, digest in enumerate(hashes) if digest in found]
    for at in positions:
        existing = found[hashes[at]]
        masked = mask_name(existing.name), existing.id_masked
        rows[at].problems.append(_problem(rows[at], layout, DuplicateSeeker(existing.id, *masked)))
    return positions


def _known_hashes(conn: Connection, site_code: str, hashes: list[str]) -> set[str]:
    """Which of these ID number hashes this site has registered: straight through the
    driver, the statement's text made once per chunk size (the ORM's IN list of a batch
    cost more to compile than to run: about a twentieth of the writing process's time)."""
    known: set[str] = set()
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        sql = (
            "SELECT id_hash FROM people WHERE site_code = "
            f"{slots(conn, 1)} AND id_hash IN ({slots(conn, len(chunk))})"
        )
        known.update(digest for (digest,) in conn.exec_driver_sql(sql, (site_code, *chunk)))
    return known


# --- import ----------------------------------------------------------------------------

BATCH = 1000  # rows checked and written together; progress is told after each batch
# From this size on, the rows are read, checked and worked out in a child process while
# this one writes (services/ahead.py): about 10,000 rows, where starting it is repaid.
AHEAD_FROM_BYTES = 1 << 20


def import_seekers(
    engine: Engine,
    actor: Actor,
    path: Path,
    now: datetime,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    via: str = "tui",
    sheet: str | None = None,
    progress: Progress | None = None,
    ahead: bool | None = None,
) -> ImportResult:
    """The file read a batch of rows at a time, each batch checked and written inside one
    transaction, so a file of any size takes bounded memory and all its rows are added, or
    none: a problem found late, a failure or a cancel rolls back every batch before it.
    The outbox entries of the rows added are appended a batch at a time by the writer, not
    by a trigger per row (db/outbox.py, entries_by_loader).

    With problems and without `skip_invalid`, nothing is written and ImportRejected lists
    them (once a row has failed, the rest are only checked). With `skip_invalid`, the valid
    rows are added and the others go to `rejects`. `sheet` names the sheet of a workbook to
    read; by default the first whose header fits. `progress` is told the rows read after
    each batch and may cancel the import by raising ImportCancelled. `ahead`: whether the
    rows are checked in a child process while this one writes (None: for a file of
    AHEAD_FROM_BYTES or more, where the system can fork); the rows stored are the same.
    """
    path = Path(path)
    rejects = rejects_target(path, rejects)
    pending = PendingRejects(rejects)
    with (
        SheetStream(path, SEEKER_COLUMNS, sheet) as stream,
        pending,
        writing(engine) as s,
        large_cache(s.connection()),
        paused_gc(),
    ):
        conn = s.connection()
        with entries_by_loader(conn, PeopleWriter.LOADED) as append:
            run = _Run(s, actor, now, stream.layout, skip_invalid, append)
            work = (business_date(now), run.writer.recipe(), skip_invalid)
            with _checked_batches(stream, sheet, work, ahead) as checked:
                for batch in checked:
                    run.store(batch)
                    if progress is not None:
                        progress(batch.read, batch.total)
        bad = sorted(run.bad, key=lambda row: row.number)
        problems = [p for row in bad for p in row.problems]
        if bad and not skip_invalid:
            raise ImportRejected(problems)
        pending.make(stream.header, stream.layout, bad)
        detail = f"imported={run.imported} rejected={len(bad)} via={via}"
        record(s, actor.site_code, "seekers_import", staff_id=actor.staff_id, detail=detail, at=now)
        pending.publish()
    return ImportResult(run.imported, len(bad), problems, pending.path)


@dataclass
class CheckedBatch:
    """A batch of rows checked and worked out, as the writer takes it: the rows with
    problems; the good ones (their cells, for a rejects file) with their ID numbers'
    hashes, to be looked for on the desk; the good ones' rows to insert (None once nothing
    will be written); and how far into the sheet it reached."""

    bad: list[SeekerRow]
    good: list[SeekerRow]
    id_hashes: list[str]
    prepared: PreparedPeople | None
    read: int
    total: int | None


_Work = tuple[date, WriterRecipe, bool]  # business day, writer recipe, skip_invalid


def _checked_batches(
    stream: SheetStream, sheet: str | None, work: _Work, ahead: bool | None
) -> AbstractContextManager[Iterator[CheckedBatch]]:
    """The sheet's batches checked and worked out: here, or for a large file in a child
    process reading the file itself, while this one writes (services/ahead.py)."""
    if ahead is None:
        ahead = stream.path.stat().st_size >= AHEAD_FROM_BYTES and checked_ahead.supported()
    if ahead:
        return checked_ahead.ahead(_checked_file, stream.path, sheet, work)
    return nullcontext(_checked(stream, work))


def _checked_file(path: Path, sheet: str | None, work: _Work) -> Iterator[CheckedBatch]:
    with SheetStream(path, SEEKER_COLUMNS, sheet) as stream:
        yield from _checked(stream, work)


def _checked(stream: SheetStream, work: _Work) -> Iterator[CheckedBatch]:
    today, recipe, skip_invalid = work
    check = _Checker(stream.layout, today)
    writer = PeopleWriter.offline(recipe)
    failed = False
    for entries in batches(stream.entries(), BATCH):
        rows = [check.row(number, cells) for number, cells in entries]
        bad = [row for row in rows if row.problems]
        failed = failed or bool(bad)
        good = [row for row in rows if row.clean is not None]
        cleans = [row.clean for row in good if row.clean]
        prepared = None
        if skip_invalid or not failed:
            prepared = writer.prepare(cleans, [row.kept for row in good])
            hashes = writer.hashes(prepared)
        else:  # nothing will be written: the rows are only checked
            hashes = [id_hash(clean.id_number, recipe.hash_key) for clean in cleans]
        yield CheckedBatch(
            bad,
            [SeekerRow(row.number, row.cells) for row in good],  # light to send
            hashes,
            prepared,
            stream.read,
            stream.total,
        )


class _Run:
    """One import as its batches go by: each checked against the desk's registrations and
    its good rows written; the bad ones kept for the report (good rows are not kept:
    memory stays bounded)."""

    def __init__(
        self,
        s: Session,
        actor: Actor,
        now: datetime,
        layout: Layout,
        skip_invalid: bool,
        append: Append,
    ) -> None:
        self.s, self.site, self.layout = s, actor.site_code, layout
        self.writer = PeopleWriter(s, actor, now, append)
        self.skip_invalid = skip_invalid
        self.bad: list[SeekerRow] = []
        self.imported = 0

    def store(self, batch: CheckedBatch) -> None:
        registered = _registered(self.s, self.site, batch.good, batch.id_hashes, self.layout)
        self.bad += batch.bad + [batch.good[at] for at in registered]
        if batch.prepared is None or (self.bad and not self.skip_invalid):
            return  # nothing will be written: the rest of the file is only checked
        self.writer.write(self.writer.without(batch.prepared, registered))
        self.imported += len(batch.good) - len(registered)


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
    opener = None
    if reveal_by is not None:
        opener = reveal_by.key or personal_keys.held(engine)
        if opener is None:
            raise UserError("reveal.no_key", field="pin")
    rows = [_export_row(p, opener) for p in people]
    who = reveal_by or actor
    export_audited(
        engine,
        path,
        header,
        rows,
        guard_formulas=True,
        site_code=site_code,
        action="seekers_export_unmasked" if reveal_by else "seekers_export",
        staff_id=who.staff_id if who else None,
        detail=f"rows={len(rows)} via={via}",
        at=now,
    )
    return len(rows)


def _export_row(p: Person, opener: Opener | None) -> list[object]:
    """Masked, or with full values opened by a manager's key (a row sealed by another
    desk's key, a rebuilt desk's, stays masked: it cannot be read here)."""
    jobs = [j.get("job", "") for j in p.desired_jobs or []]
    id_number, phone, address = p.id_masked, p.phone_masked, p.address_masked
    if opener is not None:
        with suppress(Unreadable):
            id_number, phone = personal_keys.open_person(opener, p.id, p.id_number, p.phone)
            address = open_address(opener, p.id, p.address)
    return [
        p.name if opener else mask_name(p.name),
        id_number,
        phone,
        t(f"edu.{p.education}") if p.education else "",
        ";".join(p.skills or []),
        ";".join(j for j in jobs if j),
        p.registered_on,
        p.valid_until,
        t(f"status.{p.status}"),
        address,
        p.notes,
    ]
