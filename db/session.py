"""Sessions: `row_version` and `updated_at` move on every ORM change, in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

import db.job_keys  # registers the dispatch-key hook
import db.search_keys  # noqa: F401  (registers the people search-key hook)
from db import closed_days
from db.errors import StoreError
from db.models import SyncedRow
from db.types import utcnow


@event.listens_for(Session, "before_flush")
def _bump_versions(session: Session, flush_context, instances) -> None:
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, SyncedRow) and session.is_modified(obj, include_collections=False):
            obj.row_version += 1
            obj.updated_at = now


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One transaction, taken with the write lock up front (BEGIN IMMEDIATE on SQLite).

    Commits on success, rolls back on any error: nothing half-written.
    """
    immediate = engine.execution_options(begin="IMMEDIATE")
    try:
        with Session(immediate, expire_on_commit=False) as session, session.begin():
            yield session
    except DBAPIError as exc:
        if closed_days.MESSAGE in str(exc.orig):  # a trigger guarding a closed day said no
            raise StoreError("day_closed") from exc
        if _not_allowed(exc.orig):  # a read-only login or file: say so, not "damaged"
            raise StoreError("write_refused") from exc
        raise


def _not_allowed(orig: BaseException | None) -> bool:
    """PostgreSQL refused the login the write (SQLSTATE 42501), or SQLite a read-only file."""
    return getattr(orig, "sqlstate", None) == "42501" or "readonly database" in str(orig)
