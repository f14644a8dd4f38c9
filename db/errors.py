"""The store's own refusals, worded by the application layer (frontdesk.errors.describe)."""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be used as asked; `code` names the reason."""

    translatable = True  # the application layer has words for every code

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# SQLite's words when another connection holds the lock past the busy timeout.
BUSY_MESSAGES = ("database is locked", "database table is locked")


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, StoreError) and exc.code == "busy"
