"""Desks with real activity and a central store to sync them to, for the sync tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel
from sqlmodel import select as orm_select

from db.models import Outbox, Service, Staff, synced_tables
from db.session import reading
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import CloseInput, close_day, day_report
from frontdesk.services.desk import DeskSetup, init_desk
from frontdesk.services.seekers import register
from frontdesk.services.walkins import WalkInInput, log_walkin
from frontdesk.sync.admin import add_site, init_central
from frontdesk.sync.runner import Central, sync_once
from tests.crash_worker import person
from tests.db_templates import migrated_sqlite

PIN = "2468"
CEILING_FEN = 10_000_000
DAY_ONE = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Jiangmen


def central_store(target: str) -> str:
    """Create a central store at a SQLite path or a PostgreSQL URL; returns its URL.

    A new SQLite file starts as a copy of one Alembic migrated earlier (tests/db_templates.py);
    a PostgreSQL database is taken as it comes (`pg_head_url` gives one at the schema head)."""
    if "://" not in target and not Path(target).exists():
        migrated_sqlite(Path(target))
    init_central(target)
    return target


def new_desk(folder: Path, site: str, central: str) -> tuple[Engine, str]:
    """A desk for `site`, registered centrally; returns its engine and its central URL.
    `init_desk` makes it on a copy of an empty store already at the schema head."""
    added = add_site(central, site, f"{site}社区")
    path = migrated_sqlite(folder / f"{site}.sqlite3")
    engine = init_desk(path, DeskSetup(site, f"{site}社区", "陈主任", PIN))
    return engine, added.url


def actor_of(engine: Engine, site: str) -> Actor:
    with reading(engine) as s:
        staff = s.exec(orm_select(Staff).where(Staff.role == "manager")).first()
    return Actor(site, staff.id)


def register_people(engine: Engine, site: str, first: int, count: int) -> None:
    actor = actor_of(engine, site)
    for n in range(first, first + count):
        register(engine, actor, person(n), DAY_ONE)


def paid_day(engine: Engine, site: str, at: datetime, entries: int, close: bool) -> None:
    """Paid walk-ins (income entries) on one day, closed out with the cash counted."""
    actor = actor_of(engine, site)
    with reading(engine) as s:
        service = s.exec(orm_select(Service).where(Service.code == "JZ01")).one()
    for n in range(entries):
        method = ("cash", "wechat", "alipay")[n % 3]
        raw = WalkInInput(service_id=service.id, amount=f"{30 + n}.50", method=method)
        log_walkin(engine, actor, raw, at + timedelta(minutes=n), CEILING_FEN)
    if close:
        day = (at + timedelta(hours=8)).date()
        expected = day_report(engine, site, day).expected_fen
        close_day(engine, actor, CloseInput(day=day, counted_fen=dict(expected)), at)


def busy_desk(engine: Engine, site: str, people: int = 20) -> None:
    register_people(engine, site, 0, people)
    paid_day(engine, site, DAY_ONE, 6, close=True)
    paid_day(engine, site, DAY_ONE + timedelta(days=1), 4, close=False)


def sync(engine: Engine, url: str, **kw):
    central = Central(url)
    try:
        return sync_once(engine, central, **kw)
    finally:
        central.dispose()


def site_rows(engine: Engine, site: str) -> dict[str, dict]:
    """Every synced row of a site, by table and id (the content the two sides must share)."""
    tables = SQLModel.metadata.tables
    found: dict[str, dict] = {}
    with engine.connect() as conn:
        for name in synced_tables():
            tbl = tables[name]
            rows = conn.execute(select(tbl).where(tbl.c.site_code == site)).mappings()
            found[name] = {r["id"]: dict(r) for r in rows}
    return found


def assert_central_equals_desk(desk: Engine, central: Engine, site: str) -> None:
    local, remote = site_rows(desk, site), site_rows(central, site)
    for name in local:
        assert remote[name] == local[name], f"{name} differs"


def pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))
        ).scalar_one()
