"""Opening a store: upgrade with a backup, refuse what is not ours, models match migrations."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Boolean, Engine, Index, MetaData, Table, Uuid, inspect, select, text
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.schema import CreateIndex
from sqlmodel import SQLModel

from db import closed_days
from db.engine import make_engine
from db.migrate import (
    StoreError,
    alembic_config,
    current_revision,
    head_revision,
    open_store,
    upgrade,
)
from db.models import (
    Closeout,
    Employer,
    Outbox,
    Payment,
    Person,
    Service,
    Site,
    Staff,
    WalkIn,
    synced_tables,
)
from db.models.base import POSTGRESQL_WHERE, declare_postgresql_where
from db.session import reading, writing
from db.types import UTCDateTime, new_id
from tests.old_schema import add_closeout, add_walkin, walkins_as_stored

SITE_ID = new_id()
STAFF_ID = new_id()
STAMP = "2026-11-26 02:30:00.000000"  # naive UTC text, as UTCDateTime stores it on SQLite
ALL_TABLES = set(SQLModel.metadata.tables)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A directory holding only the database under test (and whatever we make beside it)."""
    path = tmp_path / "db"
    path.mkdir()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    if request.param == "sqlite":
        yield tmp_path / "store.sqlite3"
    else:
        yield request.getfixturevalue("pg_url")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `folder` with its bytes and mtime: proves nothing was touched."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def open_refused(target: Path, **kw: bool) -> StoreError:
    with pytest.raises(StoreError) as caught:
        open_store(target, **kw)
    return caught.value


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision(conn)


def schema_diff(engine: Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)


def trigger_tables(engine: Engine) -> set[str]:
    if engine.dialect.name == "sqlite":
        sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = (
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal"
        )
    with engine.connect() as conn:
        return set(conn.execute(text(sql)).scalars())


def make_0001_desk(path: Path) -> None:
    """A desk database left at revision 0001, with a site and a staff row in plain SQL."""
    engine = make_engine(path)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO sites (id, site_code, created_at, updated_at, row_version, code, "
                    "name, name_en, category, rebate_rate_bp, rebate_base, "
                    "closeout_tolerance_fen, min_wage_fen_per_hour, active) VALUES "
                    "(:id, 'HS01', :at, :at, 1, 'HS01', '白沙社区', 'Baisha', '全优型', 2000, "
                    "'community_share', 500, 1700, 1)"
                ),
                {"id": SITE_ID.hex, "at": STAMP},
            )
            conn.execute(
                text(
                    "INSERT INTO staff (id, site_code, created_at, updated_at, row_version, "
                    "name, role, pin_hash, active) VALUES "
                    "(:id, 'HS01', :at, :at, 1, '陈主任', 'manager', 'scrypt$x', 1)"
                ),
                {"id": STAFF_ID.hex, "at": STAMP},
            )
    finally:
        engine.dispose()


# --- upgrade with a backup --------------------------------------------------------------


def test_upgrade_from_0001_backs_up_and_keeps_data(folder: Path) -> None:
    path = folder / "desk.sqlite3"
    make_0001_desk(path)
    old_bytes = path.read_bytes()

    engine, backup = open_store(path)
    try:
        assert backup is not None and backup.exists()
        assert backup.parent == folder
        assert backup.name.startswith("desk.sqlite3.0001-") and backup.name.endswith(".bak")
        with closing(sqlite3.connect(backup)) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
            assert old.execute("SELECT name FROM sites").fetchall() == [("白沙社区",)]
            names = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
            assert "people" not in names
        assert len(old_bytes) > 0

        assert revision_of(engine) == head_revision() != "0001"
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == ALL_TABLES | {"alembic_version"}
        assert trigger_tables(engine) == set(synced_tables())

        with reading(engine) as s:
            site = s.get(Site, SITE_ID)
            staff = s.get(Staff, STAFF_ID)
            outbox = s.exec(select(Outbox.table_name, Outbox.row_id)).all()
        assert site is not None and staff is not None
        assert (site.code, site.name, site.name_en, site.closeout_tolerance_fen) == (
            "HS01",
            "白沙社区",
            "Baisha",
            500,
        )
        assert site.created_at == datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
        assert (staff.name, staff.role, staff.active) == ("陈主任", "manager", True)
        assert sorted(outbox) == sorted([("sites", SITE_ID), ("staff", STAFF_ID)])

        # The new tables accept rows (and carry their triggers); old rows still update.
        person = Person(
            site_code="HS01",
            name="张三",
            id_number="440703199001011234",
            id_hash="h" * 64,
            id_tail="1234",
            gender="M",
            birth_date=date(1990, 1, 1),
            phone="13800001234",
            phone_tail="1234",
            registered_on=date(2026, 11, 26),
            staff_id=STAFF_ID,
        )
        employer = Employer(site_code="HS01", name="白沙制衣厂")
        with writing(engine) as s:
            s.add_all([person, employer])
            loaded = s.get(Site, SITE_ID)
            assert loaded is not None
            loaded.name = "白沙社区服务中心"
        with engine.connect() as conn:
            rows = conn.execute(
                select(Outbox.table_name, Outbox.row_id, Outbox.row_version).where(Outbox.seq > 2)
            ).all()
        assert sorted(rows) == sorted(
            [("people", person.id, 1), ("employers", employer.id, 1), ("sites", SITE_ID, 2)]
        )
    finally:
        engine.dispose()


def test_backup_of_a_path_with_uri_characters(tmp_path: Path) -> None:
    # '#' and '%' are legal in folder names and special in SQLite URIs.
    folder = tmp_path / "desk #1 100%20"
    folder.mkdir()
    path = folder / "desk.sqlite3"
    make_0001_desk(path)
    engine, backup = open_store(path)
    engine.dispose()
    assert backup is not None and backup.parent == folder
    with closing(sqlite3.connect(backup)) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert old.execute("SELECT code FROM sites").fetchall() == [("HS01",)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]  # no stray file


def test_opening_at_head_makes_no_backup(folder: Path) -> None:
    path = folder / "desk.sqlite3"
    engine, backup = open_store(path)
    engine.dispose()
    assert backup is None
    engine, backup = open_store(path)
    engine.dispose()
    assert backup is None
    assert [p.name for p in folder.iterdir()] == ["desk.sqlite3"]


# --- refusals leave the file alone --------------------------------------------------------


def test_newer_revision_is_refused_untouched(folder: Path) -> None:
    path = folder / "desk.sqlite3"
    engine, _ = open_store(path)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
    before = snapshot(folder)

    err = open_refused(path)
    assert err.code == "db_newer"
    assert err.params == {"found": "9999", "supported": head_revision()}
    assert snapshot(folder) == before


def test_text_file_is_refused_untouched(folder: Path) -> None:
    path = folder / "notes.txt"
    path.write_text("白沙社区 not a database\n", encoding="utf-8")
    before = snapshot(folder)
    assert open_refused(path).code == "db_not_sqlite"
    assert snapshot(folder) == before


def test_directory_is_refused_untouched(folder: Path) -> None:
    path = folder / "desk.sqlite3"
    path.mkdir()
    assert open_refused(path).code == "db_is_directory"
    assert path.is_dir() and not any(path.iterdir())
    assert [p.name for p in folder.iterdir()] == ["desk.sqlite3"]


def test_foreign_sqlite_database_is_refused_untouched(folder: Path) -> None:
    path = folder / "other.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('x')")
        conn.commit()
    before = snapshot(folder)
    assert open_refused(path).code == "db_foreign"
    assert snapshot(folder) == before


def test_corrupt_sqlite_file_is_refused_untouched(folder: Path) -> None:
    path = folder / "desk.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    before = snapshot(folder)
    assert open_refused(path).code == "db_unreadable"
    assert snapshot(folder) == before


def test_missing_parent_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "desk.sqlite3"
    err = open_refused(path)
    assert err.code == "db_dir_missing"
    assert err.params == {"path": str(path.parent)}
    assert not path.parent.exists()


def test_missing_file_is_refused_when_not_creating(folder: Path) -> None:
    assert open_refused(folder / "desk.sqlite3", create=False).code == "db_missing"
    assert not any(folder.iterdir())


# --- models and migrations agree ------------------------------------------------------------


def test_models_match_migrations(target: str | Path) -> None:
    engine, _ = open_store(target)
    try:
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_partial_indexes_of_the_models_are_those_of_the_postgresql_migrations(
    pg_head_url: str,
) -> None:
    # The models name only SQLite's WHERE (db/models/base.py partial_index); the clause
    # declare_postgresql_where gives PostgreSQL must build the index the migrations built.
    declare_postgresql_where(SQLModel.metadata)
    partial = [
        index
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if POSTGRESQL_WHERE in index.info
    ]
    assert len(partial) == 7
    engine = make_engine(pg_head_url)
    try:
        with engine.begin() as conn:
            for index in partial:
                assert index.dialect_options["postgresql"]["where"] is not None
                ours = Index(
                    f"x_{index.name}",
                    *index.expressions,
                    unique=index.unique,
                    postgresql_where=index.dialect_options["postgresql"]["where"],
                )  # a copy on the same table (its columns attach it), under its own name
                conn.execute(CreateIndex(ours))
                index.table.indexes.discard(ours)
                defs = dict(
                    conn.execute(
                        text(
                            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (:a, :b)"
                        ),
                        {"a": index.name, "b": ours.name},
                    ).all()
                )
                assert " WHERE " in defs[index.name]
                assert defs[ours.name].replace(ours.name, index.name, 1) == defs[index.name]
    finally:
        engine.dispose()
    assert not any(
        i.name.startswith("x_") for t in SQLModel.metadata.tables.values() for i in t.indexes
    )


def test_downgrade_to_base_and_upgrade_again(target: str | Path) -> None:
    engine, _ = open_store(target)
    try:
        with writing(engine) as s:
            s.add(Site(site_code="HS01", code="HS01", name="白沙社区"))
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0001")
        assert revision_of(engine) == "0001"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM sites")).scalars().all() == ["白沙社区"]
            assert "people" not in inspect(conn).get_table_names()

        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert revision_of(engine) is None
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == ["alembic_version"]
        assert trigger_tables(engine) == set()

        upgrade(engine)
        assert revision_of(engine) == head_revision()
        assert schema_diff(engine) == []
        assert trigger_tables(engine) == set(synced_tables())
        site = Site(site_code="HS01", code="HS01", name="白沙社区")
        with writing(engine) as s:
            s.add(site)
        with engine.connect() as conn:
            assert conn.execute(select(Outbox.row_id)).scalars().all() == [site.id]
    finally:
        engine.dispose()


def test_the_known_head_is_the_newest_migration() -> None:
    from db.migrate import head_revision
    from db.schema import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


# --- closed days: the follow-up of a closed day's walk-in (0009) ----------------------------

CLOSED_DAY = date(2026, 11, 25)


OLD_STAFF = sa_table(
    "staff",
    sa_column("id", Uuid()),
    sa_column("site_code"),
    sa_column("created_at", UTCDateTime()),
    sa_column("updated_at", UTCDateTime()),
    sa_column("row_version"),
    sa_column("name"),
    sa_column("role"),
    sa_column("pin_hash"),
    sa_column("active", Boolean()),
)


def staff_row(engine: Engine, pin_hash: str = "scrypt$x") -> uuid.UUID:
    """A manager's staff row at the store's revision: before 0013 its PIN hash was in it."""
    staff_id = new_id()
    at = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    with engine.begin() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("staff")}
        values = {
            "id": staff_id,
            "site_code": "HS01",
            "created_at": at,
            "updated_at": at,
            "row_version": 1,
            "name": "陈主任",
            "role": "manager",
            "pin_hash": pin_hash,
            "active": True,
        }
        conn.execute(OLD_STAFF.insert().values({k: v for k, v in values.items() if k in columns}))
    return staff_id


def closed_day_entries(engine: Engine) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A walk-in and its income entry on a day then closed; returns their ids and the id of
    a second service."""
    at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    staff_id = staff_row(engine)
    with writing(engine) as s:
        policy = Service(
            site_code="HQ", code="LG04", name_zh="政策咨询", name_en="Policy", line="gig_market"
        )
        other = Service(
            site_code="HQ", code="LG05", name_zh="权益保障", name_en="Rights", line="gig_market"
        )
        s.add_all([policy, other])
        s.flush()
        walkin = WalkIn(
            site_code="HS01",
            business_date=CLOSED_DAY,
            started_at=at,
            service_id=policy.id,
            staff_id=staff_id,
            follow_up_on=CLOSED_DAY,
        )
        add_walkin(s.connection(), walkin)  # the store may be older than the model
        payment = Payment(
            site_code="HS01",
            business_date=CLOSED_DAY,
            received_at=at,
            amount_fen=4500,
            method="cash",
            service_id=policy.id,
            walkin_id=walkin.id,
            staff_id=staff_id,
        )
        s.add(payment)
        s.flush()
        add_closeout(  # the store may be older than the model
            s.connection(),
            Closeout(
                site_code="HS01",
                business_date=CLOSED_DAY,
                hash="h" * 64,
                closed_at=at,
                closed_by=staff_id,
            ),
        )
    return walkin.id, payment.id, other.id


def change(engine: Engine, model: type, row_id: uuid.UUID, **values: object) -> None:
    """One change of one row (row_version and updated_at move with it): by the ORM, or for a
    walk-in by its columns as stored."""
    with writing(engine) as s:
        if model is WalkIn:
            table = walkins_as_stored(s.connection())
            s.connection().execute(
                table.update()
                .where(table.c.id == row_id)
                .values(row_version=table.c.row_version + 1, **values)
            )
            return
        row = s.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)


def refused(engine: Engine, model: type, row_id: uuid.UUID, **values: object) -> bool:
    try:
        change(engine, model, row_id, **values)
    except StoreError as exc:
        assert exc.code == "day_closed"
        return True
    return False


def test_a_closed_days_follow_up_can_be_marked_and_nothing_else(target: str | Path) -> None:
    engine, _ = open_store(target)
    try:
        walkin_id, payment_id, other_service = closed_day_entries(engine)
        done_at = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
        assert not refused(engine, WalkIn, walkin_id, followed_up_at=done_at)
        with reading(engine) as s:
            walkin = s.get(WalkIn, walkin_id)
        assert walkin.followed_up_at == done_at and walkin.row_version == 2
        assert not refused(engine, WalkIn, walkin_id, followed_up_at=None)  # undone again
        # Anything that is the day's record stays as it was closed.
        for values in (
            {"service_id": other_service},
            {"business_date": CLOSED_DAY - timedelta(days=1)},
            {"business_date": CLOSED_DAY + timedelta(days=1)},
            {"headcount": 3},
            {"outcome": "改过", "followed_up_at": done_at},  # a mark does not carry a change
            {"follow_up_on": CLOSED_DAY + timedelta(days=7)},
            {"deleted_at": done_at},
        ):
            assert refused(engine, WalkIn, walkin_id, **values), values
        assert refused(engine, Payment, payment_id, amount_fen=1)
        fields = walkin.model_dump(exclude={"id", "created_at", "updated_at", "row_version"})
        with pytest.raises(StoreError), writing(engine) as s:  # nor a new entry on that day
            s.add(WalkIn(**fields))
    finally:
        engine.dispose()


def test_0009_opens_the_follow_up_and_its_downgrade_closes_it(target: str | Path) -> None:
    engine = make_engine(target)
    try:
        upgrade(engine, "0008")
        walkin_id, _, _ = closed_day_entries(engine)
        done_at = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
        assert refused(engine, WalkIn, walkin_id, followed_up_at=done_at)  # as 0005 made it
        upgrade(engine)
        assert revision_of(engine) == head_revision()
        assert not refused(engine, WalkIn, walkin_id, followed_up_at=done_at)
        assert refused(engine, WalkIn, walkin_id, headcount=2)
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0008")
        assert refused(engine, WalkIn, walkin_id, followed_up_at=None)
        with engine.begin() as conn:  # and on down to before the close-out triggers
            command.downgrade(alembic_config(conn), "0004")
        assert not refused(engine, WalkIn, walkin_id, headcount=2)
    finally:
        engine.dispose()


def test_the_walkin_trigger_compares_every_column_but_the_follow_up(target: str | Path) -> None:
    """A column added to walk-ins later must be added to the trigger too (make it again)."""
    engine, _ = open_store(target)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                query = "SELECT sql FROM sqlite_master WHERE name = 'fd_walkins_closed_upd'"
            else:
                query = (
                    "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
                    "WHERE tgname = 'fd_walkins_closed_upd'"
                )
            sql = conn.execute(text(query)).scalar_one().lower()
        # OLD.c IS NOT NEW.c (SQLite); (old.c)::text IS DISTINCT FROM (new.c)::text as
        # PostgreSQL prints it back.
        pair = r"old\.(\w+)\)?(?:::[\w ]+)? (?:is not|is distinct from) \(?new\.\1\b"
        compared = set(re.findall(pair, sql))
        columns = {c.name for c in WalkIn.__table__.columns}
        assert compared == columns - set(closed_days.UNGUARDED)
        assert set(closed_days.UNGUARDED) <= columns
    finally:
        engine.dispose()


# --- search keys for every combination of a name's readings (0010) --------------------------


def keys_the_old_way(name: str) -> set[str]:
    """What db/search_keys.py indexed before 0010: one other reading at a time."""
    from db.search_keys import readings

    keys = {name[i:] for i in range(len(name))}
    for per_char in readings(name):
        usual = [options[0] for options in per_char]
        combos = [usual] + [
            [*usual[:i], other, *usual[i + 1 :]]
            for i, options in enumerate(per_char)
            for other in options[1:]
        ]
        for combo in combos:
            keys.update("".join(combo[i:]) for i in range(len(combo)))
    return keys


def old_person(engine: Engine, staff_id: uuid.UUID) -> Person:
    """A person written with the columns a desk before 0021 has (no masked forms, 0021's
    and 0023's)."""
    person = Person(
        site_code="HS01",
        name="单长乐",
        id_number="440703199001011234",
        id_hash="h" * 64,
        id_tail="1234",
        gender="M",
        birth_date=date(1990, 1, 1),
        phone="13800001234",
        phone_tail="1234",
        registered_on=date(2026, 11, 26),
        staff_id=staff_id,
        created_at=datetime(2026, 11, 26, 2, 30, tzinfo=UTC),
        updated_at=datetime(2026, 11, 26, 2, 30, tzinfo=UTC),
    )
    later = {"id_masked", "phone_masked", "address_masked"}
    columns = [c._copy() for c in Person.__table__.columns if c.name not in later]  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            Table("people", MetaData(), *columns).insert(), person.model_dump(exclude=later)
        )
    return person


def test_0010_recomputes_search_keys_made_the_old_way(target: str | Path) -> None:
    from sqlalchemy import delete, func, insert

    from db.models import PersonKey
    from db.search_keys import keys_for
    from frontdesk.services.search import search

    engine = make_engine(target)
    try:
        upgrade(engine, "0009")
        staff_id = staff_row(engine)
        person = old_person(engine, staff_id)
        old = keys_the_old_way("单长乐")
        assert "scl" not in old and "shanchangle" not in old
        with engine.begin() as conn:  # the keys as a desk before 0010 holds them
            conn.execute(delete(PersonKey))
            rows = [{"site_code": "HS01", "key": k, "person_id": person.id} for k in old]
            conn.execute(insert(PersonKey), rows)
            outbox = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
        assert search(engine, "HS01", "scl") == []

        upgrade(engine)
        assert revision_of(engine) == head_revision()
        with engine.connect() as conn:
            keys = set(conn.execute(select(PersonKey.key)).scalars())
            after = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
            version = conn.execute(select(Person.row_version)).scalar_one()
        assert keys == keys_for("单长乐") and {"scl", "shanchangle", "dcl"} <= keys
        for query in ("scl", "shanchangle", "dcl", "danzhangle"):
            assert [r.name for r in search(engine, "HS01", query)] == ["单长乐"], query
        assert (after, version) == (outbox, 1)  # derived keys only: nothing to sync
    finally:
        engine.dispose()
