"""Cash that can be counted (issue 19: 6): a cash amount is whole jiao, refused at its field
with the same words by the quick log, the paper-log import, adjustments and gig fees."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Payment, Service, Staff, WalkIn
from db.session import reading
from frontdesk.domain.money import check_cash_jiao
from frontdesk.errors import UserError
from frontdesk.i18n import set_language
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import AdjustmentInput, CloseInput
from frontdesk.services.spreadsheets import ImportRejected
from frontdesk.services.walkin_io import import_walkins
from frontdesk.services.walkins import WalkInInput
from tests.conftest import FIXED_NOW
from tests.spreadsheets import write_csv
from tests.test_quick_log import home
from tests.tui_support import make_app, settle

CEILING = 2_000_000
TODAY = date(2026, 11, 26)
SAID = "现金收款只到角：¥58.55 有分，请按实收的角数填写"


@pytest.fixture
def ctx(desk):
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    return engine, Actor("HS01", clerk), services


def log(ctx, amount: str, method: str):
    engine, actor, services = ctx
    raw = WalkInInput(services["JZ01"], amount=amount, method=method)
    return walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)


@pytest.mark.parametrize(("fen", "method"), [(5850, "cash"), (5855, "wechat"), (5855, "ecny")])
def test_whole_jiao_cash_and_mobile_fen_are_taken(fen: int, method: str) -> None:
    check_cash_jiao(fen, method)


def test_cash_with_fen_is_refused_at_the_amount(ctx) -> None:
    with pytest.raises(UserError) as err:
        log(ctx, "58.55", "现金")
    assert (err.value.code, err.value.field) == ("money.cash_jiao", "amount")
    assert err.value.message() == SAID
    assert log(ctx, "58.55", "wechat").payment.amount_fen == 5855  # the platform settles fen
    assert log(ctx, "58.50", "cash").payment.amount_fen == 5850
    with reading(ctx[0]) as s:
        assert len(s.exec(select(WalkIn)).all()) == 2


def test_an_adjustment_in_cash_is_whole_jiao_too(ctx) -> None:
    engine, actor, services = ctx
    log(ctx, "58.50", "cash")
    raw = CloseInput(TODAY, {"cash": 5850}, manager_id=None)
    closeout.close_day(engine, actor, raw, FIXED_NOW, CEILING)
    late = FIXED_NOW + timedelta(days=1)
    bad = AdjustmentInput(TODAY, services["JZ01"], -5, "cash", "多收了")
    with pytest.raises(UserError) as err:
        closeout.add_adjustment(engine, actor, bad, late)
    assert (err.value.code, err.value.field) == ("money.cash_jiao", "amount")
    good = AdjustmentInput(TODAY, services["JZ01"], -5, "alipay", "多收了")
    assert closeout.add_adjustment(engine, actor, good, late).amount_fen == -5


def test_the_import_says_the_same_at_the_amount_column(ctx, tmp_path: Path) -> None:
    engine, actor, _ = ctx
    header = ["日期", "服务项目", "金额", "支付方式"]
    rows = [["2026-11-25", "JZ01", "58.55", "现金"], ["2026-11-25", "JZ01", "58.55", "微信"]]
    with pytest.raises(ImportRejected) as err:
        import_walkins(
            engine,
            actor,
            write_csv(tmp_path / "in.csv", header, rows),
            FIXED_NOW,
            ceiling_fen=CEILING,
        )
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.reason) == (2, "金额", SAID)
    with reading(engine) as s:
        assert s.exec(select(Payment)).all() == []


async def test_the_quick_log_says_it_at_the_amount(desk) -> None:
    engine, path = desk
    set_language("zh")
    app = make_app(path)
    async with app.run_test(size=(80, 30)) as pilot:
        await home(pilot)
        await pilot.press("f3", "6", "enter")  # 日常保洁, paid: Enter goes to the price
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"58.55", "enter", "1", "enter")  # cash
        await settle(pilot)
        assert SAID in str(screen.query_one("#amount-error").render())
        assert app.focused is screen.query_one("#amount")
    with reading(engine) as s:
        assert s.exec(select(Payment)).all() == []
