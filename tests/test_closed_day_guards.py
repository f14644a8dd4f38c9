"""A closed day is closed against every write (issue 13, point 2).

Every statement form (UPDATE, DELETE, INSERT, INSERT OR REPLACE, REPLACE INTO, UPDATE OR
REPLACE, the upserts of both dialects, MERGE) on every table whose rows make up a closed
day, on a desk, a central SQLite store and a central PostgreSQL store, as the program
connects and as a bare connection (no pragmas) or a site's own login: refused on a closed
day with the trigger's message, and not refused as closed on an open day. A sync still
passes an identical re-send and a follow-up recorded after the close.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from db import central, closed_days
from db.closed_days import MESSAGE, TABLES
from db.engine import make_engine
from db.migrate import StoreError, alembic_config, current_revision, upgrade
from db.models import Person, Service, WalkIn
from db.session import reading, writing
from frontdesk.services.closeout import (
    AdjustmentInput,
    CloseInput,
    add_adjustment,
    close_day,
    day_report,
    open_day,
)
from frontdesk.services.walkins import WalkInInput, log_walkin, mark_followed_up
from frontdesk.sync.apply import upsert_rows
from frontdesk.sync.wire import RawRows, write_raw
from tests.old_schema import add_closeout, add_walkin
from tests.sync_support import (
    CEILING_FEN,
    actor_of,
    assert_central_equals_desk,
    central_store,
    new_desk,
    register_people,
    site_rows,
    sync,
)

SITE = "HS01"
D0, D1, D2 = date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21)  # D0, D1 closed
FAR = date(2026, 11, 28)  # an open day nothing is on yet
UNIQUE_KEYS = {
    "walkin_attendees": ("walkin_id", "person_id"),
    "business_days": ("site_code", "business_date"),
    "closeouts": ("site_code", "business_date"),
}


def at(day: date) -> datetime:
    return datetime.combine(day, time(2, 0), tzinfo=UTC)  # 10:00 in Jiangmen


def build_days(desk: Engine) -> None:
    """D0 and D1 closed, D2 open; on D1 and D2 a float, walk-ins with an attendee, income
    entries and an adjustment booked that day for the closed day before."""
    actor = actor_of(desk, SITE)
    register_people(desk, SITE, 0, 2)
    with reading(desk) as s:
        first = s.scalars(select(Person.id).order_by(Person.id)).first()
        service = s.scalars(select(Service.id).where(Service.code == "JZ01")).one()

    def walkin(day: date, attendees: list[uuid.UUID]) -> None:
        raw = WalkInInput(
            service_id=service, headcount=2, amount="30", method="cash", attendees=attendees
        )
        log_walkin(desk, actor, raw, at(day), CEILING_FEN)

    def close(day: date) -> None:
        expected = day_report(desk, SITE, day).expected_fen
        close_day(desk, actor, CloseInput(day=day, counted_fen=dict(expected)), at(day))

    walkin(D0, [])
    close(D0)
    for day, earlier in ((D1, D0), (D2, D1)):
        open_day(desk, actor, day, 10000, at(day))
        walkin(day, [first])
        add_adjustment(desk, actor, AdjustmentInput(earlier, service, 500, "cash", "补录"), at(day))
        if day == D1:
            close(D1)
    walkin(D2, [])  # a second walk-in on the open day, one an attendee can move to


# --- running one statement ------------------------------------------------------------------


class Runner:
    """One kind of connection to a store: runs a statement in a transaction it rolls back,
    and says what the store refused (None: it went through)."""

    dialect: str
    # Rows are never deleted (the outbox guards, or a site's login without DELETE): a
    # REPLACE, which deletes the row it replaces, meets that rule too where delete triggers
    # fire for it (the program turns SQLite's recursive_triggers on).
    replace_refused_anyway: bool

    def run(self, sql: str) -> str | None:
        raise NotImplementedError

    def rows(self, sql: str) -> list[tuple]:
        raise NotImplementedError


class EngineRunner(Runner):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.replace_refused_anyway = True

    def run(self, sql: str) -> str | None:
        with self.engine.connect() as conn:
            tx = conn.begin()
            try:
                conn.exec_driver_sql(sql)
            except DBAPIError as exc:
                return str(exc.orig)
            finally:
                tx.rollback()
        return None

    def rows(self, sql: str) -> list[tuple]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]


class BareSqliteRunner(Runner):
    """sqlite3 as another program opens the file: no foreign keys, no recursive triggers."""

    dialect = "sqlite"
    replace_refused_anyway = False

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, sql: str) -> str | None:
        with closing(sqlite3.connect(self.path, isolation_level=None)) as conn:
            conn.execute("BEGIN")
            try:
                conn.execute(sql)
            except sqlite3.Error as exc:
                return str(exc)
            finally:
                conn.execute("ROLLBACK")
        return None

    def rows(self, sql: str) -> list[tuple]:
        with closing(sqlite3.connect(self.path)) as conn:
            return conn.execute(sql).fetchall()


class SiteRoleRunner(Runner):
    """A site's own PostgreSQL login (row-level security, no DELETE privilege)."""

    dialect = "postgresql"
    replace_refused_anyway = True  # (PostgreSQL has no REPLACE)

    def __init__(self, url: str) -> None:
        self.url = make_url(url).set(drivername="postgresql").render_as_string(False)

    def run(self, sql: str) -> str | None:
        with psycopg.connect(self.url) as conn:
            try:
                conn.execute(sql)
            except psycopg.Error as exc:
                return str(exc)
            finally:
                conn.rollback()
        return None

    def rows(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()


def literal(dialect: str, value: object) -> str:
    if isinstance(value, uuid.UUID):
        return f"'{value.hex}'" if dialect == "sqlite" else f"'{value}'::uuid"
    if isinstance(value, date):
        return f"'{value.isoformat()}'" if dialect == "sqlite" else f"DATE '{value}'"
    return str(value)


# --- the rows and the statement forms --------------------------------------------------------


@dataclass
class Target:
    """One table's row to write to, and what each form changes in it."""

    table: str
    row: uuid.UUID | None  # None: no such row (an open day has no close-out)
    template: uuid.UUID  # a row to copy new rows from
    change: dict[str, str]  # column -> SQL: a change of the day's figures or record
    move: dict[str, str]  # column -> SQL: the row moved to another (open) day or walk-in
    other: uuid.UUID  # another row of the table, for UPDATE OR REPLACE onto `row`'s key

    @property
    def columns(self) -> list[str]:
        return [c.name for c in SQLModel.metadata.tables[self.table].columns]


def targets(runner: Runner, closed: bool) -> list[Target]:
    d = runner.dialect

    def ids(sql: str) -> list[uuid.UUID]:
        return [uuid.UUID(str(r[0])) for r in runner.rows(sql)]

    open_walkins = ids(f"SELECT id FROM walkins WHERE business_date = {literal(d, D2)} ORDER BY id")
    people = ids("SELECT id FROM people ORDER BY id")
    changes = {
        "walkins": {"headcount": "headcount + 5"},
        "walkin_attendees": {"person_id": literal(d, people[1])},
        "payments": {"amount_fen": "999999"},
        "adjustments": {"amount_fen": "999999"},
        "business_days": {"opening_float_fen": "999999"},
        "closeouts": {"income_fen": "999999"},
    }
    found = []
    for table in TABLES:
        if table == "walkin_attendees":
            move = {"walkin_id": literal(d, open_walkins[1])}  # D2's walk-in without any

            def on(day: date) -> str:
                return (
                    "SELECT a.id FROM walkin_attendees a JOIN walkins w ON w.id = a.walkin_id "
                    f"WHERE w.business_date = {literal(d, day)} ORDER BY a.id"
                )
        else:
            column = "booked_date" if table == "adjustments" else "business_date"
            move = {column: literal(d, FAR)}

            def on(day: date, table=table, column=column) -> str:
                return f"SELECT id FROM {table} WHERE {column} = {literal(d, day)} ORDER BY id"

        row = next(iter(ids(on(D1 if closed else D2))), None)
        template = row or ids(f"SELECT id FROM {table} ORDER BY id")[0]
        # UPDATE OR REPLACE takes `row`'s key for another row: an open day's where there is
        # one (a close-out has none: another closed day's).
        others = [i for i in ids(on(D2)) + ids(on(D0)) if i != template]
        other = others[0] if others else template  # (only a closed day needs one)
        found.append(Target(table, row, template, changes[table], move, other))
    return found


def select_from(t: Target, d: str, row: uuid.UUID, **overrides: str) -> str:
    """SELECT of `row` with some columns replaced (and the version moved on)."""
    values = {"row_version": "row_version + 1", **overrides}
    exprs = ", ".join(f"{values.get(c, c)} AS {c}" for c in t.columns)
    return f"SELECT {exprs} FROM {t.table} WHERE id = {literal(d, row)}"


def _set_all(t: Target, source: str) -> str:
    return ", ".join(f"{c} = {source}.{c}" for c in t.columns if c != "id")


@dataclass(frozen=True)
class Form:
    name: str
    dialects: tuple[str, ...]
    build: Callable[[Target, str, uuid.UUID, bool], str | None]  # None: not for this table
    deletes: bool = False  # takes a row away: DELETE, MERGE's DELETE
    replaces: bool = False  # REPLACE: deletes the row it replaces
    closed_only: bool = False
    new_row: bool = False  # makes a row (an open day's close-out too: that is the close)


def _update(moved: bool):
    def build(t, d, row, closed):
        sets = _sets(t.move if moved else t.change)
        return f"UPDATE {t.table} SET {sets}, row_version = row_version + 1 WHERE id = " + (
            literal(d, row)
        )

    return build


def _update_or_replace_key(t, d, row, closed):
    return (
        f"UPDATE OR REPLACE {t.table} SET id = {literal(d, row)}, row_version = row_version + 1 "
        f"WHERE id = {literal(d, t.other)}"
    )


def _delete(t, d, row, closed):
    return f"DELETE FROM {t.table} WHERE id = {literal(d, row)}"


def _new_row(t: Target, d: str, closed: bool) -> str:
    """A new row: on the closed day (changed), or on an open day (moved)."""
    values = t.change if closed else t.move
    return select_from(t, d, t.template, id=literal(d, uuid.uuid4()), **values)


def _insert(t, d, row, closed):
    return f"INSERT INTO {t.table} ({', '.join(t.columns)}) {_new_row(t, d, closed)}"


def _replace(verb: str, moved: bool):
    def build(t, d, row, closed):
        values = t.move if moved else t.change
        source = select_from(t, d, row, **values)
        return f"{verb} INTO {t.table} ({', '.join(t.columns)}) {source}"

    return build


def _replace_by_key(t, d, row, closed):
    if t.table not in UNIQUE_KEYS:
        return None
    values = {k: v for k, v in t.change.items() if k not in UNIQUE_KEYS[t.table]}
    source = select_from(t, d, row, id=literal(d, uuid.uuid4()), **values)
    return f"INSERT OR REPLACE INTO {t.table} ({', '.join(t.columns)}) {source}"


def _upsert(moved: bool, by_key: bool = False):
    def build(t, d, row, closed):
        if by_key and t.table not in UNIQUE_KEYS:
            return None
        values = dict(t.move if moved else t.change)
        key = ("id",)
        if by_key:
            key = UNIQUE_KEYS[t.table]
            values = {k: v for k, v in values.items() if k not in key}
            values["id"] = literal(d, uuid.uuid4())
        source = select_from(t, d, row, **values)
        return (
            f"INSERT INTO {t.table} ({', '.join(t.columns)}) {source} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {_set_all(t, 'excluded')} "
            f"WHERE {t.table}.row_version < excluded.row_version"
        )

    return build


def _merge(action: str, moved: bool = False):
    def build(t, d, row, closed):
        values = t.move if moved else t.change
        if action == "INSERT":
            source, when = _new_row(t, d, closed), "WHEN NOT MATCHED THEN INSERT"
            when += f" ({', '.join(t.columns)}) VALUES ({', '.join('src.' + c for c in t.columns)})"
        else:
            source = select_from(t, d, row, **values)
            when = "WHEN MATCHED THEN " + (
                "DELETE" if action == "DELETE" else f"UPDATE SET {_set_all(t, 'src')}"
            )
        return f"MERGE INTO {t.table} USING ({source}) AS src ON {t.table}.id = src.id {when}"

    return build


def _sets(values: dict[str, str]) -> str:
    return ", ".join(f"{c} = {v}" for c, v in values.items())


SQLITE, PG, BOTH = ("sqlite",), ("postgresql",), ("sqlite", "postgresql")
FORMS = [
    Form("UPDATE", BOTH, _update(False)),
    Form("UPDATE to another day", BOTH, _update(True)),
    Form("UPDATE OR REPLACE onto its key", SQLITE, _update_or_replace_key, closed_only=True),
    Form("DELETE", BOTH, _delete, deletes=True),
    Form("INSERT", BOTH, _insert, new_row=True),
    Form("INSERT OR REPLACE", SQLITE, _replace("INSERT OR REPLACE", False), replaces=True),
    Form("REPLACE INTO", SQLITE, _replace("REPLACE", False), replaces=True),
    Form(
        "INSERT OR REPLACE to another day",
        SQLITE,
        _replace("INSERT OR REPLACE", True),
        replaces=True,
    ),
    Form("INSERT OR REPLACE by unique key", SQLITE, _replace_by_key, replaces=True),
    Form("INSERT ON CONFLICT (id) DO UPDATE", BOTH, _upsert(False)),
    Form("INSERT ON CONFLICT (id) DO UPDATE to another day", BOTH, _upsert(True)),
    Form("INSERT ON CONFLICT (unique key) DO UPDATE", BOTH, _upsert(False, by_key=True)),
    Form("MERGE UPDATE", PG, _merge("UPDATE")),
    Form("MERGE UPDATE to another day", PG, _merge("UPDATE", moved=True)),
    Form("MERGE DELETE", PG, _merge("DELETE"), deletes=True),
    Form("MERGE INSERT", PG, _merge("INSERT"), new_row=True),
]


def judge(runner: Runner) -> list[str]:
    """Every form on every table: what went otherwise than it should."""
    wrong: list[str] = []
    forms = [f for f in FORMS if runner.dialect in f.dialects]
    for closed in (True, False):
        for t in targets(runner, closed):
            for form in forms:
                if closed is False and form.closed_only:
                    continue
                row = t.row
                if row is None and not form.new_row:
                    continue  # an open day has no close-out row yet: only a new one
                sql = form.build(t, runner.dialect, row or t.template, closed)
                if sql is None:
                    continue
                err = runner.run(sql)
                what = f"{'closed' if closed else 'open'} {t.table}: {form.name}"
                if closed and (err is None or not _closed_refusal(err, form, runner)):
                    wrong.append(f"{what} -> {err or 'went through'}")
                elif not closed and err is not None and _wrongly_refused(err, form, runner):
                    wrong.append(f"{what} -> {err}")
    return wrong


def _wrongly_refused(err: str, form: Form, runner: Runner) -> bool:
    """On an open day: refused as closed, or at all unless it deletes a row (never done)."""
    return MESSAGE in err or not (form.deletes or (form.replaces and runner.replace_refused_anyway))


def _closed_refusal(err: str, form: Form, runner: Runner) -> bool:
    if MESSAGE in err:
        return True
    # A site's login may delete nothing at all: refused before any trigger runs.
    return isinstance(runner, SiteRoleRunner) and form.deletes and "permission denied" in err


# --- the stores ---------------------------------------------------------------------------


@pytest.fixture
def synced(request, tmp_path: Path) -> Iterator[tuple[Engine, str, str]]:
    """A desk with closed and open days, synced to a central store: (desk, central admin
    URL, the site's URL)."""
    if request.param == "sqlite":
        url = str(tmp_path / "central.sqlite3")
    else:
        url = request.getfixturevalue("pg_head_url")
    central_store(url)
    desk, site_url = new_desk(tmp_path, SITE, url)
    build_days(desk)
    report = sync(desk, site_url)
    assert report.push.quarantined == 0 and report.push.applied == report.push.sent
    yield desk, url, site_url
    desk.dispose()


def test_every_form_on_a_desk(tmp_path: Path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk

    path = tmp_path / "desk.sqlite3"
    desk = init_desk(path, DeskSetup(SITE, "白沙社区", "陈主任", "2468"))
    try:
        build_days(desk)
        assert judge(EngineRunner(desk)) == []
    finally:
        desk.dispose()
    assert judge(BareSqliteRunner(path)) == []  # holds without the program's pragmas


@pytest.mark.parametrize("synced", ["sqlite"], indirect=True)
def test_every_form_on_a_central_sqlite_store(synced) -> None:
    _, url, _ = synced
    engine = make_engine(url)
    try:
        assert judge(EngineRunner(engine)) == []
    finally:
        engine.dispose()
    assert judge(BareSqliteRunner(Path(url))) == []


@pytest.mark.postgres
@pytest.mark.parametrize("synced", ["postgres"], indirect=True)
def test_every_form_on_a_central_postgres_store(synced) -> None:
    _, url, site_url = synced
    engine = make_engine(url)
    try:
        assert judge(EngineRunner(engine)) == []  # the owner: head office
    finally:
        engine.dispose()
    assert judge(SiteRoleRunner(site_url)) == []  # the site's own login


# --- the sync still goes through ---------------------------------------------------------------


def _raw_rows(desk: Engine, name: str) -> RawRows:
    """A table's rows as the push reads them from the desk (plain stored values)."""
    columns = [c.name for c in SQLModel.metadata.tables[name].columns]
    with desk.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM {name} WHERE site_code = ? ORDER BY id", (SITE,)
        ).all()
    return RawRows(name, columns, [tuple(r) for r in rows])


@pytest.mark.parametrize(
    "synced", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_resent_closed_day_is_unchanged_and_a_follow_up_goes_through(synced) -> None:
    desk, url, site_url = synced
    hq = make_engine(url)
    rows = site_rows(desk, SITE)
    try:
        for name in TABLES:  # as the pull and a careful push send them: typed, one upsert
            with hq.begin() as conn:
                outcome = upsert_rows(conn, name, list(rows[name].values()))
            assert (outcome.applied, outcome.refused) == (0, []), name
            assert outcome.unchanged == len(rows[name]) > 0, name
        for name in TABLES:  # as the push sends them: stored text, COPY on PostgreSQL
            raw = _raw_rows(desk, name)

            def load(ids: list[str], name=name) -> list[dict]:
                wanted = {uuid.UUID(i) for i in ids}
                return [r for i, r in rows[name].items() if i in wanted]

            for careful in (False, True):
                with hq.begin() as conn:
                    outcome = write_raw(conn, raw, load, careful=careful)
                assert (outcome.applied, outcome.refused) == (0, []), (name, careful)
        with desk.connect() as conn:
            walkin = conn.execute(select(WalkIn.id).where(WalkIn.business_date == D1)).scalar_one()
        mark_followed_up(desk, actor_of(desk, SITE), walkin, at(D2))
        report = sync(desk, site_url)
        assert report.push.quarantined == 0 and report.push.applied >= 1
        assert_central_equals_desk(desk, hq, SITE)
    finally:
        hq.dispose()


@pytest.mark.parametrize(
    "synced", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_visits_after_the_close_sync_and_the_close_out_stays_true(synced) -> None:
    """The desk goes on after a close: a free visit logged on the closed day and a paid one
    whose money goes into the next open day reach the central store, whose triggers let
    them in; the closed day's figures still check out there."""
    from frontdesk.services.closeout import check_closed_days

    desk, url, site_url = synced
    actor = actor_of(desk, SITE)
    with reading(desk) as s:
        free = s.scalars(select(Service.id).where(Service.code == "LG04")).one()
        paid = s.scalars(select(Service.id).where(Service.code == "JZ01")).one()
    visit = log_walkin(desk, actor, WalkInInput(service_id=free), at(D1), CEILING_FEN)
    raw = WalkInInput(service_id=paid, amount="30", method="cash")
    late = log_walkin(desk, actor, raw, at(D1), CEILING_FEN)
    assert visit.walkin.after_close and visit.walkin.business_date == D1
    assert late.walkin.business_date == D1 and late.payment.business_date == D2
    before = day_report(desk, SITE, D1)
    report = sync(desk, site_url)
    assert report.push.quarantined == 0 and report.push.applied == report.push.sent >= 3
    hq = make_engine(url)
    try:
        assert_central_equals_desk(desk, hq, SITE)
        with reading(hq) as s:
            assert all(c.sound for c in check_closed_days(s, SITE))
    finally:
        hq.dispose()
    after = day_report(desk, SITE, D1)
    assert (after.walkins, after.income_fen, after.hash) == (
        before.walkins,
        before.income_fen,
        before.hash,
    )
    assert after.walkins_after_close == 2
    # Once written it is a closed day's row: it cannot change, nor can a visit counted in
    # the close be turned into one logged after it.
    for where in (f"id = '{visit.walkin.id.hex}'", f"business_date = '{D1}' AND NOT after_close"):
        with pytest.raises(StoreError) as refused, writing(desk) as s:
            s.execute(
                text(
                    "UPDATE walkins SET after_close = NOT after_close, "
                    f"row_version = row_version + 1 WHERE {where}"
                )
            )
        assert refused.value.code == "day_closed"


def test_the_service_layer_still_says_so_in_words(tmp_path: Path) -> None:
    """The program's own writes meet the trigger as StoreError("day_closed")."""
    from frontdesk.services.desk import DeskSetup, init_desk

    desk = init_desk(tmp_path / "desk.sqlite3", DeskSetup(SITE, "白沙社区", "陈主任", "2468"))
    try:
        build_days(desk)
        for name, column, value in (
            ("adjustments", "amount_fen", 999999),
            ("business_days", "opening_float_fen", 999999),
        ):
            tbl = SQLModel.metadata.tables[name]
            day = tbl.c.booked_date if name == "adjustments" else tbl.c.business_date
            with pytest.raises(StoreError) as refused, writing(desk) as s:
                s.execute(
                    tbl.update()
                    .where(day == D1)
                    .values({column: value, "row_version": tbl.c.row_version + 1})
                )
            assert refused.value.code == "day_closed"
    finally:
        desk.dispose()


# --- the migration ----------------------------------------------------------------------------


def _store_at_0010(target: str | Path) -> Engine:
    """A store at revision 0010 holding one closed day: a float, a walk-in, its income
    entry, an adjustment booked that day, and the close-out."""
    from db.models import Adjustment, BusinessDay, Closeout, Payment

    engine = make_engine(target)
    upgrade(engine, "0010")
    staff_id = uuid.uuid4()
    with engine.begin() as conn:  # staff as 0010 has it (a PIN hash column, no reset columns)
        conn.execute(
            text(
                "INSERT INTO staff (id, site_code, created_at, updated_at, row_version, name, "
                "role, pin_hash, active) VALUES (:id, :site, :at, :at, 1, '陈主任', 'manager', "
                "'scrypt$x', :on)"
            ),
            {
                "id": staff_id.hex if engine.dialect.name == "sqlite" else staff_id,
                "site": SITE,
                "at": at(D1).replace(tzinfo=None) if engine.dialect.name == "sqlite" else at(D1),
                "on": True,
            },
        )
    with writing(engine) as s:
        staff = SimpleNamespace(id=staff_id)
        service = Service(
            site_code="HQ", code="LG04", name_zh="政策咨询", name_en="Policy", line="gig_market"
        )
        s.add(service)
        s.flush()
        s.add(BusinessDay(site_code=SITE, business_date=D1, opened_at=at(D1), opened_by=staff.id))
        walkin = WalkIn(
            site_code=SITE,
            business_date=D1,
            started_at=at(D1),
            service_id=service.id,
            staff_id=staff.id,
        )
        add_walkin(s.connection(), walkin)  # as 0010 has the table
        payment = Payment(
            site_code=SITE,
            business_date=D1,
            received_at=at(D1),
            amount_fen=4500,
            method="cash",
            service_id=service.id,
            walkin_id=walkin.id,
            staff_id=staff.id,
        )
        s.add(payment)
        s.flush()
        s.add(
            Adjustment(
                site_code=SITE,
                closed_date=D0,
                booked_date=D1,
                payment_id=payment.id,
                amount_fen=4500,
                reason="补录",
                staff_id=staff.id,
            )
        )
        s.flush()
        add_closeout(  # the store may be older than the model
            s.connection(),
            Closeout(
                site_code=SITE,
                business_date=D1,
                hash="h" * 64,
                closed_at=at(D1),
                closed_by=staff.id,
            ),
        )
    return engine


HOLES = (  # what revision 0010 let through on a closed day
    "UPDATE adjustments SET amount_fen = 999999, row_version = row_version + 1",
    "UPDATE business_days SET opening_float_fen = 999999, row_version = row_version + 1",
)


def _refused(runner: Runner, sql: str) -> bool:
    err = runner.run(sql)
    assert err is None or MESSAGE in err, err
    return err is not None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return request.getfixturevalue("pg_url")


def test_0011_closes_the_holes_and_its_downgrade_reopens_them(target: str) -> None:
    from alembic import command

    engine = _store_at_0010(target)
    runner = EngineRunner(engine)
    try:
        assert not any(_refused(runner, sql) for sql in HOLES)
        upgrade(engine)
        assert all(_refused(runner, sql) for sql in HOLES)
        follow_up = (
            f"UPDATE walkins SET followed_up_at = {_now(engine)}, row_version = row_version + 1"
        )
        assert not _refused(runner, follow_up)  # 0009's rule still holds
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0010")
            assert current_revision(conn) == "0010"
        assert not any(_refused(runner, sql) for sql in HOLES)
        assert not _refused(runner, follow_up)
        assert _refused(runner, "UPDATE payments SET amount_fen = 1, row_version = 2")
    finally:
        engine.dispose()


def _now(engine: Engine) -> str:
    return "CURRENT_TIMESTAMP" if engine.dialect.name == "sqlite" else "now()"


def test_0011_upgrades_a_central_store(target: str) -> None:
    """`central init` upgrades an existing central store and keeps its rules."""
    engine = _store_at_0010(target)
    try:
        with engine.begin() as conn:
            central.prepare(conn)  # a central store made before 0011
        runner = EngineRunner(engine)
        assert not any(_refused(runner, sql) for sql in HOLES)
        bare = BareSqliteRunner(Path(target)) if engine.dialect.name == "sqlite" else None
        if bare is not None:
            assert bare.run(_replace_payment("sqlite")) is None  # REPLACE moved it
        central_store(target)  # central init: upgrade and prepare again
        assert all(_refused(runner, sql) for sql in HOLES)
        assert _refused(runner, "DELETE FROM closeouts")
        assert _refused(runner, "DELETE FROM payments")
        if bare is not None:
            assert MESSAGE in (bare.run(_replace_payment("sqlite")) or "")
    finally:
        engine.dispose()


def _replace_payment(d: str) -> str:
    """The closed day's income entry moved to an open day by INSERT OR REPLACE."""
    columns = [c.name for c in SQLModel.metadata.tables["payments"].columns]
    values = {"row_version": "row_version + 1", "business_date": literal(d, FAR)}
    exprs = ", ".join(values.get(c, c) for c in columns)
    return f"INSERT OR REPLACE INTO payments ({', '.join(columns)}) SELECT {exprs} FROM payments"


# --- a column added later is compared too -----------------------------------------------------


def test_every_column_is_compared(target: str) -> None:
    """A column added to one of these tables must be added to the triggers (guard again)."""
    engine = make_engine(target)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            for table in TABLES:
                if engine.dialect.name == "sqlite":
                    query = f"SELECT sql FROM sqlite_master WHERE name = 'fd_{table}_closed_ins'"
                else:
                    query = f"SELECT prosrc FROM pg_proc WHERE proname = 'fd_{table}_closed'"
                body = conn.execute(text(query)).scalar_one()
                columns = set(closed_days.compared_columns(conn, table)) - {"id"}
                compared = {c for c in columns if f"fd_s.{c}" in body}
                assert compared == columns, table
                assert columns == {c.name for c in SQLModel.metadata.tables[table].columns} - {
                    "id",
                    *(closed_days.UNGUARDED if table == "walkins" else ()),
                }
    finally:
        engine.dispose()
