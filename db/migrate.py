"""Open a database at the program's schema: create, back up and upgrade, or refuse.

Errors carry a code and parameters; the application layer turns them into words.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from db.engine import make_engine
from db.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions (a test keeps the two equal). Opening a desk
# that is already there needs no Alembic import, which saves ~10 MiB and start-up time.
SCHEMA_HEAD = "0019"
SQLITE_MAGIC = b"SQLite format 3\x00"


def alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None  # the migrations end in one head
    return head


def current_revision(conn: Connection) -> str | None:
    """The stored revision, read with plain SQL (Alembic's own table, one row)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def check_sqlite_file(path: Path) -> None:
    """Refuse a path that is not a usable SQLite file before SQLite touches it."""
    if path.is_dir():
        raise StoreError("db_is_directory", path=str(path))
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != SQLITE_MAGIC:
            raise StoreError("db_not_sqlite", path=str(path))
        if not os.access(path, os.W_OK):
            raise StoreError("db_read_only", path=str(path))
        return
    parent = path.parent
    if not parent.exists():
        raise StoreError("db_dir_missing", path=str(parent))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError("db_dir_read_only", path=str(parent))


def _ro_uri(path: Path) -> str:
    # as_uri() percent-encodes: a raw "file:{path}" URI cuts the path at '#' or '?' and
    # opens (even creates) another file, so the backup would silently be of nothing.
    return f"{path.resolve().as_uri()}?mode=ro"


def backup_sqlite(src: Path, dest: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while the desk runs)."""
    source = sqlite3.connect(_ro_uri(src), uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return dest


def open_store(target: str | Path, *, create: bool = True) -> tuple[Engine, Path | None]:
    """Open a desk or central store at the current schema.

    Returns the engine and, when an older schema was upgraded, the backup made first.
    """
    is_file = "://" not in str(target)
    if is_file:
        path = Path(target)
        check_sqlite_file(path)
        if not path.exists() and not create:
            raise StoreError("db_missing", path=str(path))
    engine = make_engine(target)
    try:
        backup = _bring_to_head(engine, Path(target) if is_file else None)
    except Exception:
        engine.dispose()
        raise
    return engine, backup


def _bring_to_head(engine: Engine, path: Path | None) -> Path | None:
    # Look at an existing file through a bare connection first: the engine's connect hook
    # switches the file to WAL, which would alter a foreign database we are about to refuse.
    probe = engine
    if path is not None and path.exists():
        probe = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(path), poolclass=NullPool
        )
    try:
        with probe.connect() as conn:
            current = current_revision(conn)
            empty = current is None and not _has_tables(conn)
    except Exception as exc:  # sqlite3.DatabaseError: file is not a database, etc.
        raise StoreError("db_unreadable", path=str(path or ""), reason=_first_line(exc)) from exc
    finally:
        if probe is not engine:
            probe.dispose()
    if current == SCHEMA_HEAD:
        return None
    if current is None and not empty:
        raise StoreError("db_foreign", path=str(path or ""))
    script = _script()
    head = script.get_current_head()
    if current is not None and _unknown(script, current):
        raise StoreError("db_newer", found=current, supported=head)
    backup = None
    if path is not None and current is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_sqlite(path, path.with_name(f"{path.name}.{current}-{stamp}.bak"))
    upgrade(engine)
    return backup


def _unknown(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is None
    except Exception:
        return True


def _has_tables(conn: Connection) -> bool:
    return bool(inspect(conn).get_table_names())


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0]
