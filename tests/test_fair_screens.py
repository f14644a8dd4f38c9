"""Pilot tests of a job fair's record at 80x24, pressing the real keys in one burst: its
employers and postings with the fair's referrals and intentions, adding an employer's
posting, removing one, and referring an attendee to a posting the fair brought."""

from __future__ import annotations

from sqlmodel import select

from db.models import Referral
from db.session import reading
from frontdesk.services import fairs
from screens.desk.session_record import SessionScreen
from tests.conftest import MANAGER_PIN
from tests.session_screen_data import fair_day
from tests.tui_support import make_app, settle, sign_in, text_of

SIZE = (80, 24)


def table_text(app, selector: str) -> str:
    table = app.screen.query_one(selector)
    return " ".join(str(c) for n in range(table.row_count) for c in table.get_row_at(n))


async def test_the_record_shows_what_the_fair_brought_and_came_to(desk_with_people, desk) -> None:
    engine, path = desk
    day = fair_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.fair))
        await settle(pilot)
        totals = "参展单位 2 · 岗位 3 · 招聘 6 人 · 推荐 3 · 达成意向 1"
        assert totals in text_of(app, "#fair-section")
        shown = table_text(app, "#fair")
        assert "恒达五金制品厂 包装工 2 2 1" in " ".join(shown.split())
        assert not app.screen.query_one("#people").display  # a fair takes no enrolment

        # B, a name fragment, down to its open posting, Enter: the posting and its employer.
        await pilot.press("b", *"白沙", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "直播助理" in table_text(app, "#fair")
        assert "参展单位 3 · 岗位 4" in text_of(app, "#fair-section")

        # Under 恒达's two postings is 白沙电商's line: X takes it and its posting away.
        await pilot.press("tab", "down", "down", "down", "x")
        await settle(pilot)
        assert "白沙电商" not in table_text(app, "#fair")
    view = fairs.fair_view(engine, "HS01", day.fair)
    assert [e.name for e in view.employers] == ["恒达五金制品厂", "蓬江家政服务公司"]


async def test_an_attendee_is_referred_to_a_posting_of_the_fair(desk_with_people, desk) -> None:
    engine, path = desk
    day = fair_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.fair))
        await settle(pilot)
        # To the fair's table, the employer's line (R there says to pick a posting), then
        # down to 质检员; R, the attendee's surname, Enter.
        await pilot.press("tab", "r")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("down", "down", "r", "曾", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "推荐 4" in text_of(app, "#fair-section")
    with reading(engine) as s:
        made = s.exec(select(Referral).where(Referral.person_id == day.people[0])).all()
    assert sorted((r.source, r.session_id == day.fair) for r in made) == [
        ("fair", True),
        ("fair", True),
    ]


async def test_a_refused_referral_is_said_in_the_dialog(desk_with_people, desk) -> None:
    """Someone referred to the posting already is refused at the search box; nothing made."""
    engine, path = desk
    day = fair_day(engine)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SessionScreen(day.fair))
        await settle(pilot)
        await pilot.press("tab", "down", "r", "曾", "enter")  # 包装工: 曾小明 has it already
        await settle(pilot)
        assert "已推荐" in text_of(app, "#fair-error") or "already" in text_of(app, "#fair-error")
    assert fairs.fair_view(engine, "HS01", day.fair).referrals == 3
