"""One site cannot stall the others, nor read or write what is not its own (issue 13,
point 6), on the real PostgreSQL server.

A site's login holds every lock it can take in an open transaction; head office's
reference edits and another site's sync must still go through. They are judged by a short
`lock_timeout` on the victims (a wait for a held lock fails fast), never by the clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from db.central import HQ_TABLES
from db.closed_days import MESSAGE
from db.engine import make_engine
from db.models import CentralChange, Service, Site, Staff, synced_tables
from db.session import writing
from frontdesk.hq.reference import SiteRates, add_partner, set_price, update_site
from tests.hq_accounts_support import editor
from tests.sync_support import (
    assert_central_equals_desk,
    busy_desk,
    central_store,
    new_desk,
    pending,
    register_people,
    sync,
)
from tests.test_outbox import add_in_order, one_of_each

pytestmark = pytest.mark.postgres

OLD_CHANGE_LOCK = 7_357_001  # the advisory lock key change numbers were handed out under
MODES = (  # strongest first
    "ACCESS EXCLUSIVE",
    "EXCLUSIVE",
    "SHARE ROW EXCLUSIVE",
    "SHARE",
    "SHARE UPDATE EXCLUSIVE",
    "ROW EXCLUSIVE",
    "ROW SHARE",
    "ACCESS SHARE",
)
ROW_LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE")
IMPATIENT = "-c lock_timeout=3000 -c statement_timeout=30000"  # ms


@pytest.fixture
def hq(pg_head_url: str) -> Iterator[tuple[str, Engine]]:
    central_store(pg_head_url)
    engine = make_engine(pg_head_url)
    yield pg_head_url, engine
    engine.dispose()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def impatient(url: str) -> str:
    """The URL of a login that gives up on any lock held for more than 3 seconds."""
    return make_url(url).update_query_dict({"options": IMPATIENT}).render_as_string(False)


def tables(conn: psycopg.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
    ]


def hold_every_lock(conn: psycopg.Connection, site: str) -> list[str]:
    """Inside the site's open transaction, take every lock it is allowed: the old advisory
    key, each table in the strongest mode it may, a lock on every row it may lock, a write
    of its own staff account and of its own sync mark. Returns what it holds."""
    held = []
    conn.execute("SELECT pg_advisory_lock(%s)", (OLD_CHANGE_LOCK,))
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (OLD_CHANGE_LOCK + 1,))
    held.append("advisory")
    for table in tables(conn):
        for mode in MODES:
            try:
                with conn.transaction():  # a savepoint: a refusal leaves the rest held
                    conn.execute(f"LOCK TABLE {table} IN {mode} MODE NOWAIT")
            except psycopg.Error:
                continue
            held.append(f"{table} {mode}")
            break
        for lock in ROW_LOCKS:
            try:
                with conn.transaction():
                    rows = conn.execute(f"SELECT 1 FROM {table} {lock} NOWAIT").fetchall()
            except psycopg.Error:
                continue
            if rows:
                held.append(f"{table} rows {lock}")
            break
    conn.execute(
        "INSERT INTO staff (id, site_code, created_at, updated_at, row_version, name, role, "
        "active) VALUES (%s, %s, now(), now(), 1, '新文员', 'clerk', true)",
        (uuid.uuid4(), site),
    )
    conn.execute("UPDATE sync_sites SET last_pull_at = now() WHERE site_code = %s", (site,))
    return held


def test_a_site_holding_every_lock_it_can_stalls_no_one(hq, tmp_path: Path) -> None:
    url, engine = hq
    a, a_url = new_desk(tmp_path, "HS01", url)
    b, b_url = new_desk(tmp_path, "HS02", url)
    register_people(a, "HS01", 0, 2)
    sync(a, a_url)
    busy_desk(b, "HS02", people=3)  # B's first push: its manager's account, entries, a close
    office = make_engine(impatient(url))
    who = editor(office)  # signed in before the site's locks are taken
    try:
        with psycopg.connect(libpq(a_url)) as blocker:
            held = hold_every_lock(blocker, "HS01")
            assert "advisory" in held and any(h.startswith("payments ") for h in held)
            # Nothing that stops a writer: no table beyond ROW EXCLUSIVE, no head office row.
            assert not [h for h in held if h.split(" ", 1)[-1] in MODES[:5]]
            locked = ("central_info", *HQ_TABLES)
            assert not [h for h in held if " rows " in h and h.split(" ")[0] in locked]
            # Head office edits the catalogue, a site and its partners meanwhile ...
            set_price(office, who, "JZ01", "99")
            update_site(office, who, "HS02", SiteRates(name="沙岗社区服务中心"))
            add_partner(office, who, "新伙伴诊所", "clinic", "60", date(2026, 11, 1))
            # ... and another site sends its day and takes head office's changes.
            report = sync(b, impatient(b_url))
            assert report.push.quarantined == 0 and report.pending == 0 and pending(b) == 0
            assert report.pull.applied >= 3
            blocker.rollback()
        assert_central_equals_desk(b, engine, "HS02")
        with b.connect() as conn:
            price = conn.execute(select(Service.default_price_fen).where(Service.code == "JZ01"))
            assert price.scalar_one() == 9900
        assert sync(a, a_url).pull.applied >= 3  # and the blocker's own desk goes on as well
    finally:
        office.dispose()
        a.dispose()
        b.dispose()


def test_a_site_reads_head_offices_change_log_and_its_own_only(hq, tmp_path: Path) -> None:
    url, engine = hq
    a, a_url = new_desk(tmp_path, "HS01", url)
    b, b_url = new_desk(tmp_path, "HS02", url)
    sync(a, a_url)
    sync(b, b_url)
    with writing(engine) as s:  # head office adds an account at each site
        for site in ("HS01", "HS02"):
            s.add(Staff(site_code=site, name=f"{site}文员", role="clerk"))
    set_price(engine, editor(engine), "JZ01", "88")
    for site, site_url in (("HS01", a_url), ("HS02", b_url)):
        with psycopg.connect(libpq(site_url)) as conn:
            seen = {code for (code,) in conn.execute("SELECT site_code FROM central_changes")}
        assert seen == {"HQ", site}
    # Each desk still takes what it needs: its own new account and the new price.
    for desk, site, site_url in ((a, "HS01", a_url), (b, "HS02", b_url)):
        assert sync(desk, site_url).pull.applied >= 2
        with desk.connect() as conn:
            names = set(conn.execute(select(Staff.name).where(Staff.role == "clerk")).scalars())
        assert names == {f"{site}文员"}
    with engine.connect() as conn:  # head office reads the whole log
        logged = conn.execute(select(func.distinct(CentralChange.site_code))).scalars()
        assert set(logged) == {"HQ", "HS01", "HS02"}
    a.dispose()
    b.dispose()


def copy_row_sql(table: str, values: dict[str, str]) -> str:
    """INSERT of a copy of one visible row of `table` with some columns replaced."""
    columns = [c.name for c in SQLModel.metadata.tables[table].columns]
    exprs = ", ".join(values.get(c, c) for c in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {exprs} FROM {table} LIMIT 1"


def test_a_site_writes_none_of_head_offices_reference_rows(hq, tmp_path: Path) -> None:
    url, _ = hq
    a, a_url = new_desk(tmp_path, "HS01", url)
    sync(a, a_url)  # its desk pushed its manager's account: staff rows stay its own to write
    with psycopg.connect(libpq(a_url), autocommit=True) as conn:
        for table in HQ_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
            forged = {"id": "gen_random_uuid()", "site_code": "'HS01'"}
            if table in ("sites", "services"):
                forged["code"] = "'HS01-X'"
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(copy_row_sql(table, forged))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"UPDATE {table} SET row_version = row_version + 1")
        conn.execute(copy_row_sql("staff", {"id": "gen_random_uuid()", "name": "'新文员'"}))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # but not as head office's
            conn.execute(copy_row_sql("staff", {"id": "gen_random_uuid()", "site_code": "'HQ'"}))
    a.dispose()


def test_row_level_security_between_sites_on_every_synced_table(hq) -> None:
    url, engine = hq
    from frontdesk.sync.admin import add_site

    roles = {site: add_site(url, site, f"{site}社区").url for site in ("HS01", "HS02")}
    for site in roles:  # one row in every synced table
        rows = one_of_each(site)
        for row in rows:
            if isinstance(row, Site):
                row.code = f"{site}-B"  # `code` is taken: by the site row head office keeps
        add_in_order(engine, rows)
    with psycopg.connect(libpq(roles["HS01"]), autocommit=True) as conn:
        for table in synced_tables():
            mine = conn.execute(f"SELECT count(*) FROM {table} WHERE site_code = 'HS01'")
            theirs = conn.execute(f"SELECT count(*) FROM {table} WHERE site_code = 'HS02'")
            assert (mine.fetchone()[0], theirs.fetchone()[0]) == (1, 0), table
            try:
                moved = conn.execute(
                    f"UPDATE {table} SET row_version = row_version + 1 WHERE site_code = 'HS02'"
                ).rowcount
            except psycopg.errors.InsufficientPrivilege:
                moved = 0  # head office's own tables: no site updates them at all
            assert moved == 0, table
            forged = {"id": "gen_random_uuid()", "site_code": "'HS02'"}
            if table in ("sites", "services"):
                forged["code"] = "'HS02-X'"
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(copy_row_sql(table, forged))
            with pytest.raises(psycopg.Error) as moved_away:
                conn.execute(
                    f"UPDATE {table} SET site_code = 'HS02', row_version = row_version + 1 "
                    "WHERE site_code = 'HS01'"
                )
            refusal = moved_away.value
            assert isinstance(refusal, psycopg.errors.InsufficientPrivilege) or (
                table == "closeouts" and MESSAGE in str(refusal)  # its trigger says so first
            ), (table, refusal)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"DELETE FROM {table}")
