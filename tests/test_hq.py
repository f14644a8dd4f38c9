"""Head office over a central store filled by synced desks: figures, month, reference data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import select as orm_select

from db.engine import make_engine
from db.models import PartnerAgreement, Payment, Service, Site, Staff
from db.session import reading
from frontdesk.errors import UserError
from frontdesk.hq import reference
from frontdesk.hq.figures import daily_income, overview
from frontdesk.hq.month_output import month_text, write_month_xlsx
from frontdesk.hq.monthly import month_report, parse_month, report_json
from frontdesk.services.auth import active_staff, sign_in
from frontdesk.services.closeout import day_report
from tests.sync_support import (
    DAY_ONE,
    busy_desk,
    central_store,
    new_desk,
    paid_day,
    register_people,
    sync,
)

TODAY = date(2026, 11, 21)  # DAY_ONE (20th) is closed, the 21st is open at busy desks
SITES = ("HS01", "HS02", "HS03")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def district(request, tmp_path: Path) -> Iterator[tuple[Engine, dict]]:
    """A central store with three communities synced into it, each with its desk."""
    url = (
        str(tmp_path / "central.sqlite3")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    central_store(url)
    desks = {}
    for n, site in enumerate(SITES):
        engine, site_url = new_desk(tmp_path, site, url)
        busy_desk(engine, site, people=5 + n)
        sync(engine, site_url)
        desks[site] = (engine, site_url)
    hq = make_engine(url)
    yield hq, desks
    hq.dispose()
    for engine, _ in desks.values():
        engine.dispose()


def desk_income(engine: Engine, site: str, start: date, end: date) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.coalesce(func.sum(Payment.amount_fen), 0)).where(
                Payment.site_code == site,
                Payment.business_date >= start,
                Payment.business_date < end,
            )
        ).scalar_one()


def test_overview_has_every_community_with_its_figures(district) -> None:
    hq, desks = district
    rows = {r.site: r for r in overview(hq, TODAY)}
    assert sorted(rows) == list(SITES)
    for site, (engine, _) in desks.items():
        row = rows[site]
        assert row.name == f"{site}社区"
        assert row.month_fen == desk_income(engine, site, date(2026, 11, 1), date(2026, 12, 1))
        assert row.today_fen == desk_income(engine, site, TODAY, TODAY + timedelta(days=1))
        assert sum(row.month_by_method.values()) == row.month_fen
        assert sum(row.month_by_line.values()) == row.month_fen
        assert row.walkins_month == 10 and row.walkins_today == 4
        assert row.registered_month == 5 + SITES.index(site)
        assert row.last_sync is not None
        assert row.unclosed_days == 0 and row.unverified == 0
    # The next day, the 21st is a past day nobody closed.
    later = {r.site: r for r in overview(hq, TODAY + timedelta(days=1))}
    assert all(r.unclosed_days == 1 for r in later.values())


def test_daily_income_feeds_the_trend(district) -> None:
    hq, desks = district
    series = daily_income(hq, date(2026, 11, 1), date(2026, 12, 1))
    assert set(series) == set(SITES)
    engine, _ = desks["HS02"]
    assert series["HS02"][DAY_ONE.date()] == desk_income(
        engine, "HS02", DAY_ONE.date(), DAY_ONE.date() + timedelta(days=1)
    )
    only = daily_income(hq, date(2026, 11, 1), date(2026, 12, 1), site="HS01")
    assert set(only) == {"HS01"}


def test_month_report_sums_closed_and_open_days(district) -> None:
    hq, desks = district
    report = month_report(hq, date(2026, 11, 1))
    assert report.month == "2026-11"
    by_site = {r.site: r for r in report.sites}
    for site, (engine, _) in desks.items():
        closed = day_report(engine, site, DAY_ONE.date())
        open_ = day_report(engine, site, TODAY)
        row = by_site[site]
        assert row.closeouts == 1 and row.open_days == 1
        assert row.income_fen == closed.income_fen + open_.income_fen
        assert row.partner_share_fen == closed.partner_share_fen + open_.partner_share_fen
        assert row.rebate_fen == closed.rebate_fen + open_.rebate_fen
        assert row.income_fen == row.partner_share_fen + row.community_proceeds_fen
        assert row.walkins == 10 and sum(row.walkins_by_line.values()) == 10
    total = report.total
    assert total.income_fen == sum(r.income_fen for r in report.sites)
    assert total.rebate_fen == sum(r.rebate_fen for r in report.sites)
    assert total.closeouts == 3


def test_month_report_outputs(district, tmp_path: Path) -> None:
    hq, _ = district
    report = month_report(hq, parse_month("2026-11"))
    data = report_json(report)
    json.dumps(data)  # plain JSON types only
    site_keys = {
        "site",
        "income_fen",
        "community_proceeds_fen",
        "rebate_fen",
        "walkins",
        "seekers_registered",
        "closeouts",
        "last_sync",
    }
    assert site_keys <= set(data["sites"][0])
    assert site_keys - {"site", "last_sync"} <= set(data["total"])
    assert "site" not in data["total"] and "last_sync" not in data["total"]
    text = month_text(report)
    assert "HS02 HS02社区" in text and "合计" in text
    path = tmp_path / "month.xlsx"
    write_month_xlsx(report, path)
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "2026-11 各社区月报"
    assert [row[0] for row in cells[2:]] == [*SITES, "合计"]
    with pytest.raises(UserError):
        parse_month("2026-13")


def test_reference_changes_flow_down_to_the_desks(district) -> None:
    hq, desks = district
    engine, site_url = desks["HS01"]
    reference.set_price(hq, "JZ01", "88.50")
    added = reference.add_staff(hq, "HS01", "黄文员", "clerk", "8642")
    manager = next(s for s in reference.staff(hq, "HS01") if s.role == "manager")
    reference.reset_pin(hq, manager.id, "9753")
    rates = reference.SiteRates(rebate_percent="25", min_wage_yuan="18.5")
    reference.update_site(hq, "HS01", rates)
    partner = reference.partners(hq, TODAY)[0][0]
    reference.set_share(hq, partner.id, "35", date(2026, 12, 1))
    report = sync(engine, site_url)
    assert report.pull.applied >= 5
    with reading(engine) as s:
        price = s.exec(orm_select(Service.default_price_fen).where(Service.code == "JZ01")).one()
        site = s.exec(orm_select(Site).where(Site.code == "HS01")).one()
        shares = s.exec(
            orm_select(PartnerAgreement).where(PartnerAgreement.partner_id == partner.id)
        ).all()
    assert price == 8850
    assert (site.rebate_rate_bp, site.min_wage_fen_per_hour) == (2500, 1850)
    assert {a.share_bp for a in shares if a.valid_from == date(2026, 12, 1)} == {3500}
    assert any(a.valid_to == date(2026, 11, 30) for a in shares)
    assert added.id in {s.id for s in active_staff(engine)}
    sign_in(engine, added.id, "8642", DAY_ONE)  # the new account works at the desk
    with pytest.raises(UserError):
        sign_in(engine, manager.id, "2468", DAY_ONE)  # the old PIN no longer does
    sign_in(engine, manager.id, "9753", DAY_ONE)
    reference.set_staff_active(hq, added.id, False)
    sync(engine, site_url)
    assert added.id not in {s.id for s in active_staff(engine)}
    # Other sites get head office's catalogue change but not HS01's staff.
    other, other_url = desks["HS02"]
    sync(other, other_url)
    with reading(other) as s:
        assert s.get(Staff, added.id) is None
        price = s.exec(orm_select(Service.default_price_fen).where(Service.code == "JZ01")).one()
    assert price == 8850
    # The desk's next close-out uses the new rebate rate.
    paid_day(engine, "HS01", DAY_ONE + timedelta(days=2), 2, close=False)
    assert day_report(engine, "HS01", DAY_ONE.date() + timedelta(days=2)).rebate_rate_bp == 2500


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda hq: reference.set_price(hq, "JZ01", "-5"), "price"),
        (lambda hq: reference.set_price(hq, "JZ01", "1.234"), "price"),
        (lambda hq: reference.set_price(hq, "NOPE", "5"), "service"),
        (lambda hq: reference.add_staff(hq, "HS01", "", "clerk", "1234"), "name"),
        (lambda hq: reference.add_staff(hq, "HS01", "王", "boss", "1234"), "role"),
        (lambda hq: reference.add_staff(hq, "HS01", "王", "clerk", "12"), "pin"),
        (lambda hq: reference.add_staff(hq, "HQ", "王", "clerk", "1234"), "site"),
        (
            lambda hq: reference.update_site(hq, "HS01", reference.SiteRates(rebate_percent="120")),
            "rebate_percent",
        ),
        (
            lambda hq: reference.update_site(hq, "HS01", reference.SiteRates(rebate_base="x")),
            "rebate_base",
        ),
        (
            lambda hq: reference.add_service(
                hq, reference.NewService("JZ01", "保洁", "Cleaning", "housekeeping")
            ),
            "code",
        ),
    ],
)
def test_bad_reference_input_is_refused_at_its_field(district, call, field: str) -> None:
    hq, _ = district
    with hq.connect() as conn:
        before = {
            name: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("staff", Staff), ("services", Service))
        }
        prices = dict(conn.execute(select(Service.code, Service.default_price_fen)).all())
    with pytest.raises(UserError) as refused:
        call(hq)
    assert refused.value.field == field
    with hq.connect() as conn:
        after = {
            name: conn.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("staff", Staff), ("services", Service))
        }
        assert dict(conn.execute(select(Service.code, Service.default_price_fen)).all()) == prices
    assert after == before


def test_a_share_cannot_start_before_the_one_in_force(district) -> None:
    hq, _ = district
    partner = reference.partners(hq, TODAY)[0][0]
    reference.set_share(hq, partner.id, "30", date(2026, 12, 1))
    with pytest.raises(UserError) as refused:
        reference.set_share(hq, partner.id, "31", date(2026, 11, 15))
    assert refused.value.field == "start"


def test_a_new_registration_shows_up_after_the_next_sync(district) -> None:
    hq, desks = district
    engine, site_url = desks["HS03"]
    register_people(engine, "HS03", 900, 2)
    before = {r.site: r.registered_month for r in overview(hq, TODAY)}["HS03"]
    sync(engine, site_url)
    after = {r.site: r.registered_month for r in overview(hq, TODAY)}["HS03"]
    assert after == before + 2
