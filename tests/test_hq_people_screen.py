"""Head office's person search and reveal in the TUI (screens/hq/people.py), driven by Pilot
with every key of a step sent in one burst, as an old keyboard buffer sends them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable

from db.engine import make_engine
from db.models import AuditLog
from db.session import reading
from frontdesk.i18n import t
from screens.hq.people import PeopleScreen, RevealedDialog, RevealPinDialog
from tests.crash_worker import person
from tests.hq_accounts_support import EDITOR_NAME, HQ_PIN
from tests.hq_people_support import ADDRESS, KEEPER, people_template
from tests.hq_screen_support import copy_central, make_hq_app
from tests.tui_support import burst, screen_text, settle, text_of


@pytest.fixture(scope="module")
def template() -> Path:
    return people_template()


@pytest.fixture
def central(template: Path, tmp_path: Path) -> Path:
    return copy_central(template, tmp_path / "store")


def reveals(central: Path) -> list[AuditLog]:
    engine = make_engine(str(central))
    try:
        with reading(engine) as s:
            return list(s.exec(select(AuditLog).where(AuditLog.action == "hq_reveal")))
    finally:
        engine.dispose()


def names_listed(app) -> list[str]:
    table = app.screen.query_one("#people", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_search_reveal_with_the_pin_and_esc_closes(central: Path) -> None:
    app = make_hq_app(central, "en", account=KEEPER)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "f4", "s", "t", "j", "h")
        assert isinstance(app.screen, PeopleScreen)
        assert names_listed(app) == ["司徒健华"]
        shown = screen_text(app)
        assert person(6).id_number not in shown and "12号" not in shown
        await burst(pilot, "f7", *HQ_PIN, "enter")
        assert isinstance(app.screen, RevealedDialog)
        full = text_of(app, "#revealed")
        assert person(6).id_number in full and person(6).phone in full and ADDRESS in full
        [audit] = reveals(central)
        assert audit.entity_id == app.screen.person.id and audit.hq_staff_id is not None
        await burst(pilot, "escape")
        assert isinstance(app.screen, PeopleScreen)
        assert person(6).id_number not in screen_text(app)


async def test_a_wrong_pin_is_refused_at_the_field_and_typed_again(central: Path) -> None:
    app = make_hq_app(central, "zh", account=KEEPER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f4", "f7", *"000000", "enter")
        assert isinstance(app.screen, RevealPinDialog)
        assert text_of(app, "#pin-error") == t("signin.wrong_pin", name=KEEPER, left=4)
        assert app.screen.query_one("#pin").value == ""
        assert reveals(central) == []
        await burst(pilot, *HQ_PIN, "enter")  # the right one, typed again, is taken
        assert isinstance(app.screen, RevealedDialog)


async def test_an_editor_is_refused_at_the_pin_field(central: Path) -> None:
    app = make_hq_app(central, "en", account=EDITOR_NAME)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f4", "o", "y", "f7", *HQ_PIN, "enter")
        assert isinstance(app.screen, RevealPinDialog)
        assert "key holder" in text_of(app, "#pin-error")
        assert reveals(central) == []
        await burst(pilot, "escape")
        assert isinstance(app.screen, PeopleScreen)


async def test_one_community_from_its_screen_and_the_lock_hides_a_reveal(central: Path) -> None:
    app = make_hq_app(central, "en", account=KEEPER)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", DataTable)
        table.move_cursor(row=table.get_row_index("BJ02"))
        await burst(pilot, "enter", "f4")
        assert isinstance(app.screen, PeopleScreen) and app.screen.site == "BJ02"
        assert sorted(names_listed(app)) == sorted(["曾小明", "朴美玲", "欧阳婷"])
        await burst(pilot, "z", "x", "m")
        assert text_of(app, "#people-note").startswith("BJ02 滨江社区")
        assert "registered at 2 communities" in text_of(app, "#people-note")
        await burst(pilot, "f7", *HQ_PIN, "enter")
        dialog = app.screen
        assert isinstance(dialog, RevealedDialog)
        assert person(0).id_number in text_of(app, "#revealed")
        app.action_lock()
        await settle(pilot)
        revealed = dialog.query_one("#revealed").content
        assert person(0).id_number not in str(revealed) and person(0).phone not in str(revealed)


async def test_f1_names_f4_on_the_dashboard_and_f7_on_the_people_screen(central: Path) -> None:
    from screens.common.keys import working_keys

    app = make_hq_app(central, "zh", account=KEEPER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        named = {b.key: name for b, name, _ in working_keys(app.screen)}
        assert named["f4"] == t("key.hq_people")
        await burst(pilot, "f4")
        named = {b.key: name for b, name, _ in working_keys(app.screen)}
        assert named["f7"] == t("key.hq_reveal") and named["escape"] == t("key.back")
        await burst(pilot, "f1")
        assert t("key.hq_reveal") in screen_text(app)
