"""A long seeker import (issue 16 items 5 and 6): read and written a batch at a time inside
one transaction, its progress told as it goes, and a cancel, by Esc in the dialog or Ctrl+C
at the command line, leaves nothing written."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import select as query

from db.models import Staff
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.services.acting import Actor
from frontdesk.services.seeker_io import BATCH, import_seekers
from frontdesk.services.spreadsheets import ImportCancelled, ImportRejected, SheetStream
from tests.conftest import CLERK_PIN, FIXED_NOW
from tests.spreadsheets import write_csv, write_xlsx
from tests.tui_support import make_app, settle, sign_in

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["姓名", "身份证号", "手机号", "学历", "技能", "求职意向"]
SURNAMES = "张王李赵刘陈杨黄曾单"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def many(count: int) -> list[list[str]]:
    """`count` valid registrations, each its own ID number and mobile."""
    rows = []
    for n in range(count):
        born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
        name = SURNAMES[n % 10] + GIVEN[n // 10 % 20] + GIVEN[n // 200 % 20]
        rows.append(
            [name, make_id("440703", born, n % 1000), f"139{n:08d}", "高中", "包装", "普工"]
        )
    return rows


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(query(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def written(engine) -> dict[str, int]:
    """Rows of everything an import writes (the import's own audit row included)."""
    counts = {}
    with reading(engine) as s:
        for table in ("people", "person_keys", "person_jobs"):
            counts[table] = s.exec(query(func.count()).select_from(text(table))).one()
        counts["outbox"] = s.exec(
            text("SELECT count(*) FROM outbox WHERE table_name = 'people'")
        ).scalar_one()
        counts["audit"] = s.exec(
            text("SELECT count(*) FROM audit_log WHERE action LIKE 'seeker%'")
        ).scalar_one()
    return counts


NOTHING = {"people": 0, "person_keys": 0, "person_jobs": 0, "outbox": 0, "audit": 0}


# --- the service ---------------------------------------------------------------------------


def test_progress_is_told_after_each_batch(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    count = 2 * BATCH + 500
    told: list[tuple[int, int | None]] = []
    path = write_csv(tmp_path / "in.csv", HEADER, many(count))
    result = import_seekers(engine, actor, path, FIXED_NOW, progress=lambda *a: told.append(a))
    assert result.imported == count
    assert told == [(BATCH, count), (2 * BATCH, count), (count, count)]
    counts = written(engine)
    assert counts["people"] == counts["outbox"] == count and counts["audit"] == count + 1
    assert counts["person_jobs"] == 2 * count  # 普工 wished for, 包装 held
    assert counts["person_keys"] > 3 * count


def test_an_xlsx_tells_the_rows_it_says_it_has(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    path = write_xlsx(tmp_path / "in.xlsx", HEADER, many(BATCH + 10))  # its <dimension> is set
    told: list[tuple[int, int | None]] = []
    import_seekers(engine, actor, path, FIXED_NOW, progress=lambda *a: told.append(a))
    assert told == [(BATCH, BATCH + 10), (BATCH + 10, BATCH + 10)]


def test_a_cancel_between_batches_leaves_nothing_written(desk, actor, tmp_path: Path) -> None:
    engine, _ = desk
    path = write_csv(tmp_path / "in.csv", HEADER, many(3 * BATCH))
    told = []

    def progress(done: int, total: int | None) -> None:
        told.append(done)
        if done >= 2 * BATCH:  # two batches are in the transaction by now
            raise ImportCancelled()

    with pytest.raises(ImportCancelled) as caught:
        import_seekers(engine, actor, path, FIXED_NOW, progress=progress)
    assert caught.value.message() == "导入已取消，未写入任何记录"
    assert told == [BATCH, 2 * BATCH]
    assert written(engine) == NOTHING


def test_a_problem_in_a_late_batch_rolls_back_the_batches_before(
    desk, actor, tmp_path: Path
) -> None:
    engine, _ = desk
    rows = many(2 * BATCH + 20)
    rows[-3][2] = "12345"  # sheet row 2 * BATCH + 19
    with pytest.raises(ImportRejected) as caught:
        import_seekers(engine, actor, write_csv(tmp_path / "in.csv", HEADER, rows), FIXED_NOW)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2 * BATCH + 19, "手机号")
    assert written(engine) == NOTHING


def test_rows_are_read_as_they_are_asked_for(tmp_path: Path) -> None:
    """The sheet is not read ahead: after one batch, one batch's rows have been read."""
    from frontdesk.services.seeker_io import SEEKER_COLUMNS

    path = write_csv(tmp_path / "in.csv", HEADER, many(3 * BATCH))
    with SheetStream(path, SEEKER_COLUMNS) as stream:
        rows = stream.entries()
        first = [next(rows) for _ in range(BATCH)]
        assert stream.read == BATCH and stream.total == 3 * BATCH
        assert first[0][0] == 2 and first[-1][0] == BATCH + 1  # sheet row numbers


# --- the dialog ----------------------------------------------------------------------------


async def test_esc_cancels_the_import_in_the_dialog(desk, tmp_path: Path) -> None:
    from screens.desk.seeker_io import ImportSeekersScreen

    engine, db = desk
    path = write_csv(tmp_path / "in.csv", HEADER, many(3 * BATCH))
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        results: list = []
        app.push_screen(ImportSeekersScreen(), callback=results.append)
        await settle(pilot)
        screen = app.screen
        # The worker waits after its first batch until Esc has been pressed, so the key
        # lands mid-import however fast the machine is.
        pressed = threading.Event()
        told = screen._told

        def after_esc(done: int, total: int | None) -> None:
            assert pressed.wait(30)
            told(done, total)

        screen._told = after_esc
        screen.query_one("#import-file").value = str(path)
        await pilot.press("enter")
        assert screen.busy and screen.check_action("cancel_import", ()) is True
        assert screen.check_action("close", ()) is False  # Esc is "cancel" while it runs
        await pilot.press("escape")
        pressed.set()
        await settle(pilot)
        report = str(screen.query_one("#import-report-text").render())
        assert "导入已取消，未写入任何记录" in report
        assert not screen.busy and app.screen is screen  # still open, to try again
        await pilot.press("escape")
        await settle(pilot)
        assert results == [None]
    assert written(engine) == NOTHING


async def test_the_dialog_shows_rows_rate_and_time_left(desk, tmp_path: Path) -> None:
    from textual.widgets import ProgressBar

    from screens.desk.seeker_io import ImportSeekersScreen

    _, db = desk
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, CLERK_PIN, staff_index=1)
        app.push_screen(ImportSeekersScreen())
        await settle(pilot)
        screen = app.screen
        bar = screen.query_one("#import-progress-bar", ProgressBar)
        assert not bar.display  # nothing running: no bar
        screen.show_progress(12_000, 100_000, 1.5)
        await pilot.pause()
        assert bar.display and (bar.progress, bar.total) == (12_000, 100_000)
        report = str(screen.query_one("#import-report-text").render())
        assert report.splitlines() == [
            "已读 12,000 / 100,000 行 · 每秒 8,000 行 · 约剩 11 秒",
            "按 Esc 取消导入（不写入任何记录）",
        ]
        screen.show_progress(3_000, None, 2.0)  # a workbook that does not say its size
        await pilot.pause()
        assert bar.total is None
        assert "已读 3,000 行 · 每秒 1,500 行" in str(
            screen.query_one("#import-report-text").render()
        )


# --- the command line ----------------------------------------------------------------------


def test_ctrl_c_at_the_terminal_cancels_with_nothing_written(desk, tmp_path: Path) -> None:
    """stderr is a terminal (a pty): the bar is drawn; Ctrl+C once it shows stops the import
    at its next batch, exit 1 with one line, and nothing is written."""
    engine, db = desk
    path = write_csv(tmp_path / "in.csv", HEADER, many(6 * BATCH))
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    command = [sys.executable, "-m", "frontdesk", "import", "seekers", str(path), "--db", str(db)]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    shown = b""
    interrupted = False
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            shown += chunk
        if not interrupted and "导入求职登记".encode() in shown and b"/6000" in shown:
            proc.send_signal(signal.SIGINT)  # as Ctrl+C at the terminal sends it
            interrupted = True
        if proc.poll() is not None and not ready:
            break
    os.close(leader)
    assert proc.wait(timeout=60) == 1 and interrupted
    said = shown.decode(errors="replace")
    assert "导入已取消，未写入任何记录" in said
    assert proc.stdout is not None and proc.stdout.read() == b""
    assert written(engine) == NOTHING


def test_a_file_that_miscounts_its_rows_tells_no_total(desk, actor, tmp_path: Path) -> None:
    """Old Mac line ends (CR alone) have no line feeds to count: the rows are read all the
    same and progress says how many, without a total to run out."""
    engine, _ = desk
    lines = [",".join(HEADER), *(",".join(row) for row in many(BATCH + 5))]
    path = tmp_path / "in.csv"
    path.write_bytes("\r".join(lines).encode("utf-8"))
    told: list[tuple[int, int | None]] = []
    result = import_seekers(engine, actor, path, FIXED_NOW, progress=lambda *a: told.append(a))
    assert result.imported == BATCH + 5
    assert told == [(BATCH, None), (BATCH + 5, None)]
