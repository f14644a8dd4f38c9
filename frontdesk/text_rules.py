"""Free text as the desk keeps it: the form rule for a field, and the guard on every write.

The rule of what may be stored is db/text.py's. Here it speaks the user's language: a
field's text is cleaned by `clean_text` (harmless invisible characters dropped, line breaks
folded where the field is one line) or refused with a message at that field; and every ORM
write (`install_guard`, done once by frontdesk.services) is checked again before it is
flushed, so no service, import or later feature can store what the rule refuses. A refusal
names the column as its field: form fields carry their column's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, SQLModel

from db.text import BadText, describe_char, first_bad
from db.text import clean as _clean
from frontdesk.errors import UserError


def refusal(bad: BadText, field: str) -> UserError:
    return UserError("text.control", field=field, char=describe_char(bad.char))


def clean_text(raw: str | None, field: str, *, multiline: bool = False) -> str:
    """The text of one field, stripped, or a refusal at `field`."""
    try:
        return _clean(raw or "", multiline=multiline).strip()
    except BadText as bad:
        raise refusal(bad, field) from None


def check_cells(values: dict[str, str]) -> list[UserError]:
    """An imported row's cells by field: a refusal for each cell holding a bad character."""
    found = []
    for field, value in values.items():
        bad = first_bad(value) if isinstance(value, str) else None
        if bad is not None:
            found.append(refusal(bad, field))
    return found


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


def _guard(session: Session, _flush_context: object, _instances: object) -> None:
    _check_objects(session.new)
    _check_objects(session.dirty)


def install_guard() -> None:
    if not event.contains(Session, "before_flush", _guard):
        event.listen(Session, "before_flush", _guard)
