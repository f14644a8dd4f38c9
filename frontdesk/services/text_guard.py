"""Every ORM write is checked against the text rule before it is flushed.

Installed once by the frontdesk.services package, so no service, import or later feature
can store what db/text.py refuses, whichever path it takes. A refusal names the column as
its field: form fields carry their column's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
    single characters, so a row's text is searched at once, and only a row holding a bad
    character is gone through again to name its column."""
    for row in rows:
        values = row.values()
        text = "".join([v for v in values if isinstance(v, str)])
        nested = [v for v in values if isinstance(v, list | tuple | dict)]
        if first_bad(text) is None and first_bad("".join(_texts(nested))) is None:
            continue
        for key, value in row.items():
            if (bad := _bad_value(value)) is not None:
                raise refusal(bad, key)


def _texts(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from _texts([*value.keys(), *value.values()])
        elif isinstance(value, list | tuple):
            yield from _texts(value)


def _guard(session: Session, _flush_context: object, _instances: object) -> None:
    _check_objects(session.new)
    _check_objects(session.dirty)


def install_guard() -> None:
    if not event.contains(Session, "before_flush", _guard):
        event.listen(Session, "before_flush", _guard)
