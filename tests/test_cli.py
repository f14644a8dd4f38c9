"""The command-line contract (../shared/CLI.md): commands, messages, exit codes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_support import run_cli
from tests.db_templates import built, copy_sqlite

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str, lang: str | None = None, pin: str | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The command in this process (tests/cli_support.py); with a `prefix` (a program
    to run it under), or for `--version`, in a new interpreter as a shell starts it."""
    if not prefix and args != ("--version",):
        return run_cli(*args, lang=lang, pin=pin)
    env = dict(os.environ)
    env.pop("FRONTDESK_LANG", None)
    env.pop("FRONTDESK_PIN", None)
    if lang:
        env["FRONTDESK_LANG"] = lang
    if pin:
        env["FRONTDESK_PIN"] = pin
    return subprocess.run(
        [*prefix, sys.executable, "-m", "frontdesk", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


INIT_PIN = "246810"  # a PIN chosen at `init` has six digits or more


def init(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(
        "init",
        "--db",
        str(db),
        "--site",
        "HS01",
        "--site-name",
        "白沙社区",
        "--manager",
        "陈主任",
        "--pin",
        INIT_PIN,
        *extra,
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("frontdesk 0.")


def test_init_then_check_then_backup(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    out = init(db)
    assert out.returncode == 0, out.stderr
    assert "HS01" in out.stdout
    assert run("check", "--db", str(db)).returncode == 0
    copy = tmp_path / "copy.sqlite3"
    out = run("backup", "--db", str(db), "-o", str(copy))
    assert out.returncode == 0, out.stderr
    assert run("check", "--db", str(copy)).returncode == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT code FROM sites").fetchone() == ("HS01",)


def test_backup_never_overwrites(tmp_path: Path) -> None:
    db, copy = tmp_path / "desk.sqlite3", tmp_path / "copy.sqlite3"
    init(db)
    copy.write_text("keep me")
    out = run("backup", "--db", str(db), "-o", str(copy), lang="en")
    assert out.returncode == 1 and "will not be overwritten" in out.stderr
    assert copy.read_text() == "keep me"


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    init(db)
    before = db.read_bytes()
    out = init(db)
    assert out.returncode == 1 and "已是一个前台数据库" in out.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "x"], "A site code is 2 to 16"),
        (["--pin", "12"], "A new PIN is 6 to 12 digits"),
        (["--pin", "2468"], "A new PIN is 6 to 12 digits"),  # four digits: not for a new PIN
        (["--pin", "1234567890123"], "A new PIN is 6 to 12 digits"),
        (["--manager", " "], "manager's name"),
    ],
)
def test_bad_init_input_is_named_and_writes_nothing(tmp_path: Path, args, message) -> None:
    db = tmp_path / "desk.sqlite3"
    base = {"--site": "HS01", "--site-name": "白沙社区", "--manager": "陈主任", "--pin": INIT_PIN}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for pair in base.items() for x in pair]
    out = run("--lang", "en", "init", "--db", str(db), *flat)
    assert out.returncode == 1 and message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    for cmd in (["check"], ["backup", "-o", str(tmp_path / "b.sqlite3")]):
        out = run(*cmd, "--db", str(notes))
        assert out.returncode == 1 and "不是前台数据库" in out.stderr
    out = init(notes)
    assert out.returncode == 1
    assert notes.read_text() == "shopping list"
    assert not (tmp_path / "b.sqlite3").exists()


def test_wrong_usage_exits_2_saying_why_in_the_users_language() -> None:
    out = run("frobnicate")
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1].startswith("用法错误：command 不能是 'frobnicate'，可选：")
    out = run("init", "--db", "x.sqlite3")  # required flags missing
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == "用法错误：缺少必需的参数：--site, --site-name, --manager"
    out = run("report", "day", "--date", lang="en")
    assert out.stderr.splitlines()[-1] == "Wrong usage: --date needs a value after it"
    out = run("demo", "--seed", "x")
    assert out.returncode == 2 and out.stderr.splitlines()[-1] == "用法错误：--seed 的值不对：'x'"
    out = run("report", "day", "--date", "2026-13-01", lang="en")
    assert out.stderr.splitlines()[-1] == (
        "Wrong usage: --date: a date is written YYYY-MM-DD: 2026-13-01"
    )
    out = run("--lang", "en", "check", "--bogus")
    assert out.returncode == 2 and out.stderr.splitlines()[-1] == (
        "Wrong usage: unknown arguments: --bogus"
    )


def test_broken_config_is_reported(tmp_path: Path) -> None:
    Path(os.environ["FRONTDESK_CONFIG"]).write_text("idle_lock_minutes = -1\n")
    out = run("check", "--db", str(tmp_path / "x.sqlite3"), lang="en")
    assert out.returncode == 1 and "idle_lock_minutes" in out.stderr


def test_check_finds_rows_missing_from_the_outbox(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    init(db)
    with sqlite3.connect(db) as conn:  # simulate a write that went around the triggers
        conn.execute("DROP TRIGGER fd_partners_ins")
        conn.execute(
            "INSERT INTO partners (id, site_code, created_at, updated_at, row_version, name, "
            "kind, contact, active) VALUES ('0' || hex(randomblob(15)), 'HS01', "
            "'2026-01-01', '2026-01-01', 1, 'X', '', '', 1)"
        )
    conn.close()
    out = run("check", "--db", str(db), lang="en")
    assert out.returncode == 1
    assert "fd_partners_ins" in out.stderr and "partners: 1 rows" in out.stderr


def test_demo_builds_once_and_refuses_real_data(tmp_path: Path) -> None:
    demo = tmp_path / "demo.sqlite3"
    out = run("demo", "--no-tui", "--db", str(demo), "--seed", "7")
    assert out.returncode == 0, out.stderr
    assert "1234" in out.stdout
    assert run("check", "--db", str(demo)).returncode == 0
    again = run("demo", "--no-tui", "--db", str(demo), lang="en")
    assert again.returncode == 0 and "already holds demo data" in again.stdout
    real = tmp_path / "real.sqlite3"
    init(real)
    out = run("demo", "--no-tui", "--db", str(real), lang="en")
    assert out.returncode == 1 and "real data" in out.stderr


# Root writes anywhere by its capabilities, not by the mode bits; setpriv runs the command
# with none, as an ordinary user would be (no mount, no other account, nothing to undo).
NO_CAPABILITIES = ("setpriv", "--inh-caps=-all", "--bounding-set=-all") if os.geteuid() == 0 else ()


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder its owner may read but not write in."""
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o555)
    yield target
    target.chmod(0o755)


def test_read_only_location_is_refused(readonly_dir: Path) -> None:
    db = str(readonly_dir / "desk.sqlite3")
    site = ("--site", "HS01", "--site-name", "白沙社区", "--manager", "陈主任", "--pin", INIT_PIN)
    out = run("init", "--db", db, *site, lang="en", prefix=NO_CAPABILITIES)
    assert out.returncode == 1 and "Cannot write files in" in out.stderr
    assert list(readonly_dir.iterdir()) == []


def test_missing_folder_is_named(tmp_path: Path) -> None:
    out = init(tmp_path / "nowhere" / "desk.sqlite3", "--lang", "en")
    assert out.returncode == 1 and "does not exist" in out.stderr


def test_corrupt_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    init(db)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # trash the schema page, keep the header
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    out = run("check", "--db", str(db), lang="en")
    assert out.returncode == 1 and "database" in out.stderr.lower(), out.stderr
    assert len(out.stderr.strip().splitlines()) <= 3  # a message, not a traceback
    assert db.read_bytes() == before


def _demo(folder: Path) -> None:
    assert run("demo", "--no-tui", "--db", str(folder / "demo.sqlite3")).returncode == 0


def demo_copy(dest: Path) -> Path:
    """A demo desk as `frontdesk demo` builds it, built once per test process."""
    return copy_sqlite(built("cli-demo", _demo) / "demo.sqlite3", dest)


def test_check_finds_people_without_search_keys(tmp_path: Path) -> None:
    db = demo_copy(tmp_path / "demo.sqlite3")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "DELETE FROM person_keys WHERE person_id = (SELECT person_id FROM person_keys LIMIT 1)"
        )
    conn.close()
    out = run("check", "--db", str(db), lang="en")
    assert out.returncode == 1 and "no search keys" in out.stderr


def test_check_finds_a_stale_dispatch_index(tmp_path: Path) -> None:
    db = demo_copy(tmp_path / "demo.sqlite3")
    assert run("check", "--db", str(db)).returncode == 0  # every person's rows as they should be
    with sqlite3.connect(db) as conn:  # one wish dropped, one person's reliability changed
        conn.execute("DELETE FROM person_jobs WHERE rowid = (SELECT min(rowid) FROM person_jobs)")
        conn.execute(
            "UPDATE person_jobs SET reliability = reliability - 1 "
            "WHERE person_id = (SELECT max(person_id) FROM person_jobs)"
        )
    conn.close()
    out = run("check", "--db", str(db), lang="en")
    assert out.returncode == 1 and "2 job seekers' dispatch index differs" in out.stderr


def test_a_pin_need_not_be_on_the_command_line(tmp_path: Path) -> None:
    """--pin shows in the process list; FRONTDESK_PIN (or typing it at a terminal) does not."""
    db = tmp_path / "desk.sqlite3"
    setup = ("init", "--db", str(db), "--site", "HS01", "--site-name", "白沙社区")
    out = run(*setup, "--manager", "陈主任", lang="en")  # no PIN anywhere, no terminal
    assert out.returncode == 2 and "FRONTDESK_PIN" in out.stderr
    assert not db.exists()
    out = run(*setup, "--manager", "陈主任", pin=INIT_PIN)
    assert out.returncode == 0, out.stderr
    export = ("export", "seekers", "--db", str(db), "--manager", "陈主任")
    out = run(*export, "-o", str(tmp_path / "a.csv"), pin="1357", lang="en")
    assert out.returncode == 1 and not (tmp_path / "a.csv").exists()  # a wrong PIN
    out = run(*export, "-o", str(tmp_path / "b.csv"), pin=INIT_PIN)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "b.csv").exists()


def test_init_asks_for_the_pin_twice_at_a_terminal(tmp_path, monkeypatch, capsys) -> None:
    import getpass

    from frontdesk.cli import main

    monkeypatch.delenv("FRONTDESK_PIN", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    db = tmp_path / "desk.sqlite3"
    setup = ["--lang", "en", "init", "--db", str(db), "--site", "HS01", "--site-name", "白沙社区"]
    typed = iter([INIT_PIN, "246811"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert main([*setup, "--manager", "陈主任"]) == 1
    assert "The two PINs differ" in capsys.readouterr().err and not db.exists()
    typed = iter([INIT_PIN, INIT_PIN])
    assert main([*setup, "--manager", "陈主任"]) == 0
    assert db.exists()
