"""Pilot tests of the job-seeker screens: register -> find -> open -> edit, and the dialogs."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.models import AuditLog, Person
from db.session import reading
from frontdesk.idcard import make_id
from screens.home import HomeScreen
from screens.seeker_dialogs import DuplicateDialog, RevealDialog, StatusDialog
from screens.seeker_form import SeekerFormScreen
from screens.seeker_record import SeekerRecordScreen
from screens.seekers import SeekerListScreen
from tests.conftest import CLERK_PIN, MANAGER_PIN
from tests.tui_support import make_app, settle, sign_in, text_of

ID = make_id("440703", date(1988, 3, 9), 24)  # a woman's number


async def fill_new_person(pilot, name: str = "曾小明", id_number: str = ID) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SeekerFormScreen)
    await pilot.press(*name, "tab", *id_number, "tab", *"13800138000", "tab")
    await settle(pilot)
    pilot.app.screen.query_one("#consent").value = True


async def test_register_find_open_and_edit(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        await fill_new_person(pilot)
        assert "女 · 1988-03-09" in text_of(app, "#derived")  # derived, never typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)  # saved, and opened
        await pilot.press("escape")
        await settle(pilot)
        # Find by the other reading of 曾 and open with Enter.
        await pilot.press(*"cxm")
        await settle(pilot)
        table = app.screen.query_one("#people")
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "曾小明"
        assert str(table.get_row_at(0)[3]).startswith("4407**")  # masked in the list
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        form.query_one("#name").value = "单长乐"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        assert "单长乐" in text_of(app, "#record-title")
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#search").value = ""
        await pilot.press(*"shan")
        await settle(pilot)
        assert str(app.screen.query_one("#people").get_row_at(0)[0]) == "单长乐"
    with reading(engine) as s:
        person = s.exec(select(Person)).one()
    assert person.name == "单长乐" and person.row_version == 2


async def test_errors_show_at_their_fields_and_nothing_is_saved(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("tab", *"44070319990230123X", "tab")  # 30 February
        await settle(pilot)
        assert "birth date" in text_of(app, "#id_number-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerFormScreen)
        assert "Give the name" in text_of(app, "#name-error")
        assert "consent" in text_of(app, "#consent-error")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
    with reading(engine) as s:
        assert s.exec(select(Person)).all() == []


async def test_duplicate_offers_the_existing_record(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        await fill_new_person(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await fill_new_person(pilot, name="张三", id_number=ID.lower())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        assert "曾小明" in text_of(app, "#record-title")


async def test_status_renew_and_audited_reveal(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await fill_new_person(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        body = text_of(app, "#record-body")
        assert ID not in body and "4407" in body
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatusDialog)
        app.screen.query_one("#status-choice").query("RadioButton")[2].value = True  # cancelled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "reason" in text_of(app, "#reason-error").lower()
        app.screen.query_one("#reason").value = "moved away"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RevealDialog)
        await pilot.press(*"0000", "enter")
        await settle(pilot)
        assert "Wrong PIN" in text_of(app, "#reveal-error")
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        assert ID in text_of(app, "#record-body")
    with reading(engine) as s:
        person = s.exec(select(Person)).one()
        actions = {
            a.action for a in s.exec(select(AuditLog).where(AuditLog.entity_id == person.id))
        }
    assert person.status == "cancelled" and person.status_reason == "moved away"
    assert person.valid_until == date(2028, 11, 25)
    assert {
        "seeker_register",
        "seeker_status",
        "seeker_renew",
        "reveal",
    } <= actions


async def test_home_f2_and_back(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
