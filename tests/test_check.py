"""`frontdesk check` and head office's verification: the close-out chain and each closed
day's figures against its entries (issue 13, point 3), the outbox indexed and pruned, and
every check in linear time (point 5).

A tamperer here is someone with the database file or an admin login: the guarding triggers
come off, the row changes, the triggers go back on, so only the close-out check can tell.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import select as orm_select

from db.engine import make_engine
from db.migrate import open_store
from db.models import Closeout, Outbox, PartnerAgreement, Person, Service, SyncState
from db.outbox import RETENTION, prune
from db.session import reading, writing
from db.types import utcnow
from frontdesk.hq.figures import overview
from frontdesk.i18n import set_language
from frontdesk.services import closeout
from frontdesk.services.closeout import AdjustmentInput, closeout_hash
from frontdesk.services.desk import DeskSetup, init_desk
from frontdesk.services.maintenance import check, check_queries
from frontdesk.sync.verify import check_closeouts
from tests.cli_support import run_cli
from tests.db_templates import built, copy_sqlite
from tests.sync_support import (
    DAY_ONE,
    PIN,
    actor_of,
    new_desk,
    paid_day,
    register_people,
    sync,
)

ROOT = Path(__file__).resolve().parent.parent
DAY_1 = date(2026, 11, 20)  # DAY_ONE's business date
DAY_2 = date(2026, 11, 21)
LATER = utcnow() + RETENTION + timedelta(days=1)  # every acknowledged entry is past it


# --- helpers ---------------------------------------------------------------------------------


def closed_days(engine: Engine, site: str = "HS01") -> None:
    """Two closed days opened with a float: six entries on the first; four on the second,
    with an adjustment booked that day for the first (a late entry)."""
    actor = actor_of(engine, site)
    closeout.open_day(engine, actor, DAY_1, 50_000, DAY_ONE)
    paid_day(engine, site, DAY_ONE, 6, close=True)
    with reading(engine) as s:
        service = s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
    day_two = DAY_ONE + timedelta(days=1)
    late = AdjustmentInput(DAY_1, service.id, 4500, "wechat", "漏记")
    closeout.add_adjustment(engine, actor, late, day_two)
    paid_day(engine, site, day_two, 4, close=True)


def tamper_file(path: Path, table: str, *statements: str) -> None:
    """As someone with the file: the table's triggers off, the change, the triggers back."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            saved = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                (table,),
            ).fetchall()
            for name, _ in saved:
                conn.execute(f"DROP TRIGGER {name}")
            for stmt in statements:
                conn.execute(stmt)
            for _, sql in saved:
                conn.execute(sql)
    finally:
        conn.close()


def tamper_store(url: str, engine: Engine, table: str, *statements: str) -> None:
    """The same at a central store: a SQLite file, or PostgreSQL as its admin."""
    if not url.startswith("postgresql"):
        engine.dispose()
        tamper_file(Path(url), table, *statements)
        return
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
        for stmt in statements:
            conn.execute(text(stmt))
        conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER ALL"))


def first_payment(day: date) -> str:
    return (
        f"(SELECT id FROM payments WHERE business_date = '{day.isoformat()}' "
        "AND reason = '' ORDER BY id LIMIT 1)"
    )


def cli_check(path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("check", "--db", str(path), lang="en")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    """A desk with closed days: a copy of one built once per process."""
    made = built("check-desk", _closed_desk) / "desk.sqlite3"
    path = copy_sqlite(made, tmp_path / "desk.sqlite3")
    engine, _ = open_store(path)
    yield engine, path
    engine.dispose()


def _closed_desk(folder: Path) -> None:
    engine = init_desk(folder / "desk.sqlite3", DeskSetup("HS01", "白沙社区", "陈主任", PIN))
    closed_days(engine)
    engine.dispose()


# --- point 3 at the desk ----------------------------------------------------------------------

PAYMENT_COLUMNS = (
    "id, site_code, created_at, updated_at, row_version, deleted_at, business_date, "
    "received_at, amount_fen, method, service_id, partner_id, walkin_id, gig_order_id, "
    "staff_id, reverses_id, reason"
)
TAMPERING = {
    # name: (table, statements, the day named, words of the problem, the only problem)
    "an entry's amount": (
        "payments",
        [f"UPDATE payments SET amount_fen = amount_fen + 500 WHERE id = {first_payment(DAY_1)}"],
        DAY_1,
        ["income ¥", "expected "],
        True,
    ),
    "an entry added": (
        "payments",
        [
            f"INSERT INTO payments ({PAYMENT_COLUMNS}) SELECT 'f' || substr(id, 2), "
            + PAYMENT_COLUMNS.split(", ", 1)[1]
            + f" FROM payments WHERE id = {first_payment(DAY_2)}"
        ],
        DAY_2,
        ["entries 5 at the close, 6 from the entries"],
        False,  # the new row has no outbox entry either
    ),
    "an entry deleted": (
        "payments",
        [f"DELETE FROM payments WHERE id = {first_payment(DAY_2)}"],
        DAY_2,
        ["entries 5 at the close, 4 from the entries"],
        False,  # its outbox entries now name a missing row
    ),
    "the opening float": (
        "business_days",
        [f"UPDATE business_days SET opening_float_fen = 99900 WHERE business_date = '{DAY_1}'"],
        DAY_1,
        ["opening float ¥"],
        True,
    ),
    "an adjustment": (
        "adjustments",
        ["UPDATE adjustments SET amount_fen = 999999"],
        DAY_2,
        ["adjustments ¥45.00 at the close, ¥9,999.99 from the entries"],
        True,
    ),
    "a close-out's figure": (
        "closeouts",
        [f"UPDATE closeouts SET income_fen = income_fen - 100 WHERE business_date = '{DAY_1}'"],
        DAY_1,
        ["changed after closing", "income ¥"],
        True,
    ),
    "a close-out's hash": (
        "closeouts",
        [f"UPDATE closeouts SET hash = '{'0' * 64}' WHERE business_date = '{DAY_1}'"],
        DAY_1,
        ["changed after closing"],
        True,
    ),
    "a close-out removed": (
        "closeouts",
        [f"DELETE FROM closeouts WHERE business_date = '{DAY_1}'"],
        DAY_2,
        ["does not follow the close-out before it"],
        False,
    ),
}


@pytest.mark.parametrize("case", TAMPERING, ids=list(TAMPERING))
def test_check_names_a_closed_day_changed_behind_the_triggers(desk, case: str) -> None:
    _, path = desk
    set_language("en")
    assert check(path) == []
    table, statements, day, words, alone = TAMPERING[case]
    tamper_file(path, table, *statements)
    problems = [p for p in check(path) if day.isoformat() in p]
    assert problems, check(path)
    for word in words:
        assert any(word in p for p in problems), (word, problems)
    if alone:  # nothing else is wrong with the file: the close-out check alone tells
        assert all("Close-out of" in p for p in check(path)), check(path)


def test_a_rehashed_close_out_still_differs_from_its_entries_and_breaks_the_link(desk) -> None:
    """An attacker who also works the hash out again: the figures differ from the entries,
    and the next close-out no longer follows it."""
    engine, path = desk
    with reading(engine) as s:
        first = s.exec(orm_select(Closeout).where(Closeout.business_date == DAY_1)).one()
    first.income_fen -= 100
    first.community_proceeds_fen -= 100
    rehashed = closeout_hash(first)
    engine.dispose()
    tamper_file(
        path,
        "closeouts",
        f"UPDATE closeouts SET income_fen = {first.income_fen}, community_proceeds_fen = "
        f"{first.community_proceeds_fen}, hash = '{rehashed}' WHERE business_date = '{DAY_1}'",
    )
    out = cli_check(path)
    assert out.returncode == 1
    assert f"Close-out of {DAY_1} differs from the day's entries: " in out.stderr
    assert f"Close-out of {DAY_1} was changed" not in out.stderr  # its own hash fits
    assert f"Close-out of {DAY_2} does not follow the close-out before it" in out.stderr


def test_the_cli_exits_1_naming_the_day(desk) -> None:
    _, path = desk
    assert cli_check(path).returncode == 0
    tamper_file(
        path,
        "payments",
        f"UPDATE payments SET method = 'ecny' WHERE id = {first_payment(DAY_2)}",
    )
    out = cli_check(path)
    assert out.returncode == 1
    assert f"Close-out of {DAY_2} differs from the day's entries: " in out.stderr
    assert "expected e-CNY ¥0.00 at the close, ¥30.50 from the entries" in out.stderr


def test_a_share_set_later_from_an_earlier_date_is_not_taken_for_tampering(desk) -> None:
    """Head office may set a share from a past date; a closed day keeps the share it was
    closed with, so its stored share stands (hq.reference.set_share)."""
    engine, path = desk
    with writing(engine) as s:
        service = s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
        s.add(
            PartnerAgreement(
                site_code="HQ",
                partner_id=service.partner_id,
                share_bp=9000,
                valid_from=DAY_1 - timedelta(days=30),
            )
        )
    engine.dispose()
    assert check(path) == []


# --- point 3 at head office -------------------------------------------------------------------


def synced_site(central, tmp_path: Path) -> Engine:
    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    closed_days(desk)
    sync(desk, site_url)
    return desk


@pytest.mark.parametrize(
    ("table", "statement", "day", "state"),
    [
        (
            "payments",
            f"UPDATE payments SET amount_fen = amount_fen + 500 WHERE id = {first_payment(DAY_1)}",
            DAY_1,
            "differs",
        ),
        ("adjustments", "UPDATE adjustments SET amount_fen = 999999", DAY_2, "differs"),
        (
            "closeouts",
            f"UPDATE closeouts SET note = 'x' WHERE business_date = '{DAY_1}'",
            DAY_1,
            "altered",
        ),
        ("closeouts", f"DELETE FROM closeouts WHERE business_date = '{DAY_1}'", DAY_2, "altered"),
    ],
    ids=["entry", "adjustment", "close-out", "removed"],
)
def test_head_office_finds_a_close_out_its_arrived_entries_do_not_bear_out(
    central, tmp_path: Path, table: str, statement: str, day: date, state: str
) -> None:
    url, hq = central
    desk = synced_site(central, tmp_path)
    desk.dispose()
    assert all(c.verified for c in check_closeouts(hq)) and len(check_closeouts(hq)) == 2
    tamper_store(url, hq, table, statement)
    checks = {c.day: c for c in check_closeouts(hq)}
    assert not checks[day].verified
    assert getattr(checks[day], state)
    others = [c for d, c in checks.items() if d != day]
    assert all(c.verified for c in others)
    (site,) = [f for f in overview(hq, DAY_2) if f.site == "HS01"]
    assert getattr(site, state if state == "altered" else "differing") == [day]
    assert site.unverified == 1


def test_head_office_names_what_differs(central, tmp_path: Path) -> None:
    url, hq = central
    synced_site(central, tmp_path).dispose()
    tamper_store(
        url,
        hq,
        "payments",
        f"UPDATE payments SET amount_fen = amount_fen + 500 WHERE id = {first_payment(DAY_1)}",
    )
    (found,) = [c for c in check_closeouts(hq) if c.day == DAY_1]
    figures = {d.figure for d in found.differences}
    assert {"income", "expected", "over_short", "proceeds", "rebate"} <= figures
    assert found.hash_ok and found.link_ok  # the close-out itself is as it was


# --- point 5: the outbox pruned, recovery and coverage kept -------------------------------------


def outbox_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Outbox)).scalar_one()


def edit_people(engine: Engine, note: str) -> None:
    with writing(engine) as s:
        for person in s.exec(orm_select(Person)):
            person.notes = note


def test_pruning_keeps_each_rows_newest_entry_and_everything_after_the_mark(
    central, tmp_path: Path
) -> None:
    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 5)
    sync(desk, site_url)
    edit_people(desk, "one")
    edit_people(desk, "two")
    sync(desk, site_url)
    edit_people(desk, "three")  # not pushed yet
    with desk.connect() as conn:
        mark = conn.execute(select(SyncState.last_acked_seq)).scalar_one()
        before = conn.execute(select(Outbox.seq, Outbox.table_name, Outbox.row_id)).all()
    assert prune(desk, utcnow()) == 0  # nothing is older than the retention yet
    removed = prune(desk, LATER)
    assert removed > 0
    with desk.connect() as conn:
        kept = {seq for (seq,) in conn.execute(select(Outbox.seq))}
        unacked = set(conn.execute(select(Outbox.seq).where(Outbox.acked_at.is_(None))).scalars())
    newest: dict[tuple, int] = {}
    for seq, name, row in before:
        newest[(name, row)] = max(seq, newest.get((name, row), 0))
    assert set(newest.values()) <= kept  # each row's newest entry
    assert {seq for seq, *_ in before if seq >= mark} <= kept  # the mark and after it
    assert unacked and unacked <= kept
    assert len(kept) == len(before) - removed
    desk.dispose()
    assert check(tmp_path / "HS01.sqlite3") == []


def test_a_lost_acknowledgement_after_pruning_is_still_recovered(central, tmp_path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 10)
    sync(desk, site_url)
    edit_people(desk, "again")
    sync(desk, site_url)
    assert prune(desk, LATER) > 0
    register_people(desk, "HS01", 10, 10)

    def crash(step: str) -> None:
        if step == "committed":
            raise KeyboardInterrupt("desk died between the central commit and the ack")

    with pytest.raises(KeyboardInterrupt):
        sync(desk, site_url, hook=crash)
    report = sync(desk, site_url)
    assert report.push.recovered > 0 and report.push.sent == 0
    with desk.connect() as conn:
        assert conn.execute(select(func.count()).where(Outbox.acked_at.is_(None))).scalar() == 0
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 20


def test_close_out_coverage_still_verifies_after_pruning(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    closed_days(desk)
    sync(desk, site_url)
    assert prune(desk, LATER) > 0
    register_people(desk, "HS01", 0, 5)
    paid_day(desk, "HS01", DAY_ONE + timedelta(days=2), 3, close=True)  # closed after pruning
    sync(desk, site_url)
    desk.dispose()
    assert check(tmp_path / "HS01.sqlite3") == []
    checks = check_closeouts(hq)
    assert len(checks) == 3 and all(c.verified for c in checks)


def test_check_still_finds_a_row_changed_around_the_triggers_after_pruning(tmp_path) -> None:
    path = tmp_path / "desk.sqlite3"
    engine = init_desk(path, DeskSetup("HS01", "白沙社区", "陈主任", PIN))
    register_people(engine, "HS01", 0, 5)
    edit_people(engine, "one")
    with writing(engine) as s:  # as a push would leave it: all acknowledged
        for entry in s.exec(orm_select(Outbox)):
            entry.acked_at = utcnow()
        state = s.exec(orm_select(SyncState)).one()
        state.last_acked_seq = s.exec(orm_select(func.max(Outbox.seq))).one()
    assert prune(engine, LATER) > 0
    engine.dispose()
    set_language("en")
    assert check(path) == []
    tamper_file(
        path,
        "people",
        "UPDATE people SET notes = 'x', row_version = row_version + 1 "
        "WHERE id = (SELECT min(id) FROM people)",
    )
    assert check(path) == ["people: 1 rows have no outbox entry for their current version"]


# --- point 5: every check by index, none by a scan per row ----------------------------------------


def plan_tree(conn: sqlite3.Connection, sql: str, params: tuple) -> list[tuple[int, int, str]]:
    return [(r[0], r[1], r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def correlated_scans(plan: list[tuple[int, int, str]]) -> list[str]:
    """Full scans inside a correlated subquery: work per outer row that grows with the table."""
    parents = {node: parent for node, parent, _ in plan}
    detail = {node: text for node, _, text in plan}

    def under_correlated(node: int) -> bool:
        while node in parents:
            node = parents[node]
            if detail.get(node, "").startswith("CORRELATED"):
                return True
        return False

    return [text for node, _, text in plan if text.startswith("SCAN") and under_correlated(node)]


def test_the_checks_look_rows_up_by_index(desk) -> None:
    _, path = desk
    conn = sqlite3.connect(path)
    try:
        queries = check_queries()
        assert len(queries) > 20
        for sql, params in queries:
            plan = plan_tree(conn, sql, params)
            assert correlated_scans(plan) == [], (sql, plan)
            if "FROM outbox" in sql or "outbox o" in sql:
                assert any("ix_outbox_row" in d for *_, d in plan), (sql, plan)
    finally:
        conn.close()


def test_pruning_looks_for_a_newer_entry_by_index(desk) -> None:
    from db.outbox import stale_entries

    engine, path = desk
    with engine.connect() as conn:
        compiled = stale_entries(LATER, 10).compile(dialect=conn.dialect)
        sql, params = str(compiled), tuple(compiled.params.values())
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        params = tuple(str(p) if not isinstance(p, int) else p for p in params)
        plan = plan_tree(conn, sql, params)
    finally:
        conn.close()
    assert correlated_scans(plan) == [], plan
    assert any("ix_outbox_row" in d for *_, d in plan), plan


def test_a_screens_verifier_reuses_its_work_until_it_may_no_longer_hold(
    central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.sync import verify

    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    closeout.open_day(desk, actor_of(desk, "HS01"), DAY_1, 50_000, DAY_ONE)
    paid_day(desk, "HS01", DAY_ONE, 3, close=True)
    runs = []
    real = verify.check_closeouts
    monkeypatch.setattr(verify, "check_closeouts", lambda e: runs.append(1) or real(e))
    verifier, now = verify.Verifier(every_s=600), utcnow()
    assert verifier(hq, now) == [] and len(runs) == 1  # nothing has arrived yet
    sync(desk, site_url)  # a close-out arrives: verified again
    (first,) = verifier(hq, now)
    assert first.verified and len(runs) == 2
    assert verifier(hq, now + timedelta(seconds=60)) == [first] and len(runs) == 2
    assert verifier(hq, now, fresh=True) == [first] and len(runs) == 3  # F5
    assert verifier(hq, now + timedelta(seconds=601)) == [first] and len(runs) == 4
    paid_day(desk, "HS01", DAY_ONE + timedelta(days=1), 2, close=True)
    assert len(verifier(hq, now)) == 1 and len(runs) == 4  # not synced: nothing changed
    sync(desk, site_url)
    assert len(verifier(hq, now)) == 2 and len(runs) == 5
    desk.dispose()


def test_pruning_gives_way_to_a_desk_busy_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Housekeeping never fails a sync: a write lock held elsewhere leaves it for later."""
    import db.engine

    path = tmp_path / "desk.sqlite3"
    engine = init_desk(path, DeskSetup("HS01", "白沙社区", "陈主任", PIN))
    register_people(engine, "HS01", 0, 2)
    edit_people(engine, "one")
    with writing(engine) as s:  # as a push would leave it: all acknowledged
        for entry in s.exec(orm_select(Outbox)):
            entry.acked_at = utcnow()
        state = s.exec(orm_select(SyncState)).one()
        state.last_acked_seq = s.exec(orm_select(func.max(Outbox.seq))).one()
    engine.dispose()
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 50)
    quick = make_engine(path)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a clerk's long save
    try:
        assert prune(quick, LATER) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert prune(quick, LATER) > 0
    quick.dispose()
