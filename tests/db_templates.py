"""Databases built once per test process and copied into each test that needs one.

Alembic's migrations, scrypt PIN hashes and registrations through the services take
seconds. A test that only needs such a database *as it is* gets a byte copy of one built
the same way, through the same code, earlier in the same process (each pytest-xdist
worker builds its own). Every test still gets its own file, so tests stay independent;
tests about migrations, `init` or creating a store build theirs from nothing.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

_root: list[Path] = []
_built: dict[str, Path] = {}


def _folder() -> Path:
    if not _root:
        _root.append(Path(tempfile.mkdtemp(prefix="frontdesk-templates-")))
        atexit.register(shutil.rmtree, _root[0], True)
    return _root[0]


def built(key: str, build: Callable[[Path], None]) -> Path:
    """The folder `build` filled under `key`, the first time it is asked for."""
    if key not in _built:
        folder = _folder() / key
        if folder.exists():  # a build that failed half-way: start again
            shutil.rmtree(folder)
        folder.mkdir()
        build(folder)
        _built[key] = folder
    return _built[key]


def copy_sqlite(src: Path, dest: Path) -> Path:
    """A byte copy of a closed SQLite file (its engine disposed, so no WAL beside it)."""
    for side in ("-wal", "-shm", "-journal"):
        assert not Path(f"{src}{side}").exists(), f"{src} is still open"
    shutil.copyfile(src, dest)
    return dest


def _migrated(folder: Path) -> None:
    from db.migrate import open_store

    engine, _ = open_store(folder / "store.sqlite3")
    engine.dispose()


def migrated_sqlite(dest: Path) -> Path:
    """An empty SQLite store at the schema head, as `open_store` leaves a new file."""
    return copy_sqlite(built("migrated", _migrated) / "store.sqlite3", dest)
