"""The sync protocol against a central SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text, update
from sqlmodel import select as orm_select

from db.engine import make_engine
from db.models import (
    Closeout,
    Outbox,
    Payment,
    Person,
    Service,
    SyncQuarantine,
    SyncReject,
    SyncSite,
    SyncState,
    WalkIn,
)
from db.session import writing
from db.types import utcnow
from frontdesk.services.desk import desk_info
from frontdesk.sync.apply import upsert_rows
from frontdesk.sync.link import SyncError
from frontdesk.sync.verify import check_closeouts
from tests.sealed_support import sign_in_manager
from tests.sync_support import (
    DAY_ONE,
    PIN,
    assert_central_equals_desk,
    busy_desk,
    new_desk,
    paid_day,
    pending,
    register_people,
    site_rows,
    sync,
)


def test_push_then_pull_leaves_central_equal_to_the_desk(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    report = sync(desk, site_url)
    assert report.pending == 0 and pending(desk) == 0
    assert report.push.quarantined == 0
    assert report.push.applied == report.push.sent > 0
    assert_central_equals_desk(desk, hq, "HS01")
    # Head office's catalogue replaced the desk's provisional seed (version 0 -> 1).
    with desk.connect() as conn:
        versions = set(conn.execute(select(Service.row_version)).scalars())
    assert versions == {1}
    again = sync(desk, site_url)
    assert again.push.sent == 0 and again.pull.applied == 0


def test_reference_changes_flow_down_by_the_cursor(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    sync(desk, site_url)
    with writing(hq) as s:  # head office raises a price
        service = s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
        service.default_price_fen = 9900
    report = sync(desk, site_url)
    assert report.pull.applied == 1
    with desk.connect() as conn:
        price = conn.execute(select(Service.default_price_fen).where(Service.code == "JZ01"))
        assert price.scalar_one() == 9900
    # What came down is not sent back up.
    assert pending(desk) == 0


def test_a_lost_acknowledgement_is_recovered_without_resending(central, tmp_path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 30)

    def crash(step: str) -> None:
        if step == "committed":
            raise KeyboardInterrupt("desk died between the central commit and the ack")

    with pytest.raises(KeyboardInterrupt):
        sync(desk, site_url, hook=crash)
    assert pending(desk) > 0  # the desk never heard back
    report = sync(desk, site_url)
    assert report.push.recovered > 0
    assert report.push.sent == 0  # the same batch is not sent twice
    assert pending(desk) == 0
    assert_central_equals_desk(desk, hq, "HS01")


def test_the_same_rows_applied_twice_change_nothing(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 5)
    sync(desk, site_url)
    rows = list(site_rows(desk, "HS01")["people"].values())
    with hq.begin() as conn:
        outcome = upsert_rows(conn, "people", rows)
    assert (outcome.applied, outcome.unchanged, outcome.refused) == (0, 5, [])
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 5


def test_a_refused_row_is_quarantined_and_the_rest_go_through(central, tmp_path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 3)
    sync(desk, site_url)
    with hq.connect() as conn:
        victim = conn.execute(select(Person.id).order_by(Person.id)).scalars().first()
    with hq.begin() as conn:  # someone edits a desk's row centrally: a conflict in waiting
        conn.execute(
            update(Person).where(Person.id == victim).values(notes="总部改的", row_version=5)
        )
    with writing(desk) as s:
        for p in s.exec(orm_select(Person)).all():
            p.notes = "前台改的"
    register_people(desk, "HS01", 100, 2)
    report = sync(desk, site_url)
    assert report.push.quarantined == 1
    assert report.pending == 0 and report.rejects == 1
    with hq.connect() as conn:
        q = conn.execute(select(SyncQuarantine)).one()
        notes = dict(conn.execute(select(Person.id, Person.notes)).all())
    assert q.row_id == victim and q.table_name == "people" and "conflict" in q.reason
    assert notes[victim] == "总部改的"  # never silently overwritten
    assert sum(n == "前台改的" for n in notes.values()) == 2
    assert len(notes) == 5
    with desk.connect() as conn:
        listed = conn.execute(select(SyncReject)).one()
    assert listed.row_id == victim


def test_closed_days_stay_closed_centrally_and_verify(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    checks = check_closeouts(hq, "HS01")
    assert len(checks) == 1 and checks[0].verified
    closed_day = checks[0].day
    with pytest.raises(Exception, match="business day closed"), hq.begin() as conn:
        conn.execute(
            update(Payment)
            .where(Payment.business_date == closed_day)
            .values(amount_fen=1, row_version=Payment.row_version + 1)
        )
    with hq.begin() as conn:  # an adjustment for that day is still accepted
        payment = conn.execute(select(Payment.id).where(Payment.business_date == closed_day))
        assert payment.first() is not None


def test_a_follow_up_marked_after_the_close_reaches_the_central_store(central, tmp_path) -> None:
    from frontdesk.services.closeout import CloseInput, close_day
    from frontdesk.services.walkins import WalkInInput, log_walkin, mark_followed_up
    from tests.sync_support import CEILING_FEN, actor_of

    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    actor = actor_of(desk, "HS01")
    with desk.connect() as conn:
        rights = conn.execute(select(Service.id).where(Service.code == "LG05")).scalar_one()
    day = (DAY_ONE + timedelta(hours=8)).date()
    register_people(desk, "HS01", 0, 1)
    with desk.connect() as conn:
        person = conn.execute(select(Person.id)).scalar_one()
    raw = WalkInInput(
        service_id=rights, person_id=person, follow_up_on=day + timedelta(days=3), outcome="欠薪"
    )
    walkin = log_walkin(desk, actor, raw, DAY_ONE, CEILING_FEN).walkin
    sync(desk, site_url)
    close_day(desk, actor, CloseInput(day=day, counted_fen={}), DAY_ONE)
    assert sync(desk, site_url).push.quarantined == 0  # the day is closed centrally too
    mark_followed_up(desk, actor, walkin.id, DAY_ONE + timedelta(days=3))
    report = sync(desk, site_url)
    assert report.push.applied == report.push.sent == 1
    assert report.push.quarantined == 0 and pending(desk) == 0
    with hq.connect() as conn:
        done, version = conn.execute(
            select(WalkIn.followed_up_at, WalkIn.row_version).where(WalkIn.id == walkin.id)
        ).one()
        held = conn.execute(select(func.count()).select_from(SyncQuarantine)).scalar_one()
    assert done == DAY_ONE + timedelta(days=3) and version == 2 and held == 0
    assert_central_equals_desk(desk, hq, "HS01")


def test_an_unsynced_close_out_is_not_verified(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    paid_day(desk, "HS01", DAY_ONE, 3, close=False)
    sync(desk, site_url)
    # One more entry and the close, not yet synced.
    paid_day(desk, "HS01", DAY_ONE + timedelta(minutes=30), 1, close=True)
    with hq.begin() as conn:  # the close-out row arrives ahead of its last entry
        closeout = site_rows(desk, "HS01")["closeouts"]
        upsert_rows(conn, "closeouts", list(closeout.values()))
    check = check_closeouts(hq, "HS01")[0]
    assert not check.verified
    assert check.entries == 4 and check.entries_found == 3
    # The late entry then arrives for a day closed centrally: refused and set aside, so
    # head office sees both the unverified close-out and the reason.
    report = sync(desk, site_url)
    assert report.push.quarantined == 2
    assert not check_closeouts(hq, "HS01")[0].verified
    with hq.connect() as conn:
        held = conn.execute(select(SyncQuarantine.table_name, SyncQuarantine.reason)).all()
    assert sorted(t for t, _ in held) == ["payments", "walkins"]
    assert all("business day closed" in reason for _, reason in held)


def test_restore_rebuilds_the_desk_and_sync_continues(central, tmp_path: Path) -> None:
    from frontdesk.sync.restore import restore

    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    rebuilt = tmp_path / "rebuilt.sqlite3"
    done = restore(site_url, "HS01", rebuilt)
    assert done.rows > 0
    from frontdesk.services.desk import open_desk
    from frontdesk.services.maintenance import check

    assert check(rebuilt) == []
    new = open_desk(rebuilt)
    assert site_rows(new, "HS01") == site_rows(desk, "HS01")
    assert pending(new) == 0
    register_people(new, "HS01", 500, 3)
    report = sync(new, site_url)
    assert report.push.applied == report.push.sent >= 3
    assert_central_equals_desk(new, hq, "HS01")
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 23
    # The dead desk, should it come back, is refused rather than merged.
    with pytest.raises(SyncError) as refused:
        sync(desk, site_url)
    assert refused.value.code == "sync.other_desk"
    new.dispose()


@pytest.mark.parametrize("per_statement", [None, 3])
def test_a_restored_desk_stores_every_value_as_the_desk_did(
    central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_statement: int | None
) -> None:
    """The restore copies stored forms (from PostgreSQL: written by the server as SQLite
    keeps them), so each value of the site is the same text, number or NULL as at the
    desk that sent it, not only the same value once the ORM has read it. With 3 rows a
    statement and chunks of 6, PostgreSQL's rows go in many whole statements and ends."""
    import sqlite3

    from db.models import synced_tables
    from frontdesk.sync import restore as restoring
    from frontdesk.sync.restore import restore

    if per_statement is not None:
        monkeypatch.setattr(restoring, "STATEMENT_ROWS", per_statement)
        monkeypatch.setattr(restoring, "CHUNK", 2 * per_statement + 1)
    url, _hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    rebuilt = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt)
    before = sqlite3.connect(tmp_path / "HS01.sqlite3")
    after = sqlite3.connect(rebuilt)
    most = 0
    try:
        for name in synced_tables():
            query = f"SELECT * FROM {name} WHERE site_code = 'HS01' ORDER BY id"
            sent, kept = before.execute(query).fetchall(), after.execute(query).fetchall()
            most = max(most, len(sent))
            assert kept == sent, f"{name} differs"
            kinds = {tuple(type(v) for v in row) for row in sent}
            assert {tuple(type(v) for v in row) for row in kept} == kinds, name
    finally:
        before.close()
        after.close()
    desk.dispose()
    assert most > 2 * 3 + 1  # a table of more than one chunk


def test_a_copied_desk_database_is_detected(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 3)
    sync(desk, site_url)
    path = tmp_path / "HS01.sqlite3"
    copy_path = tmp_path / "copy.sqlite3"
    desk.dispose()
    shutil.copy(path, copy_path)
    copy = make_engine(copy_path)
    register_people(desk, "HS01", 10, 2)
    register_people(copy, "HS01", 20, 10)  # enough entries to reach the central mark
    sync(desk, site_url)
    with pytest.raises(SyncError) as refused:
        sync(copy, site_url)
    assert refused.value.code == "sync.diverged"
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 5
    copy.dispose()


def test_a_desk_restored_from_an_old_backup_is_detected(central, tmp_path: Path) -> None:
    from frontdesk.services.maintenance import backup

    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 2)
    sync(desk, site_url)
    old = backup(tmp_path / "HS01.sqlite3", tmp_path / "old.sqlite3")
    register_people(desk, "HS01", 10, 2)
    sync(desk, site_url)
    stale = make_engine(old)
    with pytest.raises(SyncError) as refused:
        sync(stale, site_url)
    assert refused.value.code == "sync.desk_behind"
    stale.dispose()


def test_a_second_desk_database_for_a_site_is_refused(central, tmp_path: Path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk

    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    sync(desk, site_url)
    other = init_desk(tmp_path / "other.sqlite3", DeskSetup("HS01", "白沙", "王", "1357"))
    with pytest.raises(SyncError) as refused:
        sync(other, site_url)
    assert refused.value.code == "sync.other_desk"
    other.dispose()


def test_an_unregistered_site_is_refused(central, tmp_path: Path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk

    url, _ = central
    desk = init_desk(tmp_path / "x.sqlite3", DeskSetup("HS09", "荷塘", "王", "1357"))
    with pytest.raises(SyncError) as refused:
        sync(desk, url)
    assert refused.value.code == "sync.site_unknown"
    desk.dispose()


def test_adding_a_site_head_office_already_has_renames_it(central) -> None:
    from db.central import HQ_SITE
    from db.models import Site
    from db.types import reference_id
    from frontdesk.sync.admin import add_site

    url, engine = central
    with writing(engine) as s:  # a site row with no registration, as a restored store may hold
        s.add(Site(id=reference_id("site", "HS07"), site_code=HQ_SITE, code="HS07", name="旧名"))
    add_site(url, "HS07", "新名")
    with writing(engine) as s:
        assert s.exec(orm_select(Site.name).where(Site.code == "HS07")).one() == "新名"


@pytest.mark.parametrize(
    ("stored", "code"),
    [("0099", "sync.desk_schema_older"), ("0005", "sync.central_schema_older")],
)
def test_a_schema_mismatch_is_refused(central, tmp_path: Path, stored: str, code: str) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 2)
    with hq.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": stored})
    with pytest.raises(SyncError) as refused:
        sync(desk, site_url)
    assert refused.value.code == code
    assert pending(desk) > 0  # nothing moved
    with desk.connect() as conn:
        state = conn.execute(select(SyncState)).one()
    assert state.failures == 1 and state.last_error


def test_a_far_off_desk_clock_is_reported(central, tmp_path: Path) -> None:
    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    report = sync(desk, site_url, now=lambda: utcnow() + timedelta(hours=2))
    assert report.clock_warning and abs(report.clock_offset_s - 7200) < 60
    assert not sync(desk, site_url).clock_warning


def test_two_desks_sync_concurrently(central, tmp_path: Path) -> None:
    url, hq = central
    desks = [new_desk(tmp_path, code, url) for code in ("HS01", "HS02")]
    for engine, _ in desks:
        busy_desk(engine, desk_info(engine).site_code, people=15)
    errors: list[BaseException] = []

    def run(engine: Engine, site_url: str) -> None:
        try:
            for _ in range(3):
                register_people(engine, desk_info(engine).site_code, 1000 + _ * 10, 5)
                sync(engine, site_url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for engine, _ in desks:
        site = desk_info(engine).site_code
        assert pending(engine) == 0
        assert_central_equals_desk(engine, hq, site)
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 60
        assert conn.execute(select(func.count()).select_from(Closeout)).scalar_one() == 2


def test_outbox_stays_whole_after_sync(central, tmp_path: Path) -> None:
    from frontdesk.services.maintenance import check

    url, _ = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    with desk.connect() as conn:
        last = conn.execute(select(func.max(Outbox.seq))).scalar_one()
        state = conn.execute(select(SyncState)).one()
    assert state.online and state.failures == 0 and pending(desk) == 0
    # Entries of the rows pulled down are acknowledged locally; the next push covers them.
    assert state.last_acked_seq < last
    sync(desk, site_url)
    with desk.connect() as conn:
        assert conn.execute(select(SyncState.last_acked_seq)).scalar_one() == last
    assert check(tmp_path / "HS01.sqlite3") == []


def test_the_central_mark_matches_the_desk(central, tmp_path: Path) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 3)
    sync(desk, site_url)
    with hq.connect() as conn:
        mark = conn.execute(select(SyncSite).where(SyncSite.site_code == "HS01")).one()
    with desk.connect() as conn:
        state = conn.execute(select(SyncState)).one()
    assert mark.high_water_seq == state.last_acked_seq
    assert mark.high_water_digest == state.acked_digest
    assert mark.database_uuid == desk_info(desk).database_uuid


def test_large_batches_take_the_bulk_path_and_still_set_bad_rows_aside(central, tmp_path) -> None:
    """Batches big enough for COPY (PostgreSQL): a conflict and refusals among many rows."""
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 60)
    assert sync(desk, site_url).push.applied >= 120  # people and their audit rows
    with hq.connect() as conn:
        victim = conn.execute(select(Person.id).order_by(Person.id)).scalars().first()
    with hq.begin() as conn:
        conn.execute(update(Person).where(Person.id == victim).values(notes="x", row_version=9))
    with writing(desk) as s:
        for p in s.exec(orm_select(Person)).all():
            p.notes = "改"
    report = sync(desk, site_url)
    assert (report.push.applied, report.push.quarantined) == (59, 1)
    # 55 entries of a day the central store already holds as closed: all refused, one by one.
    paid_day(desk, "HS01", DAY_ONE, 55, close=True)
    with hq.begin() as conn:
        upsert_rows(conn, "closeouts", list(site_rows(desk, "HS01")["closeouts"].values()))
    report = sync(desk, site_url)
    assert report.push.quarantined == 110  # the walk-ins and their income entries
    assert report.pending == 0
    with hq.connect() as conn:
        held = conn.execute(
            select(SyncQuarantine.table_name, func.count()).group_by(SyncQuarantine.table_name)
        ).all()
    assert dict(held) == {"people": 1, "walkins": 55, "payments": 55}


def test_a_demo_desk_never_syncs(central, tmp_path: Path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk

    url, hq = central
    central_url = new_desk(tmp_path, "HS01", url)[1]
    demo = init_desk(tmp_path / "demo.sqlite3", DeskSetup("HS01", "演示", "王", "1357"), demo=True)
    with pytest.raises(SyncError) as refused:
        sync(demo, central_url)
    assert refused.value.code == "sync.demo_desk"
    with hq.connect() as conn:
        bound = conn.execute(select(SyncSite.database_uuid)).scalar()
    assert bound is None  # nothing was bound or written
    demo.dispose()


def test_every_desk_adopts_the_district_key_so_hq_can_link_people(central, tmp_path) -> None:
    from frontdesk.services.seekers import find_duplicate
    from tests.crash_worker import person

    url, hq = central
    one, one_url = new_desk(tmp_path, "HS01", url)
    two, two_url = new_desk(tmp_path, "HS02", url)
    register_people(one, "HS01", 0, 3)  # person 1 registers at both communities
    register_people(two, "HS02", 1, 3)
    own_keys = {desk_info(one).id_hash_key, desk_info(two).id_hash_key}
    assert len(own_keys) == 2  # made offline, each desk has a key of its own
    # The re-hash reads the sealed ID numbers: with nobody signed in it waits, and the
    # round pushes as usual.
    assert sync(one, one_url).pending == 0
    assert desk_info(one).id_hash_key in own_keys
    sign_in_manager(one, PIN)  # the desk's key is held from now on
    sign_in_manager(two, PIN)
    sync(one, one_url)
    sync(two, two_url)
    assert desk_info(one).id_hash_key == desk_info(two).id_hash_key not in own_keys
    with hq.connect() as conn:
        hashes = conn.execute(select(Person.site_code, Person.id_hash)).all()
    by_site: dict[str, set[str]] = {}
    for site, digest in hashes:
        by_site.setdefault(site, set()).add(digest)
    assert len(by_site["HS01"] & by_site["HS02"]) == 2  # people 1 and 2, at both sites
    assert_central_equals_desk(one, hq, "HS01")
    with writing(one) as s:  # the desk's own duplicate check keeps working
        assert find_duplicate(s, "HS01", person(2).id_number) is not None
    from frontdesk.sync.restore import restore

    rebuilt = restore(one_url, "HS01", tmp_path / "rebuilt.sqlite3")
    assert rebuilt.rows > 0
    from frontdesk.services.desk import open_desk

    again = open_desk(tmp_path / "rebuilt.sqlite3")
    assert desk_info(again).id_hash_key == desk_info(one).id_hash_key
    again.dispose()


def _refuse_notes(hq: Engine, on: bool) -> None:
    """A central rule the desk's rows break until head office lifts it."""
    with hq.begin() as conn:
        if hq.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER t_refuse BEFORE INSERT ON people WHEN NEW.notes = 'x' "
                    "BEGIN SELECT RAISE(ABORT, 'notes refused'); END"
                )
                if on
                else text("DROP TRIGGER t_refuse")
            )
        elif on:
            conn.execute(
                text(
                    "CREATE FUNCTION t_refuse() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.notes = 'x' THEN RAISE EXCEPTION 'notes refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER t_refuse BEFORE INSERT ON people "
                    "FOR EACH ROW EXECUTE FUNCTION t_refuse()"
                )
            )
        else:
            conn.execute(text("DROP FUNCTION t_refuse() CASCADE"))


def test_a_quarantined_row_goes_again_once_its_cause_is_put_right(central, tmp_path) -> None:
    from frontdesk.sync.resend import resend

    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    _refuse_notes(hq, True)
    register_people(desk, "HS01", 0, 3)
    with writing(desk) as s:
        victim = s.exec(orm_select(Person).order_by(Person.id)).first()
        victim.notes = "x"
        victim_id = victim.id
    report = sync(desk, site_url)
    assert report.push.quarantined == 1 and report.rejects == 1
    with desk.connect() as conn:
        version = conn.execute(select(Person.row_version).where(Person.id == victim_id)).scalar()
    _refuse_notes(hq, False)  # head office puts the cause right
    assert sync(desk, site_url).rejects == 1  # nothing changed at the desk: still held
    assert resend(desk, "people", victim_id) == version  # no new version spent
    report = sync(desk, site_url)
    assert report.push.applied == 1 and report.push.quarantined == 0
    assert report.rejects == 0 and report.pending == 0
    with hq.connect() as conn:
        held = conn.execute(select(SyncQuarantine.resolved_at)).scalars().all()
    assert len(held) == 1 and held[0] is not None
    with desk.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SyncReject)).scalar_one() == 0
    assert_central_equals_desk(desk, hq, "HS01")
