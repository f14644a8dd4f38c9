"""Errors a person at the desk can act on, carrying a catalogue key and its parameters."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action. `field` names the form field it belongs to, if any."""

    translatable = True  # describe() words any exception that says so (see ConfigError)

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.field = field
        self.params = params

    def message(self) -> str:
        return describe(self)


def is_database_error(exc: BaseException) -> bool:
    """A damaged or unusable database file, as raised by sqlite3 or wrapped by SQLAlchemy."""
    import sqlite3

    return isinstance(exc, sqlite3.DatabaseError) or isinstance(
        getattr(exc, "orig", None), sqlite3.DatabaseError
    )


def describe(exc: BaseException) -> str:
    """Words in the user's language for any error that carries a catalogue `code`."""
    from frontdesk.i18n import t

    code = getattr(exc, "code", None)
    if getattr(exc, "translatable", False) and isinstance(code, str):
        prefix = "" if "." in code else "store."
        return t(prefix + code, **getattr(exc, "params", {}))
    if is_database_error(exc):
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        return t("store.db_damaged", reason=reason)
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return t("error.unexpected", reason=reason)
