"""The central store on a real PostgreSQL server: driver, schema creation, concurrent writers."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from db.engine import make_engine, to_url
from db.migrate import StoreError, current_revision, head_revision, open_store
from db.models import AuditLog, Outbox, Site, synced_tables
from db.session import writing
from db.types import new_id, utcnow

pytestmark = pytest.mark.postgres

ALL_TABLES = set(SQLModel.metadata.tables) | {"alembic_version"}


@pytest.fixture
def central(pg_url: str) -> Iterator[Engine]:
    engine, backup = open_store(pg_url)
    assert backup is None
    yield engine
    engine.dispose()


def catalogue(engine: Engine) -> dict[str, set[tuple[str, int]]]:
    """Names and oids of tables, triggers and functions: a re-creation changes the oids."""
    queries = {
        "tables": "SELECT relname, oid::bigint FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
        "triggers": "SELECT c.relname || '.' || t.tgname, t.oid::bigint FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal",
        "functions": "SELECT proname, oid::bigint FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace",
    }
    with engine.connect() as conn:
        return {k: {tuple(r) for r in conn.execute(text(q))} for k, q in queries.items()}  # type: ignore[misc]


def test_to_url_uses_psycopg(pg_url: str) -> None:
    for scheme in ("postgresql", "postgres"):
        url = make_url(to_url(f"{scheme}://desk:s3cret@db.example:5433/central"))
        assert url.drivername == "postgresql+psycopg"
        assert (url.username, url.password, url.host, url.port, url.database) == (
            "desk",
            "s3cret",
            "db.example",
            5433,
            "central",
        )
    engine = make_engine(pg_url)
    try:
        assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_open_store_creates_the_schema_at_head(central: Engine) -> None:
    with central.connect() as conn:
        assert current_revision(conn) == head_revision()
    found = catalogue(central)
    assert {name for name, _ in found["tables"]} == ALL_TABLES
    triggered = {name.split(".")[0] for name, _ in found["triggers"]}
    assert triggered == set(synced_tables())
    assert {name for name, _ in found["functions"]} >= {"fd_outbox_guard", "fd_outbox_append"}


def test_second_open_store_is_a_no_op(pg_url: str, central: Engine) -> None:
    site = Site(site_code="HQ", code="HS01", name="白沙社区")
    with writing(central) as s:
        s.add(site)
    before = catalogue(central)

    again, backup = open_store(pg_url)
    try:
        assert backup is None
        with again.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert conn.execute(select(Site.name)).scalars().all() == ["白沙社区"]
            assert conn.execute(select(Outbox.row_id)).scalars().all() == [site.id]
        assert catalogue(again) == before  # nothing dropped and re-created
    finally:
        again.dispose()


def test_missing_database_is_reported(pg_url: str) -> None:
    missing = pg_url.rsplit("/", 1)[0] + f"/fd_missing_{uuid.uuid4().hex[:8]}"
    with pytest.raises(StoreError) as caught:
        open_store(missing)
    assert caught.value.code == "db_unreadable"


def test_concurrent_writers_get_distinct_sequences(central: Engine) -> None:
    per_writer = 200
    both_open = threading.Barrier(2, timeout=30)
    written: dict[str, list[uuid.UUID]] = {}
    failures: list[BaseException] = []

    def writer(site: str) -> None:
        ids = [new_id() for _ in range(per_writer)]
        try:
            with central.connect() as conn, conn.begin():
                for n, row_id in enumerate(ids):
                    if n == per_writer // 2:
                        both_open.wait()  # both transactions are open and have written
                    now = utcnow()
                    conn.execute(
                        insert(AuditLog).values(
                            id=row_id,
                            site_code=site,
                            created_at=now,
                            updated_at=now,
                            at=now,
                            action="sign_in",
                        )
                    )
            written[site] = ids
        except BaseException as exc:
            both_open.abort()
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(site,)) for site in ("HS01", "HS02")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert sorted(written) == ["HS01", "HS02"]

    with central.connect() as conn:
        rows = conn.execute(
            select(Outbox.seq, Outbox.table_name, Outbox.row_id, Outbox.row_version, Outbox.op)
        ).all()
        assert conn.execute(select(func.count()).select_from(AuditLog)).scalar_one() == 400
    assert len(rows) == 2 * per_writer
    assert len({r.seq for r in rows}) == len(rows)
    assert {(r.table_name, r.row_version, r.op) for r in rows} == {("audit_log", 1, "I")}
    seq_of = {r.row_id: r.seq for r in rows}
    assert set(seq_of) == set(written["HS01"]) | set(written["HS02"])
    for ids in written.values():  # each writer's own rows keep its insert order
        seqs = [seq_of[i] for i in ids]
        assert seqs == sorted(seqs)
