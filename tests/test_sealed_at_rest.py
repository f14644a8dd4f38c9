"""Personal data at rest (issue 22, items 1, 3 and 5 at the desk).

An outsider with the desk's file and the standard library's sqlite3 finds no full ID
number or phone anywhere; a wrong PIN opens no slot; the key is held only while signed in;
search, duplicates, sync and restore keep working; the migration seals existing rows in
place and sends nothing again.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import select

from db.engine import make_engine
from db.migrate import open_store, upgrade
from db.models import DeskInfo, KeySlot, Outbox, Person, Staff
from db.sealed import Unreadable, unwrap
from db.session import reading, writing
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.errors import UserError
from frontdesk.services import personal_keys, seekers
from frontdesk.services import search as people_search
from frontdesk.services.acting import Actor, confirm_manager
from frontdesk.services.auth import add_desk_staff, hash_pin, leave, sign_in
from frontdesk.services.maintenance import backup
from frontdesk.services.seeker_io import export_seekers, import_seekers
from frontdesk.services.seekers import DuplicateSeeker
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.sealed_support import full_numbers

IDS = [make_id("440703", date(1990, 5, 17), 11 + i) for i in range(3)]
PHONES = ["13800138000", "13900139001", "0750-1234567"]


def seeker(i: int, **kw) -> SeekerInput:
    base = dict(name=f"张{'三四五'[i]}", id_number=IDS[i], phone=PHONES[i], consent=True)
    base.update(kw)
    return SeekerInput(**base)


def staff_id(engine: Engine, name: str) -> uuid.UUID:
    with reading(engine) as s:
        return s.exec(select(Staff.id).where(Staff.name == name)).one()


def registered(engine: Engine, number: str) -> uuid.UUID:
    with writing(engine) as s:
        return seekers.find_registered(s, "HS01", [number])[number].id


def manager(engine: Engine) -> uuid.UUID:
    return staff_id(engine, "陈主任")


def forms_of(number: str) -> list[bytes]:
    """How a full number could sit in a file: UTF-8 text, UTF-16 (xlsx inner parts are
    UTF-8 but zipped, so exports are read as text), digits without separators."""
    digits = number.replace("-", "")
    return [f.encode(enc) for f in {number, digits} for enc in ("utf-8", "utf-16-le")]


def assert_nothing_full(blob: bytes, where: str) -> None:
    for number in IDS + PHONES:
        for form in forms_of(number):
            assert form not in blob, f"{number} found in {where}"


def outsider_read(path: Path) -> bytes:
    """Everything sqlite3 gives an outsider: every row of every table, as text."""
    out = []
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in tables:
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                out.append(repr(row))
    return "\n".join(out).encode()


@pytest.fixture
def filled(desk, tmp_path: Path):
    """A desk with people from the form and from an import, an edit and a masked export."""
    engine, path = desk
    clerk = Actor("HS01", staff_id(engine, "李文员"))
    for i in range(2):
        seekers.register(engine, clerk, seeker(i), FIXED_NOW)
    sheet = tmp_path / "in.csv"
    sheet.write_text(f"姓名,身份证号,手机号\n张五,{IDS[2]},{PHONES[2]}\n", encoding="utf-8")
    assert import_seekers(engine, clerk, sheet, FIXED_NOW).imported == 1
    first = registered(engine, IDS[0])
    seekers.update(engine, clerk, first, seeker(0, id_number=None, phone=None), FIXED_NOW)
    return engine, path, clerk


def test_an_outsider_with_the_file_finds_no_full_number(filled, tmp_path: Path) -> None:
    engine, path, clerk = filled
    masked = tmp_path / "masked.csv"
    export_seekers(engine, "HS01", masked, actor=clerk, now=FIXED_NOW)
    copy = backup(path, tmp_path / "copy.sqlite3")
    engine.dispose()  # the WAL checkpointed into the file
    for file in (path, copy):
        assert_nothing_full(outsider_read(file), f"a table of {file.name}")
        # The raw bytes too: indexes, the outbox, free pages, the WAL if any is left.
        for part in (file, Path(f"{file}-wal")):
            if part.exists():
                assert_nothing_full(part.read_bytes(), part.name)
    assert_nothing_full(masked.read_bytes(), "the masked export")
    # What the outsider does see: masked forms and tails, and sealed values.
    with sqlite3.connect(copy) as conn:
        rows = conn.execute("SELECT id_number, id_masked, phone, phone_masked FROM people")
        rows = rows.fetchall()
    assert all(i.startswith("fd1.") and p.startswith("fd1.") for i, _, p, _ in rows)
    assert {m for _, m, _, _ in rows} == {f"{n[:4]}**********{n[-4:]}" for n in IDS}


def test_the_key_slots_open_only_with_the_right_pin(desk) -> None:
    engine, _ = desk
    who = manager(engine)
    with reading(engine) as s:
        slot = s.get(KeySlot, who)
        pending = s.exec(select(DeskInfo.data_key_pending)).one()
    assert slot is not None and slot.desk_key and pending == ""  # init took the key
    where = personal_keys.SLOT_AAD + who.bytes
    for wrong in ("0000", "2469", "24680", ""):
        with pytest.raises(Unreadable):
            unwrap(slot.wrapped_private, wrong, where)
    assert len(unwrap(slot.wrapped_private, MANAGER_PIN, where)) == 32
    # A wrong PIN at sign-in is refused before any slot is tried, and holds nothing.
    personal_keys.drop(engine)
    with pytest.raises(UserError):
        sign_in(engine, who, "0000", FIXED_NOW)
    assert personal_keys.held(engine) is None


def test_locking_drops_the_key_held_through_another_engine_on_the_same_file(desk) -> None:
    # A worker's engine (or a second window on the same file) signed in; the desk's own
    # engine, which never read the public key, locks: the key must still go.
    engine, path = desk
    other, _ = open_store(path)
    try:
        sign_in(other, manager(other), MANAGER_PIN, FIXED_NOW)
        assert personal_keys.held(other) is not None
        leave(engine)
        assert personal_keys.held(other) is None
    finally:
        other.dispose()


def test_signing_in_holds_the_key_and_locking_drops_it(filled) -> None:
    engine, _, _ = filled
    personal_keys.drop(engine)
    sign_in(engine, manager(engine), MANAGER_PIN, FIXED_NOW)
    assert personal_keys.held(engine) is not None
    leave(engine)  # F9 and F10 both call this
    assert personal_keys.held(engine) is None


def test_a_clerk_gets_a_slot_at_sign_in_and_the_key_from_a_managers_sign_in(desk) -> None:
    engine, _ = desk
    clerk = staff_id(engine, "李文员")
    personal_keys.drop(engine)
    sign_in(engine, clerk, CLERK_PIN, FIXED_NOW)  # no slot yet: one is made, waiting
    assert personal_keys.held(engine) is None
    with reading(engine) as s:
        waiting = s.get(KeySlot, clerk)
    assert waiting is not None and waiting.desk_key == ""
    sign_in(engine, manager(engine), MANAGER_PIN, FIXED_NOW)  # seals the key to it
    personal_keys.drop(engine)
    sign_in(engine, clerk, CLERK_PIN, FIXED_NOW)
    assert personal_keys.held(engine) is not None
    personal_keys.drop(engine)


def test_a_reveal_without_a_key_is_refused_in_words(filled) -> None:
    engine, _, clerk = filled
    with writing(engine) as s:  # a second manager, whose PIN has no slot here yet
        add_desk_staff(s, "HS01", "何店长", "manager", hash_pin("975310"))
    second = staff_id(engine, "何店长")
    person = registered(engine, IDS[1])
    personal_keys.drop(engine)
    with pytest.raises(UserError) as refused:
        seekers.reveal(engine, clerk, person, second, "975310", FIXED_NOW)
    assert refused.value.code == "reveal.no_key" and refused.value.field == "pin"
    sign_in(engine, manager(engine), MANAGER_PIN, FIXED_NOW)  # grants the waiting slot
    personal_keys.drop(engine)
    shown = seekers.reveal(engine, clerk, person, second, "975310", FIXED_NOW)
    assert (shown.id_number, shown.phone) == (IDS[1], PHONES[1])


def test_search_duplicates_and_an_unmasked_export_keep_working(filled, tmp_path) -> None:
    engine, _, clerk = filled
    for query in (IDS[1], IDS[1][-4:], PHONES[1], PHONES[1][-4:]):
        assert [r.name for r in people_search.search(engine, "HS01", query)] == ["张四"]
    with pytest.raises(DuplicateSeeker):
        seekers.register(engine, clerk, seeker(1, name="又一个"), FIXED_NOW)
    personal_keys.drop(engine)
    full = tmp_path / "full.csv"
    boss = confirm_manager(engine, "HS01", manager(engine), MANAGER_PIN, FIXED_NOW)
    export_seekers(engine, "HS01", full, reveal_by=boss, actor=boss, now=FIXED_NOW)
    written = full.read_text(encoding="utf-8-sig")
    assert all(n in written for n in IDS + PHONES)


def test_an_edit_keeps_the_sealed_numbers_without_the_key(filled) -> None:
    engine, _, clerk = filled
    person = registered(engine, IDS[1])
    with reading(engine) as s:
        before = s.get(Person, person)
    personal_keys.drop(engine)
    edited = seekers.update(
        engine, clerk, person, seeker(1, name="张思", id_number=None, phone=None), FIXED_NOW
    )
    assert before is not None
    assert (edited.id_number, edited.phone) == (before.id_number, before.phone)
    assert full_numbers(engine, edited) == (IDS[1], PHONES[1])


# --- the migration ----------------------------------------------------------------------


def desk_at_0019(path: Path) -> tuple[Engine, uuid.UUID, uuid.UUID]:
    """A desk before sealing: a manager with a PIN and a plain person, as 0019 kept them."""
    engine = make_engine(path)
    upgrade(engine, "0019")
    at = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    boss, person = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (id, site_code, created_at, updated_at, row_version, name, "
                "role, active, pin_reset_hash) VALUES (:id, 'HS01', :at, :at, 1, '陈主任', "
                "'manager', 1, '')"
            ),
            {"id": boss.hex, "at": at},
        )
        conn.execute(
            text("INSERT INTO staff_pins (staff_id, pin_hash, set_at) VALUES (:id, :h, :at)"),
            {"id": boss.hex, "h": hash_pin(MANAGER_PIN), "at": at},
        )
        conn.execute(
            text(
                "INSERT INTO desk_info (id, site_code, database_uuid, created_at, demo, "
                "id_hash_key, receipt_series) VALUES (1, 'HS01', :u, :at, 0, :k, 1)"
            ),
            {"u": uuid.uuid4().hex, "at": at, "k": "k" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO people (id, site_code, created_at, updated_at, row_version, name, "
                "id_number, id_hash, id_tail, gender, birth_date, phone, phone_tail, "
                "name_initials, name_pinyin, ethnicity, hukou_type, address, education, skills, "
                "desired_jobs, availability, categories, registered_on, status, status_reason, "
                "reliability, notes) VALUES (:id, 'HS01', :at, :at, 3, '张三', :n, :h, :t, 'M', "
                "'1990-05-17', :p, :pt, 'zs', 'zhangsan', '', '', '', '', '[]', '[]', '', '[]', "
                "'2026-11-26', 'active', '', 100, '')"
            ),
            {
                "id": person.hex,
                "at": at,
                "n": IDS[0],
                "h": "h" * 64,
                "t": IDS[0][-4:],
                "p": PHONES[0],
                "pt": PHONES[0][-4:],
            },
        )
    return engine, boss, person


def test_0021_seals_a_desk_in_place_and_sends_nothing_again(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old, boss, person = desk_at_0019(path)
    with old.connect() as conn:
        outbox = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
    old.dispose()
    engine, made = open_store(path)  # the program backs up, then upgrades
    assert made is not None and made.exists()  # the backup made first
    try:
        with reading(engine) as s:
            row = s.get(Person, person)
            info = s.exec(select(DeskInfo)).one()
            after = s.exec(select(func.count()).select_from(Outbox)).one()
        assert row is not None and row.row_version == 3 and after == outbox  # nothing resent
        assert row.id_number.startswith("fd1.") and row.phone.startswith("fd1.")
        assert (row.id_masked, row.phone_masked) == ("4407**********0114", "138****8000")
        assert info.data_public_key and info.data_key_pending  # until a manager signs in
        engine.dispose()
        assert_nothing_full(outsider_read(path), "the migrated desk's tables")
        engine, _ = open_store(path)
        personal_keys.drop(engine)
        sign_in(engine, boss, MANAGER_PIN, FIXED_NOW)  # the pending key into the slot
        with reading(engine) as s:
            assert s.exec(select(DeskInfo.data_key_pending)).one() == ""
            assert s.get(KeySlot, boss) is not None
        assert full_numbers(engine, row) == (IDS[0], PHONES[0])
        # The trigger that refuses an update keeping the version is back in place.
        with pytest.raises(Exception, match="must increase"), engine.begin() as conn:
            conn.execute(text("UPDATE people SET notes = 'x'"))
        with engine.connect() as conn:
            kinds = conn.execute(
                text(
                    "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='people'"
                )
            ).scalar_one()
        assert kinds >= 3
    finally:
        personal_keys.drop(engine)
        engine.dispose()


# --- sync and restore ---------------------------------------------------------------------


def test_sync_sends_sealed_values_and_a_rebuilt_desk_says_what_it_cannot_open(
    central, tmp_path: Path
) -> None:
    from frontdesk.sync.restore import restore
    from tests.sync_support import PIN, new_desk, sync

    url, hq = central
    engine, site_url = new_desk(tmp_path, "HS01", url)
    clerk = Actor("HS01", manager(engine))
    seekers.register(engine, clerk, seeker(0), FIXED_NOW)
    sign_in(engine, manager(engine), PIN, FIXED_NOW)  # the adoption reads the numbers
    assert sync(engine, site_url).pending == 0
    with hq.connect() as conn:  # head office holds the sealed text, the masks and the hash
        number, masked = conn.execute(select(Person.id_number, Person.id_masked)).one()
    assert number.startswith("fd1.") and masked == "4407**********0114"
    rebuilt_path = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt_path)
    rebuilt, _ = open_store(rebuilt_path)
    try:
        person = registered(rebuilt, IDS[0])  # the duplicate check finds the person
        assert [r.name for r in people_search.search(rebuilt, "HS01", IDS[0][-4:])] == ["张三"]
        with writing(rebuilt) as s:  # a manager for the rebuilt desk, as a one-time code gives
            add_desk_staff(s, "HS01", "何店长", "manager", hash_pin("975310"))
        boss = staff_id(rebuilt, "何店长")
        with pytest.raises(UserError) as refused:
            seekers.reveal(rebuilt, Actor("HS01", boss), person, boss, "975310", FIXED_NOW)
        assert refused.value.code == "reveal.other_key"  # sealed by the dead desk's key
    finally:
        personal_keys.drop(rebuilt)
        personal_keys.drop(engine)
        rebuilt.dispose()
        engine.dispose()
