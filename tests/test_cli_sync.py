"""`frontdesk central init|add-site`, `sync` and `restore` as scripts call them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import init, run


@pytest.fixture
def central(tmp_path: Path) -> str:
    url = str(tmp_path / "central.sqlite3")
    done = run("central", "init", "--central", url)
    assert done.returncode == 0, done.stderr
    assert url in done.stdout
    return url


def test_sync_round_trip_and_restore(central: str, tmp_path: Path) -> None:
    added = run(
        "central", "add-site", "--central", central, "--site", "HS01", "--site-name", "白沙"
    )
    assert added.returncode == 0, added.stderr
    assert "HS01" in added.stdout
    desk = tmp_path / "desk.sqlite3"
    assert init(desk).returncode == 0
    first = run("sync", "--db", str(desk), "--central", central, lang="en")
    assert first.returncode == 0, first.stderr
    assert "0 pending" in first.stdout
    again = run("sync", "--db", str(desk), "--central", central, lang="en")
    assert again.returncode == 0 and "Pushed 0 rows" in again.stdout
    rebuilt = tmp_path / "rebuilt.sqlite3"
    restored = run("restore", "--central", central, "--site", "HS01", "--db", str(rebuilt))
    assert restored.returncode == 0, restored.stderr
    assert run("check", "--db", str(rebuilt)).returncode == 0
    refused = run("restore", "--central", central, "--site", "HS01", "--db", str(rebuilt))
    assert refused.returncode == 1
    assert "已存在" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    # The old desk is now refused: one line, in the user's language, exit 1.
    old = run("sync", "--db", str(desk), "--central", central)
    assert old.returncode == 1
    assert "另一个前台数据库" in old.stderr and len(old.stderr.strip().splitlines()) == 1


def test_sync_without_a_central_store_says_how_to_set_one(tmp_path: Path) -> None:
    desk = tmp_path / "desk.sqlite3"
    assert init(desk).returncode == 0
    done = run("sync", "--db", str(desk), lang="en")
    assert done.returncode == 1
    assert "central_url" in done.stderr


def test_sync_to_an_unreachable_server_exits_1_with_rows_kept(tmp_path: Path) -> None:
    desk = tmp_path / "desk.sqlite3"
    assert init(desk).returncode == 0
    done = run("sync", "--db", str(desk), "--central", "postgresql://x@127.0.0.1:1/none")
    assert done.returncode == 1
    assert "无法连接中心库" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_sync_to_a_file_that_is_not_a_central_store(central: str, tmp_path: Path) -> None:
    desk = tmp_path / "desk.sqlite3"
    other = tmp_path / "other.sqlite3"
    assert init(desk).returncode == 0 and init(other).returncode == 0
    done = run("sync", "--db", str(desk), "--central", str(other), lang="en")
    assert done.returncode == 1 and "not a central store" in done.stderr
    as_central = run("central", "init", "--central", str(other), lang="en")
    assert as_central.returncode == 1 and "desk database" in as_central.stderr


def test_add_site_twice_and_bad_codes(central: str) -> None:
    args = ("central", "add-site", "--central", central, "--site-name", "白沙")
    assert run(*args, "--site", "HS01").returncode == 0
    twice = run(*args, "--site", "HS01", lang="en")
    assert twice.returncode == 1 and "registered already" in twice.stderr
    assert run(*args, "--site", "HQ").returncode == 1
    assert run(*args, "--site", "bad code!").returncode == 1


def test_central_init_twice_is_an_upgrade_not_an_error(central: str) -> None:
    assert run("central", "init", "--central", central).returncode == 0
