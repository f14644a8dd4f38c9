"""Addresses, residents' phones and individual employers' phones sealed at the desk
(db/sealed_columns.py): an outsider with the file finds none of them in full; the record,
edits, exports, the rejects file, a resident's look-up by phone and the job board still
work, masked unless a manager (or the held key) opens them."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, text
from sqlmodel import select

from db.migrate import open_store
from db.models import Employer, Outbox, Person, Resident
from db.sealed import Opener, Sealer, Unreadable, new_key_pair
from db.session import reading
from frontdesk.domain.privacy import mask_address, phone_hash
from frontdesk.errors import UserError
from frontdesk.services import enrolment, personal_keys, seekers
from frontdesk.services.acting import Actor, confirm_manager
from frontdesk.services.auth import sign_in
from frontdesk.services.employers import EmployerInput, add_employer, get_employer, update_employer
from frontdesk.services.enrolment import ResidentInput
from frontdesk.services.maintenance import backup
from frontdesk.services.sealed_contacts import (
    open_address,
    open_employer_phone,
    open_resident_phone,
    stored_address,
)
from frontdesk.services.seeker_io import export_seekers, import_seekers
from frontdesk.services.spreadsheets import ImportRejected
from tests.activity_support import course
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.gig_support import Desk, gig_desk
from tests.sealed_support import sign_in_manager
from tests.test_sealed_at_rest import (
    IDS,
    PHONES,
    desk_at_0019,
    forms_of,
    manager,
    outsider_read,
    registered,
    seeker,
    staff_id,
)

ADDRESSES = ["广东省湛江市赤坎区中山路12号3栋501", "赤坎区幸福村东头7巷19号"]
HOUSE = ["12号3栋501", "7巷19号"]  # the parts a masked address never shows
RESIDENT_PHONE = "13712345678"
INDIVIDUAL_PHONE = "13698765432"
COMPANY_PHONE = "0759-2345678"
SECRETS = [*ADDRESSES, *HOUSE, RESIDENT_PHONE, INDIVIDUAL_PHONE]


def assert_none_in(blob: bytes, where: str) -> None:
    for value in SECRETS:
        for form in forms_of(value):
            assert form not in blob, f"{value} found in {where}"


@pytest.fixture
def filled(desk, tmp_path: Path):
    """People with addresses (the form, an import with a 住址 column), a resident enrolled
    by phone, an individual employer and a company, all written by a clerk."""
    engine, path = desk
    clerk = Actor("HS01", staff_id(engine, "李文员"))
    seekers.register(engine, clerk, seeker(0, address=ADDRESSES[0]), FIXED_NOW)
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        f"姓名,身份证号,手机号,家庭住址\n张四,{IDS[1]},{PHONES[1]},{ADDRESSES[1]}\n",
        encoding="utf-8",
    )
    assert import_seekers(engine, clerk, sheet, FIXED_NOW).imported == 1
    d = gig_desk(engine)
    made = course(d, capacity="", fee="")
    enrolment.enrol(
        engine, clerk, made.id, FIXED_NOW, resident=ResidentInput("黄阿姨", RESIDENT_PHONE)
    )
    individual = EmployerInput(
        name="王师傅", kind="individual", phone=INDIVIDUAL_PHONE, publish_phone=True
    )
    add_employer(engine, clerk, individual, FIXED_NOW)
    add_employer(engine, clerk, EmployerInput(name="恒达厂", phone=COMPANY_PHONE), FIXED_NOW)
    personal_keys.drop(engine)
    return engine, path, clerk, made


def test_an_outsider_finds_no_address_nor_personal_phone(filled, tmp_path: Path) -> None:
    engine, path, clerk, _ = filled
    masked = tmp_path / "masked.csv"
    export_seekers(engine, "HS01", masked, actor=clerk, now=FIXED_NOW)
    copy = backup(path, tmp_path / "copy.sqlite3")
    engine.dispose()
    for file in (path, copy):
        assert_none_in(outsider_read(file), f"a table of {file.name}")
        for part in (file, Path(f"{file}-wal")):
            if part.exists():
                assert_none_in(part.read_bytes(), part.name)
    assert_none_in(masked.read_bytes(), "the masked export")
    assert "广东省湛江市赤坎区中山路****" in masked.read_text(encoding="utf-8-sig")
    with sqlite3.connect(copy) as conn:
        people = conn.execute("SELECT address, address_masked FROM people").fetchall()
        residents = conn.execute("SELECT phone, phone_masked, phone_tail FROM residents").fetchall()
        employers = dict(conn.execute("SELECT name, phone FROM employers").fetchall())
    assert all(a.startswith("fd1.") for a, _ in people)
    assert {m for _, m in people} == {mask_address(a) for a in ADDRESSES}
    assert residents[0][0].startswith("fd1.") and residents[0][1:] == ("137****5678", "5678")
    assert employers["王师傅"].startswith("fd1.")
    assert employers["恒达厂"] == COMPANY_PHONE  # a company's published contact stays plain


def test_the_record_shows_the_masked_address_and_a_reveal_the_full_one(filled) -> None:
    engine, _, clerk, _ = filled
    person = registered(engine, IDS[0])
    view = seekers.get(engine, "HS01", person, FIXED_NOW.date())
    assert view.address == "广东省湛江市赤坎区中山路****"
    shown = seekers.reveal(engine, clerk, person, manager(engine), MANAGER_PIN, FIXED_NOW)
    assert (shown.id_number, shown.address) == (IDS[0], ADDRESSES[0])


def test_an_edit_keeps_the_sealed_address_without_the_key_or_seals_a_new_one(filled) -> None:
    engine, _, clerk, _ = filled
    person = registered(engine, IDS[0])
    with reading(engine) as s:
        before = s.get(Person, person)
    assert before is not None
    kept = seeker(0, name="张叁", id_number=None, phone=None, address=None)
    edited = seekers.update(engine, clerk, person, kept, FIXED_NOW)
    assert (edited.address, edited.address_masked) == (before.address, before.address_masked)
    moved = seeker(0, id_number=None, phone=None, address="赤坎区南桥路8号")
    edited = seekers.update(engine, clerk, person, moved, FIXED_NOW)
    assert edited.address.startswith("fd1.") and edited.address_masked == "赤坎区南桥路****"
    sign_in_manager(engine)
    opener = personal_keys.held(engine)
    assert opener is not None
    assert open_address(opener, person, edited.address) == "赤坎区南桥路8号"


def test_an_unmasked_export_opens_the_address_and_imports_back(filled, tmp_path) -> None:
    engine, _, _, _ = filled
    full = tmp_path / "full.csv"
    boss = confirm_manager(engine, "HS01", manager(engine), MANAGER_PIN, FIXED_NOW)
    export_seekers(engine, "HS01", full, reveal_by=boss, actor=boss, now=FIXED_NOW)
    written = full.read_text(encoding="utf-8-sig")
    assert written.splitlines()[0].split(",")[-2] == "住址"
    assert all(a in written for a in ADDRESSES)


def test_the_rejects_file_masks_the_address(desk, tmp_path: Path) -> None:
    engine, _ = desk
    clerk = Actor("HS01", staff_id(engine, "李文员"))
    sheet = tmp_path / "in.csv"
    sheet.write_text(f"姓名,身份证号,手机号,现住址\n,{IDS[0]},{PHONES[0]},{ADDRESSES[0]}\n")
    out = tmp_path / "rejects.csv"
    result = import_seekers(engine, clerk, sheet, FIXED_NOW, skip_invalid=True, rejects=out)
    assert result.imported == 0 and result.rejects == out
    rejects = out.read_text(encoding="utf-8-sig")
    assert "广东省湛江市赤坎区中山路****" in rejects and "12号" not in rejects
    with pytest.raises(ImportRejected):
        import_seekers(engine, clerk, sheet, FIXED_NOW)


def test_a_resident_is_found_by_the_whole_phone_and_shown_masked(filled) -> None:
    engine, _, clerk, made = filled
    spaced = ResidentInput("黄阿姨", "137 1234 5678")  # the same phone, written otherwise
    with pytest.raises(UserError) as caught:
        enrolment.enrol(engine, clerk, made.id, FIXED_NOW, resident=spaced)
    assert caught.value.code == "activity.enrolled_twice"
    with reading(engine) as s:
        residents = s.exec(select(Resident)).all()
        key = seekers.hash_key(s)
    assert len(residents) == 1 and residents[0].phone_hash == phone_hash(RESIDENT_PHONE, key)
    rows = enrolment.list_enrolments(engine, "HS01", made.id)
    assert [(r.name, r.phone) for r in rows] == [("黄阿姨", "137****5678")]
    sign_in_manager(engine)
    opener = personal_keys.held(engine)
    assert opener is not None
    assert open_resident_phone(opener, residents[0].id, residents[0].phone) == RESIDENT_PHONE


def test_an_individuals_phone_is_published_only_with_the_key(filled) -> None:
    from frontdesk.services.employers import published_phone

    engine, _, clerk, _ = filled
    with reading(engine) as s:
        one = s.exec(select(Employer).where(Employer.name == "王师傅")).one()
    assert published_phone(one, None) == "136****5432"
    sign_in_manager(engine)
    opener = personal_keys.held(engine)
    assert published_phone(one, opener) == INDIVIDUAL_PHONE
    assert get_employer(engine, "HS01", one.id).phone == "136****5432"
    # An edit leaving the phone blank keeps the sealed one.
    keep = EmployerInput(name="王师傅", kind="individual", notes="周末", publish_phone=True)
    edited = update_employer(engine, clerk, one.id, keep, FIXED_NOW)
    assert edited.phone == one.phone and edited.notes == "周末"
    assert opener is not None
    assert open_employer_phone(opener, one.id, edited.phone) == INDIVIDUAL_PHONE


def test_0023_seals_an_older_desk_in_place_and_sends_nothing_again(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old, boss, person = desk_at_0019(path)
    at = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    resident, individual = uuid.uuid4(), uuid.uuid4()
    with old.begin() as conn:
        conn.execute(text("UPDATE people SET address = :a, row_version = 4"), {"a": ADDRESSES[0]})
        conn.execute(
            text(
                "INSERT INTO residents (id, site_code, created_at, updated_at, row_version, "
                "name, phone, phone_tail) VALUES (:id, 'HS01', :at, :at, 2, '黄阿姨', :p, '5678')"
            ),
            {"id": resident.hex, "at": at, "p": RESIDENT_PHONE},
        )
        conn.execute(
            text(
                "INSERT INTO employers (id, site_code, created_at, updated_at, row_version, "
                "name, credit_code, kind, contact_name, phone, publish_phone, address, notes) "
                "VALUES (:id, 'HS01', :at, :at, 1, '王师傅', '', 'individual', '', :p, 0, '', '')"
            ),
            {"id": individual.hex, "at": at, "p": INDIVIDUAL_PHONE},
        )
        outbox = conn.execute(select(func.count()).select_from(Outbox)).scalar_one()
    old.dispose()
    engine, made = open_store(path)  # backs up, then 0021 and 0023
    assert made is not None and made.exists()
    try:
        with reading(engine) as s:
            row, res = s.get(Person, person), s.get(Resident, resident)
            emp = s.get(Employer, individual)
            after = s.exec(select(func.count()).select_from(Outbox)).one()
        assert row is not None and res is not None and emp is not None
        assert (row.row_version, res.row_version, emp.row_version, after) == (4, 2, 1, outbox)
        assert row.address.startswith("fd1.") and row.address_masked == mask_address(ADDRESSES[0])
        assert res.phone.startswith("fd1.") and res.phone_hash == phone_hash(
            RESIDENT_PHONE, "k" * 64
        )
        assert emp.phone.startswith("fd1.") and emp.phone_masked == "136****5432"
        engine.dispose()
        assert_none_in(outsider_read(path), "the migrated desk's tables")
        engine, _ = open_store(path)
        personal_keys.drop(engine)
        sign_in(engine, boss, MANAGER_PIN, FIXED_NOW)
        opener = personal_keys.held(engine)
        assert opener is not None
        assert open_address(opener, person, row.address) == ADDRESSES[0]
        assert open_resident_phone(opener, resident, res.phone) == RESIDENT_PHONE
    finally:
        personal_keys.drop(engine)
        engine.dispose()


@settings(deadline=None)  # key pairs made per example: no time limit on a shared machine
@given(st.text(max_size=200).filter(lambda a: "\x00" not in a))
def test_an_address_opens_as_it_was_sealed_and_its_mask_shows_no_number(address: str) -> None:
    private, public = new_key_pair()
    person = uuid.uuid4()
    stored = stored_address(Sealer(public), person, address)
    assert open_address(Opener(private), person, stored["address"]) == address
    assert not any(c in "0123456789０１２３４５６７８９" for c in stored["address_masked"])
    if address:
        with pytest.raises(Unreadable):  # another row's associated data: it does not move
            open_address(Opener(private), uuid.uuid4(), stored["address"])


def test_sync_takes_the_district_key_for_residents_and_sends_them_sealed(
    central, tmp_path: Path
) -> None:
    from tests.sync_support import PIN, new_desk, sync

    url, hq = central
    engine, site_url = new_desk(tmp_path, "HS01", url)
    try:
        boss = Actor("HS01", manager(engine))
        d = gig_desk_of(engine, boss)
        made = course(d, capacity="", fee="")
        resident = ResidentInput("黄阿姨", RESIDENT_PHONE)
        enrolment.enrol(engine, boss, made.id, FIXED_NOW, resident=resident)
        sign_in(engine, boss.staff_id, PIN, FIXED_NOW)  # the adoption opens the phones
        assert sync(engine, site_url).pending == 0
        with reading(engine) as s:
            district = seekers.hash_key(s)
        with hq.connect() as conn:  # head office holds the sealed text, the mask, the hash
            phone, masked, digest = conn.execute(
                select(Resident.phone, Resident.phone_masked, Resident.phone_hash)
            ).one()
            key = conn.execute(text("SELECT id_hash_key FROM central_info")).scalar_one()
        assert district == key  # the desk took the district's key
        assert phone.startswith("fd1.") and masked == "137****5678"
        assert digest == phone_hash(RESIDENT_PHONE, key)
        again = ResidentInput("黄阿姨", "137-1234-5678")  # still found by the whole phone
        with pytest.raises(UserError) as caught:
            enrolment.enrol(engine, boss, made.id, FIXED_NOW, resident=again)
        assert caught.value.code == "activity.enrolled_twice"
    finally:
        personal_keys.drop(engine)
        engine.dispose()


def gig_desk_of(engine, boss: Actor) -> Desk:
    employer = add_employer(engine, boss, EmployerInput(name="恒达厂"), FIXED_NOW)
    return Desk(engine, boss, boss, employer.id)


async def test_the_record_and_the_edit_form_show_the_address_masked(desk) -> None:
    from textual.widgets import Input

    from screens.desk.seeker_dialogs import RevealDialog
    from screens.desk.seeker_record import SeekerRecordScreen
    from tests.conftest import CLERK_PIN
    from tests.test_seeker_screens import open_edit_form
    from tests.test_seeker_screens import registered as registered_by_form
    from tests.tui_support import make_app, screen_text, settle, sign_in, text_of

    engine, path = desk
    person = registered_by_form(engine, address=ADDRESSES[0])
    masked = "广东省湛江市赤坎区中山路****"
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        form = await open_edit_form(pilot)
        assert form.query_one("#address", Input).value == masked
        assert HOUSE[0] not in screen_text(app)
        form.query_one("#notes", Input).value = "上午有空"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        assert masked in text_of(app, "#record-body")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert ADDRESSES[0] in text_of(app, "#record-body")
    with reading(engine) as s:
        saved = s.get(Person, person.id)
    assert saved is not None and saved.notes == "上午有空"
    assert saved.address == person.address  # left masked: the sealed value stands
