"""Many rows of one table in few statements, each row with its model's own defaults.

For imports: building an ORM object per row costs more than the row's whole INSERT, so
large writes go through Core with plain dicts. The outbox and closed-day triggers fire on
these rows as on any other; search keys and the text rule are the caller's to apply.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import insert
from sqlmodel import Session, SQLModel

CHUNK = 500  # rows per INSERT statement: well under SQLite's bound-parameter limit


def complete(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every other column at the model's default (factories called per row)."""
    row: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in values:
            row[name] = values[name]
        elif field.default_factory is not None:
            row[name] = field.default_factory()  # type: ignore[call-arg]  # no-argument ones
        elif field.default is not PydanticUndefined:
            row[name] = field.default
    return row


def insert_all(s: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """The rows in the caller's transaction, CHUNK to a statement."""
    table = model.__table__  # type: ignore[attr-defined]  # every table model has one
    for start in range(0, len(rows), CHUNK):
        s.execute(insert(table), rows[start : start + CHUNK])
