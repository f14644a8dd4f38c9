"""Closed business days never change: database triggers refuse it, whoever writes.

The service layer refuses first with a clear message; these triggers make sure no other
write path (raw SQL, an import, a bug) can alter a closed day's walk-ins, income entries
or attendees, edit a close-out, or book an adjustment into a closed day.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

MESSAGE = "frontdesk: business day closed"
DATED = ("payments", "walkins")  # tables with their own business_date


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
    abort = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    stmts = [
        f"CREATE TRIGGER fd_{table}_closed_ins BEFORE INSERT ON {table} "
        f"WHEN {_closed('NEW', table)} {abort}"
    ]
    if table != "adjustments":
        stmts.append(
            f"CREATE TRIGGER fd_{table}_closed_upd BEFORE UPDATE ON {table} "
            f"WHEN {_closed('OLD', table)} OR {_closed('NEW', table)} {abort}"
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


def install(conn: Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"
    for table in (*DATED, "walkin_attendees", "adjustments"):
        for stmt in _sqlite(table) if sqlite else _postgres(table):
            conn.execute(text(stmt))
    if sqlite:
        conn.execute(text(FROZEN + f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"))
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
    for table in (*DATED, "walkin_attendees", "adjustments"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_closed ON {table}"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS fd_{table}_closed()"))
    conn.execute(text("DROP TRIGGER IF EXISTS fd_closeouts_frozen ON closeouts"))
    conn.execute(text("DROP FUNCTION IF EXISTS fd_closeouts_frozen()"))
