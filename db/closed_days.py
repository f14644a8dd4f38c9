"""Closed business days never change: database triggers refuse it, whoever writes.

The service layer refuses first with a clear message; these triggers make sure no other
write path (raw SQL, an import, a bug) can alter a closed day's walk-ins, income entries
or attendees, edit a close-out, or book an adjustment into a closed day.

One thing may still change on a closed day's walk-in: that its follow-up was done
(`followed_up_at`). It changes none of the day's figures. Since revision 0009 the walk-in
triggers therefore refuse an update only when another column changes, compared column by
column (`UPDATE OF` would not do: a sync upsert sets every column). They also let through
an insert whose id is already stored: an upsert fires the insert trigger before it turns
into an update, which the update trigger then judges (a plain insert fails on the key).
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

MESSAGE = "frontdesk: business day closed"
_ABORT = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"  # a SQLite trigger's body
DATED = ("payments", "walkins")  # tables with their own business_date
# What may change on a closed day's walk-in: the follow-up bookkeeping, and the version and
# time stamp every change moves.
FOLLOW_UP_COLUMNS = ("followed_up_at",)
UNGUARDED = (*FOLLOW_UP_COLUMNS, "row_version", "updated_at")


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
