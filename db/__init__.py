"""Storage layer: SQLModel tables, engines, migrations and queries.

Nothing here imports textual, screens or frontdesk (tests/test_layers.py checks it).
Submodules are imported on demand so that importing `db` stays cheap.
"""
