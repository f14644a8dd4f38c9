"""The command line's slips: a missing path creates nothing, `check` writes nothing, a bad
month is wrong usage, drivers' errors are one translated line, --help speaks Chinese, a
report of a day still to come says so."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from frontdesk import i18n
from frontdesk.cli.driver_words import say
from tests.conftest import PG_ADMIN_URL
from tests.test_cli import init, run

PG_SERVER = PG_ADMIN_URL.rsplit("/", 1)[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def desk_file(tmp_path: Path) -> Path:
    db = tmp_path / "desk.sqlite3"
    assert init(db).returncode == 0
    return db


# --- a path that does not exist creates nothing ------------------------------------------------


@pytest.mark.parametrize("form", ["path", "url"])
def test_sync_to_a_missing_central_file_creates_nothing(desk_file: Path, form: str) -> None:
    central = desk_file.parent / "typo" / "central.sqlite3"
    central.parent.mkdir()
    given = str(central) if form == "path" else f"sqlite:///{central}"
    before = sorted(desk_file.parent.rglob("*"))
    out = run("sync", "--db", str(desk_file), "--central", given)
    assert out.returncode == 1
    assert out.stderr.strip() == (
        f"中心库 {central} 不存在：请检查路径，或先在总部运行 frontdesk central init"
    )
    assert not central.exists() and sorted(desk_file.parent.rglob("*")) == before


def test_restore_and_hq_report_from_a_missing_central_file_create_nothing(
    tmp_path: Path,
) -> None:
    central, new = tmp_path / "central.sqlite3", tmp_path / "new.sqlite3"
    out = run("restore", "--central", str(central), "--site", "HS01", "--db", str(new))
    assert out.returncode == 1 and "不存在" in out.stderr
    out = run("hq", "report", "--central", str(central), "--month", "2026-11", lang="en")
    assert out.returncode == 1
    assert out.stderr.strip().startswith(f"The central store {central} does not exist")
    assert list(tmp_path.iterdir()) == []  # nothing made


def test_a_command_that_only_reads_makes_no_data_folder() -> None:
    data = Path(os.environ["FRONTDESK_DATA_DIR"])  # the default database's folder
    assert not data.exists()
    for args in (
        ["check"],
        ["report", "day", "--date", "2026-11-26"],
        ["sync"],
        ["restore", "--central", str(data.parent / "central.sqlite3"), "--site", "HS01"],
    ):
        out = run(*args)
        assert out.returncode == 1, (args, out.stderr)
        assert not data.exists(), args


# --- check writes nothing ------------------------------------------------------------------------


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_check_never_writes_to_the_file_it_checks(desk_file: Path, journal: str) -> None:
    with sqlite3.connect(desk_file) as conn:  # as another program (or an old copy) left it
        assert conn.execute(f"PRAGMA journal_mode = {journal}").fetchone() == (journal,)
    conn.close()
    before, stamp = digest(desk_file), desk_file.stat().st_mtime_ns
    out = run("check", "--db", str(desk_file))
    assert out.returncode == 0, out.stderr
    assert digest(desk_file) == before and desk_file.stat().st_mtime_ns == stamp
    with sqlite3.connect(desk_file) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == (journal,)
    conn.close()


# --- hq report --month --------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2026-1", "2026-13", "26-11", "2026/11", "2026-11-01"])
def test_a_bad_month_is_wrong_usage(tmp_path: Path, month: str) -> None:
    central = tmp_path / "central.sqlite3"
    out = run("hq", "report", "--central", str(central), "--month", month)
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == f"用法错误：参数 --month：月份格式应为 YYYY-MM：{month}"
    out = run("hq", "report", "--central", str(central), "--month", month, lang="en")
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == f"Wrong usage: --month: A month is YYYY-MM: {month}"
    assert not central.exists()


# --- drivers' errors ---------------------------------------------------------------------------


def one_line(out) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr and "FATAL" not in out.stderr
    assert "Background on this error" not in out.stderr
    return lines[0]


@pytest.mark.postgres
def test_postgres_refusals_are_one_translated_line(tmp_path: Path) -> None:
    missing = f"{PG_SERVER}/frontdesk_no_such_database"
    for args in (
        ["hq", "report", "--central", missing, "--month", "2026-11"],
        ["restore", "--central", missing, "--site", "HS01", "--db", str(tmp_path / "r.sqlite3")],
        ["central", "add-site", "--central", missing, "--site", "HS01", "--site-name", "白沙"],
    ):
        out = run(*args)
        assert out.returncode == 1, args
        assert "服务器上没有名为 frontdesk_no_such_database 的数据库" in one_line(out), args
    assert not (tmp_path / "r.sqlite3").exists()
    out = run("hq", "report", "--central", f"{PG_SERVER}/postgres", "--month", "2026-11")
    assert out.returncode == 1 and "中心库" in one_line(out)  # a server, but no central store


def test_a_server_that_is_not_there_is_one_translated_line(tmp_path: Path) -> None:
    out = run("hq", "report", "--central", "postgresql://x@127.0.0.1:1/c", "--month", "2026-11")
    assert out.returncode == 1
    assert "无法连接 127.0.0.1 的端口 1：服务器没有运行，或不接受连接" in one_line(out)


def test_driver_words_in_both_languages() -> None:
    said = {
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
        'password authentication failed for user "hs01"': "登录名 hs01 的密码不对",
        "failed to resolve host 'db.example': Name or service not known": (
            "找不到服务器 db.example：请检查地址"
        ),
        "database disk image is malformed": "数据库文件已损坏",
        "something\n  new   (Background on this error at: https://sqlalche.me/e/21/e3q8)": (
            "something new"
        ),
    }
    for text, words in said.items():
        assert say(text) == words
    i18n.set_language("en")
    assert say('FATAL:  role "hq" does not exist') == "The server has no login hq"


# --- --help in Chinese ------------------------------------------------------------------------


def test_help_is_chinese_in_chinese_mode() -> None:
    for args in (["--help"], ["init", "--help"], ["hq", "report", "--help"]):
        out = run(*args)
        assert out.returncode == 0
        assert out.stdout.startswith("用法：frontdesk")
        assert "选项:" in out.stdout and "显示本帮助后退出" in out.stdout
        for english in ("usage:", "options:", "show this help", "show program's"):
            assert english not in out.stdout, (args, english)
    out = run("report", "day")  # a usage message
    assert out.returncode == 2 and out.stderr.startswith("用法：frontdesk report day")
    out = run("--help", lang="en")
    assert out.stdout.startswith("usage: frontdesk") and "show this help message" in out.stdout


# --- a day still to come -------------------------------------------------------------------


def test_report_day_for_a_future_date_says_so(desk_file: Path) -> None:
    out = run("report", "day", "--db", str(desk_file), "--date", "2099-01-01")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith("2099-01-01 还没有到（今天是 ")
    out = run("report", "day", "--db", str(desk_file), "--date", "2099-01-01", lang="en")
    assert out.stderr.startswith("2099-01-01 has not come yet (today is ")
