"""person_keys kept in its primary key's order alone (SQLite WITHOUT ROWID)

Revision ID: 0024
Revises: 0023

A search key row is (site_code, key, person_id), all of it its primary key. As an
ordinary SQLite table it was stored twice: once in the table's own B-tree, by a rowid
nothing reads, and once in the primary key's index, which every search reads. A WITHOUT
ROWID table is that index alone, so each key written touches one B-tree instead of two
and the keys take about half the pages: an import of 100,000 people writes over a million
key rows, and once the keys outgrow the page cache each batch reads and evicts fewer
pages (bench/README.md). Searches read the same index as before, with the same rows.

On SQLite (a desk, or a central store in a file) the table is made anew and the keys
copied over in key order, in the revision's one transaction; person_keys is local and
derived, so nothing goes to the outbox. PostgreSQL has no rowid: nothing to do there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = """(
\tsite_code VARCHAR(16) NOT NULL,
\t"key" VARCHAR(80) NOT NULL,
\tperson_id CHAR(32) NOT NULL,
\tCONSTRAINT pk_person_keys PRIMARY KEY (site_code, "key", person_id),
\tCONSTRAINT fk_person_keys_person_id_people FOREIGN KEY(person_id) REFERENCES people (id)
)"""


def upgrade() -> None:
    _remake(" WITHOUT ROWID")


def downgrade() -> None:
    _remake("")


def _remake(options: str) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("ALTER TABLE person_keys RENAME TO person_keys_old")
    conn.exec_driver_sql(f"CREATE TABLE person_keys {_COLUMNS}{options}")
    conn.exec_driver_sql(
        "INSERT INTO person_keys (site_code, key, person_id)"
        " SELECT site_code, key, person_id FROM person_keys_old ORDER BY 1, 2, 3"
    )
    conn.exec_driver_sql("DROP TABLE person_keys_old")
