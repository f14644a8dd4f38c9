"""Shared fixtures: real SQLite files in tmp_path, a real PostgreSQL database per test."""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontdesk import i18n

if TYPE_CHECKING:
    from sqlalchemy import Engine

PG_ADMIN_URL = os.environ.get("FRONTDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_REQUIRED = os.environ.get("FRONTDESK_REQUIRE_PG") == "1"
# A fixed instant for tests: Thursday 2026-11-26 10:30 in Jiangmen.
FIXED_NOW = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
MANAGER_PIN = "2468"
CLERK_PIN = "1357"


TEST_KEY_COSTS = {"pin": 2**10, "slot": 2**10, "backup": 2**11}
SHIPPED_KEY_COSTS: dict[str, int] = {}  # as the modules set them, kept by the first change


def use_key_costs(costs: dict[str, int]) -> None:
    """Set the scrypt costs new hashes and key slots are made with.

    Each sign-in runs scrypt twice (the PIN, then the key slot) at ~50 ms a time, and a
    few hundred tests sign in: the suite lowers the cost, as Django's test settings swap
    in a fast password hasher. What is tested is unchanged: a check reads the cost from
    the stored hash or slot, and a wrong PIN fails as before."""
    from db import sealed
    from frontdesk.hq import district_keys
    from frontdesk.services import auth

    if not SHIPPED_KEY_COSTS:  # tests/test_key_costs.py holds the product to these
        shipped = auth.PIN_N, sealed.SLOT_N, district_keys.BACKUP_N
        SHIPPED_KEY_COSTS.update(zip(("pin", "slot", "backup"), shipped, strict=True))
    auth.PIN_N, sealed.SLOT_N, district_keys.BACKUP_N = (
        costs["pin"],
        costs["slot"],
        costs["backup"],
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Cheap key costs in every test process (xdist's workers too), and the test files in
    memory: see `use_key_costs` and `_files_in_memory`."""
    use_key_costs(TEST_KEY_COSTS)
    _files_in_memory(config)


def _files_in_memory(config: pytest.Config) -> None:
    """Test files in memory (/dev/shm) where the machine has it.

    Most of the suite's time on a VM's disk went on waiting for fsync: every SQLite commit
    (WAL, synchronous=FULL) and every file the tests write. The files are the same real
    SQLite files; only the disk under them is RAM, and a killed process loses nothing
    there either (the crash tests). FRONTDESK_TEST_ON_DISK=1, or --basetemp, keeps them
    on disk. Set here, before pytest makes its temporary folder, so pytest-xdist's workers
    get folders below it, and TMPDIR, which the workers inherit, sends tempfile there too."""
    if hasattr(config, "workerinput") or config.option.basetemp:
        return
    ram = Path("/dev/shm")
    if os.environ.get("FRONTDESK_TEST_ON_DISK") or not os.access(ram, os.W_OK):
        return
    folder = tempfile.mkdtemp(prefix="frontdesk-tests-", dir=ram)
    config.option.basetemp = os.path.join(folder, "pytest")  # pytest empties it first
    os.environ["TMPDIR"] = os.path.join(folder, "tmp")
    os.mkdir(os.environ["TMPDIR"])
    tempfile.tempdir = None  # tempfile reads TMPDIR again
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


# The longest tests, run first (a worker's share starts with them): started last, one of them
# kept a worker busy for half a minute after the other had run out of tests. CPU seconds per
# test measured with a per-test rusage hook over a whole run (-n 2), 2026-12-03.
SLOW_FIRST = (
    "tests/test_crash.py::",  # 29 s: twenty processes killed mid-registration
    "tests/test_fits.py::",  # 9-16 s each: every screen in two languages
    "tests/test_sync_postgres.py::test_twenty_six_sites_sync_at_once",  # 14 s
    "tests/test_demo.py::test_same_seed_same_data_other_seed_other_data",  # 10 s
    "tests/test_cli.py::test_demo_builds_once_and_refuses_real_data",  # 6 s
    "tests/test_gig_screens.py::test_create_dispatch_check_in_out_pieces_settle_and_pay_slip",
    "tests/test_closeout.py::test_random_days",
    "tests/test_demo.py::test_summary_counts_match_the_tables",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest tests first, in their own order; the rest as collected."""
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))  # a stable sort


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test reads or writes the real config or data directories; Chinese by default."""
    monkeypatch.setenv("FRONTDESK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("FRONTDESK_DATA_DIR", str(tmp_path / "data"))
    # Files saved from the TUI by default: beside the test's folder, not in it, so a test
    # that lists its folder sees only what it made.
    documents = tmp_path_factory.mktemp("documents")
    monkeypatch.setenv("FRONTDESK_DOCUMENTS_DIR", str(documents))
    for key in ("FRONTDESK_DB", "FRONTDESK_LANG", "FRONTDESK_SITE", "FRONTDESK_CENTRAL_URL"):
        monkeypatch.delenv(key, raising=False)
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


@pytest.fixture(autouse=True)
def _keys_in_bursts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Pilot test presses its keys as one burst (tests/tui_support.press_as_typed)."""
    if os.environ.get("FRONTDESK_PILOT_KEY_BY_KEY"):
        return
    from textual.pilot import Pilot

    from tests.tui_support import press_as_typed

    monkeypatch.setattr(Pilot, "press", press_as_typed)


@pytest.fixture
def desk(tmp_path: Path):
    """A freshly initialised desk database with a manager and a clerk; yields (engine, path).
    It is a copy of one `init_desk` made once per process (tests/db_templates.py)."""
    from db.migrate import open_store
    from tests.db_templates import built, copy_sqlite

    made = built("desk", _build_desk) / "desk.sqlite3"  # once per process, then copied
    path = copy_sqlite(made, tmp_path / "desk.sqlite3")
    engine, _ = open_store(path)
    yield engine, path
    engine.dispose()


def _build_desk(folder: Path) -> None:
    from db.session import writing
    from frontdesk.services.auth import add_desk_staff, hash_pin
    from frontdesk.services.desk import DeskSetup, init_desk

    setup = DeskSetup("HS01", "白沙社区", "陈主任", MANAGER_PIN)
    engine = init_desk(folder / "desk.sqlite3", setup)
    with writing(engine) as s:
        add_desk_staff(s, "HS01", "李文员", "clerk", hash_pin(CLERK_PIN))
    engine.dispose()


def _pg_connect():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def _pg_admin():
    import psycopg

    try:
        return _pg_connect()
    except psycopg.OperationalError as exc:
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL is required (FRONTDESK_REQUIRE_PG=1) but unreachable: {exc}")
        pytest.skip(
            f"PostgreSQL not reachable at {PG_ADMIN_URL} (start it, or point "
            "FRONTDESK_TEST_PG at one)"
        )


class _Dropper:
    """Drops each worker's test databases (and their roles) on a thread of its own.

    DROP DATABASE makes the server checkpoint and waits for it: seconds on a busy machine,
    which the next test need not wait for. At the end of the session it drops what is
    left before the worker exits."""

    def __init__(self) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="drop-test-databases", daemon=True)
        self._thread.start()

    def drop(self, name: str) -> None:
        self._queue.put(name)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._errors:
            raise self._errors[0]

    def _run(self) -> None:
        admin = None
        while (name := self._queue.get()) is not None:
            try:
                if admin is None or admin.closed:
                    admin = _pg_connect()
                _drop_database(admin, name)
            except BaseException as exc:  # reported by close(), at the end of the session
                self._errors.append(exc)
        if admin is not None:
            admin.close()


def _drop_database(admin, name: str) -> None:
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # Roles are cluster-wide: drop the ones a central store made for this database.
    for (role,) in admin.execute(
        "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (name + "\\_%",)
    ).fetchall():
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture(scope="session")
def _pg_dropper() -> Iterator[_Dropper]:
    dropper = _Dropper()
    try:
        yield dropper
    finally:
        dropper.close()


@pytest.fixture(scope="session")
def _pg_head_template(_pg_dropper: _Dropper) -> Iterator[str]:
    """An empty PostgreSQL database that Alembic brought to the schema head, once per
    worker: `pg_head_url` databases are copies of it (CREATE DATABASE ... TEMPLATE)."""
    from db.migrate import open_store

    admin = _pg_admin()
    name = f"fd_test_head_{uuid.uuid4().hex[:12]}"
    try:
        _create_database(admin, name)
    finally:
        admin.close()
    try:
        engine, _ = open_store(_pg_url_of(name))
        engine.dispose()
        yield name
    finally:
        _pg_dropper.drop(name)  # after the copies: the queue keeps their order


def _create_database(admin, name: str, template: str = "") -> None:
    """A test database whose commits do not wait for the server's disk flush: what a test
    reads back is the same (a commit is visible at once either way); only a crash of the
    server itself could lose the last commits, and no test crashes the server."""
    admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


def _pg_url_of(name: str) -> str:
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def _pg_database(dropper: _Dropper, template: str = "") -> Iterator[str]:
    admin = _pg_admin()
    name = f"fd_test_{uuid.uuid4().hex[:12]}"
    try:
        _create_database(admin, name, template)
    finally:
        admin.close()
    try:
        yield _pg_url_of(name)
    finally:
        dropper.drop(name)


@pytest.fixture
def pg_url(_pg_dropper: _Dropper) -> Iterator[str]:
    """A uniquely named, empty PostgreSQL database, dropped afterwards."""
    yield from _pg_database(_pg_dropper)


@pytest.fixture
def pg_head_url(_pg_dropper: _Dropper, _pg_head_template: str) -> Iterator[str]:
    """A uniquely named PostgreSQL database at the schema head with no rows: a copy of
    one migrated earlier in the session, as `open_store` leaves a new database."""
    yield from _pg_database(_pg_dropper, _pg_head_template)


@pytest.fixture
def desk_with_income(desk) -> Path:
    """The desk with two income entries today and one yesterday (local Jiangmen dates)."""
    from datetime import date, timedelta

    from sqlmodel import select

    from db.models import Payment, Service, Staff
    from db.session import writing

    engine, path = desk
    today = date(2026, 11, 26)
    with writing(engine) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
        svc = s.exec(select(Service).where(Service.code == "JZ01")).one()  # seeded by init
        for day, fen, method in [
            (today, 3500, "cash"),
            (today, 5850, "wechat"),
            (today - timedelta(days=1), 9900, "alipay"),
        ]:
            s.add(
                Payment(
                    site_code="HS01",
                    business_date=day,
                    received_at=FIXED_NOW,
                    amount_fen=fen,
                    method=method,
                    service_id=svc.id,
                    staff_id=clerk.id,
                )
            )
    return path


SNAPSHOT_PEOPLE = [
    ("曾小明", 11, "13800138000"),
    ("欧阳娜娜", 22, "13912345678"),
    ("单长乐", 31, "0750-3312345"),
    ("司徒志强", 41, "15018765432"),
    ("李四", 52, "18620001111"),
    ("甄美玲", 62, "13622223333"),
]


@pytest.fixture
def desk_with_people(desk) -> Path:
    """The desk with a few registrations (multi-character surnames, a landline)."""
    from datetime import date

    from sqlmodel import select

    from db.models import Staff
    from db.session import reading
    from frontdesk.domain.idcard import make_id
    from frontdesk.domain.registration import SeekerInput
    from frontdesk.services.acting import Actor
    from frontdesk.services.seekers import register

    engine, path = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    for i, (name, seq, phone) in enumerate(SNAPSHOT_PEOPLE):
        raw = SeekerInput(
            name=name,
            id_number=make_id("440703", date(1970 + 5 * i, 3, 9), seq),
            phone=phone,
            education="61",
            skills="包装；电商",
            desired_jobs=[("包装", "4500", "蓬江区")],
            consent=True,
        )
        register(engine, Actor("HS01", clerk), raw, FIXED_NOW)
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def central(request, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A central store (its admin URL), a SQLite file or a PostgreSQL database, and an
    engine reading everything in it (a module's own `central` takes its place there)."""
    if request.param == "sqlite":
        url = str(tmp_path / "central.sqlite3")
    else:
        url = request.getfixturevalue("pg_head_url")
    from tests.sync_support import central_store

    central_store(url)
    from db.engine import make_engine

    engine = make_engine(url)
    yield url, engine
    engine.dispose()
