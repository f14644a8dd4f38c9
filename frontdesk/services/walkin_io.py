"""Walk-ins in and out of spreadsheets: the paper-log import and two exports (../shared/CLI.md).

Import is the paper-log fallback: when the desk computer was down, staff wrote visits on
paper and type them in later. File reading, the header rules, the row/column/reason report
and the rejects file are every spreadsheet's (services/spreadsheets.py).

One set of rules: every row goes through `add_walkin`, the quick log's own function, inside
a SAVEPOINT of the import's single transaction. A row with a problem has its savepoint rolled
back (whatever add_walkin had already flushed goes with it); a good row's savepoint is
released, so add_walkin runs once per row rather than once to check and once to write. The
outer transaction then commits every row, or, when any row has a problem and invalid rows
are not skipped, nothing at all (ImportRejected), exactly like the seekers import. Only what
add_walkin cannot know is checked here: the written date and time, the service as named on
paper, and the visitor's ID number.

The date and time written are Jiangmen local time (LOCAL_TZ), stored as a UTC instant, so
the business date of the entry, and of its income entry, is the date written on paper.

Closed days: a row dated on a day already closed out (日结) would change that day, which never
changes (DOMAIN.md, "Daily close-out"). add_walkin refuses it as a problem at the date column
like any other bad cell, so all-or-nothing, `--skip-invalid` and the rejects file work as
usual; money taken on such a day is booked as an adjustment linked to it, in an open day.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, exists
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from db.models import AuditLog, Partner, Payment, Person, Service, WalkIn
from db.session import reading, writing
from db.types import utcnow
from frontdesk.domain.clock import LOCAL_TZ, business_date, local_time
from frontdesk.domain.dates import check_recorded
from frontdesk.domain.forms import FormErrors, nfkc
from frontdesk.domain.idcard import normalise
from frontdesk.domain.money import clean_method, parse_yuan, yuan_text
from frontdesk.domain.privacy import mask_name
from frontdesk.errors import UserError
from frontdesk.i18n import language, t
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record
from frontdesk.services.seekers import find_duplicate
from frontdesk.services.service_lines import ServiceItem, active_services
from frontdesk.services.spreadsheets import (
    FORMULA_START,
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
from frontdesk.services.walkins import Prepared, WalkInInput, prepare_walkin, store_walkins

# The paper log's columns (CLI.md): the English name, then every header offices write it
# under, the canonical Chinese first. A contract with the sheets people keep, so they live
# here and not in the translation catalogue (as for seekers).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "来访日期", "服务日期"),
    "time": ("时间", "来访时间"),
    "service": ("服务项目", "服务", "项目", "服务内容"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"),
    "visitors": ("人数", "来访人数"),
    "amount": ("金额", "金额(元)", "收费金额", "收费"),
    "method": ("支付方式", "付款方式", "收款方式"),
    "notes": ("备注", "说明"),
}
COLUMNS: dict[str, str] = {name: names[0] for name, names in ALIASES.items()}
REQUIRED = ("date", "service")
WALKIN_COLUMNS = Columns(ALIASES, REQUIRED, "walkin_io.unknown_column")
DEFAULT_TIME = time(9, 0)  # a paper line without a time: the desk opens at nine
TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")  # 9:30, 09:30, 09:30:00 (XLSX)
# add_walkin names its fields as the quick-log form does; these are the columns they come from.
FORM_FIELD_COLUMN = {"headcount": "visitors", "visitor": "id_number"}

WALKIN_EXPORT: dict[str, str] = {
    "date": "日期",
    "time": "时间",
    "service_code": "服务代码",
    "service": "服务项目",
    "visitor": "来访者",
    "visitors": "人数",
    "channel": "渠道",
    "duration_min": "时长（分钟）",
    "outcome": "处理结果",
    "referral": "转介",
    "follow_up_on": "回访日期",
    "amount": "金额",
    "method": "支付方式",
    "voided": "已冲销",
    "reversal": "冲销记录",
    "entry": "记录编号",  # what `frontdesk void ENTRY` takes
}
PAYMENT_EXPORT: dict[str, str] = {
    "date": "日期",
    "time": "时间",
    "service_code": "服务代码",
    "service": "服务项目",
    "amount": "金额",
    "method": "支付方式",
    "partner": "合作方",
    "reversal": "冲销款",
    "reason": "原因",
}


@dataclass
class _Row:
    """One data row of the sheet; `cells` and `problems` are what a rejects file needs."""

    number: int
    cells: list[str]
    problems: list[Problem] = field(default_factory=list)
    paid: bool = False
    ready: Prepared | None = None  # checked, to be written


# --- import ----------------------------------------------------------------------------


def import_walkins(
    engine: Engine,
    actor: Actor,
    path: Path,
    now: datetime,
    *,
    ceiling_fen: int,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    via: str = "tui",
    again: bool = False,
    sheet: str | None = None,
) -> ImportResult:
    """Every row checked and added in one transaction: all rows, or none, or the valid ones.

    With problems and without `skip_invalid`, nothing is written and ImportRejected lists
    them. With `skip_invalid`, the valid rows are added and the others go to `rejects`.

    A file whose exact content was imported before is refused unless `again`: two equal
    rows may be two real visits, so rows cannot be told apart, but the same paper log
    typed in once and imported twice would book its money twice. `sheet` names the sheet
    of a workbook to read; by default the first whose header fits.
    """
    path = Path(path)
    rejects = rejects_target(path, rejects)
    table = read_table(path, WALKIN_COLUMNS, sheet)
    digest = _file_digest(path)
    layout = table.layout
    rows = [_Row(number, cells) for number, cells in table.entries()]
    services = active_services(engine)
    # Every row is checked by reads only: the write lock is taken for the writing alone, so
    # a sync or a clerk's save waits seconds, not the length of the check.
    with reading(engine) as s:
        if not again:
            _refuse_repeat(s, actor.site_code, digest)
        for row in rows:
            _import_row(s, actor, row, layout, services, now, ceiling_fen)
    bad = [r for r in rows if r.problems]
    problems = [p for r in bad for p in r.problems]
    if bad and not skip_invalid:
        raise ImportRejected(problems)
    good = [r for r in rows if not r.problems]
    with PendingRejects(rejects, table.header, layout, bad) as pending, writing(engine) as s:
        if not again:  # once more under the lock: two desks' imports of one file race
            _refuse_repeat(s, actor.site_code, digest)
        store_walkins(s, [r.ready for r in good if r.ready is not None])
        paid = sum(r.paid for r in good)
        detail = f"imported={len(good)} rejected={len(bad)} paid={paid} via={via} sha256={digest}"
        record(s, actor.site_code, "walkins_import", staff_id=actor.staff_id, detail=detail, at=now)
        pending.publish()
    return ImportResult(len(good), len(bad), problems, pending.path)


def _file_digest(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # not readable twice: nothing to compare, the import goes on as asked


def _refuse_repeat(s: Session, site_code: str, digest: str) -> None:
    """The same file imported before (by its content) is refused, saying when."""
    if not digest:
        return
    earlier = s.exec(
        select(AuditLog)
        .where(
            AuditLog.site_code == site_code,
            AuditLog.action == "walkins_import",
            col(AuditLog.detail).contains(f"sha256={digest}"),
        )
        .order_by(col(AuditLog.at).desc())
    ).first()
    if earlier is not None:
        when = local_time(earlier.at).strftime("%Y-%m-%d %H:%M")
        count = earlier.detail.split("imported=", 1)[-1].split(" ", 1)[0]
        raise UserError("walkin_io.already_imported", field="file", when=when, count=count)


def _import_row(
    s: Session,
    actor: Actor,
    row: _Row,
    layout: Layout,
    services: list[ServiceItem],
    now: datetime,
    ceiling_fen: int,
) -> None:
    """Check one row by reads only: its walk-in ready to be written, or its problems."""
    values = row_values(row.cells, layout)
    errors = cell_problems(values)
    if not errors:  # what the other checks would say about those cells only repeats them
        raw, errors, service = _prepare(s, actor.site_code, values, services, now)
        if service is None:
            errors += _payment_format(raw, ceiling_fen)
        else:
            found, row.ready = _prepare_row(s, actor, raw, now, ceiling_fen)
            if raw.started_at is None:  # no date and time to go by: add_walkin judged today,
                found = [e for e in found if e.field != "date"]  # not the row's closed day
            errors += found
            row.paid = service.paid and not errors
    errors.sort(key=lambda e: layout.position(_column_of(e)))  # in the order of the sheet
    row.problems = [_problem(row.number, layout, e) for e in errors]


def _prepare(
    s: Session,
    site_code: str,
    values: dict[str, str],
    services: list[ServiceItem],
    now: datetime,
) -> tuple[WalkInInput, list[UserError], ServiceItem | None]:
    """The row as add_walkin takes it, with the problems only the paper log can have."""
    errors: list[UserError] = []

    def check(fn: Callable[..., Any], *args: object) -> Any:
        try:
            return fn(*args)
        except UserError as exc:
            errors.append(exc)
            return None

    today = business_date(now)
    day = check(_day, values.get("date", ""), today)
    at = check(_time_of_day, values.get("time", ""))
    service = check(service_named, values.get("service", ""), services)
    person_id = check(_person, s, site_code, values.get("id_number", ""), today)
    raw = WalkInInput(
        service_id=service.id if service else None,
        person_id=person_id,
        headcount=values.get("visitors", ""),
        amount=values.get("amount", ""),
        method=values.get("method", ""),
        notes=values.get("notes", ""),
        started_at=_instant(day, at) if day is not None and at is not None else None,
    )
    return raw, errors, service


def _prepare_row(
    s: Session, actor: Actor, raw: WalkInInput, now: datetime, ceiling_fen: int
) -> tuple[list[UserError], Prepared | None]:
    """The walk-in as the quick log would add it, checked by reads only, or its problems."""
    try:
        return [], prepare_walkin(s, actor, raw, now, ceiling_fen)
    except FormErrors as exc:
        return list(exc.errors), None
    except UserError as exc:
        return [exc], None


def _payment_format(raw: WalkInInput, ceiling_fen: int) -> list[UserError]:
    """Without a known service add_walkin cannot run; still name a bad amount or method."""
    errors = []
    for check in (
        lambda: parse_yuan(raw.amount, "amount", ceiling_fen=ceiling_fen),
        lambda: clean_method(raw.method),
    ):
        try:
            check()
        except UserError as exc:
            errors.append(exc)
    return errors


def _problem(number: int, layout: Layout, error: UserError) -> Problem:
    name = _column_of(error)
    label = layout.labels.get(name) or (COLUMNS.get(name, name) if layout.chinese else name)
    return Problem(number, label, error)


def _column_of(error: UserError) -> str:
    name = error.field or ""
    return FORM_FIELD_COLUMN.get(name, name)


def _day(text: str, today: date) -> date:
    day = cell_day(text, "date")
    if day is None:
        raise UserError("walkin_io.date_required", field="date")
    if day > today:
        raise UserError("walkin_io.future_date", field="date")
    return check_recorded(day, "date")


def _time_of_day(text: str) -> time:
    value = nfkc(text)  # NFKC: a full-width colon typed with a Chinese input method
    if not value:
        return DEFAULT_TIME
    found = TIME_OF_DAY.fullmatch(value)
    try:
        if found is None:
            raise ValueError(value)
        return time(int(found[1]), int(found[2]), int(found[3] or 0))
    except ValueError:
        raise UserError("walkin_io.bad_time", field="time") from None


def _instant(day: date, at: time) -> datetime:
    """Local Jiangmen wall time to the stored UTC instant; its business date is `day`."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)


def _fold(text: str) -> str:
    """NFKC (（ and ( alike), case-folded, single spaces: how a name on paper is compared."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def service_named(text: str, services: list[ServiceItem]) -> ServiceItem:
    """A catalogue code, or a service's Chinese or English name exactly."""
    wanted = _fold(text)
    if not wanted:
        raise UserError("walkin_io.service_required", field="service")
    for item in services:
        if wanted in (_fold(item.code), _fold(item.name_zh), _fold(item.name_en)):
            return item
    raise UserError("walkin_io.unknown_service", field="service")


def _person(s: Session, site_code: str, text: str, today: date) -> uuid.UUID | None:
    """A person registered at this site, by ID number; blank is an anonymous visitor."""
    if not nfkc(text):
        return None
    person = find_duplicate(s, site_code, normalise(text, today))
    if person is None or person.deleted_at is not None:
        raise UserError("walkin_io.unknown_person", field="id_number")
    return person.id


# --- export ----------------------------------------------------------------------------


def export_days(
    engine: Engine,
    site_code: str,
    path: Path,
    *,
    kind: str,
    date_from: date,
    date_to: date,
    actor: Actor | None = None,
    now: datetime | None = None,
    via: str = "tui",
) -> int:
    """The site's walk-ins (kind "walkins", masked) or income entries with their reversals
    ("payments") of the business days from `date_from` to `date_to`, audited."""
    path = _export_target(path, date_from, date_to)
    with reading(engine) as s:
        if kind == "walkins":
            rows = [_walkin_row(*found) for found in _walkins(s, site_code, date_from, date_to)]
        else:
            rows = [_payment_row(*found) for found in _payments(s, site_code, date_from, date_to)]
    header = _header(WALKIN_EXPORT if kind == "walkins" else PAYMENT_EXPORT)
    detail = f"rows={len(rows)} from={date_from} to={date_to} via={via}"
    _export(engine, site_code, path, header, rows, f"{kind}_export", actor, now, detail)
    return len(rows)


export_walkins = partial(export_days, kind="walkins")
export_payments = partial(export_days, kind="payments")


def _export_target(path: Path, date_from: date, date_to: date) -> Path:
    if date_from > date_to:
        raise UserError("walkin_io.bad_range", field="from")
    path = Path(path)
    check_target(path)
    return path


def _walkins(s: Session, site_code: str, date_from: date, date_to: date) -> list[tuple]:
    reversal = aliased(WalkIn)
    voided = exists().where(
        col(reversal.reverses_id) == WalkIn.id, col(reversal.deleted_at).is_(None)
    )
    income = and_(col(Payment.walkin_id) == WalkIn.id, col(Payment.deleted_at).is_(None))
    # Session.execute: five columns are more than sqlmodel's select and exec are typed for.
    return list(
        s.execute(
            sa_select(WalkIn, Service, col(Person.name), Payment, voided.label("voided"))
            .join(Service, col(Service.id) == WalkIn.service_id)
            .outerjoin(Person, col(Person.id) == WalkIn.person_id)
            .outerjoin(Payment, income)
            .where(
                col(WalkIn.site_code) == site_code,
                col(WalkIn.business_date).between(date_from, date_to),
                col(WalkIn.deleted_at).is_(None),
            )
            .order_by(col(WalkIn.business_date), col(WalkIn.started_at), col(WalkIn.id))
        ).all()
    )


def _walkin_row(
    w: WalkIn, svc: Service, person: str | None, pay: Payment | None, voided: bool
) -> list[object]:
    return [
        w.business_date,
        f"{local_time(w.started_at):%H:%M}",
        svc.code,
        _service_name(svc),
        mask_name(person) if person else "",  # never the ID number or the phone
        w.headcount,
        t(f"channel.{w.channel}"),
        w.duration_min,
        w.outcome,
        w.referral,
        w.follow_up_on,
        yuan_text(pay.amount_fen) if pay else "",
        t(f"method.{pay.method}") if pay else "",
        _flag(bool(voided)),
        _flag(w.reverses_id is not None),
        str(w.id),
    ]


def _payments(s: Session, site_code: str, date_from: date, date_to: date) -> list[tuple]:
    return list(
        s.exec(
            select(Payment, Service, Partner.name)
            .join(Service, col(Service.id) == Payment.service_id)
            .outerjoin(Partner, col(Partner.id) == Payment.partner_id)
            .where(
                Payment.site_code == site_code,
                col(Payment.business_date).between(date_from, date_to),
                col(Payment.deleted_at).is_(None),
            )
            .order_by(col(Payment.business_date), col(Payment.received_at), col(Payment.id))
        ).all()
    )


def _payment_row(pay: Payment, svc: Service, partner: str | None) -> list[object]:
    return [
        pay.business_date,
        f"{local_time(pay.received_at):%H:%M}",
        svc.code,
        _service_name(svc),
        yuan_text(pay.amount_fen),
        t(f"method.{pay.method}"),
        partner or "",
        _flag(pay.reverses_id is not None),
        pay.reason,
    ]


def _service_name(svc: Service) -> str:
    return svc.name_zh if language() == "zh" else svc.name_en


def _flag(on: bool) -> str:
    return t("walkin_io.yes") if on else ""


def _header(columns: dict[str, str]) -> list[str]:
    chinese = language() == "zh"
    return [zh if chinese else en for en, zh in columns.items()]


def _export(
    engine: Engine,
    site_code: str,
    path: Path,
    header: list[str],
    rows: list[list[object]],
    action: str,
    actor: Actor | None,
    now: datetime | None,
    detail: str,
) -> None:
    """Write beside the target, then audit and publish together: no file without its audit."""
    if path.suffix.lower() == ".csv":
        rows = [[_no_formula(v) for v in row] for row in rows]
    # Formulas are guarded cell by cell above, not by write_tmp's guard: that one would also
    # prefix a reversal's "-45.00", and an amount must come out exactly as it is.
    export_audited(
        engine,
        path,
        header,
        rows,
        guard_formulas=False,
        site_code=site_code,
        action=action,
        staff_id=actor.staff_id if actor else None,
        detail=detail,
        at=now or utcnow(),
    )


def _no_formula(value: object) -> object:
    """Typed text that Excel would run as a formula is kept as text (XLSX cells are text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_amount(value):
        return "'" + value
    return value


def _is_amount(text: str) -> bool:
    return re.fullmatch(r"-?\d+\.\d{2}", text) is not None
