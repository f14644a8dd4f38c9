"""Errors a person at the desk can act on, carrying a catalogue key and its parameters."""

from __future__ import annotations

from db.errors import Refusal, StoreError

__all__ = ["Refusal", "StoreError", "UserError", "describe", "is_database_error"]


class UserError(Refusal):
    """Bad input or a refused action. `field` names the form field it belongs to, if any."""

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
