"""The desk TUI's resident memory (issue #21 item 2, bench/README.md "What the TUI's memory is
made of"): what a desk that signs in and searches keeps, checked in fresh interpreters."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MANAGER_PIN

ROOT = Path(__file__).resolve().parent.parent

# Two scrypts (n=2**14, r=8: 16 MiB each) in a thread, as a sign-in runs them (the PIN's hash,
# then the PIN's key slot); prints the growth of RssAnon in MiB.
_TWO_SCRYPTS = """
import hashlib, sys, threading
from pathlib import Path
def anon():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
if sys.argv[1] == "fixed":
    from screens.runtime import give_back_large_blocks
    give_back_large_blocks()
def work():
    for _ in range(2):
        hashlib.scrypt(b"2468", salt=b"0123456789abcdef", n=2**14, r=8, p=1, dklen=32)
before = anon()
worker = threading.Thread(target=work)
worker.start()
worker.join()
print(anon() - before)
"""

# The shell opens the desk as its background worker does, then signs the manager in from a
# thread, as the sign-in screen does; prints the growth of RssAnon across the sign-in.
_SIGN_IN = """
import sys, threading
from datetime import UTC, datetime
from pathlib import Path
from frontdesk.config import load
from screens.desk_app import FrontdeskApp
def anon():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
app = FrontdeskApp(load({"db": Path(sys.argv[1])}), blink=False)
desk = app.ensure_desk()
from frontdesk.services.auth import sign_in, sign_in_choices
manager = next(c for c in sign_in_choices(desk.engine) if c.role == "manager")
sign_in(desk.engine, manager.id, sys.argv[2], datetime.now(UTC))  # lazy imports, caches
before = anon()
worker = threading.Thread(
    target=lambda: sign_in(desk.engine, manager.id, sys.argv[2], datetime.now(UTC))
)
worker.start()
worker.join()
print(anon() - before)
desk.engine.dispose()
"""


def _run(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_large_blocks_go_back_after_two_scrypts_in_a_thread() -> None:
    # glibc's default: the first 16 MiB block is unmapped when freed, and the threshold
    # rises to its size, so the second one stays in the thread's arena once freed.
    assert float(_run(_TWO_SCRYPTS, "default")) > 12
    assert float(_run(_TWO_SCRYPTS, "fixed")) < 4


def test_a_sign_in_leaves_no_scrypt_block_resident(desk) -> None:
    _, path = desk
    assert float(_run(_SIGN_IN, str(path), MANAGER_PIN)) < 4


def test_sealing_loads_only_the_primitives_it_uses() -> None:
    # Raw X25519 bytes come from public_bytes_raw/private_bytes_raw: cryptography's
    # serialization package (SSH, PEM, PKCS#12 and the key types they bring) stays unloaded.
    code = "import json, sys, frontdesk.services.auth; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(_run(code)))
    assert "cryptography.hazmat.primitives.ciphers.aead" in loaded  # it does seal
    unwanted = {
        "cryptography.hazmat.primitives.serialization",
        "cryptography.hazmat.primitives.serialization.ssh",
        "cryptography.hazmat.primitives.asymmetric.dsa",
        "cryptography.hazmat.primitives.asymmetric.ed25519",
    }
    assert not loaded & unwanted


# A desk opened as the shell opens it, the manager signed in and two searches made; prints the
# modules then loaded and the table models whose pydantic validator was built.
_SIGN_IN_AND_SEARCH = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from frontdesk.config import load
from screens.desk_app import FrontdeskApp
app = FrontdeskApp(load({"db": Path(sys.argv[1])}), blink=False)
desk = app.ensure_desk()
from frontdesk.services.auth import sign_in, sign_in_choices
from frontdesk.services.search import search
manager = next(c for c in sign_in_choices(desk.engine) if c.role == "manager")
assert sign_in(desk.engine, manager.id, sys.argv[2], datetime.now(UTC)) is not None
search(desk.engine, desk.site_code, "")
search(desk.engine, desk.site_code, "zh")
desk.engine.dispose()
from sqlmodel import SQLModel
from db.models import Person
tables = {m.class_.__name__: m.class_ for m in SQLModel._sa_registry.mappers}
built = [n for n, c in tables.items() if type(c.__pydantic_validator__).__name__ != "MockValSer"]
assert Person in tables.values()
print(json.dumps({"modules": sorted(sys.modules), "built": built}))
"""


def test_a_desk_never_loads_the_postgresql_dialect(desk) -> None:
    # The partial indexes name only SQLite's WHERE (db/models/base.py partial_index): a
    # postgresql_where argument loaded SQLAlchemy's PostgreSQL dialect into every desk.
    _, path = desk
    loaded = set(json.loads(_run(_SIGN_IN_AND_SEARCH, str(path), MANAGER_PIN))["modules"])
    assert "frontdesk.services.search" in loaded  # it did search
    assert not {m for m in loaded if m.startswith("sqlalchemy.dialects.postgresql")}


def test_a_desk_builds_no_pydantic_validator_for_its_tables(desk) -> None:
    # db/models/base.py defers them to first use, which signing in and searching never is.
    _, path = desk
    assert json.loads(_run(_SIGN_IN_AND_SEARCH, str(path), MANAGER_PIN))["built"] == []


# Six threads alive at once, each allocating outside pymalloc (blocks over 512 bytes); prints
# how many malloc arenas glibc then has (malloc_info's <heap> elements).
_ARENAS = """
import ctypes, os, sys, tempfile, threading
if sys.argv[1] == "few":
    from screens.runtime import few_malloc_arenas
    few_malloc_arenas()
barrier = threading.Barrier(7)
def work():
    blocks = [bytes(4096) for _ in range(64)]
    barrier.wait()
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(6)]
for t in threads:
    t.start()
barrier.wait()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "info.xml")
    stream = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    info = open(path).read()
barrier.wait()
for t in threads:
    t.join()
print(info.count("<heap nr="))
"""


def test_thread_workers_share_one_malloc_arena() -> None:
    # glibc's default gives each thread that meets a busy arena one of its own (up to 8 per
    # core), each keeping its free pages; the desk keeps the main arena and one shared.
    assert int(_run(_ARENAS, "default")) > 2
    assert int(_run(_ARENAS, "few")) == 2


# The TUI signed in, F2 to the job-seeker list, a search typed; prints the modules then loaded.
_LIST_AND_SEARCH = """
import asyncio, json, sys
from pathlib import Path
from screens.desk.seekers import SeekerListScreen
from tests.tui_support import make_app, press_as_typed, settle, sign_in
async def main():
    app = make_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await sign_in(pilot, sys.argv[2])
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        assert app.screen.query_one("#people").row_count > 0
        await press_as_typed(pilot, "z", "h")
        await settle(pilot)
    print(json.dumps(sorted(sys.modules)))
asyncio.run(main())
"""


def test_the_job_seeker_list_leaves_rich_emoji_table_unloaded(desk_with_people: Path) -> None:
    # RowTable shows str labels and cells as plain text: DataTable parsed each as Rich
    # markup, whose emoji codes loaded Rich's emoji table (0.8 MiB) for the session.
    loaded = set(json.loads(_run(_LIST_AND_SEARCH, str(desk_with_people), MANAGER_PIN)))
    assert "screens.desk.seekers" in loaded
    assert "rich._emoji_codes" not in loaded


# What of the system's OpenSSL a process has: the libssl/libcrypto files it maps (not the
# copies a wheel brings, as psycopg's libpq does), and which of Python's bindings to them are
# loaded (a None entry is one left out on purpose).
_OPENSSL_SEEN = """
def openssl_seen():
    import sys
    from pathlib import Path
    maps = Path("/proc/self/maps").read_text().splitlines()
    files = {line.split()[-1] for line in maps if "/" in line}
    names = {f.rsplit("/", 1)[-1] for f in files if "site-packages" not in f}
    return {
        "mapped": sorted(n for n in names if n.startswith(("libssl", "libcrypto"))),
        "bindings": sorted(m for m in ("ssl", "_ssl", "_hashlib") if sys.modules.get(m)),
        "rust": any(f.rsplit("/", 1)[-1].startswith("_rust.abi3") for f in files),
    }
"""

# The desk's TUI made as the `frontdesk` command makes it (screens/start.py), the manager
# signed in, F2 to the job-seeker list, a search typed; prints what of OpenSSL it then has.
_TUI_SIGN_IN_AND_SEARCH = (
    _OPENSSL_SEEN
    + """
import json, sys
from pathlib import Path
from frontdesk import i18n
from frontdesk.config import load
from screens.start import desk_app
i18n.set_language("zh")
app = desk_app(load({"db": Path(sys.argv[1]), "lang": "zh"}), blink=False)
import asyncio
from screens.desk.seekers import SeekerListScreen
from tests.tui_support import press_as_typed, settle, sign_in
async def main():
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await sign_in(pilot, sys.argv[2])
        signed_in = app.staff is not None
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SeekerListScreen)
        await press_as_typed(pilot, "z", "h")
        await settle(pilot)
        rows = app.screen.query_one("#people").row_count
    print(json.dumps({"signed_in": signed_in, "rows": rows, **openssl_seen()}))
asyncio.run(main())
"""
)


def test_the_desk_tui_signs_in_and_searches_without_the_system_openssl(
    desk_with_people: Path,
) -> None:
    # screens/runtime.py leave_out_system_openssl: asyncio without ssl, hashlib without
    # _hashlib, scrypt from cryptography (whose Rust extension has its own OpenSSL).
    seen = json.loads(_run(_TUI_SIGN_IN_AND_SEARCH, str(desk_with_people), MANAGER_PIN))
    assert seen["signed_in"] and seen["rows"] > 0
    assert seen["rust"]  # it did unwrap the desk's key with AES-GCM
    assert seen["mapped"] == [] and seen["bindings"] == []


def test_the_frontdesk_command_starts_the_tui_without_the_system_openssl(desk) -> None:
    # The console script's own path (frontdesk/cli), headless as bench/startup.py runs it,
    # leaving once the sign-in screen's staff list is filled.
    import os

    _, path = desk
    code = (
        _OPENSSL_SEEN
        + "import atexit, json, runpy, sys\n"
        + "atexit.register(lambda: print(json.dumps(openssl_seen())))\n"
        + "sys.argv = ['frontdesk', '--db', sys.argv[1]]\n"
        + "runpy.run_module('frontdesk', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDESK_", "TEXTUAL"))}
    env |= {"FRONTDESK_CONFIG": str(path.parent / "none.toml"), "COLUMNS": "100", "LINES": "30"}
    env |= {"FRONTDESK_EXIT_ON_READY": "usable"}
    env["TEXTUAL_DRIVER"] = "textual.drivers.headless_driver:HeadlessDriver"
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["mapped"] == [] and seen["bindings"] == []


def test_openssl_seen_sees_what_asyncio_maps_by_default() -> None:
    # The check above can fail: a plain `import asyncio` maps the system's libssl.
    code = _OPENSSL_SEEN + "import asyncio, json\nprint(json.dumps(openssl_seen()))\n"
    seen = json.loads(_run(code))
    assert any(f.startswith("libssl") for f in seen["mapped"]) and "ssl" in seen["bindings"]


# The desk's TUI as the command makes it, with a central store: the manager signs in and a
# sync round runs in the background worker; prints the sync status and what of OpenSSL it has.
_TUI_SYNC = (
    _OPENSSL_SEEN
    + """
import json, sys
from pathlib import Path
from frontdesk.config import load
from screens.start import desk_app
app = desk_app(load({"db": Path(sys.argv[1]), "central_url": sys.argv[3]}), blink=False)
import asyncio
from tests.tui_support import settle, sign_in
async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, sys.argv[2])
        app.sync.now()
        await settle(pilot)
        status = app.sync.status
    print(json.dumps({"failures": status.failures, "error": status.last_error, **openssl_seen()}))
asyncio.run(main())
"""
)


def test_background_sync_to_postgresql_works_without_pythons_ssl(desk, pg_url: str) -> None:
    # psycopg's libpq brings its own OpenSSL and never asks Python's ssl module.
    from sqlalchemy import func, select

    from db.engine import make_engine
    from db.models import Person
    from frontdesk.sync.admin import add_site, init_central
    from tests.sync_support import pending, register_people

    engine, path = desk
    init_central(pg_url)
    add_site(pg_url, "HS01", "白沙社区")
    register_people(engine, "HS01", 0, 3)
    seen = json.loads(_run(_TUI_SYNC, str(path), MANAGER_PIN, pg_url))
    assert seen["failures"] == 0 and not seen["error"]
    assert seen["bindings"] == [] and seen["mapped"] == []
    assert pending(engine) == 0
    central = make_engine(pg_url)
    with central.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Person)).scalar_one() == 3
    central.dispose()
