"""The push into a central SQLite file: many rows to a statement, one checkpoint per push."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlmodel import col
from sqlmodel import select as orm_select

from db.engine import make_engine
from db.models import Person, Service, SyncQuarantine, WalkIn
from db.session import reading, writing
from frontdesk.services.walkins import WalkInInput, log_walkin, void_walkin
from frontdesk.sync.apply import table
from frontdesk.sync.link import CENTRAL_WAL_LIMIT_BYTES
from frontdesk.sync.push import PUSH_CHECKPOINT_PAGES
from frontdesk.sync.resend import resend
from frontdesk.sync.runner import Central, sync_once
from frontdesk.sync.wire import SQLITE_ROWS
from tests.sync_support import (
    actor_of,
    assert_central_equals_desk,
    central_store,
    new_desk,
    pending,
    register_people,
    sync,
)


@pytest.fixture
def central_file(tmp_path: Path):
    path = str(tmp_path / "central.sqlite3")
    central_store(path)
    engine = make_engine(path)
    yield path, engine
    engine.dispose()


def per_statement(name: str) -> int:
    """Rows of `name` one upsert statement takes, as wire._sqlite_in works it out."""
    limit = sqlite3.connect(":memory:").getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return min(SQLITE_ROWS, limit // len(table(name).columns))


def test_rows_past_one_statement_are_all_taken_and_sorted(central_file, tmp_path) -> None:
    """People spread over two upsert statements: every new row is taken; then a conflict in
    the second statement is set aside, re-sent rows count as unchanged, none goes twice."""
    url, hq = central_file
    people = per_statement("people") + 40
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, people)
    first = sync(desk, site_url)
    assert first.push.applied == first.push.sent >= 2 * people  # people and their audit rows
    assert first.push.quarantined == 0
    assert_central_equals_desk(desk, hq, "HS01")

    with hq.connect() as conn:  # the last in id order: sent in the second statement
        ids = conn.execute(select(Person.id).order_by(Person.id)).scalars().all()
    victim = ids[-1]
    with hq.begin() as conn:
        conn.execute(update(Person).where(Person.id == victim).values(notes="总", row_version=9))
    with writing(desk) as s:
        for p in s.exec(orm_select(Person)).all():
            p.notes = "改"
    report = sync(desk, site_url)
    assert (report.push.applied, report.push.unchanged) == (people - 1, 0)
    assert report.push.quarantined == 1 and report.pending == 0
    with hq.connect() as conn:
        held = conn.execute(select(SyncQuarantine.row_id, SyncQuarantine.reason)).one()
        kept = conn.execute(select(Person.notes).where(Person.id == victim)).scalar_one()
    assert held.row_id == victim and "conflict" in held.reason
    assert kept == "总"  # never silently overwritten

    for row_id in ids[:3]:
        resend(desk, "people", row_id)
    again = sync(desk, site_url)
    assert (again.push.sent, again.push.applied, again.push.unchanged) == (3, 0, 3)
    assert again.push.quarantined == 0 and pending(desk) == 0


def test_one_statement_sorts_new_newer_equal_and_older_rows(central_file, tmp_path) -> None:
    """The rows an upsert statement took are worked out from the stored versions read just
    before it: new rows and newer versions count as applied, an equal re-send as unchanged,
    an older version than the central one is set aside, all in one statement. (The batch
    is first sent as all new; its statement takes fewer rows than it holds, so the batch is
    rolled back and sent again reading the versions: nothing of the first try stays.)"""
    url, hq = central_file
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 6)
    first = sync(desk, site_url)
    per_person = first.push.sent // 6  # the person and the audit rows of the registration
    with hq.connect() as conn:
        ids = conn.execute(select(Person.id).order_by(Person.id)).scalars().all()
    with hq.begin() as conn:  # changed centrally behind the desk's back: a conflict
        conn.execute(update(Person).where(Person.id == ids[5]).values(notes="总", row_version=9))
    with writing(desk) as s:
        for p in s.exec(orm_select(Person).where(Person.id.in_(ids[:2] + ids[5:]))).all():
            p.notes = "改"
    for row_id in ids[2:4]:
        resend(desk, "people", row_id)
    register_people(desk, "HS01", 6, 3)
    report = sync(desk, site_url)
    assert report.push.sent == 2 + 2 + 1 + 3 * per_person
    assert (report.push.applied, report.push.unchanged) == (2 + 3 * per_person, 2)
    assert report.push.quarantined == 1 and report.pending == 0
    with hq.connect() as conn:
        held = conn.execute(select(SyncQuarantine.row_id, SyncQuarantine.reason)).one()
        notes = dict(conn.execute(select(Person.id, Person.notes)).all())
    assert held.row_id == ids[5] and "conflict" in held.reason
    assert [notes[i] for i in ids[:2]] == ["改", "改"] and notes[ids[5]] == "总"
    assert len(notes) == 9


def _autocheckpoint(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()


def test_the_push_leaves_the_central_connection_as_it_found_it(central_file, tmp_path) -> None:
    """The larger checkpoint threshold lives only as long as the push: restored after one
    that succeeds, and a push that fails leaves its connection to be discarded."""
    url, _ = central_file
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 3)
    central = Central(site_url)
    seen: list[int] = []
    try:
        usual = _autocheckpoint(central.engine)
        assert usual != PUSH_CHECKPOINT_PAGES

        def fail(step: str) -> None:
            if step == "applied":
                raise RuntimeError("the push fails inside a batch")

        with pytest.raises(RuntimeError):
            sync_once(desk, central, hook=fail)
        assert _autocheckpoint(central.engine) == usual

        def watch(step: str) -> None:
            if step == "applied":  # the pool's other connections keep the usual setting
                seen.append(_autocheckpoint(central.engine))

        report = sync_once(desk, central, hook=watch)
        assert report.push.sent > 0 and report.pending == 0
        assert seen and set(seen) == {usual}
        assert _autocheckpoint(central.engine) == usual
        with central.engine.connect() as conn:  # the log grown by a push is cut back later
            limit = conn.exec_driver_sql("PRAGMA journal_size_limit").scalar_one()
        assert limit == CENTRAL_WAL_LIMIT_BYTES
    finally:
        central.dispose()


def test_a_row_goes_before_the_rows_of_its_table_that_refer_to_it(
    central_file, tmp_path, monkeypatch
) -> None:
    """A reversal refers to the walk-in it voids (walkins.reverses_id). If the original's
    newest entry comes after the reversal's (the original changed again, or was queued
    again), the desk still sends the original first: with one row to a statement, the
    reversal alone in a statement before its parent would fail the central foreign key
    and be quarantined."""
    monkeypatch.setattr("frontdesk.sync.wire.SQLITE_ROWS", 1)
    url, hq = central_file
    desk, site_url = new_desk(tmp_path, "HS01", url)
    actor = actor_of(desk, "HS01")
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with reading(desk) as s:
        service = s.exec(orm_select(Service).where(Service.code == "LG04")).one()
    original = log_walkin(desk, actor, WalkInInput(service_id=service.id), at, 10**6).walkin
    void_walkin(desk, actor, original.id, "登记错了", at + timedelta(minutes=5))
    with writing(desk) as s:  # the original's newest entry now follows the reversal's
        changed = dict(notes="补记", row_version=WalkIn.row_version + 1)
        s.execute(update(WalkIn).where(col(WalkIn.id) == original.id).values(**changed))
    report = sync(desk, site_url)
    assert report.push.quarantined == 0
    assert report.push.applied == report.push.sent
    assert_central_equals_desk(desk, hq, "HS01")
