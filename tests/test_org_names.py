"""Employer names in a list: the shared administrative prefix goes, what tells them apart stays."""

from __future__ import annotations

from frontdesk.domain.org_names import admin_units, shared_prefix, short_name, short_names
from frontdesk.services.demo_names import EMPLOYERS
from frontdesk.services.employers import EmployerInput, add_employer
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.gig_support import gig_desk, order
from tests.hq_screen_support import central_template, copy_central, make_hq_app
from tests.tui_support import make_app, settle, sign_in, text_of


def test_the_demo_employers_lose_jiangmen_pengjiang_only() -> None:
    names = [name for name, _ in EMPLOYERS]
    assert shared_prefix(names) == "江门市蓬江区"
    shown = short_names(names)
    assert "恒达五金制品厂" in shown and "乐活电商有限公司" in shown
    assert len(set(shown)) == len(set(names))  # still told apart


def test_units_are_read_in_order_and_a_one_character_stem_is_no_unit() -> None:
    assert admin_units("广东省江门市蓬江区环市街道利华包装厂") == [
        "广东省",
        "江门市",
        "蓬江区",
        "环市街道",
    ]
    assert admin_units("江门市蓬江区环市五金厂") == ["江门市", "蓬江区"]  # 环市 is its name
    assert admin_units("新区电器厂") == []
    assert admin_units("祥记食品") == []
    assert admin_units("江门市") == []  # nothing after it: the whole name, not a prefix


def test_only_what_every_prefixed_name_shares_is_cut() -> None:
    names = ["江门市蓬江区恒达五金制品厂", "江门市新会区双水五金厂", "祥记食品"]
    assert shared_prefix(names) == "江门市"
    assert short_names(names) == ["蓬江区恒达五金制品厂", "新会区双水五金厂", "祥记食品"]


def test_a_district_shared_down_to_the_street_is_cut_whole() -> None:
    names = ["江门市蓬江区环市街道顺达灯饰厂", "江门市蓬江区环市街道汇丰物流有限公司"]
    assert short_names(names) == ["顺达灯饰厂", "汇丰物流有限公司"]


def test_nothing_to_cut() -> None:
    assert shared_prefix([]) == "" and shared_prefix(["祥记食品", "白沙电商直播间"]) == ""
    assert short_name("祥记食品", "江门市") == "祥记食品"
    assert short_name("江门市", "江门市") == "江门市"


async def test_the_orders_list_shows_what_tells_the_employers_apart(desk) -> None:
    engine, path = desk
    gd = gig_desk(engine, "江门市蓬江区恒达五金制品厂")
    other = add_employer(
        engine, gd.manager, EmployerInput(name="江门市蓬江区新锐摩配厂"), FIXED_NOW
    )
    first, second = order(gd), order(gd, employer_id=other.id)
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f6")
        await settle(pilot)
        table = app.screen.query_one("#orders")
        assert str(table.get_cell(str(first), "employer")) == "恒达五金制品厂"
        assert str(table.get_cell(str(second), "employer")) == "新锐摩配厂"
        assert "江门市" not in text_of(app, "#orders-note")  # the line under the list too


async def test_head_office_lists_partners_by_what_tells_them_apart(tmp_path) -> None:
    app = make_hq_app(copy_central(central_template(), tmp_path / "store"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "4")
        await settle(pilot)
        table = app.screen.query_one("#ref-partners")
        names = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert "好帮手家政服务有限公司" in names
        assert not any(name.startswith("江门市") for name in names)
