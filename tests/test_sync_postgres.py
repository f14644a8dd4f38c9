"""Sync against the real PostgreSQL server: row-level security, a cut link, 26 sites at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.models import Closeout, Person
from frontdesk.services.desk import desk_info
from frontdesk.sync.runner import Central, sync_once, sync_with_retries
from tests.sync_support import (
    assert_central_equals_desk,
    busy_desk,
    central_store,
    new_desk,
    paid_day,
    pending,
    register_people,
    site_rows,
    sync,
)
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def hq(pg_head_url: str) -> Iterator[tuple[str, Engine]]:
    central_store(pg_head_url)
    engine = make_engine(pg_head_url)
    yield pg_head_url, engine
    engine.dispose()


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_a_site_reads_and_writes_only_its_own_rows(hq, tmp_path: Path) -> None:
    url, engine = hq
    a, a_url = new_desk(tmp_path, "HS01", url)
    b, b_url = new_desk(tmp_path, "HS02", url)
    register_people(a, "HS01", 0, 3)
    register_people(b, "HS02", 100, 4)
    sync(a, a_url)
    sync(b, b_url)
    b_person = next(iter(site_rows(b, "HS02")["people"]))
    with psycopg.connect(_libpq(a_url), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 3
        assert (
            conn.execute("SELECT count(*) FROM people WHERE site_code = 'HS02'").fetchone()[0] == 0
        )
        assert conn.execute("SELECT count(*) FROM services").fetchone()[0] > 0  # reference
        assert conn.execute("SELECT count(*) FROM sync_sites").fetchone()[0] == 1
        hidden = conn.execute(
            "UPDATE people SET notes = 'x', row_version = row_version + 1 WHERE id = %s",
            (b_person,),
        )
        assert hidden.rowcount == 0  # B's row is invisible to A, so untouchable
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "UPDATE people SET site_code = 'HS02', row_version = row_version + 1 "
                "WHERE site_code = 'HS01'"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO audit_log (id, site_code, created_at, updated_at, row_version, "
                "at, action, entity, detail) VALUES (gen_random_uuid(), 'HS02', now(), now(), "
                "1, now(), 'forged', '', '')"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM people")
        moved = conn.execute("UPDATE sync_sites SET high_water_seq = 0 WHERE site_code = 'HS02'")
        assert moved.rowcount == 0  # nor can A move B's high-water mark
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE sync_sites SET role_name = 'x'")
    with engine.connect() as conn:  # the owner (head office) sees both sites
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 7


def test_a_desk_using_another_sites_connection_is_refused(hq, tmp_path: Path) -> None:
    from frontdesk.sync.link import SyncError

    url, engine = hq
    a, _ = new_desk(tmp_path, "HS01", url)
    _, b_url = new_desk(tmp_path, "HS02", url)
    register_people(a, "HS01", 0, 2)
    with pytest.raises(SyncError) as refused:
        sync(a, b_url)  # HS02's role cannot even see HS01's registration
    assert refused.value.code == "sync.site_unknown"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 0


STEPS = ("read", "begun", "applied", "commit", "committed", "acknowledged")


@pytest.mark.parametrize("step", STEPS)
def test_the_link_cut_at_each_step_of_a_push_heals(hq, tmp_path: Path, step: str) -> None:
    url, engine = hq
    desk, site_url = new_desk(tmp_path, "HS01", url)
    proxy = TcpProxy("127.0.0.1", make_url(url).port or 5432)
    via_proxy = make_url(site_url).set(host="127.0.0.1", port=proxy.port)
    central = Central(via_proxy.render_as_string(hide_password=False))
    try:
        for round_ in range(2):
            register_people(desk, "HS01", round_ * 100, 12)
            paid_day(desk, "HS01", _day(round_), 3, close=True)
            armed = [True]

            def cut(name: str, armed=armed) -> None:
                if not armed[0]:
                    return
                if step == "commit" and name == "applied":
                    armed[0] = False
                    proxy.cut_after(b"COMMIT")  # the server commits, the desk never hears
                elif name == step:
                    armed[0] = False
                    proxy.cut()

            report = sync_with_retries(
                desk, central, attempts=6, base_delay_s=0.01, sleep=lambda _s: None, hook=cut
            )
            assert not armed[0], "the cut happened"
            if step == "commit":  # committed centrally, unheard: found there, not re-sent
                assert report.push.recovered > 0
            assert report.pending == 0 and pending(desk) == 0
            assert_central_equals_desk(desk, engine, "HS01")
        assert proxy.cuts >= 2
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 24
            assert conn.execute(select(func.count()).select_from(Closeout)).scalar_one() == 2
    finally:
        central.dispose()
        proxy.close()


def _day(n: int):
    from datetime import timedelta

    from tests.sync_support import DAY_ONE

    return DAY_ONE + timedelta(days=n)


def test_twenty_six_sites_sync_at_once(hq, tmp_path: Path) -> None:
    url, engine = hq
    desks = [new_desk(tmp_path, f"S{n:02d}", url) for n in range(1, 27)]
    for desk, _ in desks:
        site = desk_info(desk).site_code
        register_people(desk, site, 0, 4)
        paid_day(desk, site, _day(0), 2, close=True)
    errors: list[BaseException] = []
    start = threading.Barrier(len(desks))

    def run(desk: Engine, site_url: str) -> None:
        try:
            start.wait()
            sync(desk, site_url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for desk, _ in desks:
        assert pending(desk) == 0
        assert_central_equals_desk(desk, engine, desk_info(desk).site_code)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 26 * 4
        assert conn.execute(select(func.count()).select_from(Closeout)).scalar_one() == 26
    for desk, _ in desks:
        desk.dispose()


def test_busy_desk_to_postgres_then_busy_again(hq, tmp_path: Path) -> None:
    url, engine = hq
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01")
    sync(desk, site_url)
    register_people(desk, "HS01", 300, 5)
    sync(desk, site_url)
    assert_central_equals_desk(desk, engine, "HS01")


def test_a_desk_holds_no_server_connection_between_rounds(hq, tmp_path: Path) -> None:
    """A city's desks idle between rounds; each keeping a connection would exhaust the
    server's (bench/district.py), so a round gives its connection back when it ends."""
    url, _ = hq
    desk, site_url = new_desk(tmp_path, "HS01", url)
    register_people(desk, "HS01", 0, 2)
    central = Central(site_url)
    role = make_url(site_url).username
    try:
        for n in (10, 20):  # the kept engine connects again for the second round
            sync_once(desk, central)
            assert central.engine.pool.checkedin() == 0
            with psycopg.connect(_libpq(url), autocommit=True) as conn:
                held = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", (role,)
                ).fetchone()[0]
            assert held == 0
            register_people(desk, "HS01", n, 1)
    finally:
        central.dispose()
        desk.dispose()


def test_central_init_again_keeps_the_sites_policies_it_has(hq, tmp_path: Path) -> None:
    """Re-made, every registered site's policies would be locked in one transaction, which
    runs out of the server's lock table at 1,000 sites; only missing ones are made."""
    url, _ = hq
    desks = [new_desk(tmp_path, site, url) for site in ("HS01", "HS02")]
    query = "SELECT oid FROM pg_policy WHERE polname LIKE 'fd_site_%' ORDER BY oid"
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        before = conn.execute(query).fetchall()
        conn.execute("DROP POLICY fd_site_hs02 ON walkins")  # one lost: made again
    central_store(url)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        after = conn.execute(query).fetchall()
    assert len(after) == len(before) and len(set(before) & set(after)) == len(before) - 1
    for (desk, site_url), site in zip(desks, ("HS01", "HS02"), strict=True):
        paid_day(desk, site, _day(0), 2, close=True)
        assert sync(desk, site_url).pending == 0
        desk.dispose()
