"""PINs stay at the desk, head office resets them by one-time code, and the wrong-PIN lock
is read from the append-only audit trail (frontdesk/services/auth.py, migration 0013)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, inspect, text, update
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from db.central import prepare
from db.engine import make_engine
from db.migrate import upgrade
from db.models import AuditLog, Outbox, Staff, StaffPin, UsedPinReset, synced_tables
from db.session import reading, writing
from frontdesk.domain.pin_rules import grouped, is_code, validate_new_pin
from frontdesk.errors import UserError
from frontdesk.hq import reference
from frontdesk.services import auth
from frontdesk.services.auth import (
    LOCK_SECONDS,
    MAX_FAILURES,
    NewPinNeeded,
    add_desk_staff,
    choose_pin,
    confirm_pin,
    hash_pin,
    sign_in,
    sign_in_choices,
    tries,
)
from frontdesk.services.desk import DeskSetup, init_desk, set_up_desk
from frontdesk.sync.admin import init_central
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.hq_accounts_support import editor
from tests.sync_support import PIN, central_store, new_desk, sync

NEW_PIN = "864213"


def staff_id(engine: Engine, name: str) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Staff.id).where(Staff.name == name)).one()


def refused(call, *args, **kw) -> UserError:
    with pytest.raises(UserError) as err:
        call(*args, **kw)
    return err.value


def lock(engine: Engine, who: uuid.UUID) -> None:
    for _ in range(MAX_FAILURES):
        refused(sign_in, engine, who, "0000", FIXED_NOW)
    assert tries(engine, who, FIXED_NOW).locked_until == FIXED_NOW + timedelta(seconds=60)


# --- the lock --------------------------------------------------------------------------------


def test_deleting_local_rows_does_not_lift_a_lockout(desk) -> None:
    engine, _ = desk
    clerk = staff_id(engine, "李文员")
    lock(engine, clerk)
    with engine.begin() as conn:
        tables = set(inspect(conn).get_table_names())
        assert "pin_guard" not in tables  # no table of counters any more
        # Everything a desk keeps for itself, but the PINs themselves.
        local = tables - set(synced_tables()) - {"alembic_version", "staff_pins"}
        for name in sorted(local):
            conn.execute(text(f"DELETE FROM {name}"))
    later = FIXED_NOW + timedelta(seconds=LOCK_SECONDS - 1)
    assert refused(sign_in, engine, clerk, CLERK_PIN, later).code == "signin.locked"
    # The rows the lock is read from can be neither removed nor quietly changed.
    with pytest.raises(DatabaseError, match="never deleted"), engine.begin() as conn:
        conn.execute(delete(AuditLog).where(AuditLog.staff_id == clerk))
    with pytest.raises(DatabaseError, match="must increase"), engine.begin() as conn:
        conn.execute(update(AuditLog).where(AuditLog.staff_id == clerk).values(detail=""))
    at_end = FIXED_NOW + timedelta(seconds=LOCK_SECONDS)
    assert sign_in(engine, clerk, CLERK_PIN, at_end).role == "clerk"


def test_every_pin_prompt_counts_towards_the_same_lock(desk) -> None:
    engine, _ = desk
    manager = staff_id(engine, "陈主任")
    actions = ["signin", "reveal_pin", "export_pin", "void_pin", "closeout_pin"]
    for left, action in zip(range(MAX_FAILURES - 1, -1, -1), actions, strict=True):
        err = refused(confirm_pin, engine, manager, "0000", FIXED_NOW, action=action)
        assert err.code == ("signin.locked" if left == 0 else "signin.wrong_pin")
    assert refused(sign_in, engine, manager, MANAGER_PIN, FIXED_NOW).code == "signin.locked"
    with reading(engine) as s:
        rows = s.exec(select(AuditLog).where(AuditLog.staff_id == manager)).all()
    failed = [r for r in rows if r.action.endswith("_failed")]
    assert sorted(r.action for r in failed) == sorted(f"{a}_failed" for a in actions)
    assert [r.detail for r in failed if r.detail] == [auth.LOCKED]


def test_the_lock_is_one_index_range(desk) -> None:
    engine, _ = desk
    clerk = staff_id(engine, "李文员")
    query = (
        select(AuditLog.action, AuditLog.detail, AuditLog.at)
        .where(AuditLog.staff_id == clerk, AuditLog.entity == auth.PIN_ENTITY)
        .order_by(AuditLog.id.desc())
        .limit(MAX_FAILURES)
    )
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        plan = " ".join(r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "ix_audit_log_pin_checks" in plan and "TEMP B-TREE" not in plan


# --- lengths ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["135790", "135790246813"])
def test_six_and_twelve_digit_pins_work(desk, pin: str) -> None:
    engine, _ = desk
    with writing(engine) as s:
        add_desk_staff(s, "HS01", "赵文员", "clerk", hash_pin(pin))
    who = staff_id(engine, "赵文员")
    assert sign_in(engine, who, pin, FIXED_NOW).name == "赵文员"
    assert refused(sign_in, engine, who, pin[:-1], FIXED_NOW).code == "signin.wrong_pin"
    assert sign_in(engine, staff_id(engine, "李文员"), CLERK_PIN, FIXED_NOW)  # four still do


def test_a_pin_chosen_now_has_six_digits_or_more(tmp_path: Path) -> None:
    for short in ("2468", "24681", "1234567890123"):
        assert refused(validate_new_pin, short).code == "pin.new_format"
    assert validate_new_pin("２４６８１０") == "246810"  # full-width digits from an IME
    path = tmp_path / "desk.sqlite3"
    err = refused(set_up_desk, path, DeskSetup("HS01", "白沙社区", "陈主任", "2468"))
    assert (err.code, err.field) == ("pin.new_format", "pin") and not path.exists()
    err = refused(set_up_desk, path, DeskSetup("x", "白沙社区", "陈主任", "2468"))
    assert err.field == "site_code"  # the fields are checked top to bottom
    set_up_desk(path, DeskSetup("HS01", "白沙社区", "陈主任", "246810")).dispose()


def test_a_code_is_sixteen_random_digits_and_never_a_pin() -> None:
    codes = {auth.new_code() for _ in range(50)}
    assert len(codes) == 50 and all(is_code(c) and len(c) == 16 for c in codes)
    code = codes.pop()
    assert is_code(grouped(code)) and is_code(code[:4] + "-" + code[4:])  # as read out
    assert refused(hash_pin, code).code == "pin.format"  # longer than any PIN
    stored = auth.hash_code(code)
    assert stored.startswith("otc$") and code not in stored
    assert auth.verify_code(grouped(code), stored) and not auth.verify_code(code[:-1], stored)
    assert not auth.verify_pin(code, stored) and not auth.verify_code(code, hash_pin("2468"))


# --- the hashes stay at the desk -------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def central_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "central.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def district(central, tmp_path: Path) -> Iterator[tuple[Engine, Engine, str]]:
    """A central store (conftest's), head office's engine on it and the HS01 desk (a manager
    and a clerk), synced once; yields (head office, desk, the desk's central URL)."""
    central_url, hq = central
    desk, url = new_desk(tmp_path, "HS01", central_url)
    with writing(desk) as s:
        add_desk_staff(s, "HS01", "李文员", "clerk", hash_pin(CLERK_PIN))
    sync(desk, url)
    yield hq, desk, url
    desk.dispose()


def everything_in(engine: Engine) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text value in every table of a store."""
    found = []
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            result = conn.execute(text(f'SELECT * FROM "{name}"'))
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str):
                        found.append((name, column, value))
    return found


# Machine-made values where a 4-digit PIN turns up now and then without anything having
# leaked: ids and digests of 32 or more hex digits (1357 in audit row
# 01a2369a6d937b00a720bfea6fc1357a) and clock times to the microsecond (1357 in
# 2026-12-02 16:56:00.135723).
HQ_ACCOUNTS = "hq_staff"
MACHINE_MADE = re.compile(r"[0-9a-f]{32,}|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?")


def assert_no_pin_hash(central: Engine, *secrets: str) -> None:
    for table, column, value in everything_in(central):
        if table != HQ_ACCOUNTS:  # head office's own accounts keep their hashes centrally
            assert "scrypt$" not in value, (table, column)
        words = MACHINE_MADE.sub(" ", value)
        for secret in secrets:
            assert secret not in words, (table, column)


def test_no_pin_hash_reaches_the_central_store(district) -> None:
    hq, desk, url = district
    added = reference.add_staff(hq, editor(hq), "HS01", "王小芳", "manager")
    manager = staff_id(desk, "陈主任")
    reset = reference.reset_pin(hq, editor(hq), manager)
    sync(desk, url)
    choose_pin(desk, added.staff.id, added.code, "13579024", FIXED_NOW)
    choose_pin(desk, manager, reset.code, NEW_PIN, FIXED_NOW)
    for pin in ("0000", "999999"):  # failures travel as audit rows, never as what was typed
        refused(sign_in, desk, staff_id(desk, "李文员"), pin, FIXED_NOW)
    report = sync(desk, url)
    assert report.pending == 0
    with reading(desk) as s:
        hashes = list(s.exec(select(StaffPin.pin_hash)))
    assert len(hashes) == 3 and all(h.startswith("scrypt$") for h in hashes)
    assert_no_pin_hash(hq, *hashes, added.code, reset.code, NEW_PIN, CLERK_PIN)
    with hq.connect() as conn:
        assert "pin_hash" not in {c["name"] for c in inspect(conn).get_columns("staff")}
        assert conn.execute(select(func.count()).select_from(StaffPin)).scalar_one() == 0


def test_0013_keeps_desk_pins_at_the_desk_and_sends_nothing(tmp_path: Path) -> None:
    from tests.test_migrations import staff_row

    path = tmp_path / "desk.sqlite3"
    engine = make_engine(path)
    try:
        upgrade(engine, "0010")
        manager = staff_row(engine, pin_hash=hash_pin("2468"))
        with engine.connect() as conn:
            before = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
        upgrade(engine)
        with engine.connect() as conn:
            assert "pin_hash" not in {c["name"] for c in inspect(conn).get_columns("staff")}
            after = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
            version = conn.execute(select(Staff.row_version)).scalar_one()
        assert (after, version) == (before, 1)  # no synced row changed: nothing to send
        assert sign_in(engine, manager, "2468", FIXED_NOW).role == "manager"
    finally:
        engine.dispose()


def test_0013_drops_every_pin_hash_from_a_central_store(central_url: str) -> None:
    """A store made before 0013 held the hashes in `staff` and in refused staff rows."""
    import json

    from db.models import SyncQuarantine
    from tests.test_migrations import staff_row

    engine = make_engine(central_url)
    try:
        upgrade(engine, "0010")
        with engine.begin() as conn:
            prepare(conn)
        stored = hash_pin("2468")
        manager = staff_row(engine, pin_hash=stored)
        payload = {"id": manager.hex, "name": "陈主任", "pin_hash": stored, "row_version": 2}
        with engine.begin() as conn:
            conn.execute(
                SyncQuarantine.__table__.insert().values(
                    site_code="HS01",
                    seq=7,
                    table_name="staff",
                    row_id=manager,
                    row_version=2,
                    reason="conflict",
                    payload=json.dumps(payload),
                    at=FIXED_NOW,
                )
            )
        assert any("scrypt$" in value for _, _, value in everything_in(engine))
    finally:
        engine.dispose()
    init_central(central_url)  # `central init` again after the upgrade
    engine = make_engine(central_url)
    try:
        assert_no_pin_hash(engine, stored)
        with engine.connect() as conn:
            kept = conn.execute(select(SyncQuarantine.payload)).scalar_one()
            assert conn.execute(select(func.count()).select_from(StaffPin)).scalar_one() == 0
        assert json.loads(kept) == {k: v for k, v in payload.items() if k != "pin_hash"}
    finally:
        engine.dispose()


# --- head office's one-time codes ------------------------------------------------------------


def test_a_reset_reaches_the_desk_by_sync_and_works_once(district) -> None:
    hq, desk, url = district
    clerk = staff_id(desk, "李文员")
    reset = reference.reset_pin(hq, editor(hq), clerk)
    assert sign_in(desk, clerk, CLERK_PIN, FIXED_NOW)  # the desk has not heard of it yet
    assert refused(choose_pin, desk, clerk, reset.code, NEW_PIN, FIXED_NOW).code == (
        "pin.code_used"  # nothing waiting here yet
    )
    sync(desk, url)
    assert {c.name: c.pin for c in sign_in_choices(desk)}["李文员"] == "code"
    err = refused(sign_in, desk, clerk, CLERK_PIN, FIXED_NOW)
    assert err.code == "pin.code_expected"  # the old PIN no longer works
    with pytest.raises(NewPinNeeded) as needed:
        sign_in(desk, clerk, reset.code, FIXED_NOW)
    assert (needed.value.staff_id, needed.value.name) == (clerk, "李文员")
    assert refused(choose_pin, desk, clerk, reset.code, "24680", FIXED_NOW).code == (
        "pin.new_format"
    )
    who = choose_pin(desk, clerk, grouped(reset.code), NEW_PIN, FIXED_NOW)
    assert (who.staff_id, who.role) == (clerk, "clerk")
    assert sign_in(desk, clerk, NEW_PIN, FIXED_NOW).name == "李文员"
    # The same code a second time: used up, and as a PIN it is just wrong (and counted).
    err = refused(choose_pin, desk, clerk, reset.code, "975310", FIXED_NOW)
    assert err.code == "pin.code_used"
    err = refused(sign_in, desk, clerk, reset.code, FIXED_NOW)
    assert (err.code, err.params["left"]) == ("signin.wrong_pin", MAX_FAILURES - 1)
    assert sign_in(desk, clerk, NEW_PIN, FIXED_NOW)
    # The desk wrote no staff row (head office's); head office learns the code was used.
    with reading(desk) as s:
        pending = s.exec(
            select(func.count()).where(Outbox.table_name == "staff", Outbox.acked_at.is_(None))
        ).one()
        used = s.exec(select(UsedPinReset.reset_id)).all()
    assert pending == 0 and used == [reset.staff.pin_reset_id]
    assert clerk in reference.codes_waiting(hq, "HS01")
    sync(desk, url)
    assert clerk not in reference.codes_waiting(hq, "HS01")
    another = reference.reset_pin(hq, editor(hq), clerk)  # and a later reset works again, once
    sync(desk, url)
    assert refused(sign_in, desk, clerk, NEW_PIN, FIXED_NOW).code == "pin.code_expected"
    choose_pin(desk, clerk, another.code, "11223344", FIXED_NOW)
    assert sign_in(desk, clerk, "11223344", FIXED_NOW)


def test_a_new_account_gets_its_first_pin_by_code(district) -> None:
    hq, desk, url = district
    added = reference.add_staff(hq, editor(hq), "HS01", "黄文员", "clerk")
    sync(desk, url)
    choice = next(c for c in sign_in_choices(desk) if c.name == "黄文员")
    assert (choice.id, choice.pin) == (added.staff.id, "code")
    assert refused(sign_in, desk, choice.id, "1234", FIXED_NOW).code == "pin.code_expected"
    with pytest.raises(NewPinNeeded):
        sign_in(desk, choice.id, added.code, FIXED_NOW)
    choose_pin(desk, choice.id, added.code, "135790246813", FIXED_NOW)
    assert sign_in(desk, choice.id, "135790246813", FIXED_NOW).role == "clerk"


def test_a_wrong_code_counts_towards_the_lock(desk) -> None:
    engine, _ = desk
    clerk = staff_id(engine, "李文员")
    code = wait_for_a_code(engine, clerk)
    wrong = str((int(code) + 1) % 10**16).zfill(16)
    refused(sign_in, engine, clerk, wrong, FIXED_NOW)
    for _ in range(MAX_FAILURES - 2):
        refused(choose_pin, engine, clerk, wrong, NEW_PIN, FIXED_NOW)
    err = refused(choose_pin, engine, clerk, wrong, NEW_PIN, FIXED_NOW)
    assert (err.code, err.field) == ("signin.locked", "code")
    assert refused(choose_pin, engine, clerk, code, NEW_PIN, FIXED_NOW).code == "signin.locked"
    later = FIXED_NOW + timedelta(seconds=LOCK_SECONDS)
    assert choose_pin(engine, clerk, code, NEW_PIN, later).name == "李文员"


def test_manager_prompts_wait_for_the_new_pin(desk) -> None:
    engine, _ = desk
    manager = staff_id(engine, "陈主任")
    wait_for_a_code(engine, manager)
    err = refused(confirm_pin, engine, manager, MANAGER_PIN, FIXED_NOW, action="reveal_pin")
    assert err.code == "pin.code_waiting"
    assert tries(engine, manager, FIXED_NOW).failures == 0  # nothing was checked


def test_a_rebuilt_desk_takes_no_used_code_again(tmp_path: Path) -> None:
    from frontdesk.sync.restore import restore

    url = str(tmp_path / "central.sqlite3")
    central_store(url)
    desk, site_url = new_desk(tmp_path, "HS01", url)
    hq = make_engine(url)
    try:
        manager = staff_id(desk, "陈主任")
        sync(desk, site_url)
        reset = reference.reset_pin(hq, editor(hq), manager)
        sync(desk, site_url)
        choose_pin(desk, manager, reset.code, NEW_PIN, FIXED_NOW)
        sync(desk, site_url)
        desk.dispose()
        rebuilt = tmp_path / "rebuilt.sqlite3"
        restore(site_url, "HS01", rebuilt)
        engine = make_engine(rebuilt)
        try:
            # No PIN came along (none ever left the dead desk), and the used code stays used.
            assert refused(sign_in, engine, manager, NEW_PIN, FIXED_NOW).code == "pin.none_here"
            err = refused(choose_pin, engine, manager, reset.code, "975310", FIXED_NOW)
            assert err.code == "pin.code_used"
            fresh = reference.reset_pin(hq, editor(hq), manager)
            sync(engine, site_url)
            choose_pin(engine, manager, fresh.code, "975310", FIXED_NOW)
            assert sign_in(engine, manager, "975310", FIXED_NOW).role == "manager"
        finally:
            engine.dispose()
    finally:
        hq.dispose()


def test_the_desk_made_by_init_keeps_its_manager_pin_locally(tmp_path: Path) -> None:
    engine = init_desk(tmp_path / "desk.sqlite3", DeskSetup("HS01", "白沙社区", "陈主任", PIN))
    try:
        manager = staff_id(engine, "陈主任")
        with reading(engine) as s:
            kept = s.get(StaffPin, manager)
        assert kept is not None and auth.verify_pin(PIN, kept.pin_hash)
        assert [c.pin for c in sign_in_choices(engine)] == ["pin"]
    finally:
        engine.dispose()


def wait_for_a_code(engine: Engine, who: uuid.UUID) -> str:
    """A one-time code waiting for `who`, as a pull from head office leaves the staff row."""
    issued = auth.issue_reset(FIXED_NOW)
    with writing(engine) as s:
        issued.apply(s.get(Staff, who))
    return issued.code
