"""Opening a store: upgrade with a backup, refuse what is not ours, models match migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlmodel import SQLModel

from db.engine import make_engine
from db.migrate import (
    StoreError,
    alembic_config,
    current_revision,
    head_revision,
    open_store,
    upgrade,
)
from db.models import Employer, Outbox, Person, Site, Staff, synced_tables
from db.session import reading, writing
from db.types import new_id

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
    from db.migrate import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD
