"""A desk file made from the stored schema (db/fresh_desk.py) is the one the migrations make."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from db import fresh_desk
from db.head_schema import REVISION
from db.migrate import open_store
from db.schema import SCHEMA_HEAD

REGENERATE = "run `.venv/bin/python -m db.fresh_desk` and commit db/head_schema.py"


def _contents(path: Path) -> dict[str, object]:
    with closing(sqlite3.connect(path)) as conn:
        master = sorted(
            conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
            key=repr,
        )
        tables = [name for kind, name, _, _ in master if kind == "table"]
        rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        settings = {
            p: conn.execute(f"PRAGMA {p}").fetchone()
            for p in ("page_size", "auto_vacuum", "encoding", "user_version", "application_id")
        }
        columns = {t: conn.execute(f'PRAGMA table_xinfo("{t}")').fetchall() for t in tables}
    return {"master": master, "rows": rows, "settings": settings, "columns": columns}


def test_the_stored_schema_is_the_head(tmp_path: Path) -> None:
    assert REVISION == SCHEMA_HEAD, REGENERATE
    assert fresh_desk.current()


def test_a_fresh_desk_equals_a_migrated_one(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    engine, _ = open_store(migrated)
    engine.dispose()
    with closing(sqlite3.connect(migrated)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # compare the files, not their modes
    made = tmp_path / "made.sqlite3"
    fresh_desk.create(made)

    expected, got = _contents(migrated), _contents(made)
    assert got["master"] == expected["master"], REGENERATE
    assert got == expected, REGENERATE
    assert expected["rows"]["alembic_version"] == [(SCHEMA_HEAD,)]


def test_the_snapshot_text_is_what_is_stored(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    engine, _ = open_store(migrated)
    engine.dispose()
    assert fresh_desk.snapshot_text(migrated) == fresh_desk.SNAPSHOT.read_text("utf-8"), REGENERATE


def test_a_migrated_file_can_be_opened_after_it(tmp_path: Path) -> None:
    """open_store sees the made file at the head: no upgrade, no backup."""
    made = tmp_path / "made.sqlite3"
    fresh_desk.create(made)
    engine, backup = open_store(made)
    try:
        assert backup is None
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
    assert sorted(made.parent.iterdir()) == [made]
