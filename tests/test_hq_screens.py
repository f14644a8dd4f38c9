"""`frontdesk hq` driven by Pilot against a central store filled by several synced desks.

The store is built once per module (tests/hq_screen_support.py) and copied for each test:
the dashboard's figures are compared with frontdesk.hq.figures.overview, and every
reference edit is read back from the store (or shown to have written nothing).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func
from sqlmodel import select

from db.models import AuditLog, Partner, PartnerAgreement, Service, Site, Staff
from db.session import reading
from frontdesk.domain.money import fmt_fen, percent_text
from frontdesk.hq.figures import overview
from frontdesk.hq.reference import SiteRates, update_site
from frontdesk.i18n import t
from frontdesk.services import auth
from frontdesk.sync.admin import open_central
from screens.common.widgets import FieldError
from screens.hq.common import chart_sites, y_scale
from screens.hq.dashboard import DashboardScreen, columns_that_fit, site_cells
from screens.hq.forms import CodeShown, HqForm
from screens.hq.month import MonthReportScreen
from screens.hq.reference import ReferenceScreen
from screens.hq.site import SiteScreen
from tests.hq_accounts_support import editor
from tests.hq_screen_support import (
    NEEDS_A_LOOK,
    NOW,
    SITES,
    TODAY,
    central_template,
    copy_central,
    make_hq_app,
)
from tests.test_layers import LIGHT_DB, loaded_after_import, top_levels
from tests.tui_support import settle, text_of

SIZE = (100, 30)


@pytest.fixture(scope="module")
def template() -> Path:
    return central_template()


@pytest.fixture
def central(template: Path, tmp_path: Path) -> Path:
    return copy_central(template, tmp_path / "store")


class Store:
    """Reads back what the TUI wrote."""

    def __init__(self, path: Path) -> None:
        self.engine = open_central(str(path))

    def one(self, model, *where):
        with reading(self.engine) as s:
            return s.exec(select(model).where(*where)).one()

    def all(self, model, *where) -> list:
        with reading(self.engine) as s:
            return list(s.exec(select(model).where(*where)))

    def count(self, model) -> int:
        with reading(self.engine) as s:
            return s.exec(select(func.count()).select_from(model)).one()

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def store(central: Path):
    found = Store(central)
    yield found
    found.close()


def cell_text(table, row: str, column: str) -> str:
    return str(table.get_cell(row, column))


def field_error(app, name: str) -> str:
    return str(app.screen.query_one(f"#f-{name}-error", FieldError).render())


async def highlight(pilot, table_id: str, key: str) -> None:
    table = pilot.app.screen.query_one(table_id)
    table.move_cursor(row=table.get_row_index(key))
    await settle(pilot)


async def open_reference(pilot, tab: str) -> ReferenceScreen:
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press(str(("sites", "staff", "services", "partners").index(tab) + 1))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReferenceScreen) and screen.tab == tab
    return screen


async def fill(pilot, **values: str) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#f-{name}").value = value
    await pilot.pause()


# --- the dashboard -------------------------------------------------------------------------------


async def test_the_dashboard_lists_every_community_with_its_month_income(central, store) -> None:
    expected = {f.site: f for f in overview(store.engine, TODAY)}
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        table = screen.query_one("#sites")
        keys = [row.value for row in table.rows]
        assert keys == sorted(SITES)
        for code, figures in expected.items():
            assert cell_text(table, code, "month") == fmt_fen(figures.month_fen)
            assert cell_text(table, code, "today") == fmt_fen(figures.today_fen)
            assert cell_text(table, code, "site") == f"{code} {SITES[code]}"
        assert cell_text(table, "JF05", "sync") == t("hqui.never")
        assert cell_text(table, "HS01", "sync") == "11-21 14:40"  # local time of the push
        assert cell_text(table, "DT03", "unclosed") == "1"
        assert cell_text(table, "XL04", "unverified") == "1"
        flagged = {code for code in keys if table.get_cell(code, "site").style == "red"}
        assert flagged == NEEDS_A_LOOK
        total = fmt_fen(sum(f.month_fen for f in expected.values()))
        assert total in text_of(app, "#dash-title")


async def test_the_note_says_why_a_community_needs_a_look(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, "#sites", "BJ02")
        assert t("hqui.why_stale") in text_of(app, "#site-note")
        await highlight(pilot, "#sites", "JF05")
        assert t("hqui.why_never_synced") in text_of(app, "#site-note")
        await highlight(pilot, "#sites", "HS01")
        note = text_of(app, "#site-note")
        assert t("hqui.attention", reasons="") not in note
        gigs = t("hqui.note_gigs", workers_today=1, workers=2, pieces_today=150, pieces=230)
        assert gigs in note
        assert t("hqui.note_registered", today=1, month=8) in note


async def test_the_chart_draws_the_best_months_and_the_highlighted_community(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, "#sites", "JF05")  # no income: drawn only while highlighted
        drawn = app.screen.query_one("#trend").drawn
        assert list(drawn) == ["BJ02", "HS01", "DT03", "XL04", "JF05"]
        # HS01 on 11-20 (the day before the last): 2 housekeeping and 2 wellness entries.
        assert drawn["HS01"][-2] == (45 + 90 + 68 + 88) * 100
        assert drawn["JF05"] == [0] * 30


async def test_enter_opens_a_community_and_escape_comes_back(central, store) -> None:
    figures = next(f for f in overview(store.engine, TODAY) if f.site == "HS01")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, "#sites", "HS01")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteScreen) and screen.site == "HS01"
        by_line = text_of(app, "#by-line")
        assert t("line.housekeeping") in by_line and t("line.wellness") in by_line
        assert fmt_fen(figures.month_by_line["housekeeping"]) in by_line
        by_method = text_of(app, "#by-method")
        assert fmt_fen(figures.month_by_method["wechat"]) in by_method
        assert fmt_fen(figures.month_fen) in by_method
        activity = text_of(app, "#site-activity")
        assert fmt_fen(figures.wages_month_fen) in activity and "150" in activity
        closeouts = screen.query_one("#closeouts")
        assert closeouts.row_count == 4
        assert {cell_text(closeouts, row.value, "state") for row in closeouts.rows} == {
            t("hqui.verified")
        }
        assert list(screen.query_one("#site-trend").drawn) == ["HS01"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_community_shows_todays_registrations_gig_workers_and_pieces(
    central, store, lang
) -> None:
    f = next(f for f in overview(store.engine, TODAY) if f.site == "HS01")
    # One worker registered today and worked today's gig; another worked on the 17th.
    assert (f.registered_today, f.registered_month) == (1, 8)
    assert (f.gig_workers_today, f.gig_workers_month) == (1, 2)
    assert (f.pieces_today, f.pieces_month) == (150, 230)
    quiet = next(f for f in overview(store.engine, TODAY) if f.site == "BJ02")
    assert (quiet.registered_today, quiet.gig_workers_today, quiet.pieces_today) == (0, 0, 0)
    app = make_hq_app(central, lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, "#sites", "HS01")
        await pilot.press("enter")
        await settle(pilot)
        shown = text_of(app, "#site-activity")
    assert shown == t(
        "hqui.activity",
        today=f.walkins_today,
        month=f.walkins_month,
        registered_today=1,
        registered=8,
        workers_today=1,
        workers=2,
        pieces_today=150,
        pieces=230,
        wages=fmt_fen(f.wages_month_fen),
    )


async def test_a_close_out_whose_entries_have_not_all_arrived_is_marked(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, "#sites", "XL04")
        await pilot.press("enter")
        await settle(pilot)
        closeouts = app.screen.query_one("#closeouts")
        states = {row.value: cell_text(closeouts, row.value, "state") for row in closeouts.rows}
        assert states == {"2026-11-08": t("hqui.verified"), "2026-11-16": t("hqui.not_arrived")}
        assert t("hqui.why_unverified", count=1) in text_of(app, "#site-alert")


async def test_refresh_reads_the_store_again(central, store) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        update_site(
            store.engine, editor(store.engine), "DT03", SiteRates(name="东台新区")
        )  # from elsewhere
        await pilot.press("f5")
        await settle(pilot)
        assert cell_text(app.screen.query_one("#sites"), "DT03", "site") == "DT03 东台新区"


async def test_the_dashboard_reads_the_store_again_by_itself(central, store, monkeypatch) -> None:
    monkeypatch.setattr(DashboardScreen, "REFRESH_S", 0.1)
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        update_site(
            store.engine, editor(store.engine), "DT03", SiteRates(name="东台新区")
        )  # a change from elsewhere
        for _ in range(40):  # no key pressed: the timer reads it
            await pilot.pause(0.1)
            if cell_text(app.screen.query_one("#sites"), "DT03", "site") == "DT03 东台新区":
                break
        await settle(pilot)
        assert cell_text(app.screen.query_one("#sites"), "DT03", "site") == "DT03 东台新区"


async def test_a_store_that_is_not_central_is_shown_not_raised(tmp_path: Path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk
    from screens.hq.signin import HqSignInScreen

    desk = init_desk(tmp_path / "desk.sqlite3", DeskSetup("HS01", "白沙社区", "陈主任", "2468"))
    desk.dispose()
    for url, code in ((tmp_path / "desk.sqlite3", "sync.not_central"), (tmp_path / "nope", "")):
        app = make_hq_app(url, signed_in=False)  # said on the sign-in, before any PIN
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            note = text_of(app, "#pin-error")
            assert note.startswith(t("hqui.store_failed", reason="")[:6])
            if code:
                assert t(code) in note
            assert isinstance(app.screen, HqSignInScreen)


async def test_f1_lists_the_keys_and_ctrl_q_quits(central) -> None:
    from screens.common.help import HelpScreen

    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_table = app.screen.query_one("#help-keys")
        actions = {str(help_table.get_row_at(i)[1]) for i in range(help_table.row_count)}
        assert {t("key.hq_reference"), t("key.hq_month_report"), t("key.open")} <= actions
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_palette_offers_translated_commands(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = {c.title for c in app.get_system_commands(app.screen)}
        assert {t("key.hq_reference"), t("key.hq_month_report"), t("key.quit")} <= commands
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.id == "--command-palette"


async def test_leaving_screens_while_they_load_is_harmless(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("enter", "f2", "f3"):
            await pilot.press(key)
            await pilot.press("escape")  # before the screen's worker has answered
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one("#sites").row_count == len(SITES)


# --- reference data -----------------------------------------------------------------------------


async def test_changing_a_price_lands_in_the_store(central, store) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "services")
        await highlight(pilot, "#ref-services", "JZ01")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)
        await fill(pilot, price="")
        await pilot.press(*"52.5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        table = app.screen.query_one("#ref-services")
        assert cell_text(table, "JZ01", "price") == "¥52.50"
    assert store.one(Service, Service.code == "JZ01").default_price_fen == 5250


async def test_a_bad_price_is_shown_at_the_field_and_nothing_is_written(central, store) -> None:
    before = store.one(Service, Service.code == "JZ01")
    audits = store.count(AuditLog) + 1  # the sign-in's own check
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "services")
        await highlight(pilot, "#ref-services", "JZ01")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, price="四十")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)  # still open, the message under the field
        assert field_error(app, "price") == t("money.format")
        await pilot.press("escape", "y")  # the typed price is thrown away once Y says so
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
    after = store.one(Service, Service.code == "JZ01")
    assert (after.default_price_fen, after.row_version) == (
        before.default_price_fen,
        before.row_version,
    )
    assert store.count(AuditLog) == audits


CODE = "4821093755128804"


@pytest.fixture
def fixed_code(monkeypatch: pytest.MonkeyPatch) -> str:
    """The one-time code head office's next reset gets (random in use)."""
    monkeypatch.setattr(auth, "new_code", lambda: CODE)
    return CODE


async def test_adding_a_staff_account_shows_its_one_time_code(central, store, fixed_code) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "staff")
        await highlight(pilot, "#ref-staff", str(store.one(Staff, Staff.name == "李文员").id))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#f-site").value == "HS01"  # the highlighted row's site
        assert not app.screen.query("#f-pin")  # head office never types a PIN
        await fill(pilot, name="王小芳")
        app.screen.query_one("#f-role").value = "manager"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CodeShown)  # shown once, to pass on by phone
        assert str(app.screen.query_one("#code").render()) == "4821 0937 5512 8804"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        row = store.one(Staff, Staff.name == "王小芳")
        table = app.screen.query_one("#ref-staff")
        assert cell_text(table, str(row.id), "state").endswith(t("pins.code_waiting"))
    assert (row.site_code, row.role, row.active) == ("HS01", "manager", True)
    assert row.pin_reset_id is not None and row.pin_reset_at is not None
    assert auth.verify_code(fixed_code, row.pin_reset_hash)
    assert fixed_code not in row.pin_reset_hash and not row.pin_reset_hash.startswith("scrypt$")


async def test_a_staff_account_without_a_name_is_not_written(central, store) -> None:
    staff = store.count(Staff)
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "staff")
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, name="  ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)
        assert field_error(app, "name") == t("init.bad_manager")
        assert app.focused is app.screen.query_one("#f-name")
    assert store.count(Staff) == staff


async def test_deactivating_and_reactivating_a_staff_account(central, store) -> None:
    clerk = store.one(Staff, Staff.name == "李文员")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "staff")
        await highlight(pilot, "#ref-staff", str(clerk.id))
        await pilot.press("d")
        await settle(pilot)
        assert store.one(Staff, Staff.id == clerk.id).active is False
        table = app.screen.query_one("#ref-staff")
        assert cell_text(table, str(clerk.id), "state") == t("hqui.inactive")
        await pilot.press("d")
        await settle(pilot)
    assert store.one(Staff, Staff.id == clerk.id).active is True


async def test_resetting_a_pin_issues_a_one_time_code(central, store, fixed_code) -> None:
    clerk = store.one(Staff, Staff.name == "李文员")
    assert clerk.pin_reset_id is None
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "staff")
        await highlight(pilot, "#ref-staff", str(clerk.id))
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, HqForm) and not app.screen.query("Input")
        await pilot.press("enter")  # nothing to type: Enter issues the code
        await settle(pilot)
        assert isinstance(app.screen, CodeShown)
        assert str(app.screen.query_one("#code").render()) == "4821 0937 5512 8804"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
    after = store.one(Staff, Staff.id == clerk.id)
    assert after.pin_reset_id is not None and after.row_version == clerk.row_version + 1
    assert auth.verify_code(fixed_code, after.pin_reset_hash)
    audit = store.one(AuditLog, AuditLog.action == "hq_pin_reset")
    assert (audit.entity_id, audit.detail) == (clerk.id, "HS01")


async def test_leaving_the_reset_dialog_issues_nothing(central, store) -> None:
    clerk = store.one(Staff, Staff.name == "李文员")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "staff")
        await highlight(pilot, "#ref-staff", str(clerk.id))
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
    assert store.one(Staff, Staff.id == clerk.id).row_version == clerk.row_version


async def test_setting_a_partner_share_from_today(central, store) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reference(pilot, "partners")
        partner, current = next(pa for pa in screen.data.partners if pa[0].kind == "家政")
        assert current.share_bp == 7000
        await highlight(pilot, "#ref-partners", str(partner.id))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#f-start").value == TODAY.isoformat()  # the app's day
        await pilot.press(*"65", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
    agreements = store.all(
        PartnerAgreement,
        PartnerAgreement.partner_id == partner.id,
        PartnerAgreement.service_id.is_(None),
    )
    by_start = {a.valid_from: a for a in agreements}
    assert by_start[TODAY].share_bp == 6500 and by_start[TODAY].valid_to is None
    assert by_start[current.valid_from].valid_to == TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("share", "start", "field", "message"),
    [
        ("150", TODAY.isoformat(), "share", "hq.bad_percent"),
        ("65", "21/11/2026", "start", "hqui.bad_date"),
    ],
)
async def test_a_bad_share_writes_nothing(central, store, share, start, field, message) -> None:
    agreements = store.count(PartnerAgreement)
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "partners")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, share=share, start=start)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, field) == t(message)
    assert store.count(PartnerAgreement) == agreements


async def test_editing_a_sites_rates(central, store) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "sites")
        await highlight(pilot, "#ref-sites", "DT03")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#f-rebate_percent").value == "20"
        assert form.query_one("#f-min_wage_yuan").value == "17.00"
        await fill(pilot, rebate_percent="22.5", min_wage_yuan="18.5")
        form.query_one("#f-category").value = "阵地型"
        form.query_one("#f-rebate_base").value = "gross"
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#ref-sites")
        assert cell_text(table, "DT03", "rebate").startswith("22.5%")
    site = store.one(Site, Site.code == "DT03")
    assert (site.rebate_rate_bp, site.rebate_base, site.category) == (2250, "gross", "阵地型")
    assert site.min_wage_fen_per_hour == 1850


async def test_a_bad_rebate_rate_writes_nothing(central, store) -> None:
    before = store.one(Site, Site.code == "DT03")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "sites")
        await highlight(pilot, "#ref-sites", "DT03")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, rebate_percent="12.345", name="东台")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert field_error(app, "rebate_percent") == t("hq.bad_percent")
    after = store.one(Site, Site.code == "DT03")
    assert (after.name, after.row_version) == (before.name, before.row_version)


@pytest.mark.parametrize(("lang", "low"), [("zh", "15"), ("en", "19.99")])
async def test_a_rebate_below_a_fifth_is_refused_at_the_field(central, store, lang, low) -> None:
    before = store.one(Site, Site.code == "DT03")
    app = make_hq_app(central, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "sites")
        await highlight(pilot, "#ref-sites", "DT03")
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, rebate_percent=low, name="东台")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)
        assert field_error(app, "rebate_percent") == t("hq.rebate_too_low")
        assert app.focused is app.screen.query_one("#f-rebate_percent")
    after = store.one(Site, Site.code == "DT03")
    assert (after.name, after.rebate_rate_bp, after.row_version) == (
        before.name,
        2000,
        before.row_version,
    )


async def test_editing_a_services_names_line_and_partner(central, store) -> None:
    school = store.one(Partner, Partner.kind == "职业培训")
    before = store.one(Service, Service.code == "JZ01")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "services")
        await highlight(pilot, "#ref-services", "JZ01")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, HqForm)
        assert not form.query("#f-code") and not form.query("#f-price")  # code and price stay
        assert form.query_one("#f-name_zh").value == before.name_zh
        assert form.query_one("#f-line").value == "housekeeping"
        assert form.query_one("#f-partner").value == str(before.partner_id)
        await fill(pilot, name_zh="家政保洁", name_en="Home cleaning")
        form.query_one("#f-line").value = "skills"
        form.query_one("#f-partner").value = str(school.id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        table = app.screen.query_one("#ref-services")
        assert cell_text(table, "JZ01", "name") == "家政保洁"
        assert cell_text(table, "JZ01", "line") == t("line.skills")
        # every partner's name starts 江门市蓬江区: the list leaves it out
        assert cell_text(table, "JZ01", "partner") == school.name.removeprefix("江门市蓬江区")
    after = store.one(Service, Service.code == "JZ01")
    assert (after.name_zh, after.name_en, after.line, after.partner_id) == (
        "家政保洁",
        "Home cleaning",
        "skills",
        school.id,
    )
    assert (after.default_price_fen, after.active) == (before.default_price_fen, True)
    assert store.all(AuditLog, AuditLog.action == "hq_service_edit")


async def test_a_service_edit_without_an_english_name_writes_nothing(central, store) -> None:
    before = store.one(Service, Service.code == "KY01")
    app = make_hq_app(central, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "services")
        await highlight(pilot, "#ref-services", "KY01")
        await pilot.press("e")
        await settle(pilot)
        await fill(pilot, name_zh="理疗", name_en=" ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HqForm)
        assert field_error(app, "name_en") == t("hq.name_required")
    after = store.one(Service, Service.code == "KY01")
    assert (after.name_zh, after.row_version) == (before.name_zh, before.row_version)


async def test_switching_a_partner_off_takes_its_services_off(central, store) -> None:
    clinic = store.one(Partner, Partner.kind == "中医诊所")
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reference(pilot, "partners")
        await highlight(pilot, "#ref-partners", str(clinic.id))
        await pilot.press("d")
        await settle(pilot)
        partners = screen.query_one("#ref-partners")
        assert cell_text(partners, str(clinic.id), "state") == t("hqui.inactive")
        assert store.one(Partner, Partner.id == clinic.id).active is False
        await pilot.press("3")
        await settle(pilot)
        services = screen.query_one("#ref-services")
        for code in ("KY01", "KY02", "KY03"):
            assert cell_text(services, code, "state") == t("hqui.inactive")
        # A new or edited service cannot pick it, and its services stay off while it is.
        await pilot.press("n")
        await settle(pilot)
        offered = {value for _, value in app.screen.partners}
        assert str(clinic.id) not in offered and len(offered) == 2
        await pilot.press("escape")
        await settle(pilot)
        await highlight(pilot, "#ref-services", "KY01")
        await pilot.press("d")
        await settle(pilot)
        assert text_of(app, "#ref-note") == t("hq.partner_inactive", name=clinic.name)
        assert store.one(Service, Service.code == "KY01").active is False
        await pilot.press("4")
        await settle(pilot)
        await highlight(pilot, "#ref-partners", str(clinic.id))
        await pilot.press("d")
        await settle(pilot)
        assert cell_text(partners, str(clinic.id), "state") == t("hqui.active")
    assert store.one(Partner, Partner.id == clinic.id).active is True
    assert not any(s.active for s in store.all(Service, Service.partner_id == clinic.id))
    actions = sorted(a.action for a in store.all(AuditLog, AuditLog.entity_id == clinic.id))
    assert actions == ["hq_partner_off", "hq_partner_on"]


async def test_adding_a_service_and_a_partner(central, store) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "partners")
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, name="江门市蓬江区安康护理站", kind="护理", share="55")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        form = app.screen
        await fill(pilot, code="ky09", name_zh="上门护理", name_en="Home nursing", price="120")
        form.query_one("#f-line").value = "wellness"
        partner = store.one(PartnerAgreement, PartnerAgreement.share_bp == 5500).partner_id
        form.query_one("#f-partner").value = str(partner)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferenceScreen)
        assert cell_text(app.screen.query_one("#ref-services"), "KY09", "price") == "¥120.00"
    service = store.one(Service, Service.code == "KY09")
    assert (service.line, service.default_price_fen, service.partner_id) == (
        "wellness",
        12000,
        partner,
    )


async def test_a_taken_service_code_is_refused_at_the_code(central, store) -> None:
    services = store.count(Service)
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await open_reference(pilot, "services")
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, code="JZ01", name_zh="保洁", name_en="Cleaning")
        app.screen.query_one("#f-line").value = "housekeeping"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "JZ01" in field_error(app, "code")  # hq.code_taken, under the code
        assert isinstance(app.screen, HqForm)
    assert store.count(Service) == services


async def test_keys_follow_the_tab(central) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reference(pilot, "sites")
        shown = {b.binding.id for b in screen.active_bindings.values()}
        keys = {"hq_add", "hq_toggle", "hq_reset_pin", "hq_edit_service"}
        assert "edit" in shown and not keys & shown
        await pilot.press("n", "d", "p", "e")  # nothing on this tab
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("2")
        await settle(pilot)
        shown = {b.binding.id for b in screen.active_bindings.values()}
        assert {"hq_add", "hq_toggle", "hq_reset_pin"} <= shown and "edit" not in shown
        assert "hq_edit_service" not in shown
        await pilot.press("3")
        await settle(pilot)
        shown = {b.binding.id for b in screen.active_bindings.values()}
        assert {"hq_edit_service", "hq_price", "hq_add", "hq_toggle"} <= shown
        await pilot.press("4")
        await settle(pilot)
        shown = {b.binding.id for b in screen.active_bindings.values()}
        assert {"hq_share", "hq_add", "hq_toggle"} <= shown and "hq_edit_service" not in shown


# --- the monthly report -------------------------------------------------------------------------


async def test_the_monthly_report_is_shown_and_exported(central, tmp_path) -> None:
    target = tmp_path / "out" / "november.xlsx"
    target.parent.mkdir()
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, MonthReportScreen)
        table = app.screen.query_one("#month-table")
        assert cell_text(table, "BJ02", "site") == "BJ02 滨江社区"
        assert cell_text(table, "BJ02", "income_fen") == fmt_fen(237300)
        app.screen.query_one("#month-file").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("hq.written", month="2026-11", path=str(target)) in text_of(app, "#month-status")
    book = openpyxl.load_workbook(target)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert {"BJ02", "HS01", "XL04", t("hq.total")} <= set(cells)


async def test_a_bad_month_or_file_is_shown_at_its_field(central, tmp_path) -> None:
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#month").value = "2026-13"
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#month-error").render()) == t("hq.bad_month", value="2026-13")
        screen.query_one("#month").value = "2026-10"
        screen.query_one("#month-file").value = str(tmp_path / "report.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(screen.query_one("#month-file-error").render()) == t("hqui.xlsx_only")
        screen.query_one("#month-file").value = str(tmp_path / "no-folder" / "r.xlsx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(tmp_path / "no-folder") in str(screen.query_one("#month-file-error").render())
        assert "BJ02" in rows_of(screen.query_one("#month-table"))  # the report is still there
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert not list(tmp_path.glob("*.xlsx")) and not (tmp_path / "report.csv").exists()


async def test_the_monthly_report_fits_80_columns_and_enter_opens_a_community(central) -> None:
    from frontdesk.hq.monthly import month_report, parse_month
    from screens.hq.month_detail import MonthDetailScreen

    engine = open_central(str(central))
    report = month_report(engine, parse_month("2026-11"))
    engine.dispose()
    bj02 = next(r for r in report.sites if r.site == "BJ02")
    app = make_hq_app(central, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one("#month-table")
        assert table.fixed_columns == 1  # the names stay while figures scroll
        assert table.virtual_size.width <= table.size.width  # no figure off the right edge
        assert rows_of(table)[-1] == "total"
        table.focus()
        table.move_cursor(row=table.get_row_index("BJ02"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MonthDetailScreen)
        figures = app.screen.query_one("#month-figures")
        lines = {
            str(figures.get_row_at(i)[0]): str(figures.get_row_at(i)[1])
            for i in range(figures.row_count)
        }
        assert lines[t("hq.col_partner_share")] == fmt_fen(bj02.partner_share_fen)
        assert lines[t("hq.col_short")] == fmt_fen(bj02.short_fen)
        assert lines[t("hq.col_closeouts")] == str(bj02.closeouts)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MonthReportScreen)


def rows_of(table) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


# --- pieces -------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["screens.hq_app", "screens.hq.dashboard"])
def test_the_hq_shell_does_not_load_the_database_layer_before_the_first_paint(module) -> None:
    loaded = loaded_after_import(module)
    assert not top_levels(loaded) & {"sqlalchemy", "sqlmodel", "alembic", "openpyxl"}
    assert {m for m in loaded if m.startswith("db.")} <= LIGHT_DB  # plain, no imports of their own


def test_frontdesk_hq_opens_the_tui_on_the_central_store(
    central: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.cli import main
    from frontdesk.i18n import language
    from screens import hq_app

    started = []
    monkeypatch.setattr(hq_app.HqApp, "run", lambda app: started.append((app.url, language())))
    assert main(["--lang", "en", "hq", "--central", str(central)]) == 0
    assert started == [(str(central), "en")]


def test_every_shown_key_of_the_hq_screens_has_a_name() -> None:
    from frontdesk.i18n.strings import CATALOGUE
    from screens.hq_app import HqApp

    for cls in (HqApp, DashboardScreen, SiteScreen, ReferenceScreen, MonthReportScreen, HqForm):
        for binding in cls.BINDINGS:
            if not binding.system:
                assert binding.id and f"key.{binding.id}" in CATALOGUE, (cls.__name__, binding)


def test_columns_give_way_on_a_narrow_terminal(template: Path) -> None:
    engine = open_central(str(template))
    try:
        figures = overview(engine, TODAY)
    finally:
        engine.dispose()
    headers = {key: t(f"hqui.col_{key}") for key in site_cells(figures[0], NOW)}
    cells = [site_cells(f, NOW) for f in figures]
    narrow, wide = columns_that_fit(headers, cells, 76), columns_that_fit(headers, cells, 200)
    assert {"site", "sync", "today", "month", "unclosed", "unverified"} <= set(narrow)
    assert "wages" not in narrow and len(wide) == len(headers)


def test_chart_and_number_helpers() -> None:
    assert [percent_text(bp) for bp in (2000, 1250, 2225, 5)] == ["20%", "12.5%", "22.25%", "0.05%"]
    assert y_scale(0) == (1, 1)
    assert y_scale(123_456) == (1500, 500)  # ¥1,234.56: ticks 0, 500, 1,000, 1,500
    assert y_scale(29_000) == (300, 100)
    figures = [
        _figures(code, fen) for code, fen in [("A", 5), ("B", 0), ("C", 9), ("D", 1), ("E", 7)]
    ]
    assert chart_sites(figures, "B", top=2) == ["C", "E", "B"]
    assert chart_sites(figures, "C", top=2) == ["C", "E"]


def _figures(code: str, month_fen: int):
    from frontdesk.hq.figures import SiteFigures

    return SiteFigures(code, code, month_fen=month_fen)


# --- close-outs changed behind the triggers (issue 13) ----------------------------------------

HS01_ENTRY = (
    "UPDATE payments SET amount_fen = amount_fen + 500 WHERE id = (SELECT id FROM payments "
    "WHERE site_code = 'HS01' AND business_date = '2026-11-10' ORDER BY id LIMIT 1)"
)
BJ02_CLOSEOUT = (
    "UPDATE closeouts SET note = '改过' WHERE site_code = 'BJ02' AND business_date = '2026-11-05'"
)


def tamper_central(central: Path) -> None:
    """An entry of HS01's closed 11-10 and BJ02's close-out of 11-05, changed in the store's
    file with the guarding triggers off and back on again."""
    from tests.test_check import tamper_file

    tamper_file(central, "payments", HS01_ENTRY)
    tamper_file(central, "closeouts", BJ02_CLOSEOUT)


async def test_a_close_out_changed_centrally_turns_its_community_red(central) -> None:
    tamper_central(central)
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites")
        assert table.get_cell("HS01", "site").style == "red"  # all well before (see above)
        assert cell_text(table, "HS01", "unverified") == "1"
        assert cell_text(table, "BJ02", "unverified") == "1"
        await highlight(pilot, "#sites", "HS01")
        note = text_of(app, "#site-note")
        assert t("hqui.why_figures", days="11-10") in note
        assert t("hqui.why_unverified", count=1) not in note  # nothing is still on its way
        await highlight(pilot, "#sites", "BJ02")
        assert t("hqui.why_chain", days="11-05") in text_of(app, "#site-note")
        await pilot.press("enter")
        await settle(pilot)
        closeouts = app.screen.query_one("#closeouts")
        states = {row.value: cell_text(closeouts, row.value, "state") for row in closeouts.rows}
        assert states == {
            "2026-11-05": t("hqui.chain_broken"),
            "2026-11-12": t("hqui.verified"),
            "2026-11-18": t("hqui.verified"),
        }
        assert closeouts.get_cell("2026-11-05", "state").style == "red"
        assert t("hqui.why_chain", days="11-05") in text_of(app, "#site-alert")


async def test_f5_verifies_the_close_outs_again(central) -> None:
    """The minute's refresh reuses the last verification while it holds; F5 redoes it."""
    app = make_hq_app(central)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites")
        assert table.get_cell("HS01", "site").style != "red"
        tamper_central(central)
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#sites")
        assert table.get_cell("HS01", "site").style == "red"
        assert cell_text(table, "BJ02", "unverified") == "1"
