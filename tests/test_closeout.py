"""Daily close-out: figures, over/short, splits, one transaction, immutability, adjustments."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text, update
from sqlmodel import select

from db.migrate import StoreError
from db.models import Closeout, Outbox, Payment, Service, Staff, WalkIn
from db.session import reading, writing
from frontdesk.domain.money import METHODS, split
from frontdesk.errors import UserError
from frontdesk.services import closeout, walkins
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import AdjustmentInput, CloseInput
from frontdesk.services.walkins import WalkInInput
from tests.conftest import FIXED_NOW, MANAGER_PIN

TODAY = date(2026, 11, 26)
YESTERDAY = FIXED_NOW - timedelta(days=1)
CEILING = 2_000_000


@pytest.fixture
def ctx(desk):
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
        services = {svc.code: svc.id for svc in s.exec(select(Service))}
    return engine, Actor("HS01", clerk), manager, services


def log(engine, actor, service_id, amount="", method="", at=FIXED_NOW):
    raw = WalkInInput(service_id, amount=amount, method=method, started_at=at)
    return walkins.log_walkin(engine, actor, raw, FIXED_NOW, CEILING)


# --- arithmetic ------------------------------------------------------------------------------


@given(st.integers(-(10**12), 10**12), st.integers(0, 10_000))
def test_split_rounds_as_decimal_half_up_does(amount: int, rate_bp: int) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(amount) * Decimal(rate_bp) / Decimal(10000)
    assert split(amount, rate_bp) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_split_rounds_half_up_once() -> None:
    assert split(4500, 7000) == 3150
    assert split(4999, 7000) == 3499  # 3499.3
    assert split(5, 5000) == 3  # 2.5 -> 3
    assert split(-5, 5000) == -3  # a reversal mirrors its original exactly


@given(st.lists(st.tuples(st.integers(-500_000, 500_000), st.integers(0, 10_000)), max_size=60))
def test_parts_always_sum_to_the_whole(lines) -> None:
    income = sum(a for a, _ in lines)
    shares = sum(split(a, bp) for a, bp in lines)
    proceeds = income - shares
    assert shares + proceeds == income
    for amount, bp in lines:  # each share within half a fen of the exact value
        assert abs(split(amount, bp) * 10000 - amount * bp) <= 5000


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.lists(
        st.tuples(
            st.sampled_from(["JZ01", "KY01", "JN03", "WG03"]),
            st.integers(1, 200_000),
            st.sampled_from(METHODS),
        ),
        max_size=12,
    ),
    counted=st.dictionaries(st.sampled_from(METHODS), st.integers(0, 5_000_000)),
)
def test_random_days(tmp_path_factory, entries, counted) -> None:
    """Expected = sum per method; over and short per method, never netted; splits exact."""
    from db.migrate import open_store
    from tests.db_templates import built, copy_sqlite

    made = built("closeout-manager-only", _manager_only_desk) / "d.sqlite3"
    engine, _ = open_store(copy_sqlite(made, tmp_path_factory.mktemp("day") / "d.sqlite3"))
    with reading(engine) as s:
        staff = s.exec(select(Staff.id)).one()
        svc = {x.code: x.id for x in s.exec(select(Service))}
    actor = Actor("HS01", staff)
    # Cash is taken in whole jiao (domain/money.check_cash_jiao).
    entries = [(c, max(10, f - f % 10) if m == "cash" else f, m) for c, f, m in entries]
    for code, fen, method in entries:
        log(engine, actor, svc[code], f"{fen // 100}.{fen % 100:02d}", method)
    expected = {m: sum(f for _, f, mm in entries if mm == m) for m in METHODS}
    every = {m: counted.get(m, 0) for m in METHODS}  # a method not drawn: counted as 0
    report = closeout.close_day(
        engine,
        actor,
        CloseInput(TODAY, every, note="点数", manager_id=staff, pin=MANAGER_PIN),
        FIXED_NOW,
    )
    engine.dispose()
    assert report.expected_fen == expected and report.income_fen == sum(expected.values())
    for m in METHODS:
        assert report.over_short_fen[m] == counted.get(m, 0) - expected[m]
    assert report.over_fen == sum(max(0, counted.get(m, 0) - expected[m]) for m in METHODS)
    assert report.short_fen == sum(min(0, counted.get(m, 0) - expected[m]) for m in METHODS)
    assert report.partner_share_fen + report.community_proceeds_fen == report.income_fen
    assert report.rebate_fen == split(report.community_proceeds_fen, 2000)


def _manager_only_desk(folder: Path) -> None:
    """A new desk with its manager only (copied for each example of test_random_days)."""
    from frontdesk.services.desk import DeskSetup, init_desk

    setup = DeskSetup("HS01", "白沙社区", "陈主任", MANAGER_PIN)
    init_desk(folder / "d.sqlite3", setup).dispose()


# --- closing ----------------------------------------------------------------------------------


def test_x_report_then_close_with_exact_counts(ctx) -> None:
    engine, actor, _, svc = ctx
    closeout.open_day(engine, actor, TODAY, 50000, FIXED_NOW)
    log(engine, actor, svc["JZ01"], "135", "cash")  # housekeeping partner 70 %
    log(engine, actor, svc["KY01"], "68", "wechat")  # clinic 60 %
    log(engine, actor, svc["LG04"])  # free
    x = closeout.x_report(engine, "HS01", TODAY)
    assert not x.closed and x.entries == 2 and x.walkins == 3
    assert x.expected_fen["cash"] == 50000 + 13500 and x.expected_fen["wechat"] == 6800
    assert x.partner_share_fen == 9450 + 4080 and x.community_proceeds_fen == 20300 - 13530
    assert x.rebate_fen == split(6770, 2000) == 1354
    z = closeout.close_day(
        engine, actor, CloseInput(TODAY, {"cash": 63500, "wechat": 6800}), FIXED_NOW
    )
    assert z.closed and z.over_short_fen == {m: 0 for m in METHODS} and z.hash
    with reading(engine) as s:
        row = s.exec(select(Closeout)).one()
        seq_max = max(s.exec(select(Outbox.seq)))
    assert row.outbox_seq == seq_max - 2  # covers every entry; its own rows come after
    assert closeout.day_report(engine, "HS01", TODAY).hash == row.hash


def test_cash_by_denomination_and_over_short_never_net(ctx) -> None:
    engine, actor, manager, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash")
    log(engine, actor, svc["JZ01"], "45", "alipay")
    count = {5000: 1, 100: 2}  # 52 yuan in the drawer: 7 over on cash
    raw = CloseInput(
        TODAY,
        {"alipay": 3500},
        cash_count=count,
        note="支付宝少收",
        manager_id=manager,
        pin=MANAGER_PIN,
    )
    z = closeout.close_day(engine, actor, raw, FIXED_NOW)
    assert z.counted_fen["cash"] == 5200
    assert z.over_short_fen["cash"] == 700 and z.over_short_fen["alipay"] == -1000
    assert (z.over_fen, z.short_fen) == (700, -1000)  # reported apart, not as -300


def test_difference_beyond_tolerance_needs_a_manager_and_a_note(ctx) -> None:
    engine, actor, manager, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash")
    short = CloseInput(TODAY, {"cash": 4000})
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, short, FIXED_NOW)
    assert err.value.code == "closeout.needs_manager"
    short.manager_id = manager
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, short, FIXED_NOW)
    assert err.value.code == "closeout.needs_note"
    short.note, short.pin = "找零给错", "0000"
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, short, FIXED_NOW)
    assert err.value.code == "signin.wrong_pin"
    with reading(engine) as s:
        assert s.exec(select(Closeout)).all() == []
    short.pin = MANAGER_PIN
    assert closeout.close_day(engine, actor, short, FIXED_NOW).over_short_fen["cash"] == -500


def test_a_blank_count_is_never_taken_as_zero(ctx) -> None:
    """Every method with money expected needs its count; an explicit 0 is one."""
    from frontdesk.domain.forms import FormErrors

    engine, actor, manager, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash")
    log(engine, actor, svc["KY01"], "68", "wechat")
    with pytest.raises(FormErrors) as err:
        closeout.close_day(engine, actor, CloseInput(TODAY, {"alipay": 0}), FIXED_NOW)
    found = {(e.code, e.field, e.params["amount"]) for e in err.value.errors}
    assert found == {
        ("closeout.count_missing", "cash", "¥45.00"),
        ("closeout.count_missing", "wechat", "¥68.00"),
    }
    with reading(engine) as s:
        assert s.exec(select(Closeout)).all() == []  # nothing half-written
    # An explicit zero is a count: a short beyond the tolerance, which a manager approves.
    raw = CloseInput(
        TODAY, {"cash": 4500, "wechat": 0}, note="微信未到账", manager_id=manager, pin=MANAGER_PIN
    )
    z = closeout.close_day(engine, actor, raw, FIXED_NOW)
    assert z.over_short_fen["wechat"] == -6800 and z.counted_fen["alipay"] == 0


def test_a_count_beyond_the_configured_ceiling_is_refused_at_its_field(ctx) -> None:
    from frontdesk.domain.forms import FormErrors

    engine, actor, _, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash")
    ceiling = 2_000_000  # the configured ¥20,000, not a fixed ¥1,000,000
    slip = CloseInput(TODAY, {"cash": 4500, "wechat": 2_000_001})
    with pytest.raises(FormErrors) as err:
        closeout.close_day(engine, actor, slip, FIXED_NOW, ceiling)
    assert [(e.code, e.field) for e in err.value.errors] == [("closeout.count_too_large", "wechat")]
    assert err.value.errors[0].params["ceiling"] == "¥20,000.00"
    by_notes = CloseInput(TODAY, {}, cash_count={10000: 201})  # ¥20,100 in hundreds
    with pytest.raises(FormErrors) as err:
        closeout.close_day(engine, actor, by_notes, FIXED_NOW, ceiling)
    assert err.value.errors[0].field == "cash"
    z = closeout.close_day(engine, actor, CloseInput(TODAY, {"cash": 4500}), FIXED_NOW, ceiling)
    assert z.closed


def test_money_expected_beyond_the_ceiling_can_be_counted() -> None:
    """A day whose takings pass the ceiling can still close; an extra digit still cannot."""
    ceiling = 2_000_000
    assert closeout.count_ceiling(4500, ceiling) == ceiling
    assert closeout.count_ceiling(2_500_000, ceiling) == 4_500_000
    expected = {"cash": 2_500_000}
    assert closeout.complete_counts(expected, {"cash": 2_500_100}, ceiling)["cash"] == 2_500_100
    with pytest.raises(UserError) as err:
        closeout.complete_counts(expected, {"cash": 25_000_000}, ceiling)
    assert err.value.code == "closeout.count_too_large" and err.value.field == "cash"


def test_no_entries_closes_to_zero_and_never_twice(ctx) -> None:
    engine, actor, _, _ = ctx
    z = closeout.close_day(engine, actor, CloseInput(TODAY, {}), FIXED_NOW)
    assert z.income_fen == 0 and z.entries == 0 and z.rebate_fen == 0
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, CloseInput(TODAY, {}), FIXED_NOW)
    assert err.value.code == "closeout.already"
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, CloseInput(TODAY + timedelta(days=1), {}), FIXED_NOW)
    assert err.value.code == "closeout.future"


def test_hashes_chain_and_tampering_shows(ctx) -> None:
    engine, actor, _, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash", at=YESTERDAY)
    first = closeout.close_day(
        engine, actor, CloseInput(TODAY - timedelta(days=1), {"cash": 4500}), FIXED_NOW
    )
    second = closeout.close_day(engine, actor, CloseInput(TODAY, {}), FIXED_NOW)
    assert second.prev_hash == first.hash and closeout.verify_chain(engine, "HS01") == []


def test_unclosed_days_are_found(ctx) -> None:
    engine, actor, _, svc = ctx
    log(engine, actor, svc["LG04"], at=YESTERDAY - timedelta(days=2))
    log(engine, actor, svc["LG04"], at=YESTERDAY)
    assert closeout.unclosed_days(engine, "HS01", TODAY) == [
        TODAY - timedelta(days=3),
        TODAY - timedelta(days=1),
    ]
    closeout.close_day(engine, actor, CloseInput(TODAY - timedelta(days=1), {}), FIXED_NOW)
    assert closeout.unclosed_days(engine, "HS01", TODAY) == [TODAY - timedelta(days=3)]


# --- immutability through every write path ---------------------------------------------------


@pytest.fixture
def closed_day(ctx):
    engine, actor, manager, svc = ctx
    logged = log(engine, actor, svc["JZ01"], "45", "cash", at=YESTERDAY)
    closeout.close_day(
        engine, actor, CloseInput(TODAY - timedelta(days=1), {"cash": 4500}), FIXED_NOW
    )
    return engine, actor, manager, svc, logged


def test_service_layer_refuses_with_a_clear_message(closed_day) -> None:
    engine, actor, _, svc, logged = closed_day
    # The service says so in words, at the date, before the database trigger would: money
    # for a closed day is an adjustment (a free visit dated then is still logged).
    with pytest.raises(UserError) as err:
        log(engine, actor, svc["JZ01"], "45", "cash", at=YESTERDAY)
    assert (err.value.code, err.value.field) == ("walkin.day_closed", "date")
    assert not isinstance(err.value, StoreError)
    # Editing the closed entry itself is refused (a void books a reversal today instead).
    with pytest.raises(StoreError), writing(engine) as s:
        s.get(WalkIn, logged.walkin.id).outcome = "改"
    with pytest.raises(UserError) as err:
        closeout.open_day(engine, actor, TODAY - timedelta(days=1), 100, FIXED_NOW)
    assert err.value.code == "closeout.day_closed"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payments SET amount_fen = 1, row_version = row_version + 1",
        "UPDATE walkins SET headcount = 9, row_version = row_version + 1",
        "UPDATE closeouts SET income_fen = 1, row_version = row_version + 1",
        "INSERT INTO payments (id, site_code, created_at, updated_at, row_version, "
        "business_date, received_at, amount_fen, method, service_id, staff_id, reason) "
        "SELECT 'ffffffffffff7fff8fffffffffffffff', site_code, created_at, updated_at, 1, "
        "business_date, received_at, 100, 'cash', service_id, staff_id, '' FROM payments",
    ],
)
def test_database_triggers_refuse_raw_sql(closed_day, sql) -> None:
    engine = closed_day[0]
    with pytest.raises(Exception, match="business day closed"), engine.begin() as conn:
        conn.execute(text(sql))


def test_core_update_is_refused_too(closed_day) -> None:
    engine = closed_day[0]
    with pytest.raises(StoreError), writing(engine) as s:
        s.execute(update(Payment).values(amount_fen=1, row_version=Payment.row_version + 1))


def test_void_of_a_closed_entry_books_a_reversal_today(closed_day) -> None:
    engine, actor, manager, _, logged = closed_day
    rev = walkins.void_walkin(
        engine, actor, logged.walkin.id, "收错", FIXED_NOW, manager, MANAGER_PIN
    )
    assert rev.payment.business_date == TODAY and rev.payment.amount_fen == -4500
    today = closeout.day_report(engine, "HS01", TODAY)  # an adjustment linked to the closed day
    assert today.adjustments_fen == -4500
    closed = closeout.day_report(engine, "HS01", TODAY - timedelta(days=1))
    assert [a.amount_fen for a in closed.adjustments_later] == [-4500]


def test_adjustment_for_a_closed_day_shows_on_both_reports(closed_day) -> None:
    engine, actor, _, svc, _ = closed_day
    late = AdjustmentInput(TODAY - timedelta(days=1), svc["JZ01"], 9000, "wechat", "漏登")
    pay = closeout.add_adjustment(engine, actor, late, FIXED_NOW)
    assert pay.business_date == TODAY
    today = closeout.day_report(engine, "HS01", TODAY)
    assert today.adjustments_fen == 9000 and today.income_by_method["wechat"] == 9000
    closed = closeout.day_report(engine, "HS01", TODAY - timedelta(days=1))
    assert closed.income_fen == 4500 and [a.amount_fen for a in closed.adjustments_later] == [9000]
    with pytest.raises(UserError) as err:
        closeout.add_adjustment(
            engine, actor, AdjustmentInput(TODAY, svc["JZ01"], 100, "cash", "x"), FIXED_NOW
        )
    assert err.value.code == "closeout.not_closed"


def test_closing_a_forgotten_earlier_day_later_keeps_the_chain(ctx) -> None:
    engine, actor, _, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash", at=YESTERDAY)
    closeout.close_day(engine, actor, CloseInput(TODAY, {}), FIXED_NOW)
    closeout.close_day(
        engine,
        actor,
        CloseInput(TODAY - timedelta(days=1), {"cash": 4500}),
        FIXED_NOW + timedelta(minutes=5),
    )
    assert closeout.verify_chain(engine, "HS01") == []


def test_an_altered_close_out_is_caught(ctx) -> None:
    engine, actor, _, svc = ctx
    log(engine, actor, svc["JZ01"], "45", "cash")
    closeout.close_day(engine, actor, CloseInput(TODAY, {"cash": 4500}), FIXED_NOW)
    with engine.begin() as conn:  # someone edits the file around the triggers
        conn.execute(text("DROP TRIGGER fd_closeouts_frozen"))
        conn.execute(text("UPDATE closeouts SET income_fen = 1, row_version = row_version + 1"))
    assert closeout.verify_chain(engine, "HS01") == [TODAY]


def test_z_report_keeps_the_locked_partner_lines(ctx) -> None:
    engine, actor, _, svc = ctx
    log(engine, actor, svc["JZ01"], "100", "cash")
    closeout.close_day(engine, actor, CloseInput(TODAY, {"cash": 10000}), FIXED_NOW)
    with engine.begin() as conn:  # head office changes the share afterwards
        conn.execute(
            text("UPDATE partner_agreements SET share_bp = 1000, row_version = row_version + 1")
        )
    z = closeout.day_report(engine, "HS01", TODAY)
    assert [(p.income_fen, p.share_fen) for p in z.partners] == [(10000, 7000)]
    assert z.income_by_method["cash"] == 10000 and z.walkins == 1


# --- the site's tolerance -------------------------------------------------------------------


def set_tolerance(engine, fen: int) -> None:
    from db.models import Site

    with writing(engine) as s:
        site = s.exec(select(Site).where(Site.code == "HS01")).one()
        site.closeout_tolerance_fen = fen
        s.add(site)


@pytest.mark.parametrize("counted", [4200, 4800, 4000])  # short ¥3, over ¥3, short ¥5 exactly
def test_a_difference_within_the_tolerance_closes_without_a_manager(ctx, counted) -> None:
    engine, actor, _, svc = ctx
    set_tolerance(engine, 500)
    log(engine, actor, svc["JZ01"], "45", "cash")
    assert not closeout.needs_approval(engine, "HS01", {"cash": counted - 4500})
    z = closeout.close_day(engine, actor, CloseInput(TODAY, {"cash": counted}), FIXED_NOW)
    assert z.over_short_fen["cash"] == counted - 4500  # recorded all the same, never dropped
    with reading(engine) as s:
        row = s.exec(select(Closeout)).one()
    assert row.approved_by is None and row.note == ""


def test_a_difference_beyond_the_tolerance_needs_the_pin_and_a_note(ctx) -> None:
    engine, actor, manager, svc = ctx
    set_tolerance(engine, 500)
    log(engine, actor, svc["JZ01"], "45", "cash")
    log(engine, actor, svc["KY01"], "68", "wechat")
    # ¥6 short on cash; WeChat ¥3 over stays within and cannot offset it (never netted).
    raw = CloseInput(TODAY, {"cash": 3900, "wechat": 7100})
    assert closeout.needs_approval(engine, "HS01", {"cash": -600, "wechat": 300})
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, raw, FIXED_NOW)
    assert (err.value.code, err.value.field) == ("closeout.needs_manager", "manager")
    raw.manager_id, raw.pin = manager, MANAGER_PIN
    with pytest.raises(UserError) as err:
        closeout.close_day(engine, actor, raw, FIXED_NOW)
    assert (err.value.code, err.value.field) == ("closeout.needs_note", "note")
    with reading(engine) as s:
        assert s.exec(select(Closeout)).all() == []
    raw.note = "找零给错"
    z = closeout.close_day(engine, actor, raw, FIXED_NOW)
    assert z.over_short_fen["cash"] == -600 and z.over_short_fen["wechat"] == 300
    with reading(engine) as s:
        row = s.exec(select(Closeout)).one()
    assert row.approved_by == manager and row.note == "找零给错"


def test_adjustment_refusals_say_what_is_missing(closed_day) -> None:
    engine, actor, _, svc, _ = closed_day
    yesterday = TODAY - timedelta(days=1)
    cases = [
        (AdjustmentInput(yesterday, svc["JZ01"], 100, "cash", " "), "closeout.adjust_reason"),
        (AdjustmentInput(yesterday, svc["JZ01"], 0, "cash", "漏登"), "closeout.adjust_zero"),
        (AdjustmentInput(yesterday, svc["JZ01"], 100, "cash", "长" * 201), "seeker.text_long"),
    ]
    for raw, code in cases:
        with pytest.raises(UserError) as err:
            closeout.add_adjustment(engine, actor, raw, FIXED_NOW)
        assert err.value.code == code
    assert closeout.last_closed_day(engine, "HS01") == yesterday
    assert closeout.day_report(engine, "HS01", yesterday).adjustments_later == []
