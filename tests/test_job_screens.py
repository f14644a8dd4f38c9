"""Pilot tests of the employment screens at 80x24: postings, a posting's record with its
candidates and referrals, referring and recording outcomes within their key budgets, the
employers, the posting form's refusals, the seeker's record and the follow-ups. Keys go in
one burst (tests/conftest.py), as a fast typist's do."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import JobPosting, Person, Referral
from db.session import reading
from frontdesk.domain.clock import business_date
from frontdesk.services import matching, postings, referrals
from screens.desk.employer_dialog import EmployerDialog
from screens.desk.employers import EmployersScreen
from screens.desk.follow_ups import FollowUpsScreen
from screens.desk.posting_form import PostingFormScreen
from screens.desk.posting_record import PostingScreen
from screens.desk.postings import PostingsScreen
from screens.desk.referral_dialogs import OutcomeDialog, ReferDialog
from screens.desk.seeker_record import SeekerRecordScreen
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.job_screen_data import CREDIT_CODE, job_day
from tests.tui_support import make_app, settle, sign_in, text_of

SIZE = (80, 24)
TODAY = business_date(FIXED_NOW)


@pytest.fixture
def day(desk_with_people, desk):
    engine, path = desk
    return job_day(engine), path


def counts(engine) -> dict[str, int]:
    tables = ("employers", "job_postings", "referrals", "referral_events", "outbox")
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def open_posting(pilot, posting_id) -> PostingScreen:
    await sign_in(pilot, MANAGER_PIN)
    await pilot.app.push_screen(PostingScreen(posting_id))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PostingScreen)
    return screen


# --- the key budgets ---------------------------------------------------------------------------
async def test_refer_the_best_ranked_candidate_in_two_keys(day) -> None:
    d, path = day
    posting = d.postings["packing"]
    best = matching.candidates_for_posting(d.engine, "HS01", posting, TODAY)[0]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posting(pilot, posting)
        keys = ("r", "enter")  # R refers the highlighted (best) candidate; Enter confirms
        await press(pilot, *keys)
        assert len(keys) <= 3
        assert app.screen is screen
        made = [
            r
            for r in referrals.of_posting(d.engine, "HS01", posting)
            if r.person_id == best.person_id
        ]
        assert [(r.outcome, r.follow_up_on.isoformat()) for r in made] == [
            ("referred", "2026-12-03")
        ]
        # The list says so: they left the candidates and joined the referrals.
        assert best.person_id not in {c.person_id for c in screen.candidates}
        assert best.person_id in {r.person_id for r in screen.referrals}


async def test_record_placed_on_a_referral_in_four_keys(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posting(pilot, d.postings["packing"])
        keys = ("tab", "o", "p", "enter")  # to the referrals, outcome, placed, record
        await press(pilot, *keys)
        assert len(keys) <= 4
        assert app.screen is screen
        with reading(d.engine) as s:
            ref = s.get(Referral, d.referrals["packing"])
            person = s.get(Person, d.people["欧阳娜娜"])
            assert (ref.outcome, ref.placed_on, ref.follow_up_on) == ("placed", TODAY, None)
            assert person.status == "employed"
            assert person.status_reason.startswith("江门市蓬江区恒达五金制品厂")
        assert "1 / 招 2" in text_of(app, "#posting-details")


async def test_each_outcome_step_keeps_a_follow_up_date(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_posting(pilot, d.postings["packing"])
        await press(pilot, "tab", "o")
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        # Every step the referral may take now, in order.
        assert dialog.steps == ("interviewed", "intention", "placed", "not_hired", "withdrew")
        follow = dialog.query_one("#follow_up_on")
        follow.value = "2026-11-20"
        await press(pilot, "i", "enter")
        assert "不能早于今天" in text_of(app, "#follow_up_on-error")
        assert app.focused is follow  # the cursor at the field to put right
        assert referrals.history(d.engine, "HS01", d.referrals["packing"])[-1].outcome == "referred"
        follow.value = "2026-11-30"
        await press(pilot, "enter")
        ref = referrals.of_person(d.engine, "HS01", d.people["欧阳娜娜"])[0]
        assert (ref.outcome, ref.follow_up_on.isoformat()) == ("interviewed", "2026-11-30")
        await press(pilot, "o", "y", "enter", "o", "n", "enter")
        steps = [s.outcome for s in referrals.history(d.engine, "HS01", d.referrals["packing"])]
        assert steps == ["referred", "interviewed", "intention", "not_hired"]
        # An ended referral has no more steps: O does nothing there.
        await press(pilot, "o")
        assert isinstance(app.screen, PostingScreen)


# --- refusals at their field, nothing written --------------------------------------------------
async def test_a_referral_to_a_closed_posting_is_refused_on_the_record(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        postings.withdraw_posting(d.engine, d.clerk, d.postings["packing"], FIXED_NOW)
        await open_posting(pilot, d.postings["packing"])
        before = counts(d.engine)
        await press(pilot, "r", "enter")
        assert "已撤回，不能再推荐" in text_of(app, "#refer-error")
        assert isinstance(app.screen, ReferDialog)
        assert counts(d.engine) == before


async def test_a_second_open_referral_is_refused_in_the_dialog(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        before = counts(d.engine)
        await app.push_screen(ReferDialog(d.postings["packing"], d.people["欧阳娜娜"], "欧阳娜娜"))
        await settle(pilot)
        await press(pilot, "enter")
        assert "已推荐到该岗位" in text_of(app, "#refer-error")
        assert counts(d.engine) == before


async def test_the_posting_form_says_each_bad_field_at_it(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "ctrl+e")
        assert isinstance(app.screen, PostingsScreen)
        await press(pilot, "ctrl+n")
        form = app.screen
        assert isinstance(form, PostingFormScreen)
        before = counts(d.engine)
        values = {
            "title": "普工",
            "job_type": "包装",
            "positions": "0",
            "pay_min": "5000",
            "pay_max": "4000",
            "valid_from": "2026-12-01",
            "valid_until": "2026-11-30",
        }
        for name, value in values.items():
            form.query_one(f"#{name}").value = value
        await press(pilot, "ctrl+s")
        assert "请选择" in text_of(app, "#employer-error") or text_of(app, "#employer-error")
        assert "1 至 9999" in text_of(app, "#positions-error")
        assert "不能低于下限" in text_of(app, "#pay_max-error")
        assert "不能早于开始日期" in text_of(app, "#valid_until-error")
        assert "需要改正" in text_of(app, "#posting-form-summary")
        assert counts(d.engine) == before


async def test_publish_a_posting_then_edit_it(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "ctrl+e", "ctrl+n")
        form = app.screen
        form.query_one("#employer").value = str(d.shop)
        await press(pilot, "tab", *"理货员", "tab", *"理货", "tab", "2", "tab", *"3800", "enter")
        record = app.screen
        assert isinstance(record, PostingScreen)
        assert record.posting.title == "理货员"
        assert record.posting.pay_unit == "month"
        await press(pilot, "e")
        edit = app.screen
        assert isinstance(edit, PostingFormScreen)
        assert edit.query_one("#pay_min").value == "3800"
        edit.query_one("#positions").value = "3"
        await press(pilot, "ctrl+s")
        assert app.screen is record
        assert record.posting.positions == 3
        with reading(d.engine) as s:
            assert s.get(JobPosting, record.posting_id).row_version == 2


async def test_withdraw_a_posting_from_its_record(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posting(pilot, d.postings["packing"])
        await press(pilot, "w", "enter")
        assert screen.posting.status == "withdrawn"
        assert "w" not in {b.key for b, *_ in _bar(app)}


def _bar(app):
    from screens.common.keys import working_keys

    return working_keys(app.screen)


# --- the lists ---------------------------------------------------------------------------------
async def test_postings_are_found_by_employer_job_type_and_status(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "ctrl+e")
        screen = app.screen
        assert isinstance(screen, PostingsScreen)
        assert [p.title for p in screen.shown] == ["包装工"]  # open ones first
        screen.query_one("#status-filter").value = ""
        await settle(pilot)
        assert [p.status for p in screen.shown] == ["open", "filled", "withdrawn", "expired"]
        screen.query_one("#employer-filter").value = str(d.shop)
        await settle(pilot)
        assert [p.title for p in screen.shown] == ["收银员", "搬运工"]
        screen.query_one("#job-filter").focus()
        await press(pilot, *"收银", "enter", "enter")
        assert [p.title for p in screen.shown] == ["收银员"]
        assert isinstance(app.screen, PostingScreen)  # Enter: to the list, Enter: open


async def test_employers_are_found_added_and_edited(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "ctrl+e", "f2")
        screen = app.screen
        assert isinstance(screen, EmployersScreen)
        assert [e.name for e in screen.shown] == ["江门市蓬江区恒达五金制品厂", "白沙便民超市"]
        assert (
            "138****1111" in text_of(app, "#employers-note")
            or screen.shown[0].phone == "138****1111"
        )
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, EmployerDialog)
        before = counts(d.engine)
        await press(pilot, *"新华制衣厂", "tab", *"91440703MA4UJ8XW2X", "enter")
        assert "校验位不对" in text_of(app, "#credit_code-error")
        code = app.screen.query_one("#credit_code")
        code.value = CREDIT_CODE
        await press(pilot, "enter")
        assert "已有使用该统一社会信用代码" in text_of(app, "#credit_code-error")
        assert counts(d.engine) == before
        code.value = ""
        await press(pilot, "enter")
        assert app.screen is screen
        assert "新华制衣厂" in [e.name for e in screen.shown]
        screen.query_one("#find").value = CREDIT_CODE
        await settle(pilot)
        assert [e.name for e in screen.shown] == ["江门市蓬江区恒达五金制品厂"]
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, EmployerDialog)
        assert dialog.query_one("#phone").value == ""  # masked as a hint; blank keeps it
        assert dialog.query_one("#publish_phone").value is True
        dialog.query_one("#contact_name").value = "李主管"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert screen.shown[0].contact_name == "李主管"
        assert screen.shown[0].phone == "138****1111"


# --- the seeker's record and the follow-ups ---------------------------------------------------
async def test_the_seeker_record_shows_matching_postings_and_referrals(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(SeekerRecordScreen(d.people["欧阳娜娜"]))
        await settle(pilot)
        referred = text_of(app, "#record-referrals")
        assert "包装工" in referred and "已推荐" in referred
        assert "暂无匹配" in text_of(app, "#record-matches")  # already referred to the one open
        await app.push_screen(SeekerRecordScreen(d.people["曾小明"]))
        await settle(pilot)
        assert "包装工" in text_of(app, "#record-matches")
        assert "尚无推荐" in text_of(app, "#record-referrals")


async def test_referral_follow_ups_are_due_with_the_others(day) -> None:
    d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await app.push_screen(FollowUpsScreen())
        await settle(pilot)
        screen = app.screen
        assert [getattr(i, "id", None) for i in screen.items] == [d.referrals["packing"]]
        assert "推荐：包装工" in text_of(app, "#follow-note")
        assert "139****5678" in text_of(app, "#follow-note")  # masked by the service
        keys = {b.key for b, *_ in _bar(app)}
        assert "o" in keys and "d" not in keys
        await press(pilot, "o", "i", "enter")
        assert screen.items == []  # followed up: due again a week on
        ref = referrals.of_person(d.engine, "HS01", d.people["欧阳娜娜"])[0]
        assert (ref.outcome, ref.follow_up_on.isoformat()) == ("interviewed", "2026-12-03")


def test_placements_filled_the_cashier_posting(day) -> None:
    d, _ = day
    with reading(d.engine) as s:
        cashier = s.exec(select(JobPosting).where(JobPosting.title == "收银员")).one()
    assert cashier.status == "filled"


async def test_the_posting_form_checks_each_box_as_it_is_left(day) -> None:
    _d, path = day
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await press(pilot, "ctrl+e", "ctrl+n")
        form = app.screen
        form.query_one("#pay_min").value = "5000"
        form.query_one("#pay_max").value = "4000"
        form.query_one("#pay_max").focus()
        await press(pilot, "tab")
        assert text_of(app, "#pay_max-error") == "薪酬上限栏：薪酬上限不能低于下限"
        form.query_one("#requirements").value = "限男性"
        form.query_one("#requirements").focus()
        await press(pilot, "tab")
        assert "不得限定性别" in text_of(app, "#requirements-error")
        form.query_one("#pay_max").value = "6000"
        form.query_one("#pay_max").focus()
        await press(pilot, "tab")
        assert not form.query_one("#pay_max-error").display  # put right: the message goes


async def test_f6_prints_the_postings_notice_for_the_board(day, tmp_path, monkeypatch) -> None:
    d, path = day
    out = tmp_path / "lp0"
    monkeypatch.setenv("FRONTDESK_PRINTER", f"file:{out}")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posting(pilot, d.postings["packing"])
        await press(pilot, "f6")
        assert app.screen is screen
        said = "\n".join(str(n.message) for n in app._notifications)
        assert "岗位招聘信息 已打印" in said
    printed = out.read_bytes().decode("gb18030")
    assert "招聘信息" in printed and screen.posting is not None
    assert screen.posting.title in printed and printed.count("截止日期") == 1
