"""Head office over a central store filled by synced desks: figures, month, reference data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import select as orm_select

from db.engine import make_engine
from db.migrate import open_store
from db.models import Partner, PartnerAgreement, Payment, Person, Service, Site, Staff
from db.session import reading
from frontdesk.cli import main as cli_main
from frontdesk.domain.gig_rules import OrderInput
from frontdesk.errors import UserError
from frontdesk.hq import reference
from frontdesk.hq.figures import daily_income, overview
from frontdesk.hq.month_output import month_text, write_month_xlsx
from frontdesk.hq.monthly import month_report, parse_month, report_json
from frontdesk.i18n import set_language
from frontdesk.i18n.strings import CATALOGUE
from frontdesk.services import attendance, dispatch, settlement
from frontdesk.services.auth import active_staff, choose_pin, sign_in
from frontdesk.services.closeout import CloseInput, close_day, day_report, needs_approval
from frontdesk.services.desk import DeskSetup, init_desk
from frontdesk.services.employers import EmployerInput, add_employer
from frontdesk.services.gigs import create_order
from frontdesk.services.seekers import register, set_status
from frontdesk.services.service_lines import active_services
from frontdesk.services.walkins import WalkInInput, log_walkin
from frontdesk.sync.admin import add_site
from tests.crash_worker import person as crash_person
from tests.db_templates import built, copy_sqlite, migrated_sqlite
from tests.hq_accounts_support import editor
from tests.sync_support import (
    CEILING_FEN,
    DAY_ONE,
    PIN,
    actor_of,
    busy_desk,
    central_store,
    paid_day,
    register_people,
    sync,
)

TODAY = date(2026, 11, 21)  # DAY_ONE (20th) is closed, the 21st is open at busy desks
SITES = ("HS01", "HS02", "HS03")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def district(request, tmp_path: Path) -> Iterator[tuple[Engine, dict]]:
    """A central store with three communities synced into it, each with its desk.

    Built once per process and copied (tests/db_templates.py): on SQLite the whole district;
    on PostgreSQL each busy desk, synced into a new central store for every test."""
    if request.param == "sqlite":
        made = built("hq-district", _sqlite_district)
        url = str(copy_sqlite(made / "central.sqlite3", tmp_path / "central.sqlite3"))
        desks = {}
        for site in SITES:
            path = copy_sqlite(made / f"{site}.sqlite3", tmp_path / f"{site}.sqlite3")
            desks[site] = (open_store(path)[0], url)  # a SQLite site syncs with the admin URL
    else:
        url = request.getfixturevalue("pg_head_url")
        desks = _fill_district(tmp_path, url)
    hq = make_engine(url)
    yield hq, desks
    hq.dispose()
    for engine, _ in desks.values():
        engine.dispose()


def _fill_district(folder: Path, url: str) -> dict[str, tuple[Engine, str]]:
    """Make a central store at `url` and sync a busy desk of each site into it."""
    central_store(url)
    desks = {}
    for n, site in enumerate(SITES):
        added = add_site(url, site, f"{site}社区")
        made = built(f"hq-desk-{site}", partial(_busy_desk, site, 5 + n)) / f"{site}.sqlite3"
        engine, _ = open_store(copy_sqlite(made, folder / f"{site}.sqlite3"))
        sync(engine, added.url)
        desks[site] = (engine, added.url)
    return desks


def _busy_desk(site: str, people: int, folder: Path) -> None:
    """A desk of `site` with `people` registrations, a closed day and an open one."""
    path = migrated_sqlite(folder / f"{site}.sqlite3")
    engine = init_desk(path, DeskSetup(site, f"{site}社区", "陈主任", PIN))
    busy_desk(engine, site, people=people)
    engine.dispose()


def _sqlite_district(folder: Path) -> None:
    desks = _fill_district(folder, str(folder / "central.sqlite3"))
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


def people_of(engine: Engine) -> list:
    with reading(engine) as s:
        return list(s.exec(orm_select(Person.id).order_by(Person.registered_on, Person.id)))


def employ(engine: Engine, site: str, person_ids: list, at) -> None:
    actor = actor_of(engine, site)
    for person_id in person_ids:
        set_status(engine, actor, person_id, "employed", "", at)


def piece_gig(engine: Engine, site: str, accepted: int) -> None:
    """One new worker on a piece-rate order on TODAY: 0.355 yuan a piece, settled in cash."""
    actor = actor_of(engine, site)
    morning = DAY_ONE + timedelta(hours=22)  # 08:00 on the 21st in Jiangmen
    employer = add_employer(engine, actor, EmployerInput(name="恒达五金制品厂"), morning)
    raw = OrderInput(
        employer_id=employer.id,
        job_type="包装",
        place="社区小社微工厂",
        work_date=TODAY,
        shift_start="09:00",
        shift_end="12:00",
        headcount="3",
        pay_mode="piece",
        rate="0.355",
        unit="件",
    )
    order_id = create_order(engine, actor, raw, morning, CEILING_FEN).id
    worker = register(engine, actor, crash_person(950), morning).id
    a = dispatch.assign(engine, actor, order_id, worker, morning)
    attendance.check_in(engine, actor, a.id, morning + timedelta(hours=1))
    later = morning + timedelta(hours=3)
    attendance.record_pieces(engine, actor, a.id, accepted + 10, accepted, 10, later)
    attendance.check_out(engine, actor, a.id, morning + timedelta(hours=4))
    settlement.settle(engine, actor, a.id, "cash", "", morning + timedelta(hours=5))


def close_over_and_short(engine: Engine, site: str) -> date:
    """The 22nd: a cash and a WeChat entry, closed with cash ¥5 over and WeChat ¥3 short."""
    at = DAY_ONE + timedelta(days=2)
    paid_day(engine, site, at, 2, close=False)  # ¥30.50 cash, ¥31.50 WeChat
    day = at.date()
    expected = day_report(engine, site, day).expected_fen
    counted = dict(expected, cash=expected["cash"] + 500, wechat=expected["wechat"] - 300)
    with reading(engine) as s:
        manager = s.exec(orm_select(Staff.id).where(Staff.role == "manager")).one()
    raw = CloseInput(day=day, counted_fen=counted, note="微信少收", manager_id=manager, pin=PIN)
    close_day(engine, actor_of(engine, site), raw, at + timedelta(hours=8))
    return day


def test_month_report_counts_employment_gigs_and_over_and_short(district) -> None:
    hq, desks = district
    hs02, hs02_url = desks["HS02"]
    first, second = people_of(hs02)[:2]
    employ(hs02, "HS02", [first, second], DAY_ONE)
    set_status(hs02, actor_of(hs02, "HS02"), second, "active", "", DAY_ONE + timedelta(hours=1))
    employ(hs02, "HS02", [second], DAY_ONE + timedelta(hours=2))  # twice: one person
    piece_gig(hs02, "HS02", accepted=150)
    over_short_day = close_over_and_short(hs02, "HS02")
    sync(hs02, hs02_url)
    hs03, hs03_url = desks["HS03"]
    employ(hs03, "HS03", people_of(hs03)[:1], DAY_ONE)
    employ(hs03, "HS03", people_of(hs03)[1:2], DAY_ONE - timedelta(days=30))  # October
    sync(hs03, hs03_url)

    report = month_report(hq, date(2026, 11, 1))
    by_site = {r.site: r for r in report.sites}
    row = by_site["HS02"]
    assert (row.seekers_employed, row.seekers_registered) == (2, 6 + 1)
    assert (row.gig_workers, row.pieces, row.wages_fen) == (1, 150, 5325)  # 150 x 35.5 fen
    assert (row.over_fen, row.short_fen) == (500, -300)  # never netted
    assert (row.closeouts, row.open_days) == (2, 1)
    days = (DAY_ONE.date(), TODAY, over_short_day)
    assert row.income_fen == sum(day_report(hs02, "HS02", d).income_fen for d in days)
    assert by_site["HS03"].seekers_employed == 1  # October's does not count in November
    quiet = (by_site["HS01"], by_site["HS03"])
    for r in quiet:
        assert (r.gig_workers, r.pieces, r.wages_fen, r.over_fen, r.short_fen) == (0,) * 5
    assert by_site["HS01"].seekers_employed == 0
    total = report.total
    assert (total.seekers_employed, total.gig_workers, total.pieces) == (3, 1, 150)
    assert (total.wages_fen, total.over_fen, total.short_fen) == (5325, 500, -300)
    assert (total.closeouts, total.open_days) == (4, 3)
    assert total.seekers_registered == 5 + 7 + 7
    data = report_json(report)
    assert {k: data["sites"][1][k] for k in ("seekers_employed", "pieces", "short_fen")} == {
        "seekers_employed": 2,
        "pieces": 150,
        "short_fen": -300,
    }


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


# --- `frontdesk hq report` as scripts call it (../shared/CLI.md) ------------------------------

CLI_SITE_KEYS = (
    "site",
    "income_fen",
    "community_proceeds_fen",
    "rebate_fen",
    "walkins",
    "seekers_registered",
    "closeouts",
    "last_sync",
)


def hq_report(url: str, *args: str) -> list[str]:
    return ["hq", "report", "--central", url, "--month", "2026-11", *args]


def central_url_of(hq: Engine) -> str:
    return hq.url.render_as_string(hide_password=False)


def test_hq_report_json_has_the_contract_keys(district, capsys) -> None:
    hq, _ = district
    assert cli_main(hq_report(central_url_of(hq), "--format", "json")) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["month"] == "2026-11"
    assert [row["site"] for row in data["sites"]] == list(SITES)
    expected = {r.site: r for r in month_report(hq, date(2026, 11, 1)).sites}
    for row in data["sites"]:
        assert set(CLI_SITE_KEYS) <= set(row)
        assert isinstance(row["last_sync"], str)
        for key in CLI_SITE_KEYS[1:-1]:
            assert row[key] == getattr(expected[row["site"]], key), key
    total = data["total"]
    assert set(CLI_SITE_KEYS[1:-1]) <= set(total)
    assert "site" not in total and "last_sync" not in total
    for key in CLI_SITE_KEYS[1:-1]:
        assert total[key] == sum(row[key] for row in data["sites"]), key


def test_hq_report_text_and_xlsx(district, capsys, tmp_path: Path) -> None:
    hq, _ = district
    url = central_url_of(hq)
    assert cli_main(["--lang", "en", *hq_report(url, "--format", "text")]) == 0
    text = capsys.readouterr().out
    assert "Monthly report 2026-11" in text and "Total" in text
    assert all(f"{site} {site}社区" in text for site in SITES)
    target = tmp_path / "month.xlsx"
    assert cli_main(hq_report(url, "--format", "xlsx", "-o", str(target))) == 0
    assert str(target) in capsys.readouterr().out
    from openpyxl import load_workbook

    cells = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert cells[0][0] == "2026-11 各社区月报"
    assert [row[0] for row in cells[2:]] == [*SITES, "合计"]
    income = cells[1].index("收入")
    report = month_report(hq, date(2026, 11, 1))
    assert cells[-1][income] == pytest.approx(report.total.income_fen / 100)


def test_hq_report_wrong_usage_and_a_bad_month(tmp_path: Path, capsys) -> None:
    url = central_store(str(tmp_path / "central.sqlite3"))
    assert cli_main(hq_report(url, "--format", "xlsx")) == 2  # no -o
    err = capsys.readouterr().err
    assert "-o" in err
    for lang, words in (("zh", "月份格式"), ("en", "A month is YYYY-MM")):
        # Wrong usage (exit 2), as a bad --date is: the usage, then one line saying why.
        with pytest.raises(SystemExit) as leaving:
            cli_main(["--lang", lang, "hq", "report", "--central", url, "--month", "2026-13"])
        assert leaving.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert words in captured.err.strip().splitlines()[-1]
    assert not list(tmp_path.glob("*.xlsx"))


def test_reference_changes_flow_down_to_the_desks(district) -> None:
    hq, desks = district
    engine, site_url = desks["HS01"]
    reference.set_price(hq, editor(hq), "JZ01", "88.50")
    reference.set_price(hq, editor(hq), "JN01", "30")  # a free course starts to charge
    added = reference.add_staff(hq, editor(hq), "HS01", "黄文员", "clerk").staff
    manager = next(s for s in reference.staff(hq, "HS01") if s.role == "manager")
    reset = reference.reset_pin(hq, editor(hq), manager.id)
    rates = reference.SiteRates(rebate_percent="25", min_wage_yuan="18.5")
    reference.update_site(hq, editor(hq), "HS01", rates)
    partner = reference.partners(hq, TODAY)[0][0]
    reference.set_share(hq, editor(hq), partner.id, "35", date(2026, 12, 1))
    # A new partner with a new service of its own, a service switched off, the rebate base
    # and the close-out tolerance.
    nursing = reference.add_partner(hq, editor(hq), "安康护理站", "护理", "55", date(2026, 11, 21))
    new = reference.NewService("KY09", "上门护理", "Home nursing", "wellness", "120", nursing.id)
    reference.add_service(hq, editor(hq), new)
    reference.set_service_active(hq, editor(hq), "LG07", False)
    reference.update_site(
        hq, editor(hq), "HS01", reference.SiteRates(rebate_base="gross", tolerance_yuan="5")
    )
    report = sync(engine, site_url)
    assert report.pull.applied >= 9
    with reading(engine) as s:
        price = s.exec(orm_select(Service.default_price_fen).where(Service.code == "JZ01")).one()
        jn01 = s.exec(orm_select(Service).where(Service.code == "JN01")).one()
        site = s.exec(orm_select(Site).where(Site.code == "HS01")).one()
        shares = s.exec(
            orm_select(PartnerAgreement).where(PartnerAgreement.partner_id == partner.id)
        ).all()
        ky09 = s.exec(orm_select(Service).where(Service.code == "KY09")).one()
        arrived = s.get(Partner, nursing.id)
        nursing_share = s.exec(
            orm_select(PartnerAgreement.share_bp).where(PartnerAgreement.partner_id == nursing.id)
        ).one()
    assert price == 8850
    assert (jn01.default_price_fen, jn01.paid) == (3000, True)  # the desk now takes money
    assert (site.rebate_rate_bp, site.min_wage_fen_per_hour) == (2500, 1850)
    assert (site.rebate_base, site.closeout_tolerance_fen) == ("gross", 500)
    assert (ky09.default_price_fen, ky09.paid, ky09.partner_id) == (12000, True, nursing.id)
    assert (arrived.name, arrived.active, nursing_share) == ("安康护理站", True, 5500)
    offered = {item.code for item in active_services(engine)}
    assert "KY09" in offered and "LG07" not in offered
    with pytest.raises(UserError) as refused:  # a service switched off takes no new entry
        log_walkin(
            engine,
            actor_of(engine, "HS01"),
            WalkInInput(service_id=lg07_id(engine)),
            DAY_ONE,
            CEILING_FEN,
        )
    assert refused.value.field == "service"
    assert {a.share_bp for a in shares if a.valid_from == date(2026, 12, 1)} == {3500}
    assert any(a.valid_to == date(2026, 11, 30) for a in shares)
    assert added.id in {s.id for s in active_staff(engine)}
    with pytest.raises(UserError):
        sign_in(engine, manager.id, PIN, DAY_ONE)  # the old PIN no longer does
    choose_pin(engine, manager.id, reset.code, "975310", DAY_ONE)  # the code, then a new PIN
    sign_in(engine, manager.id, "975310", DAY_ONE)
    reference.set_staff_active(hq, editor(hq), added.id, False)
    sync(engine, site_url)
    assert added.id not in {s.id for s in active_staff(engine)}
    # Other sites get head office's catalogue change but not HS01's staff.
    other, other_url = desks["HS02"]
    sync(other, other_url)
    with reading(other) as s:
        assert s.get(Staff, added.id) is None
        price = s.exec(orm_select(Service.default_price_fen).where(Service.code == "JZ01")).one()
        jn01 = s.exec(orm_select(Service).where(Service.code == "JN01")).one()
    assert price == 8850
    assert (jn01.default_price_fen, jn01.paid) == (3000, True)  # the desk now takes money
    # The desk's next close-out uses the new rebate rate and base.
    paid_day(engine, "HS01", DAY_ONE + timedelta(days=2), 2, close=False)
    later = day_report(engine, "HS01", DAY_ONE.date() + timedelta(days=2))
    assert (later.rebate_rate_bp, later.rebate_base) == (2500, "gross")
    assert needs_approval(engine, "HS01", {"cash": 500}) is False  # within the new ¥5
    assert needs_approval(engine, "HS01", {"cash": 501}) is True


def lg07_id(engine: Engine):
    with reading(engine) as s:
        return s.exec(orm_select(Service.id).where(Service.code == "LG07")).one()


def test_service_edits_and_a_partner_switched_off_flow_down(district) -> None:
    hq, desks = district
    engine, site_url = desks["HS02"]
    clinic = next(p for p, _ in reference.partners(hq, TODAY) if p.kind == "中医诊所")
    school = next(p for p, _ in reference.partners(hq, TODAY) if p.kind == "职业培训")
    edit = reference.ServiceEdit("家政保洁", "Home cleaning", "housekeeping", school.id)
    reference.edit_service(hq, editor(hq), "JZ01", edit)
    switched_off = reference.set_partner_active(hq, editor(hq), clinic.id, False)
    assert switched_off == ["KY01", "KY02", "KY03"]
    sync(engine, site_url)
    with reading(engine) as s:
        jz01 = s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
        at_desk = s.get(Partner, clinic.id)
    assert (jz01.name_zh, jz01.name_en, jz01.line, jz01.partner_id) == (
        "家政保洁",
        "Home cleaning",
        "housekeeping",
        school.id,
    )
    assert at_desk.active is False
    offered = {item.code: item for item in active_services(engine)}
    assert not {"KY01", "KY02", "KY03"} & set(offered)
    assert offered["JZ01"].name_zh == "家政保洁" and offered["JZ01"].partner_id == school.id
    # A new entry is split by the new partner's share (school 50 %); the day closed before
    # keeps what it was closed with.
    closed_before = day_report(engine, "HS02", DAY_ONE.date())
    actor = actor_of(engine, "HS02")
    day = DAY_ONE + timedelta(days=2)
    entry = WalkInInput(service_id=jz01.id, amount="40", method="cash")
    log_walkin(engine, actor, entry, day, CEILING_FEN)
    report = day_report(engine, "HS02", day.date())
    assert report.partner_share_fen == 2000
    assert day_report(engine, "HS02", DAY_ONE.date()) == closed_before
    # While the partner is off, none of its services can be switched on or given to it.
    refusals = [
        (lambda: reference.set_service_active(hq, editor(hq), "KY01", True), "service"),
        (
            lambda: reference.edit_service(
                hq, editor(hq), "JZ01", replace(edit, partner_id=clinic.id)
            ),
            "partner",
        ),
        (
            lambda: reference.add_service(
                hq,
                editor(hq),
                reference.NewService("KY08", "刮痧", "Gua sha", "wellness", "50", clinic.id),
            ),
            "partner",
        ),
    ]
    for call, field in refusals:
        with pytest.raises(UserError) as refused:
            call()
        assert (refused.value.code, refused.value.field) == ("hq.partner_inactive", field)
    # Switching the partner back on leaves its services off until head office says so.
    assert reference.set_partner_active(hq, editor(hq), clinic.id, True) == []
    reference.set_service_active(hq, editor(hq), "KY01", True)
    sync(engine, site_url)
    offered = {item.code for item in active_services(engine)}
    assert "KY01" in offered and not {"KY02", "KY03"} & offered


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda hq: reference.set_price(hq, editor(hq), "JZ01", "-5"), "price"),
        (lambda hq: reference.set_price(hq, editor(hq), "JZ01", "1.234"), "price"),
        (lambda hq: reference.set_price(hq, editor(hq), "NOPE", "5"), "service"),
        (lambda hq: reference.add_staff(hq, editor(hq), "HS01", "", "clerk"), "name"),
        (lambda hq: reference.add_staff(hq, editor(hq), "HS01", "王", "boss"), "role"),
        (lambda hq: reference.add_staff(hq, editor(hq), "HQ", "王", "clerk"), "site"),
        (lambda hq: reference.reset_pin(hq, editor(hq), uuid.uuid4()), "staff"),
        (
            lambda hq: reference.update_site(
                hq, editor(hq), "HS01", reference.SiteRates(rebate_percent="120")
            ),
            "rebate_percent",
        ),
        (
            lambda hq: reference.update_site(
                hq, editor(hq), "HS01", reference.SiteRates(rebate_base="x")
            ),
            "rebate_base",
        ),
        (
            lambda hq: reference.update_site(
                hq, editor(hq), "HS01", reference.SiteRates(name="白沙", rebate_percent="19.99")
            ),
            "rebate_percent",
        ),
        (
            lambda hq: reference.add_service(
                hq, editor(hq), reference.NewService("JZ01", "保洁", "Cleaning", "housekeeping")
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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rebate_below_a_fifth_is_refused_in_the_users_language(district, lang: str) -> None:
    hq, _ = district
    set_language(lang)
    for low in ("0", "15", "19.99"):
        with pytest.raises(UserError) as refused:
            reference.update_site(hq, editor(hq), "HS02", reference.SiteRates(rebate_percent=low))
        assert (refused.value.code, refused.value.field) == ("hq.rebate_too_low", "rebate_percent")
        assert refused.value.message() == CATALOGUE["hq.rebate_too_low"][lang == "en"]
    with reading(hq) as s:
        assert s.exec(orm_select(Site.rebate_rate_bp).where(Site.code == "HS02")).one() == 2000
    for fine, bp in (("20", 2000), ("20.5%", 2050), ("100", 10000)):
        assert reference.update_site(
            hq, editor(hq), "HS02", reference.SiteRates(rebate_percent=fine)
        )
        with reading(hq) as s:
            assert s.exec(orm_select(Site.rebate_rate_bp).where(Site.code == "HS02")).one() == bp


def test_a_share_cannot_start_before_the_one_in_force(district) -> None:
    hq, _ = district
    partner = reference.partners(hq, TODAY)[0][0]
    reference.set_share(hq, editor(hq), partner.id, "30", date(2026, 12, 1))
    with pytest.raises(UserError) as refused:
        reference.set_share(hq, editor(hq), partner.id, "31", date(2026, 11, 15))
    assert refused.value.field == "start"


def test_a_new_registration_shows_up_after_the_next_sync(district) -> None:
    hq, desks = district
    engine, site_url = desks["HS03"]
    register_people(engine, "HS03", 900, 2)
    before = {r.site: r.registered_month for r in overview(hq, TODAY)}["HS03"]
    sync(engine, site_url)
    after = {r.site: r.registered_month for r in overview(hq, TODAY)}["HS03"]
    assert after == before + 2


@pytest.mark.postgres
def test_a_read_only_head_office_login_is_told_so(pg_url: str) -> None:
    """A member of <database>_hq reads everything and changes nothing, in words."""
    import psycopg
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from db.central import hq_role
    from db.migrate import StoreError
    from db.models import HqStaff
    from frontdesk.errors import describe
    from frontdesk.sync.admin import open_central

    central_store(pg_url)
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        group = hq_role(conn)
    who = editor(admin)  # an editor signed in, but on a login that may only read
    admin.dispose()
    login = f"{make_url(pg_url).database}_viewer"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{login}\" LOGIN PASSWORD 'look'")
        conn.execute(f'GRANT "{group}" TO "{login}"')
    url = make_url(pg_url).set(username=login, password="look")
    viewer = open_central(url.render_as_string(hide_password=False))
    try:
        with reading(viewer) as s:  # reading works
            assert s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
        with pytest.raises(StoreError) as err:
            reference.set_price(viewer, who, "JZ01", "50")
        assert err.value.code == "write_refused"
        set_language("en")
        assert "may only read" in describe(err.value)
        # Nor may it read head office's accounts: their PIN hashes stay with the owner.
        with pytest.raises((StoreError, DBAPIError)), reading(viewer) as s:
            s.exec(orm_select(HqStaff.pin_hash)).all()
    finally:
        viewer.dispose()
        set_language("zh")
