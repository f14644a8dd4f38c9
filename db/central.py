"""What makes a migrated database a central store, re-applied after every upgrade.

- The desk's outbox triggers that append to the outbox come off: the central store keeps no
  outbox of its own (the guards stay: rows are never deleted, versions only go up).
- Reference tables get change-log triggers, the cursor desks pull by. Change numbers are
  handed out in commit order, so a reader never sees number n+1 before n commits: SQLite
  has one writer at a time; on PostgreSQL the trigger (running as the owner) first locks
  the one `central_info` row FOR UPDATE, a lock held to commit that no site's role can take
  or hold, since taking any row lock needs UPDATE on the table and sites may only read it.
  (It used to be an advisory lock, which any login can take and keep.)
- On PostgreSQL a site's own pushes (its staff accounts, the only reference rows a desk
  writes) leave no change-log entry: its desk has those rows already, no other site may
  read them, and were they numbered, a site could hold a number open and stall everyone.
  Head office's writes are logged, its edits of a site's staff accounts included.
- On PostgreSQL, row-level security: a site's role writes only rows of its own site_code
  and reads only those and head office's reference rows and change-log entries; the
  head-office role reads all. Each site has its own policies with its code as a literal
  (cheap to check per row). Roles are cluster-wide, so their names carry the database name.
- A site's role may write no row of head office's own reference tables (`HQ_TABLES`) at
  all. It updates its own rows by column privileges, never the table-wide UPDATE that
  would let it LOCK a whole table in a mode that stops other sites' pushes.
"""

from __future__ import annotations

import re
import secrets
import uuid

from sqlalchemy import Connection, text

from db.models import synced_tables
from db.types import utcnow

HQ_SITE = "HQ"  # site_code of reference rows owned by head office
REFERENCE_TABLES = ("sites", "staff", "partners", "services", "partner_agreements")
# Written by head office only: a desk pushes none of their rows (its seed and its own site
# row carry site_code HQ). Staff accounts belong to their site and are pushed by its desk.
HQ_TABLES = ("sites", "partners", "services", "partner_agreements")
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def is_central(conn: Connection) -> bool:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("central_info"):
        return False
    return conn.execute(text("SELECT count(*) FROM central_info")).scalar_one() > 0


def prepare(conn: Connection) -> uuid.UUID:
    """Idempotent: mark the store central and (re)apply triggers and access rules."""
    found = conn.execute(text("SELECT database_uuid FROM central_info")).scalar()
    if found is None:
        found = uuid.uuid4()
        conn.execute(
            text("INSERT INTO central_info (id, database_uuid, created_at) VALUES (1, :u, :t)"),
            {"u": found.hex if conn.dialect.name == "sqlite" else found, "t": _now(conn)},
        )
    conn.execute(
        text("UPDATE central_info SET id_hash_key = :k WHERE id_hash_key = ''"),
        {"k": secrets.token_hex(32)},
    )
    if conn.dialect.name == "sqlite":
        _prepare_sqlite(conn)
    else:
        _prepare_postgres(conn)
    return found if isinstance(found, uuid.UUID) else uuid.UUID(str(found))


def _now(conn: Connection):
    now = utcnow()
    return now.replace(tzinfo=None) if conn.dialect.name == "sqlite" else now


def _prepare_sqlite(conn: Connection) -> None:
    for table in synced_tables():
        for suffix in ("ins", "upd"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_{suffix}"))
    for table in REFERENCE_TABLES:
        for op in ("INSERT", "UPDATE"):
            name = f"fd_{table}_change_{op[:3].lower()}"
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            conn.execute(
                text(
                    f"CREATE TRIGGER {name} AFTER {op} ON {table} BEGIN "
                    "INSERT INTO central_changes (table_name, row_id, row_version, site_code, at) "
                    f"VALUES ('{table}', NEW.id, NEW.row_version, NEW.site_code, {_SQLITE_NOW}); "
                    "END"
                )
            )


def _prepare_postgres(conn: Connection) -> None:
    for table in synced_tables():
        conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_append ON {table}"))
    sites = sites_role(conn)
    _ensure_role(conn, sites, "NOLOGIN")
    conn.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION fd_central_change() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
            BEGIN
                IF EXISTS (  -- a site's own push (see the module notes); not pg_has_role,
                    SELECT 1 FROM pg_auth_members m  -- which says yes for a superuser
                    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                    WHERE g.rolname = '{sites}' AND u.rolname = session_user
                ) THEN
                    RETURN NULL;
                END IF;
                PERFORM 1 FROM central_info FOR UPDATE;  -- numbers in commit order
                INSERT INTO central_changes (table_name, row_id, row_version, site_code, at)
                VALUES (TG_TABLE_NAME, NEW.id, NEW.row_version, NEW.site_code, now());
                RETURN NULL;
            END $$
            """
        )
    )
    for table in REFERENCE_TABLES:
        conn.execute(text(f"DROP TRIGGER IF EXISTS fd_{table}_change ON {table}"))
        conn.execute(
            text(
                f"CREATE TRIGGER fd_{table}_change AFTER INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION fd_central_change()"
            )
        )
    _roles_and_policies(conn)


def role_prefix(conn: Connection) -> str:
    name = conn.execute(text("SELECT current_database()")).scalar_one()
    return re.sub(r"[^a-z0-9_]", "_", name.lower())[:40]


def sites_role(conn: Connection) -> str:
    return f"{role_prefix(conn)}_sites"


def hq_role(conn: Connection) -> str:
    return f"{role_prefix(conn)}_hq"


def site_role_name(conn: Connection, site_code: str) -> str:
    return f"{role_prefix(conn)}_site_{site_code.lower()}"


def _ensure_role(conn: Connection, name: str, options: str) -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    if not exists:
        conn.execute(text(f'CREATE ROLE "{name}" {options}'))


def _roles_and_policies(conn: Connection) -> None:
    sites, hq = sites_role(conn), hq_role(conn)
    _ensure_role(conn, sites, "NOLOGIN")
    _ensure_role(conn, hq, "NOLOGIN")
    conn.execute(text("DROP FUNCTION IF EXISTS fd_site()"))  # older stores had one
    conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{hq}"'))
    # Head office's accounts hold PIN hashes: the read-only role has no use for them (the
    # table comes with revision 0019; older migrations prepare the store before it).
    # The district's key slots (revision 0022) likewise: no role but the owner reads them.
    for private in ("hq_staff", "district_key_slots"):
        if conn.execute(text(f"SELECT to_regclass('{private}')")).scalar() is not None:
            conn.execute(text(f'REVOKE ALL ON {private} FROM "{hq}", "{sites}"'))
    conn.execute(
        text(f'GRANT SELECT ON central_info, alembic_version, central_changes TO "{sites}"')
    )
    # A store prepared by an older migration has only the tables of its revision.
    present = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    for table in synced_tables():
        if table in present:
            _site_table(conn, table, sites, hq)
    _sync_tables(conn, sites, hq)
    _change_log(conn, sites, hq)
    registered = conn.execute(
        text("SELECT site_code, role_name FROM sync_sites WHERE role_name <> ''")
    ).all()
    for code, role in registered:
        site_policies(conn, code, role)


def _policy(conn: Connection, table: str, name: str, clause: str) -> None:
    conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {table}"))
    conn.execute(text(f"CREATE POLICY {name} ON {table} {clause}"))


def _site_table(conn: Connection, table: str, sites: str, hq: str) -> None:
    # Table-wide UPDATE would also let a site LOCK the table in any mode (PostgreSQL's LOCK
    # asks for UPDATE, DELETE or TRUNCATE on the table beyond ROW EXCLUSIVE), and hold up
    # every other site's push; column privileges allow the same upserts and no such lock.
    conn.execute(text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM "{sites}"'))
    conn.execute(text(f'GRANT SELECT ON {table} TO "{sites}"'))
    if table not in HQ_TABLES:
        columns = conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = :t AND column_name <> 'id' ORDER BY 1"
            ),
            {"t": table},
        ).scalars()
        conn.execute(text(f'GRANT INSERT, UPDATE ({", ".join(columns)}) ON {table} TO "{sites}"'))
    conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    conn.execute(text(f"DROP POLICY IF EXISTS fd_own_rows ON {table}"))  # older stores
    _policy(conn, table, "fd_hq_reads", f'FOR SELECT TO "{hq}" USING (true)')
    if table in REFERENCE_TABLES:
        hq_rows = f"site_code = '{HQ_SITE}'"
        _policy(conn, table, "fd_reference", f'FOR SELECT TO "{sites}" USING ({hq_rows})')


def _change_log(conn: Connection, sites: str, hq: str) -> None:
    """A site reads head office's change-log entries and those of its own rows (the pull
    fetches nothing else), not other sites' row ids and times."""
    conn.execute(text("ALTER TABLE central_changes ENABLE ROW LEVEL SECURITY"))
    _policy(conn, "central_changes", "fd_hq_reads", f'FOR SELECT TO "{hq}" USING (true)')
    hq_rows = f"site_code = '{HQ_SITE}'"
    _policy(conn, "central_changes", "fd_reference", f'FOR SELECT TO "{sites}" USING ({hq_rows})')


# What a site's push and pull write of its own sync_sites row.
SITE_WRITES_SYNC_SITES = (
    "database_uuid",
    "high_water_seq",
    "high_water_digest",
    "id_hash_key",
    "last_push_at",
    "last_pull_at",
    "clock_offset_s",
    "receipt_series",
)


def _sync_tables(conn: Connection, sites: str, hq: str) -> None:
    conn.execute(text(f'GRANT SELECT ON sync_sites TO "{sites}"'))
    # Only the columns the store's revision has: migrations prepare older stores too.
    present = set(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = 'sync_sites'"
            )
        ).scalars()
    )
    own = [c for c in SITE_WRITES_SYNC_SITES if c in present]
    conn.execute(text(f'GRANT UPDATE ({", ".join(own)}) ON sync_sites TO "{sites}"'))
    conn.execute(text(f'GRANT SELECT, INSERT ON sync_quarantine TO "{sites}"'))
    # A push marks its own quarantined rows resolved when a later version goes through.
    conn.execute(text(f'GRANT UPDATE (resolved_at) ON sync_quarantine TO "{sites}"'))
    conn.execute(text(f'GRANT USAGE ON SEQUENCE sync_quarantine_id_seq TO "{sites}"'))
    for table in ("sync_sites", "sync_quarantine"):
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        _policy(conn, table, "fd_hq_reads", f'FOR SELECT TO "{hq}" USING (true)')
    conn.execute(text("DROP POLICY IF EXISTS fd_own_rows ON sync_quarantine"))
    mine = "role_name = session_user"
    _policy(conn, "sync_sites", "fd_own_rows", f'TO "{sites}" USING ({mine}) WITH CHECK ({mine})')


def site_policies(conn: Connection, site_code: str, role: str) -> None:
    """The site's own rows, by its code as a literal: no function call per row checked.

    Only the policies missing are made: `central init` runs this for every registered site
    in one transaction, and dropping and making them all again locks each policy dropped,
    which ran out of the server's lock table ("out of shared memory") at 1,000 sites
    (bench/district.py). A migration that changes the clause drops the old policies."""
    own = f"site_code = '{site_code}'"
    name = f"fd_site_{site_code.lower()}"
    clause = f'TO "{role}" USING ({own}) WITH CHECK ({own})'
    present = set(
        conn.execute(
            text(
                "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
                "AND policyname = :n"
            ),
            {"n": name},
        ).scalars()
    )
    for table in (*synced_tables(), "sync_quarantine", "central_changes"):
        if table not in present:
            conn.execute(text(f'CREATE POLICY "{name}" ON {table} {clause}'))


def create_site_role(conn: Connection, site_code: str, password: str) -> str:
    """A login role for one site, member of the sites group; returns its name."""
    name = site_role_name(conn, site_code)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    verb = "ALTER" if exists else "CREATE"
    # A password cannot be a bind parameter in DDL; quote it as a literal.
    literal = "'" + password.replace("'", "''") + "'"
    conn.execute(text(f'{verb} ROLE "{name}" LOGIN PASSWORD {literal}'))
    conn.execute(text(f'GRANT "{sites_role(conn)}" TO "{name}"'))
    site_policies(conn, site_code, name)
    return name
