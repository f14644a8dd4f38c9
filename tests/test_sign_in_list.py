"""The sign-in list read with sqlite3 alone (db/peek.py, frontdesk/sign_in_list.py): the same
list the ORM gives, and None wherever only the full open can tell."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db import peek
from db.errors import StoreError
from db.models import Service, Staff, UsedPinReset
from db.schema import SCHEMA_HEAD
from db.session import reading, writing
from db.types import utcnow
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.auth import add_desk_staff, hash_pin, sign_in_choices
from frontdesk.services.closeout import CloseInput
from frontdesk.services.walkins import WalkInInput
from frontdesk.sign_in_list import read_sign_in_list, sign_in_list
from tests.conftest import FIXED_NOW

TODAY = FIXED_NOW.date()


def every_way_to_sign_in(engine) -> None:
    """Beside the fixture's manager and clerk (PINs): a code waiting, a code used, no PIN at
    all, and two who may not sign in (left, and deleted)."""
    with writing(engine) as s:
        waiting = add_desk_staff(s, "HS01", "吴待码", "clerk", hash_pin("1357"))
        waiting.pin_reset_id = uuid.uuid4()
        used = add_desk_staff(s, "HS01", "区已用", "manager", hash_pin("2468"))
        used.pin_reset_id = uuid.uuid4()
        s.add(UsedPinReset(reset_id=used.pin_reset_id, staff_id=used.id, used_at=utcnow()))
        s.add(Staff(site_code="HS01", name="甄新人", role="clerk"))
        s.add(Staff(site_code="HS01", name="关离职", role="clerk", active=False))
        s.add(Staff(site_code="HS01", name="麦删除", role="clerk", deleted_at=utcnow()))


def days_with_activity(engine) -> None:
    """Walk-ins on three past days, one of them closed; one today (never flagged)."""
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.name == "李文员")).one()
        service = s.exec(select(Service.id).where(Service.code == "LG04")).one()
    actor = Actor("HS01", clerk)
    for back in (4, 2, 1, 0):
        raw = WalkInInput(service, started_at=FIXED_NOW - timedelta(days=back))
        walkins.log_walkin(engine, actor, raw, FIXED_NOW, 10**9)
    closeout.close_day(engine, actor, CloseInput(TODAY - timedelta(days=2), {}), FIXED_NOW)


def test_the_same_list_as_the_orm_gives(desk) -> None:
    engine, path = desk
    every_way_to_sign_in(engine)
    days_with_activity(engine)
    found = sign_in_list(path, "hs01", TODAY)
    assert found is not None
    assert found.staff == sign_in_choices(engine)
    assert [(c.name, c.pin) for c in found.staff] == [
        ("区已用", "pin"),  # managers first, then by name, as SQLite orders them
        ("陈主任", "pin"),
        ("吴待码", "code"),
        ("李文员", "pin"),
        ("甄新人", "none"),
    ]
    assert found.unclosed == closeout.unclosed_days(engine, "HS01", TODAY)
    assert found.unclosed == [TODAY - timedelta(days=4), TODAY - timedelta(days=1)]
    assert (found.site_code, found.site_name, found.demo_pins) == ("HS01", "白沙社区", [])


def test_a_demo_desk_names_its_demo_pins(desk) -> None:
    engine, path = desk
    with writing(engine) as s:
        add_desk_staff(s, "HS01", "黄嘉敏", "clerk", hash_pin("1111"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE desk_info SET demo = 1")
    found = sign_in_list(path, "", TODAY)
    assert found is not None and found.demo_pins == [("黄嘉敏", "1111")]


def test_an_older_schema_waits_for_the_full_open(desk) -> None:
    engine, path = desk
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0013'")
    assert sign_in_list(path, "", TODAY) is None
    opened: list[bool] = []

    def full_open() -> None:  # stands where the app's open upgrades the file
        opened.append(True)
        with sqlite3.connect(path) as conn:
            conn.execute(f"UPDATE alembic_version SET version_num = '{SCHEMA_HEAD}'")

    found = read_sign_in_list(path, "", TODAY, full_open)
    assert opened == [True] and [c.name for c in found.staff] == ["陈主任", "李文员"]


def test_another_sites_file_is_left_to_the_full_open(desk) -> None:
    _, path = desk
    assert sign_in_list(path, "HS02", TODAY) is None


def test_what_is_not_a_desk_gives_none_and_is_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    assert peek.peek_desk(missing, TODAY) is None
    assert not missing.exists()
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database")
    assert peek.peek_desk(text, TODAY) is None
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert peek.peek_desk(empty, TODAY) is None


def test_a_file_still_unreadable_after_the_full_open_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    shutil.copy(Path(__file__), path)  # what no open can make a desk of
    with pytest.raises(StoreError) as caught:
        read_sign_in_list(path, "", date(2026, 12, 1), lambda: None)
    assert caught.value.code == "busy"
