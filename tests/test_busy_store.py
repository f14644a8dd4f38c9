"""A desk another program is writing to: honest words, no "offline", imports that check
before they lock (walk-ins) or say the desk is busy and write nothing (seekers)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import db.engine
from db.engine import make_engine
from db.errors import StoreError
from db.models import Person, SyncState
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.errors import describe
from frontdesk.i18n import set_language
from frontdesk.services import seeker_io, walkin_io
from frontdesk.services.acting import Actor
from frontdesk.services.seekers import register
from frontdesk.sync import push as push_module
from frontdesk.sync.link import SyncError, is_transient
from tests.conftest import FIXED_NOW
from tests.spreadsheets import write_csv
from tests.sync_support import (
    actor_of,
    assert_central_equals_desk,
    central_store,
    new_desk,
    register_people,
    sync,
)


@contextmanager
def held_lock(path: Path) -> Iterator[None]:
    """Another program holding the desk's write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _can_write_now(path: Path) -> bool:
    """Whether another program could take the write lock at this moment (no waiting)."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 200)


def _seeker(seq: int) -> SeekerInput:
    return SeekerInput(
        name="张三",
        id_number=make_id("440703", date(1990, 5, 17), seq),
        phone="13800138000",
        consent=True,
    )


def test_a_save_on_a_locked_desk_says_another_program_is_writing(
    desk, quick_timeout, tmp_path: Path
) -> None:
    _, path = desk
    engine = make_engine(path)
    actor = actor_of(engine, "HS01")
    with held_lock(path), pytest.raises(StoreError) as err:
        register(engine, actor, _seeker(11), FIXED_NOW)
    assert err.value.code == "busy"
    set_language("zh")
    assert describe(err.value).startswith("另一个程序正在写入数据库")
    set_language("en")
    assert "Another program is writing to the database" in describe(err.value)
    set_language("zh")
    register(engine, actor, _seeker(11), FIXED_NOW)  # once it lets go, the save goes through
    engine.dispose()


def test_a_locked_desk_is_not_an_offline_desk(quick_timeout, tmp_path: Path) -> None:
    url = central_store(str(tmp_path / "central.sqlite3"))
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 3)
    sync(desk, site_url)
    path = tmp_path / "HS01.sqlite3"
    engine = make_engine(path)  # with the short busy timeout
    register_people(engine, "HS01", 10, 2)
    before = _state(engine)

    def take_lock(step: str) -> None:  # the central store committed; now the desk is busy
        if step == "committed":
            lock.__enter__()

    lock = held_lock(path)
    with pytest.raises(SyncError) as err:
        sync(engine, site_url, hook=take_lock)
    lock.__exit__(None, None, None)

    assert err.value.code == "sync.desk_busy" and is_transient(err.value)
    assert describe(err.value) == "另一个程序正在写入前台数据库：同步稍后再试"
    after = _state(engine)
    assert (after.online, after.failures) == (before.online, before.failures) == (True, 0)
    report = sync(engine, site_url)  # the next round picks up where it stopped
    assert report.push.recovered > 0 and report.pending == 0
    engine.dispose()


def _state(engine) -> SyncState:
    with reading(engine) as s:
        return s.exec(select(SyncState)).scalar_one()


def test_a_refused_acknowledgement_is_recovered_with_the_batch_sent_meanwhile(
    quick_timeout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk acknowledges a batch while the central store takes the next one: when the
    acknowledgement fails (the desk busy), the batch in flight still commits centrally, and
    the next round finds both there; nothing is sent twice or lost."""
    url = central_store(str(tmp_path / "central.sqlite3"))
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 2)
    sync(desk, site_url)
    sync(desk, site_url)  # the range moves past the entries of the rows the first one pulled
    path = tmp_path / "HS01.sqlite3"
    engine = make_engine(path)  # with the short busy timeout
    register_people(engine, "HS01", 10, 6)  # 12 entries: a people row and an audit row each
    monkeypatch.setattr(push_module, "BATCH", 4)
    steps: list[str] = []

    def take_lock(step: str) -> None:  # the first batch committed; now the desk is busy
        steps.append(step)
        if step == "committed" and steps.count("committed") == 1:
            lock.__enter__()

    lock = held_lock(path)
    with pytest.raises(SyncError) as err:
        sync(engine, site_url, hook=take_lock)
    lock.__exit__(None, None, None)

    assert err.value.code == "sync.desk_busy"
    assert steps.count("committed") == 2 and "acknowledged" not in steps
    report = sync(engine, site_url)
    assert report.push.recovered == 8  # both batches' entries, found centrally
    assert report.push.sent == 4 and report.pending == 0  # only the third batch's rows
    central = make_engine(url)
    try:
        assert_central_equals_desk(engine, central, "HS01")
    finally:
        central.dispose()
    engine.dispose()


def test_a_seeker_import_on_a_busy_desk_says_so_and_writes_nothing(
    desk, quick_timeout, tmp_path: Path
) -> None:
    """A seeker import streams its file inside one transaction (issue 16): it takes the
    write lock once, before its first batch. Another program holding it is named, and
    nothing is written; once it lets go, the same file goes in."""
    _, path = desk
    engine = make_engine(path)
    rows = [
        [f"张{n}", make_id("440703", date(1990, 5, 17), 11 + n), "13800138000"] for n in range(5)
    ]
    source = write_csv(tmp_path / "in.csv", ["姓名", "身份证号", "手机号"], rows)
    actor = actor_of(engine, "HS01")
    with held_lock(path), pytest.raises(StoreError) as err:
        seeker_io.import_seekers(engine, actor, source, FIXED_NOW)
    assert err.value.code == "busy"
    with reading(engine) as s:
        assert s.exec(select(Person)).all() == []
    assert seeker_io.import_seekers(engine, actor, source, FIXED_NOW).imported == 5
    engine.dispose()


def test_a_walkin_import_checks_every_row_before_it_takes_the_lock(
    desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, path = desk
    seen: list[bool] = []
    checking = walkin_io._import_row

    def spy(*args, **kw):
        seen.append(_can_write_now(path))
        return checking(*args, **kw)

    monkeypatch.setattr(walkin_io, "_import_row", spy)
    day = (FIXED_NOW.date() - timedelta(days=1)).isoformat()
    rows = [[day, "09:15", "LG04", "", "", "", "", "问社保"] for _ in range(3)]
    rows.append([day, "10:00", "日常保洁(每小时)", "", "1", "45.50", "微信", ""])
    header = ["日期", "时间", "服务项目", "身份证号", "人数", "金额", "支付方式", "备注"]
    source = write_csv(tmp_path / "log.csv", header, rows)
    actor = Actor("HS01", actor_of(engine, "HS01").staff_id)
    done = walkin_io.import_walkins(engine, actor, source, FIXED_NOW, ceiling_fen=10_000_000)
    assert done.imported == 4 and seen == [True] * 4
