"""One bad row never stops a site's sync: each kind of poison is set aside, the rest arrive.

The rows are poisoned behind the program's back (raw SQL on the desk file, as a bug, an old
version or a hand edit would), since the program itself no longer writes such text.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, event, select, text
from sqlmodel import SQLModel
from sqlmodel import select as orm_select

from db import central as central_db
from db.engine import make_engine
from db.models import Payment, Person, SyncQuarantine, WalkIn, synced_tables
from db.session import writing
from tests.sync_support import (
    DAY_ONE,
    busy_desk,
    new_desk,
    pending,
    sync,
)


def _raw(desk_path: Path, sql: str, params: tuple = (), *, unchecked: bool = False) -> None:
    """A write behind the program's back; the outbox triggers still record it."""
    conn = sqlite3.connect(desk_path, isolation_level=None)
    try:
        if unchecked:
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
    finally:
        conn.close()


def _bump(table: str, assignment: str) -> str:
    return f"UPDATE {table} SET {assignment}, row_version = row_version + 1 WHERE id = ?"


def _ids(desk: Engine, model, count: int) -> list[str]:
    with desk.connect() as conn:
        found = conn.execute(select(model.id).order_by(model.id).limit(count)).scalars()
        return [i.hex for i in found]


def _poison(desk: Engine, path: Path, pg: bool) -> dict[str, str]:
    """One row of each kind; returns row id (hex) -> the kind, for the rows a store refuses."""
    people = _ids(desk, Person, 6)
    day_two = (DAY_ONE + timedelta(days=1)).date().isoformat()
    with desk.connect() as conn:  # walk-ins of the open day (a closed day refuses any write)
        walkins = [
            i.hex
            for i in conn.execute(
                select(WalkIn.id).where(WalkIn.business_date == day_two).order_by(WalkIn.id)
            ).scalars()
        ]
    _raw(path, _bump("people", "notes = 'a' || char(0) || 'b'"), (people[0],))
    _raw(path, _bump("people", "name = '张' || char(27) || '[2J'"), (people[1],))
    _raw(path, _bump("people", "notes = CAST(X'E4BDA0FF' AS TEXT)"), (people[2],))
    _raw(path, _bump("walkins", "headcount = 0"), (walkins[0],), unchecked=True)
    _raw(path, _bump("walkins", "person_id = ?"), (uuid.uuid4().hex, walkins[1]), unchecked=True)
    refused = {
        people[0]: "NUL",
        people[1]: "ESC",
        people[2]: "not UTF-8",
        walkins[0]: "check",
        walkins[1]: "foreign key",
    }
    if pg:  # only PostgreSQL types these columns and has row-level security
        _raw(path, _bump("people", "registered_on = '2026-13-45'"), (people[3],))
        _raw(path, _bump("people", "notes = 'rls-poison'"), (people[4],))
        refused |= {people[3]: "bad date", people[4]: "row-level security"}
    return refused


def _block_by_policy(admin: Engine) -> None:
    """A row-level security refusal of one row: a restrictive policy on the sites' role."""
    with admin.begin() as conn:
        role = central_db.sites_role(conn)
        conn.execute(
            text(
                f'CREATE POLICY fd_test_block ON people AS RESTRICTIVE FOR ALL TO "{role}" '
                "USING (true) WITH CHECK (notes IS DISTINCT FROM 'rls-poison')"
            )
        )


def test_one_poisoned_row_of_each_kind_is_set_aside_and_the_rest_arrive(
    central, tmp_path: Path
) -> None:
    url, hq = central
    pg = hq.dialect.name == "postgresql"
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01", people=30)
    if pg:
        _block_by_policy(hq)
    refused = _poison(desk, tmp_path / "HS01.sqlite3", pg)

    report = sync(desk, site_url)

    assert report.pending == 0  # nothing left waiting: the site is not blocked
    with hq.connect() as conn:
        held = {q.row_id.hex: q for q in conn.execute(select(SyncQuarantine)).all()}
    # A refused walk-in's income entry has no parent centrally: it waits beside it.
    dependants = _payments_of(desk, [i for i, k in refused.items() if k in WALKIN_KINDS])
    assert set(held) == set(refused) | set(dependants)
    assert report.push.quarantined == len(held)
    assert all("foreign key" in held[i].reason.lower() for i in dependants)
    assert "U+0000" in held[_key(refused, "NUL")].reason
    assert "U+001B" in held[_key(refused, "ESC")].reason
    assert "U+DCFF" in held[_key(refused, "not UTF-8")].reason
    for q in held.values():  # stored as readable text, whatever the row held
        assert q.payload.startswith("{") and "\x00" not in q.payload
    skip = [uuid.UUID(hex=i) for i in held]
    local = _rows_except(_lenient(tmp_path / "HS01.sqlite3"), skip)
    assert local == _rows_except(hq, skip), "every other row must arrive as it is"
    # The next round goes through too: a poisoned row never wedges the queue.
    assert sync(desk, site_url).pending == 0


def _rows_except(engine: Engine, skip: list[uuid.UUID]) -> dict[str, dict]:
    """The site's synced rows but the held ones (which a desk may not even read typed)."""
    tables = SQLModel.metadata.tables
    found: dict[str, dict] = {}
    with engine.connect() as conn:
        for name in synced_tables():
            tbl = tables[name]
            query = select(tbl).where(tbl.c.site_code == "HS01", tbl.c.id.not_in(skip))
            found[name] = {r["id"]: dict(r) for r in conn.execute(query).mappings()}
    return found


def _lenient(path: Path) -> Engine:
    """The desk read as it is, bad bytes and all (the comparison leaves those rows out)."""
    engine = make_engine(path)

    @event.listens_for(engine, "connect")
    def _text(dbapi_conn, _record) -> None:
        dbapi_conn.text_factory = lambda b: b.decode("utf-8", "surrogateescape")

    return engine


WALKIN_KINDS = ("check", "foreign key")


def _payments_of(desk: Engine, walkins: list[str]) -> list[str]:
    with desk.connect() as conn:
        found = conn.execute(
            select(Payment.id).where(Payment.walkin_id.in_([uuid.UUID(hex=w) for w in walkins]))
        ).scalars()
        return [i.hex for i in found]


def _key(refused: dict[str, str], kind: str) -> str:
    return next(i for i, k in refused.items() if k == kind)


def test_a_poisoned_row_put_right_at_the_desk_resolves_its_quarantine(
    central, tmp_path: Path
) -> None:
    url, hq = central
    desk, site_url = new_desk(tmp_path, "HS01", url)
    busy_desk(desk, "HS01", people=3)
    victim = _ids(desk, Person, 1)[0]
    _raw(tmp_path / "HS01.sqlite3", _bump("people", "notes = 'x' || char(0)"), (victim,))
    assert sync(desk, site_url).push.quarantined == 1

    with writing(desk) as s:  # a clerk edits the record: the program writes clean text
        person = s.exec(orm_select(Person).where(Person.id == uuid.UUID(hex=victim))).one()
        person.notes = "已更正"
    report = sync(desk, site_url)

    assert report.rejects == 0 and pending(desk) == 0
    with hq.connect() as conn:
        notes = conn.execute(
            select(Person.notes).where(Person.id == uuid.UUID(hex=victim))
        ).scalar_one()
        open_ = conn.execute(
            select(SyncQuarantine).where(SyncQuarantine.resolved_at.is_(None))
        ).all()
    assert notes == "已更正" and open_ == []


def test_the_screen_finds_a_bad_row_past_its_first_scans() -> None:
    """The screen scans the text of SCREEN_ROWS rows at a time: a bad value in a later
    scan, or in the last rows, is still found, and only its row is refused."""
    from frontdesk.sync.wire import SCREEN_ROWS, RawRows, screen

    rows = [(uuid.uuid4().hex, "HS01", i, f"名字{i}", None) for i in range(2 * SCREEN_ROWS + 7)]
    for at, bad in ((SCREEN_ROWS + 3, "a\x1bb"), (len(rows) - 1, "\x85")):
        poisoned = [*rows[:at], (rows[at][0], "HS01", at, bad, None), *rows[at + 1 :]]
        good, refused = screen(RawRows("people", ["id", "site_code", "n", "name", "x"], poisoned))
        assert [r.row["n"] for r in refused] == [at] and len(good.rows) == len(rows) - 1
    assert screen(RawRows("people", ["id", "site_code", "n", "name", "x"], rows))[1] == []
