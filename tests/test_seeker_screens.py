"""Pilot tests of the job-seeker screens: register -> find -> open -> edit, and the dialogs."""

from __future__ import annotations

from datetime import date

from sqlmodel import select
from textual.widgets import Checkbox, Input, SelectionList

from db.models import AuditLog, Person, Staff
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.privacy import mask_id, mask_phone
from screens.desk.home import HomeScreen
from screens.desk.seeker_dialogs import DuplicateDialog, RevealDialog, StatusDialog
from screens.desk.seeker_form import SeekerFormScreen
from screens.desk.seeker_record import SeekerRecordScreen
from screens.desk.seekers import SeekerListScreen
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN
from tests.sealed_support import full_numbers
from tests.tui_support import make_app, screen_text, settle, sign_in, text_of

ID = make_id("440703", date(1988, 3, 9), 24)  # a woman's number
PHONE = "13800138000"


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
        await pilot.press("escape", "y")  # the typed ID is thrown away once Y says so
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


# --- the edit form shows personal numbers masked ---------------------------------------------


def registered(engine, **kw) -> Person:
    """One person registered by the clerk through the service (as the form would)."""
    from frontdesk.domain.registration import SeekerInput
    from frontdesk.services.acting import Actor
    from frontdesk.services.seekers import register

    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    fields = dict(name="曾小明", id_number=ID, phone=PHONE, consent=True) | kw
    return register(engine, Actor("HS01", clerk), SeekerInput(**fields), FIXED_NOW)


async def open_edit_form(pilot, query: str = "zxm") -> SeekerFormScreen:
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press(*query, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SeekerRecordScreen)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SeekerFormScreen)
    return pilot.app.screen


async def test_a_clerks_edit_form_never_shows_the_full_id_or_phone(desk) -> None:
    engine, path = desk
    person = registered(engine)
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        form = await open_edit_form(pilot)
        values = [box.value for box in form.query(Input)]
        assert form.query_one("#id_number", Input).value == mask_id(ID) == f"4407{'*' * 10}0245"
        assert form.query_one("#phone", Input).value == mask_phone(PHONE) == "138****8000"
        assert not [v for v in values if ID in v or ID[6:14] in v or PHONE in v]
        shown = screen_text(app)
        assert mask_id(ID) in shown and mask_phone(PHONE) in shown
        assert ID not in shown and ID[6:14] not in shown and PHONE not in shown
        assert "F · 1988-03-09" in text_of(app, "#derived")  # still derived from the ID
        assert not form.query_one("#id_number-error").display
        assert not form.query_one("#phone-error").display
        # Edit another field only: the ID number and phone stay exactly as stored.
        form.query_one("#notes", Input).value = "prefers mornings"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
    with reading(engine) as s:
        saved = s.exec(select(Person)).one()
        actions = [a.action for a in s.exec(select(AuditLog))]
    assert (saved.notes, saved.row_version) == ("prefers mornings", 2)
    assert full_numbers(engine, saved) == (ID, PHONE) and saved.id_hash == person.id_hash
    assert (saved.gender, saved.birth_date) == ("F", date(1988, 3, 9))
    assert "reveal" not in actions and actions.count("seeker_edit") == 1


async def test_retyping_the_phone_on_an_edit_changes_it(desk) -> None:
    engine, path = desk
    registered(engine)
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        form = await open_edit_form(pilot)
        assert form.focused.id == "name"
        # Tab into a masked field selects it, so typing replaces it (as in any form).
        await pilot.press("tab", "tab", *"139 0013 9000")
        await settle(pilot)
        assert form.query_one("#phone", Input).value == "139 0013 9000"
        assert form.query_one("#id_number", Input).value == mask_id(ID)  # passed over
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
        assert "139****9000" in text_of(app, "#record-body")
    with reading(engine) as s:
        saved = s.exec(select(Person)).one()
    assert full_numbers(engine, saved) == (ID, "13900139000") and saved.phone_tail == "9000"


async def test_a_retyped_id_number_is_checked_and_re_derived(desk) -> None:
    engine, path = desk
    registered(engine)
    man = make_id("440703", date(1975, 6, 1), 31)
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        form = await open_edit_form(pilot)
        await pilot.press("tab", *man[:-1], "0" if man[-1] != "0" else "1")
        await settle(pilot)
        assert "check" in text_of(app, "#id_number-error").lower()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerFormScreen)  # refused, nothing saved
        form.query_one("#id_number", Input).value = man
        await settle(pilot)
        assert not form.query_one("#id_number-error").display
        assert "M · 1975-06-01" in text_of(app, "#derived")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
    with reading(engine) as s:
        saved = s.exec(select(Person)).one()
    assert full_numbers(engine, saved) == (man, PHONE)
    assert (saved.gender, saved.birth_date, saved.row_version) == ("M", date(1975, 6, 1), 2)


# --- the form's behaviour ----------------------------------------------------------------------


async def test_enter_saves_a_new_registration(desk) -> None:
    engine, path = desk
    app = make_app(path)
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.screen.query_one("#consent", Checkbox).value = True
        await pilot.press(*"曾小明", "tab", *ID, "tab", *PHONE, "enter")  # no Ctrl+S
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
    with reading(engine) as s:
        saved = s.exec(select(Person)).one()
    assert saved.name == "曾小明" and full_numbers(engine, saved) == (ID, PHONE)


async def test_an_id_error_shows_while_typing_and_goes_when_corrected(desk) -> None:
    _, path = desk
    app = make_app(path, lang="en")
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("tab", *ID[:10])
        await settle(pilot)
        form = app.screen
        error = form.query_one("#id_number-error")
        assert not error.display  # not complete yet: no complaint
        await pilot.press(*wrong[10:])  # the 18th character, still in the field
        await settle(pilot)
        assert form.focused.id == "id_number"
        assert error.display and "check" in text_of(app, "#id_number-error").lower()
        assert not form.query_one("#derived").display
        await pilot.press("backspace", ID[-1])
        await settle(pilot)
        assert form.focused.id == "id_number"
        assert not error.display and text_of(app, "#id_number-error") == ""
        assert "F · 1988-03-09" in text_of(app, "#derived")


async def test_a_sensitive_category_needs_its_own_consent_at_that_field(desk) -> None:
    engine, path = desk
    app = make_app(path, lang="en")
    async with app.run_test(size=(100, 36)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        await pilot.press("f2")
        await settle(pilot)
        await fill_new_person(pilot)
        form = app.screen
        form.query_one("#categories", SelectionList).select("disability")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerFormScreen)
        assert "separate consent" in text_of(app, "#sensitive_consent-error")
        assert form.query_one("#sensitive_consent-error").display
        assert form.focused.id == "sensitive_consent"  # taken to the field to fix
        assert not form.query_one("#consent-error").display
        with reading(engine) as s:
            assert s.exec(select(Person)).all() == []
        form.query_one("#sensitive_consent", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SeekerRecordScreen)
    with reading(engine) as s:
        saved = s.exec(select(Person)).one()
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    assert saved.categories == ["disability"]
    assert (saved.sensitive_consent_at, saved.sensitive_consent_staff_id) == (FIXED_NOW, clerk)
    assert (saved.consent_at, saved.consent_staff_id) == (FIXED_NOW, clerk)
