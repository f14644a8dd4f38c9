"""Closed business days never change: database triggers refuse it, whoever writes.

The service layer refuses first with a clear message; these triggers make sure no other
write path (raw SQL, an import, a sync, a bug, another program opening the file) can
change a closed day. A close-out covers its day's walk-ins and their attendees, income
entries (payments), the adjustments booked on that day, the business day with its opening
float, and the close-out row itself: those are a closed day's rows (`TABLES`). An
adjustment for a closed day booked on a later, open day is that open day's row until it
closes too. Reference rows (sites, partners, agreements) are not a day's rows: the close-out
keeps the names, shares and rates it applied, so head office may change them afterwards.

Since revision 0011 each of these tables refuses, for a closed day's row:
- UPDATE (also the update half of an upsert, and MERGE's): when the old or the new row is on
  a closed day; on SQLite also an UPDATE OR REPLACE whose new key would push a closed day's
  row out.
- DELETE (also MERGE's): always. The outbox guards refuse every delete anyway (a central
  store keeps them too), but a closed day does not hang on another rule.
- INSERT: when the new row is on a closed day, or a stored row it collides with (by id, or
  by another unique key: a business day, a close-out, an attendee) is on one, unless a row
  with the same id is stored with the same content. Every form of INSERT fires the BEFORE
  INSERT trigger before SQLite or PostgreSQL looks for a conflict: a plain insert, INSERT OR
  REPLACE and REPLACE INTO (whose delete of the old row fires no delete trigger on SQLite
  unless `PRAGMA recursive_triggers` is on), INSERT ... ON CONFLICT DO UPDATE on both, and
  MERGE's insert. So a REPLACE cannot rewrite a closed day's row, move it to an open day or
  push it out by a unique key, whatever the connection's pragmas.

"Same content" compares every column; on a walk-in every column but the follow-up
bookkeeping (`UNGUARDED`). That is what lets the sync through: its upsert (frontdesk/sync)
fires the insert trigger first, and an identical re-send of a closed day's row then passes
(the version guard leaves it and the push counts it "unchanged"), while a walk-in's
follow-up recorded after the close passes the insert trigger and then the update trigger,
which compares the walk-in column by column (revision 0009; `UPDATE OF` would not do: the
upsert sets every column).

Since revision 0014 a walk-in marked `after_close` (logged after its day was closed: a free
visit, or the visit of a paid entry whose money goes into the next open day) and its
attendees may still be inserted on a closed day. The close-out never counted such rows (its
figures count only the walk-ins logged before it), so the day's close-out stays true; once
written they are a closed day's rows like any other: never changed (but for the follow-up),
never deleted, and a stored walk-in cannot be turned into one.

A close-out row may be inserted (that is how a day closes: the close-out service writes it
last, and the push applies close-outs after every other table) but never changed, replaced
or deleted.

The rule holds on desks and central stores alike (the migrations make the triggers on
both; `db/central.py` leaves them alone), for any login: a site's role on PostgreSQL goes
through them like the owner. As a second line, every SQLite connection the program opens
turns `recursive_triggers` on (db/engine.py), so a REPLACE's delete fires the delete
triggers too; the triggers themselves do not rely on it, since another program opening the
file would not set it.

The triggers list the columns they compare as the tables have them when the triggers are
made: a migration that adds a column to one of `TABLES` must call `guard` again. (`install`,
`open_follow_ups` and their undoing make the triggers of revisions 0005 and 0009, for those
migrations and the downgrade of 0011.)
"""

from __future__ import annotations

from sqlalchemy import JSON, Connection, inspect, text

MESSAGE = "frontdesk: business day closed"
_ABORT = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"  # a SQLite trigger's body
DATED = ("payments", "walkins")  # tables with their own business_date
# What may change on a closed day's walk-in: the follow-up bookkeeping, and the version and
# time stamp every change moves.
FOLLOW_UP_COLUMNS = ("followed_up_at",)
UNGUARDED = (*FOLLOW_UP_COLUMNS, "row_version", "updated_at")
AFTER_CLOSE = "after_close"  # a walk-in logged after its day closed (revision 0014)


def _closed(row: str, table: str) -> str:
    if table == "walkin_attendees":
        return (
            "EXISTS (SELECT 1 FROM walkins w JOIN closeouts c ON c.site_code = w.site_code "
            f"AND c.business_date = w.business_date WHERE w.id = {row}.walkin_id)"
        )
    column = "booked_date" if table == "adjustments" else "business_date"
    return (
        "EXISTS (SELECT 1 FROM closeouts c WHERE c.site_code = "
        f"{row}.site_code AND c.business_date = {row}.{column})"
    )


def _sqlite(table: str) -> list[str]:
    stmts = [
        f"CREATE TRIGGER fd_{table}_closed_ins BEFORE INSERT ON {table} "
        f"WHEN {_closed('NEW', table)} {_ABORT}"
    ]
    if table != "adjustments":
        stmts.append(
            f"CREATE TRIGGER fd_{table}_closed_upd BEFORE UPDATE ON {table} "
            f"WHEN {_closed('OLD', table)} OR {_closed('NEW', table)} {_ABORT}"
        )
    return stmts


def _postgres(table: str) -> list[str]:
    ops = "INSERT" if table == "adjustments" else "INSERT OR UPDATE"
    old = (
        f"IF TG_OP = 'UPDATE' AND {_closed('OLD', table)} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION fd_{table}_closed() RETURNS trigger AS $$
        BEGIN
            {old if table != "adjustments" else ""}
            IF {_closed("NEW", table)} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER fd_{table}_closed BEFORE {ops} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION fd_{table}_closed()",
    ]


FROZEN = "CREATE TRIGGER fd_closeouts_frozen BEFORE UPDATE ON closeouts "


# --- walk-ins: follow-ups may be recorded on a closed day (revision 0009) ------------------


def guarded_columns(conn: Connection) -> list[str]:
    """The walk-in columns a closed day keeps, as the table has them when the trigger is made
    (a migration adding a walk-in column must make the trigger again)."""
    return [c["name"] for c in inspect(conn).get_columns("walkins") if c["name"] not in UNGUARDED]


def _walkin_changed(conn: Connection, differs: str) -> str:
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in guarded_columns(conn))


_NEW_WALKIN = "NOT EXISTS (SELECT 1 FROM walkins x WHERE x.id = NEW.id)"


def open_follow_ups(conn: Connection) -> None:
    """Replace the walk-in triggers by ones that let the follow-up be recorded."""
    closed_old, closed_new = _closed("OLD", "walkins"), _closed("NEW", "walkins")
    if conn.dialect.name == "sqlite":
        changed = _walkin_changed(conn, "IS NOT")
        for suffix in ("ins", "upd"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS fd_walkins_closed_{suffix}"))
        conn.execute(
            text(
                "CREATE TRIGGER fd_walkins_closed_ins BEFORE INSERT ON walkins "
                f"WHEN {closed_new} AND {_NEW_WALKIN} {_ABORT}"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER fd_walkins_closed_upd BEFORE UPDATE ON walkins "
                f"WHEN ({changed}) AND ({closed_old} OR {closed_new}) {_ABORT}"
            )
        )
        return
    changed = _walkin_changed(conn, "IS DISTINCT FROM")
    conn.execute(
        text(
            f"""CREATE OR REPLACE FUNCTION fd_walkins_closed() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {closed_old} OR {closed_new} THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
                ELSIF {closed_new} AND {_NEW_WALKIN} THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql"""
        )
    )
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed ON walkins"))
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed_upd ON walkins"))
    conn.execute(
        text(
            "CREATE TRIGGER fd_walkins_closed BEFORE INSERT ON walkins "
            "FOR EACH ROW EXECUTE FUNCTION fd_walkins_closed()"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER fd_walkins_closed_upd BEFORE UPDATE ON walkins "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION fd_walkins_closed()"
        )
    )


def close_follow_ups(conn: Connection) -> None:
    """Back to the walk-in triggers of revision 0005: no change at all on a closed day."""
    if conn.dialect.name == "sqlite":
        for suffix in ("ins", "upd"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS fd_walkins_closed_{suffix}"))
        for stmt in _sqlite("walkins"):
            conn.execute(text(stmt))
        return
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed_upd ON walkins"))
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed ON walkins"))
    for stmt in _postgres("walkins"):
        conn.execute(text(stmt))


# --- all of them -------------------------------------------------------------------------


def install(conn: Connection) -> None:
    """The triggers as revision 0005 made them (0009 then opens the walk-in follow-ups)."""
    sqlite = conn.dialect.name == "sqlite"
    for table in (*DATED, "walkin_attendees", "adjustments"):
        for stmt in _sqlite(table) if sqlite else _postgres(table):
            conn.execute(text(stmt))
    if sqlite:
        conn.execute(text(FROZEN + _ABORT))
    else:
        conn.execute(
            text(
                "CREATE OR REPLACE FUNCTION fd_closeouts_frozen() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(text(FROZEN + "FOR EACH ROW EXECUTE FUNCTION fd_closeouts_frozen()"))


def uninstall(conn: Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"
    names = [f"fd_{t}_closed_ins" for t in (*DATED, "walkin_attendees", "adjustments")]
    names += [f"fd_{t}_closed_upd" for t in (*DATED, "walkin_attendees")]
    if sqlite:
        for name in [*names, "fd_closeouts_frozen"]:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        return
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed_upd ON walkins"))  # 0009's
    for table in (*DATED, "walkin_attendees", "adjustments"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_closed ON {table}"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS fd_{table}_closed()"))
    conn.execute(text("DROP TRIGGER IF EXISTS fd_closeouts_frozen ON closeouts"))
    conn.execute(text("DROP FUNCTION IF EXISTS fd_closeouts_frozen()"))


# --- revision 0011: every write, every statement form ----------------------------------------

TABLES = ("walkins", "walkin_attendees", "payments", "adjustments", "business_days", "closeouts")
_S = "fd_s"  # a stored row, in the triggers' subqueries


def _is_closed(row: str, table: str) -> str | None:
    """Whether `row` is a closed day's row; None for a close-out (every stored one is)."""
    return None if table == "closeouts" else _closed(row, table)


def _unique_keys(conn: Connection, table: str) -> list[list[str]]:
    """The id and every other unique key, as the table has them."""
    keys = [["id"]]
    keys += [list(u["column_names"]) for u in inspect(conn).get_unique_constraints(table)]
    return keys


def _collides(conn: Connection, table: str) -> str:
    """A stored row `_S` that NEW would collide with (and a REPLACE would push out)."""
    keys = _unique_keys(conn, table)
    return " OR ".join("(" + " AND ".join(f"{_S}.{c} = NEW.{c}" for c in key) + ")" for key in keys)


def _stored_closed(conn: Connection, table: str, extra: str = "") -> str:
    closed = _is_closed(_S, table)
    where = f"({_collides(conn, table)})" + (f" AND {closed}" if closed else "") + extra
    return f"EXISTS (SELECT 1 FROM {table} {_S} WHERE {where})"


def compared_columns(conn: Connection, table: str) -> list[str]:
    """The columns whose equality makes an insert the same row as the stored one."""
    columns = inspect(conn).get_columns(table)
    skip = UNGUARDED if table == "walkins" else ()
    return [c["name"] for c in columns if c["name"] not in skip]


def _stored_same(conn: Connection, table: str) -> str:
    sqlite = _on_sqlite(conn)
    json = {c["name"] for c in inspect(conn).get_columns(table) if isinstance(c["type"], JSON)}
    pairs = []
    for name in compared_columns(conn, table):
        if name == "id":
            continue  # matched already
        if sqlite:
            pairs.append(f"{_S}.{name} IS NEW.{name}")
        elif name in json:  # json has no equality; jsonb compares the values
            pairs.append(f"{_S}.{name}::jsonb IS NOT DISTINCT FROM NEW.{name}::jsonb")
        else:
            pairs.append(f"{_S}.{name} IS NOT DISTINCT FROM NEW.{name}")
    return f"EXISTS (SELECT 1 FROM {table} {_S} WHERE {_S}.id = NEW.id AND {' AND '.join(pairs)})"


def _after_close_allowed(conn: Connection) -> bool:
    """Since revision 0014 a walk-in may be logged after its day closed (`after_close`)."""
    return any(c["name"] == AFTER_CLOSE for c in inspect(conn).get_columns("walkins"))


def _new_on_closed_day(conn: Connection, table: str) -> str | None:
    """Whether the inserted row belongs to a closed day's figures. A walk-in logged after the
    close (and its attendees) does not: the close-out never counted it, so the day's figures
    stay as closed, and it may be added (revision 0014); it may never change after."""
    if not _after_close_allowed(conn) or table not in ("walkins", "walkin_attendees"):
        return _is_closed("NEW", table)
    if table == "walkins":
        return f"({_closed('NEW', table)} AND NOT NEW.{AFTER_CLOSE})"
    return (
        "EXISTS (SELECT 1 FROM walkins w JOIN closeouts c ON c.site_code = w.site_code "
        f"AND c.business_date = w.business_date WHERE w.id = NEW.walkin_id "
        f"AND NOT w.{AFTER_CLOSE})"
    )


def _insert_refused(conn: Connection, table: str) -> str:
    closed_new = _new_on_closed_day(conn, table)
    touches = _stored_closed(conn, table)
    if closed_new:
        touches = f"({closed_new} OR {touches})"
    return f"{touches} AND NOT {_stored_same(conn, table)}"


def _update_refused(conn: Connection, table: str) -> str | None:
    """None: every update is refused (a close-out)."""
    if table == "closeouts":
        return None
    refused = f"{_closed('OLD', table)} OR {_closed('NEW', table)}"
    if not _on_sqlite(conn):
        return refused  # a walk-in's trigger compares the columns in its WHEN (`_pg_guard`)
    if table == "walkins":
        refused = f"({_walkin_changed(conn, 'IS NOT')}) AND ({refused})"
    # UPDATE OR REPLACE: a new key taken from a closed day's row would delete that row.
    return f"({refused}) OR {_stored_closed(conn, table, f' AND {_S}.id <> OLD.id')}"


def _on_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _sqlite_guard(conn: Connection, table: str) -> list[str]:
    update = _update_refused(conn, table)
    deleted = _is_closed("OLD", table)
    name = f"fd_{table}_closed"
    return [
        f"CREATE TRIGGER {name}_ins BEFORE INSERT ON {table} "
        f"WHEN {_insert_refused(conn, table)} {_ABORT}",
        # A close-out's update trigger keeps the name revision 0005 gave it.
        (FROZEN + _ABORT)
        if update is None
        else f"CREATE TRIGGER {name}_upd BEFORE UPDATE ON {table} WHEN {update} {_ABORT}",
        f"CREATE TRIGGER {name}_del BEFORE DELETE ON {table} "
        + (f"WHEN {deleted} " if deleted else "")
        + _ABORT,
    ]


def _pg_guard(conn: Connection, table: str) -> list[str]:
    refuse = f"RAISE EXCEPTION '{MESSAGE}';"

    def when(condition: str | None) -> str:  # None: always
        return refuse if condition is None else f"IF {condition} THEN {refuse} END IF;"

    function = f"""CREATE OR REPLACE FUNCTION fd_{table}_closed() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                {when(_is_closed("OLD", table))}
                RETURN OLD;
            ELSIF TG_OP = 'UPDATE' THEN
                {when(_update_refused(conn, table))}
            ELSE
                {when(_insert_refused(conn, table))}
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql"""
    run = f"FOR EACH ROW EXECUTE FUNCTION fd_{table}_closed()"
    if table != "walkins":
        return [
            function,
            f"CREATE TRIGGER fd_{table}_closed BEFORE INSERT OR UPDATE OR DELETE ON {table} {run}",
        ]
    changed = _walkin_changed(conn, "IS DISTINCT FROM")
    return [
        function,
        f"CREATE TRIGGER fd_walkins_closed BEFORE INSERT OR DELETE ON walkins {run}",
        f"CREATE TRIGGER fd_walkins_closed_upd BEFORE UPDATE ON walkins "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION fd_walkins_closed()",
    ]


def guard(conn: Connection) -> None:
    """Revision 0011: (re)make the triggers refusing every write to a closed day's rows.

    Replaces the triggers of revisions 0005 and 0009; safe to call again (a migration adding
    a column to one of `TABLES` must, so that the new column is compared too)."""
    unguard(conn)
    for table in TABLES:
        stmts = _sqlite_guard(conn, table) if _on_sqlite(conn) else _pg_guard(conn, table)
        for stmt in stmts:
            conn.execute(text(stmt))


def unguard(conn: Connection) -> None:
    """Drop the triggers `guard` makes (the downgrade of 0011 then makes 0009's again)."""
    if _on_sqlite(conn):
        for table in TABLES:
            for suffix in ("ins", "upd", "del"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_closed_{suffix}"))
        conn.execute(text("DROP TRIGGER IF EXISTS fd_closeouts_frozen"))
        return
    conn.execute(text("DROP TRIGGER IF EXISTS fd_walkins_closed_upd ON walkins"))
    for table in TABLES:
        conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_closed ON {table}"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS fd_{table}_closed()"))
    conn.execute(text("DROP TRIGGER IF EXISTS fd_closeouts_frozen ON closeouts"))
    conn.execute(text("DROP FUNCTION IF EXISTS fd_closeouts_frozen()"))
