"""An import's outbox: appended a batch at a time by the writer instead of by the per-row
triggers (db/outbox.py, entries_by_loader), and exactly what the triggers would have left."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlmodel import select

from db.models import Staff
from db.session import reading, writing
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput, validate
from frontdesk.services import seeker_io, seekers
from frontdesk.services.acting import Actor
from frontdesk.services.maintenance import check
from frontdesk.services.seeker_io import import_seekers
from frontdesk.services.spreadsheets import ImportCancelled
from tests.conftest import FIXED_NOW
from tests.spreadsheets import write_csv

HEADER = ["姓名", "身份证号", "手机号", "技能"]
NAMES = ["张三", "李四", "王五", "曾小明", "单长乐"]


def rows() -> list[list[str]]:
    return [
        [name, make_id("440703", date(1990, 5, 17), 11 + i), f"1380013800{i}", "包装；焊工"]
        for i, name in enumerate(NAMES)
    ]


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def entries(conn: Connection) -> list[tuple[str, str, int, str]]:
    """Each outbox entry as (table, whose ID number (its keyed hash), version, op), in order."""
    return list(
        conn.exec_driver_sql(
            "SELECT o.table_name, coalesce(p.id_hash, q.id_hash), o.row_version, o.op"
            " FROM outbox o LEFT JOIN people p ON o.table_name = 'people' AND p.id = o.row_id"
            " LEFT JOIN audit_log a ON o.table_name = 'audit_log' AND a.id = o.row_id"
            " LEFT JOIN people q ON q.id = a.entity_id ORDER BY o.seq"
        ).all()
    )


def triggers(conn: Connection) -> list[tuple[str, str]]:
    return list(
        conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).all()
    )


def test_the_outbox_is_what_the_triggers_would_have_written(
    desk, actor, tmp_path: Path, monkeypatch
) -> None:
    """Batches of two: the entries interleave people and audit rows batch by batch, as the
    triggers do for the same rows written by the same writer with its triggers in place."""
    engine, path = desk
    monkeypatch.setattr(seeker_io, "BATCH", 2)
    with engine.connect() as conn:
        before, start = triggers(conn), len(entries(conn))
    import_seekers(engine, actor, write_csv(tmp_path / "in.csv", HEADER, rows()), FIXED_NOW)
    with engine.connect() as conn:
        loaded = entries(conn)[start:]
        assert triggers(conn) == before  # set aside for the load only, back as they were
    loaded = [e for e in loaded if e[1] is not None]  # the import's own audit row names nobody

    # The same rows through the same writer, the triggers in place, in another desk.
    reference = tmp_path / "reference.sqlite3"
    reference.write_bytes(path.read_bytes())
    from db.migrate import open_store

    other, _ = open_store(reference)
    try:
        cleans = [
            validate(
                SeekerInput(name=r[0], id_number=r[1], phone=r[2], skills=r[3], consent=True),
                date(2026, 11, 26),
            )
            for r in rows()
        ]
        with writing(other) as s:
            writer = seekers.PeopleWriter(s, actor, FIXED_NOW)
            for at in range(0, len(cleans), 2):
                writer.add(cleans[at : at + 2])
        with other.connect() as conn:
            expected = entries(conn)[start:]
    finally:
        other.dispose()
    assert loaded == expected
    assert len(loaded) == 2 * len(NAMES) and {e[2:] for e in loaded} == {(1, "I")}
    assert check(path) == []  # every row's version has its entry, no trigger missing


def test_a_cancelled_import_leaves_the_triggers_and_the_outbox(desk, actor, tmp_path) -> None:
    engine, _ = desk
    with engine.connect() as conn:
        before, outbox = triggers(conn), entries(conn)

    def cancel(done: int, total: int | None) -> None:
        raise ImportCancelled()

    source = write_csv(tmp_path / "in.csv", HEADER, rows())
    with pytest.raises(ImportCancelled):
        import_seekers(engine, actor, source, FIXED_NOW, progress=cancel)
    with engine.connect() as conn:
        assert triggers(conn) == before and entries(conn) == outbox
    # The form's registration after it still has its entry from the trigger.
    raw = SeekerInput(name="赵六", id_number=make_id("440703", date(1991, 1, 2), 31))
    raw.phone, raw.consent = "13700137000", True
    person = seekers.register(engine, actor, raw, FIXED_NOW)
    with engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM outbox WHERE row_id = ?", (person.id.hex,)
            ).scalar_one()
            == 1
        )
