"""How a restore builds the new file (frontdesk/sync/restore.py): all of it or nothing, the
same refusals, the same search keys as a rebuild."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from db import search_keys
from db.engine import make_engine
from db.models import SyncSite
from frontdesk.errors import UserError, describe
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
    with pytest.raises(UserError) as refused:
        restore(site_url, "HS01", rebuilt)
    assert refused.value.code == "restore.missing_parent"
    named = refused.value.params  # the first table (in the schema's order) with an orphan
    assert named["parent"] == parent and int(str(named["count"])) >= 1
    said = describe(refused.value)  # zh_CN, the desk's language when none is chosen
    assert f"{named['table']} 表有 {named['count']} 行引用的 {parent} 记录不存在" in said
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


def _rebuilt_then_loaded(conn: Any) -> tuple[list[Any], list[Any]]:
    """person_keys as `rebuild` writes them, then as `load` writes them in their place."""
    query = "SELECT * FROM person_keys ORDER BY 1, 2, 3"
    search_keys.rebuild(conn)
    rebuilt = conn.exec_driver_sql(query).all()
    conn.exec_driver_sql("DELETE FROM person_keys")
    assert search_keys.load(conn) == len(rebuilt)
    return rebuilt, conn.exec_driver_sql(query).all()


def test_loading_the_search_keys_gives_the_rows_a_rebuild_gives(desk_with_people: Path) -> None:
    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            rebuilt, loaded = _rebuilt_then_loaded(conn)
    finally:
        engine.dispose()
    assert len(rebuilt) > 100
    assert loaded == rebuilt


def test_loading_the_search_keys_of_people_of_two_sites(desk_with_people: Path) -> None:
    """`load` writes a site at a time; people of another site get the rows a rebuild gives."""
    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            first = conn.exec_driver_sql("SELECT min(id) FROM people").scalar_one()
            conn.exec_driver_sql(
                "UPDATE people SET site_code = 'A000', row_version = row_version + 1 WHERE id = ?",
                (first,),
            )
            rebuilt, loaded = _rebuilt_then_loaded(conn)
    finally:
        engine.dispose()
    assert {site for site, _, _ in loaded} == {"A000", rebuilt[-1][0]}
    assert loaded == rebuilt


def test_loading_the_search_keys_with_some_worked_out_ahead(desk_with_people: Path) -> None:
    """Keys worked out beforehand (a restore's thread) and any name left out give the same
    rows."""
    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM person_keys")  # kept by the session hook
            whole = search_keys.load(conn)
            rows = conn.exec_driver_sql("SELECT * FROM person_keys ORDER BY 1, 2, 3").all()
            conn.exec_driver_sql("DELETE FROM person_keys")
            names = conn.exec_driver_sql("SELECT name FROM people ORDER BY id").scalars().all()
            ahead = search_keys.keys_by_name(names[1:])  # one name left to `load`
            assert search_keys.load(conn, ahead) == whole
            again = conn.exec_driver_sql("SELECT * FROM person_keys ORDER BY 1, 2, 3").all()
    finally:
        engine.dispose()
    assert again == rows and len(names) > 1


# (skills, desired_jobs, availability, status, deleted): plain arrays, and what a JSON
# column may hold that is not one, which `_fits` reads in its own way.
_ODD_PEOPLE = [
    ('["包装", "电商"]', '[{"job": "包装", "pay_fen": 450000, "area": "蓬江区"}]', "", "active", 0),
    (
        '["\\u7535\\u5de5", " 包装 ", "ＡＢＣ"]',
        '[{"job": "包装", "pay_fen": 1}, {"job": " 包装 ", "pay_fen": 500}, '
        '{"job": "abc", "pay_fen": true}, {"job": "x", "pay_fen": -5}, '
        '{"job": "y", "pay_fen": "300"}, {"job": "z", "pay_fen": 2.5}]',
        "周末上午",
        "active",
        0,
    ),
    (
        '["", "电工"]',
        '[{"pay_fen": 100}, {"job": null}, {"job": 12}, {"job": ""}, "a wish as text", '
        '[1, 2], {"job": "a", "job": "b", "pay_fen": 7}, {"job": {"k": 1}}, '
        '{"job": "' + "长" * 50 + '", "pay_fen": 9}]',
        "9:00-16:00",
        "active",
        0,
    ),
    ('["电工", 5, null, true, {"x": 1}]', "[]", "工作日", "active", 0),
    ("[]", "null", "全天", "active", 0),
    ('{"焊工": 1}', '{"job": "包装"}', "", "active", 0),
    ('"电工"', '[{"job": "保洁", "pay_fen": 300000}]', "晚上", "active", 0),
    ("null", "[]", "", "active", 0),
    ('["包装"]', '[{"job": "包装", "pay_fen": 1}]', "", "employed", 0),
    ('["包装"]', '[{"job": "包装", "pay_fen": 1}]', "", "active", 1),
]


def test_loading_the_dispatch_keys_gives_the_rows_a_rebuild_gives(
    desk_with_people: Path,
) -> None:
    """`job_keys.load` (SQLite spreads the arrays) against `rebuild` (Python reads every
    person), over people whose JSON columns hold arrays and what else they may hold."""
    from db import job_keys

    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(people)")]
            given = ("id", "id_hash", "skills", "desired_jobs", "availability", "status")
            copied = ", ".join(c for c in columns if c not in (*given, "deleted_at"))
            first = conn.exec_driver_sql("SELECT id FROM people ORDER BY id").scalars().first()
            for i, (skills, wishes, hours, status, deleted) in enumerate(_ODD_PEOPLE):
                conn.exec_driver_sql(
                    f"INSERT INTO people ({', '.join(given)}, deleted_at, {copied}) "
                    f"SELECT ?, ?, ?, ?, ?, ?, ?, {copied} FROM people WHERE id = ?",
                    (
                        f"{i:032x}",
                        f"odd{i}",
                        skills,
                        wishes,
                        hours,
                        status,
                        "2026-01-01 00:00:00.000000" if deleted else None,
                        first,
                    ),
                )
            job_keys.rebuild(conn)  # rebuild deletes the hook's rows itself
            rebuilt = conn.exec_driver_sql("SELECT * FROM person_jobs ORDER BY rowid").all()
            conn.exec_driver_sql("DELETE FROM person_jobs")
            assert job_keys.load(conn) == len(rebuilt)
            loaded = conn.exec_driver_sql("SELECT * FROM person_jobs ORDER BY rowid").all()
            types = "SELECT " + ", ".join(
                f"typeof({c})" for c in ("person_id", "job", "desired", "avail", "pay_fen")
            )
            assert conn.exec_driver_sql(f"{types} FROM person_jobs").all() == [
                ("text", "text", "integer", "integer", "integer")
            ] * len(loaded)
    finally:
        engine.dispose()
    jobs = {pid: [] for pid, *_ in rebuilt}
    for pid, job, *_ in rebuilt:
        jobs[pid].append(job)
    assert jobs[f"{5:032x}"] == ["焊工"]  # an object's keys, as `_fits` iterates them
    assert jobs[f"{6:032x}"] == ["保洁", "工", "电"]  # a string's characters
    assert f"{8:032x}" not in jobs and f"{9:032x}" not in jobs
    assert sorted(loaded) == sorted(rebuilt)


@pytest.mark.parametrize("column", ["desired_jobs", "skills"])
def test_a_json_column_that_is_no_json_fails_loading_as_it_fails_a_rebuild(
    desk_with_people: Path, column: str
) -> None:
    import json

    from db import job_keys

    engine = make_engine(desk_with_people)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f"UPDATE people SET {column} = '[\"包装\"', row_version = row_version + 1 "
                "WHERE id = (SELECT min(id) FROM people)"
            )
            with pytest.raises(json.JSONDecodeError):
                job_keys.rebuild(conn)
            conn.exec_driver_sql("DELETE FROM person_jobs")
            with pytest.raises(json.JSONDecodeError):
                job_keys.load(conn)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_reading_thread_hands_over_chunks_in_order_and_its_failure(pg_url: str) -> None:
    """PostgreSQL rows are read in a thread (`_Prefetch`): each table's chunks come in
    order and end at the table's end, a failure of the reading is raised to the writer,
    and leaving early stops the thread."""
    from frontdesk.sync import restore as restoring

    engine = make_engine(pg_url)
    series = "SELECT g, %s FROM generate_series(1, 4500) AS g ORDER BY g"
    try:
        with engine.connect() as conn, conn.begin():
            plans = [
                restoring._Plan(series, ("a",), 2000),
                restoring._Plan(series, ("b",), 1500),
                restoring._Plan(
                    "SELECT 1 / (g - g), %s FROM generate_series(1, 3) AS g", ("c",), 2
                ),
            ]
            with restoring._Prefetch(conn, plans) as chunks:
                for owner in ("a", "b"):
                    got = [row for rows in chunks.table() for row in rows]
                    assert got == [(g, owner) for g in range(1, 4501)]
                with pytest.raises(psycopg.errors.DivisionByZero):
                    list(chunks.table())
        with engine.connect() as conn, conn.begin():
            reading = restoring._Prefetch(conn, [restoring._Plan(series, ("a",), 2000)] * 50)
            with reading as chunks:
                next(chunks.table())  # and no more: the thread is stopped, not left waiting
            assert not reading._thread.is_alive()
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1  # the connection is free
    finally:
        engine.dispose()
