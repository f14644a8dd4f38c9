"""The one base of every refusal a person can act on, and the store's own refusals.

The application layer has the words for every code (frontdesk.errors.describe); it lives
here, the lowest layer, so that the store's refusals share the base the services' do.
"""

from __future__ import annotations


class Refusal(Exception):
    """Something refused, said by a catalogue `code` and its parameters; `field` names the
    form field it belongs to, if any."""

    translatable = True

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.field = field
        self.params = params


class StoreError(Refusal):
    """A database that cannot be used as asked; `code` names the reason."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, None, **params)  # the store's refusals name no form field


# SQLite's words when another connection holds the lock past the busy timeout.
BUSY_MESSAGES = ("database is locked", "database table is locked")


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, StoreError) and exc.code == "busy"
