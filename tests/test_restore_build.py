"""How a restore builds the new file (frontdesk/sync/restore.py): all of it or nothing, the
same refusals, the same search keys as a rebuild."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from db import search_keys
from db.engine import make_engine
from db.models import SyncSite
from frontdesk.sync.restore import restore
from tests.sync_support import busy_desk, central_store, new_desk, sync


def _synced_central(tmp_path: Path) -> tuple[Path, str]:
    central = tmp_path / "central.sqlite3"
    central_store(str(central))
    desk, site_url = new_desk(tmp_path, "HS01", str(central))
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    desk.dispose()
    return central, site_url


def _bound_uuid(central: Path) -> str:
    engine = make_engine(central)
    try:
        with engine.connect() as conn:
            query = select(SyncSite.database_uuid).where(SyncSite.site_code == "HS01")
            return str(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def _a_child_and_its_parent(conn: sqlite3.Connection) -> tuple[str, str, str]:
    """A row of HS01 whose foreign key points at another row of HS01: (table, parent
    table, parent id)."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for child in tables:
        for fk in conn.execute(f"PRAGMA foreign_key_list({child})").fetchall():
            parent, column = fk[2], fk[3]
            if parent not in tables or parent == child:
                continue
            found = conn.execute(
                f"SELECT p.id FROM {child} c JOIN {parent} p ON p.id = c.{column} "
                "WHERE c.site_code = 'HS01' AND p.site_code = 'HS01' LIMIT 1"
            ).fetchone()
            if found is not None:
                return child, parent, found[0]
    raise AssertionError("the busy desk has no row pointing at another of its rows")


def test_a_restore_whose_rows_miss_a_parent_is_refused_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    """Foreign keys are checked once over the built file: a damaged central store (a row
    whose parent is not the site's) fails as it did row by row, nothing is left on disk,
    and the site stays bound to the dead desk."""
    central, site_url = _synced_central(tmp_path)
    bound = _bound_uuid(central)
    with closing(sqlite3.connect(central)) as conn:
        _child, parent, parent_id = _a_child_and_its_parent(conn)
        moved = f"UPDATE {parent} SET site_code = 'HS99', row_version = row_version + 1"
        conn.execute(f"{moved} WHERE id = ?", (parent_id,))
        conn.commit()
    before = sorted(tmp_path.iterdir())
    rebuilt = tmp_path / "rebuilt.sqlite3"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        restore(site_url, "HS01", rebuilt)
    assert sorted(tmp_path.iterdir()) == before  # neither the desk nor its building file
    assert _bound_uuid(central) == bound


def test_a_restored_file_is_complete_synced_in_wal_and_alone(tmp_path: Path) -> None:
    _central, site_url = _synced_central(tmp_path)
    before = set(tmp_path.iterdir())
    rebuilt = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt)
    assert set(tmp_path.iterdir()) - before == {rebuilt}
    with closing(sqlite3.connect(rebuilt)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_loading_the_search_keys_gives_the_rows_a_rebuild_gives(desk_with_people: Path) -> None:
    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            search_keys.rebuild(conn)
            rebuilt = conn.exec_driver_sql("SELECT * FROM person_keys ORDER BY 1, 2, 3").all()
            conn.exec_driver_sql("DELETE FROM person_keys")
            assert search_keys.load(conn) == len(rebuilt)
            loaded = conn.exec_driver_sql("SELECT * FROM person_keys ORDER BY 1, 2, 3").all()
    finally:
        engine.dispose()
    assert len(rebuilt) > 100
    assert loaded == rebuilt
