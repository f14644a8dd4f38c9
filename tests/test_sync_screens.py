"""The TUI's background sync, the status bar and the sync screen (Pilot and snapshots)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update

from db.engine import make_engine
from db.models import Person, SyncReject, SyncState
from frontdesk.sync.admin import add_site, init_central
from screens import background_sync
from screens.common.widgets import StatusBar
from screens.desk.sync_screen import SyncScreen
from tests.conftest import MANAGER_PIN
from tests.sync_support import pending, register_people
from tests.tui_support import make_app, settle, sign_in

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rounds start only when a test asks: the timer would make runs depend on the machine.
    monkeypatch.setattr(background_sync, "TICK_S", 3600)


def status_text(app) -> str:
    return str(app.screen.query_one(StatusBar).render())


async def test_sync_now_from_the_sync_screen_pushes_and_shows_online(desk, tmp_path) -> None:
    engine, path = desk
    central = str(tmp_path / "central.sqlite3")
    init_central(central)
    add_site(central, "HS01", "白沙社区")
    register_people(engine, "HS01", 0, 4)
    app = make_app(path, central_url=central)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        assert "未同步" in status_text(app)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert "在线" in status_text(app) and "待 0" in status_text(app)
        assert pending(engine) == 0
        await pilot.press("escape")
        await settle(pilot)
        assert "在线" in status_text(app)  # the home screen's bar shows it too
    hq = make_engine(central)
    with hq.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 4
    hq.dispose()


async def test_an_unreachable_central_store_shows_offline_and_the_error(desk, tmp_path) -> None:
    engine, path = desk
    register_people(engine, "HS01", 0, 2)
    app = make_app(path, central_url="postgresql://nobody@127.0.0.1:1/none")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        app.sync.now()
        await settle(pilot)
        assert "离线" in status_text(app)
        await pilot.press("f8")
        await settle(pilot)
        lines = str(app.screen.query_one("#sync-lines").render())
        assert "无法连接中心库" in lines
        # Typing still works while offline: the desk is not blocked.
        await pilot.press("escape", "f2")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "SeekerListScreen"
    assert pending(engine) > 0


async def test_without_a_central_store_sync_is_not_configured(desk) -> None:
    _, path = desk
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        assert "未配置" in status_text(app)
        await pilot.press("f8", "f5")
        await settle(pilot)
        assert not app.sync.running


@pytest.fixture
def synced_desk(desk, tmp_path: Path) -> Path:
    """A desk with a fixed sync history: two quarantined rows and an old error."""
    engine, path = desk
    at = datetime(2026, 11, 26, 2, 15, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            update(SyncState).values(
                online=True,
                last_success_at=at,
                last_attempt_at=at,
                last_error="",
                clock_offset_s=420,
            )
        )
        conn.execute(
            insert(SyncReject),
            [
                {
                    "id": 1,
                    "seq": 118,
                    "table_name": "payments",
                    "row_id": uuid.UUID("01a2a3b4-0000-7000-8000-000000000001"),
                    "row_version": 1,
                    "reason": "frontdesk: business day closed",
                    "at": at,
                },
                {
                    "id": 2,
                    "seq": 131,
                    "table_name": "people",
                    "row_id": uuid.UUID("01c5d6e7-0000-7000-8000-000000000002"),
                    "row_version": 3,
                    "reason": "conflict: stored version 5, sent 3",
                    "at": at,
                },
            ],
        )
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sync_screen(snap_compare, synced_desk: Path, lang: str) -> None:
    async def open_sync(pilot) -> None:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f8")
        await settle(pilot)

    app = make_app(synced_desk, lang=lang, central_url="/srv/frontdesk/central.sqlite3")
    assert snap_compare(app, terminal_size=SIZE, run_before=open_sync)


async def test_r_sends_a_quarantined_row_again(desk, tmp_path) -> None:
    from sqlalchemy import text

    from db.models import Outbox

    engine, path = desk
    central = str(tmp_path / "central.sqlite3")
    init_central(central)
    add_site(central, "HS01", "白沙社区")
    hq = make_engine(central)
    with hq.begin() as conn:  # a central rule the first person breaks, lifted later
        conn.execute(
            text(
                "CREATE TRIGGER t_refuse BEFORE INSERT ON people WHEN NEW.notes = 'x' "
                "BEGIN SELECT RAISE(ABORT, 'notes refused'); END"
            )
        )
    register_people(engine, "HS01", 0, 2)
    with engine.begin() as conn:
        first = conn.execute(select(Person.id).order_by(Person.id)).scalars().first()
        conn.execute(
            update(Person)
            .where(Person.id == first)
            .values(notes="x", row_version=Person.row_version + 1)
        )
    app = make_app(path, central_url=central)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        app.sync.now()
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "notes refused" in str(app.screen.query_one("#rejects").render_line(1))
        with hq.begin() as conn:
            conn.execute(text("DROP TRIGGER t_refuse"))
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        with engine.connect() as conn:
            resent = conn.execute(select(Outbox).where(Outbox.op == "R")).one()
            assert conn.execute(select(func.count()).select_from(SyncReject)).scalar_one() == 0
        assert resent.row_id == first
        assert pending(engine) == 0
        assert not app.screen.query_one("#rejects").display  # the list is empty now
    with hq.connect() as conn:
        assert conn.execute(select(Person.notes).where(Person.id == first)).scalar() == "x"
    hq.dispose()


async def test_the_screen_shows_the_pending_count_and_each_heading_above_its_note(desk) -> None:
    engine, path = desk
    register_people(engine, "HS01", 0, 3)
    app = make_app(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f8")
        await settle(pilot)
        lines = str(app.screen.query_one("#sync-lines").render())
        assert f"Changes waiting to be sent: {pending(engine)}" in lines and pending(engine) > 0
        assert "No quarantined rows" not in lines  # under its own heading, not the first one
        shown = [str(w.render()) for w in app.screen.query("#sync Static") if w.display]
        heading = shown.index("Rows the central store quarantined")
        assert shown[heading + 1] == "No quarantined rows"


async def test_a_demo_database_says_it_never_syncs(tmp_path) -> None:
    from frontdesk.services.desk import DeskSetup, init_desk

    path = tmp_path / "demo.sqlite3"
    init_desk(path, DeskSetup("HS01", "白沙社区", "陈主任", MANAGER_PIN), demo=True).dispose()
    app = make_app(path, lang="en", central_url=str(tmp_path / "central.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, MANAGER_PIN)
        await pilot.press("f8")
        await settle(pilot)
        lines = str(app.screen.query_one("#sync-lines").render())
        assert lines.startswith("A demo database never syncs")
        assert "Changes waiting to be sent" in lines and "Central store" not in lines
        await pilot.press("f5")
        await settle(pilot)
        assert not app.sync.running
