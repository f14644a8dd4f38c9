"""Every ORM write is checked against the text rule before it is flushed.

Installed once by the frontdesk.services package, so no service, import or later feature
can store what db/text.py refuses, whichever path it takes. A refusal names the column as
its field: form fields carry their column's name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, SQLModel

from db.text import BadText, first_bad
from frontdesk.domain.text import refusal


def _bad_value(value: Any) -> BadText | None:
    if isinstance(value, str):
        return first_bad(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        for item in value:
            if (bad := _bad_value(item)) is not None:
                return bad
    return None


def _check_objects(objects: Iterable[object]) -> None:
    for obj in objects:
        if not isinstance(obj, SQLModel):
            continue
        # The loaded values only: reading an expired attribute would load it from the store.
        for key, value in inspect(obj).dict.items():
            if (bad := _bad_value(value)) is not None:
                raise refusal(bad, key)


def check_rows(rows: Iterable[dict[str, Any]]) -> None:
    """The same rule for rows written without the ORM (bulk inserts). The rule is about
    single characters, so the text of all the rows (nested lists and mappings too) is
    searched at once, and only when it holds a bad character are the rows gone through
    again to name the row's column."""
    rows = list(rows)
    texts: list[str] = []
    for row in rows:
        _gather(row.values(), texts)
    if first_bad("".join(texts)) is None:
        return
    for row in rows:
        for key, value in row.items():
            if (bad := _bad_value(value)) is not None:
                raise refusal(bad, key)


_PLAIN = frozenset({type(None), int, bool, float, bytes, date, datetime, uuid.UUID})


def _gather(values: Iterable[Any], into: list[str]) -> None:
    for value in values:
        if value.__class__ in _PLAIN:  # most of a row: nothing to look into
            continue
        if isinstance(value, str):
            into.append(value)
        elif isinstance(value, dict):
            _gather([*value.keys(), *value.values()], into)
        elif isinstance(value, (list, tuple)):  # a tuple of types: quicker than list | tuple
            _gather(value, into)


def _guard(session: Session, _flush_context: object, _instances: object) -> None:
    _check_objects(session.new)
    _check_objects(session.dirty)


def install_guard() -> None:
    if not event.contains(Session, "before_flush", _guard):
        event.listen(Session, "before_flush", _guard)
