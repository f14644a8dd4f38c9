"""The newest revision in migrations/versions (tests/test_migrations.py keeps the two equal).

Opening a desk that is already there needs no Alembic import, which saves ~10 MiB and
start-up time, and the sign-in list's quick read (db/peek.py) is written for this schema
alone. A module of its own, importing nothing, so both can use it before SQLAlchemy loads.
"""

SCHEMA_HEAD = "0024"
