"""Writing rows into a store at an older revision, whose tables lack the newest columns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, TableClause, inspect
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlmodel import SQLModel

from db.models import Closeout, WalkIn
from frontdesk.services.acting import Actor


def as_stored(conn: Connection, model: type[SQLModel]) -> TableClause:
    """The model's table with the columns the store has at its revision."""
    name = model.__tablename__  # type: ignore[attr-defined]  # set by SQLModel's metaclass
    stored = {c["name"] for c in inspect(conn).get_columns(name)}
    table = model.__table__  # type: ignore[attr-defined]
    return sa_table(name, *[sa_column(c.name, c.type) for c in table.columns if c.name in stored])


def walkins_as_stored(conn: Connection) -> TableClause:
    """The walk-in table with the columns the store has at its revision (0014 added one)."""
    return as_stored(conn, WalkIn)


def add_row(conn: Connection, row: SQLModel) -> None:
    """Insert `row` with the columns the store has."""
    table = as_stored(conn, type(row))
    conn.execute(table.insert().values(row.model_dump(include=set(table.c.keys()))))


def add_walkin(conn: Connection, walkin: WalkIn) -> None:
    add_row(conn, walkin)


def add_closeout(conn: Connection, closeout: Closeout) -> None:
    """A close-out before revision 0017 had no `reconciled`."""
    add_row(conn, closeout)


def group_walkin(
    engine: Engine,
    actor: Actor,
    service_id: uuid.UUID,
    started_at: datetime,
    *,
    headcount: int,
    attendees: Sequence[uuid.UUID] = (),
    duration_min: int = 0,
) -> WalkIn:
    """A class, event or job fair logged as a walk-in, as desks did before group activities
    became sessions (the walk-in log refuses them now): old data still read and migrated."""
    from db.models import WalkInAttendee
    from db.session import writing
    from frontdesk.domain.clock import business_date

    row = WalkIn(
        site_code=actor.site_code,
        business_date=business_date(started_at),
        started_at=started_at,
        service_id=service_id,
        headcount=headcount,
        staff_id=actor.staff_id,
        duration_min=duration_min,
    )
    with writing(engine) as s:
        s.add(row)
        s.flush()
        s.add_all(
            WalkInAttendee(site_code=actor.site_code, walkin_id=row.id, person_id=p)
            for p in attendees
        )
    return row
