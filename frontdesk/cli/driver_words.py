"""Database drivers' messages said in one tidy line in the user's language.

psycopg and sqlite3 speak English, over several lines, with "FATAL:" and SQLAlchemy's
"Background on this error" link; a person at a terminal needs the one fact in them. The
usual ones are matched and said in the catalogue's words; any other is kept, tidied.
"""

from __future__ import annotations

import re

from frontdesk.i18n import t

# (pattern over the tidied text, catalogue key); the named groups fill the key's fields.
_REFUSED = r'.*server at "(?P<host>[^"]*)".*?port (?P<port>\d+) failed: Connection refused.*'
_NO_HOST = (
    r".*(?:translate host name|resolve host(?: name)?) "
    r"[\"']?(?P<host>[^\"' ]+?)[\"']?(?: |:|$).*"
)
_SAID: tuple[tuple[str, str], ...] = (
    (_REFUSED, "driver.refused"),
    (r".*[Cc]onnection refused.*", "driver.refused_somewhere"),
    (r'.*database "(?P<name>[^"]+)" does not exist.*', "driver.no_database"),
    (r'.*role "(?P<name>[^"]+)" does not exist.*', "driver.no_role"),
    (r'.*password authentication failed for user "(?P<name>[^"]+)".*', "driver.bad_password"),
    (r".*(?:no password supplied|fe_sendauth).*", "driver.no_password"),
    (_NO_HOST, "driver.no_host"),
    (r".*(?:timeout expired|timed out).*", "driver.timeout"),
    (r".*permission denied for (?P<what>.+)", "driver.permission"),
    (r".*unable to open database file.*", "driver.cannot_open"),
    (r".*file is not a database.*", "driver.not_a_database"),
    (r".*database disk image is malformed.*", "driver.malformed"),
)  # fmt: skip
_NOISE = (
    r"\(Background on this error at: [^)]*\)",
    r"\((?:psycopg|sqlite3)\.\w+(?:\.\w+)?\)",  # SQLAlchemy's "(psycopg.OperationalError)"
    r"\bFATAL:\s*",
    r"^connection failed:\s*",
)


def tidy(text: str) -> str:
    """One line: the noise taken out, the whitespace runs made single spaces."""
    text = " ".join(text.split())
    for noise in _NOISE:
        text = re.sub(noise, "", text).strip()
    return text


def say(text: str) -> str:
    """A driver's message in the user's language where it is a usual one, else tidied."""
    text = tidy(text)
    for pattern, key in _SAID:
        found = re.fullmatch(pattern, text)
        if found:
            return t(key, **found.groupdict())
    return text


def is_driver_error(exc: BaseException) -> bool:
    """An error a database driver raised (as itself or wrapped by SQLAlchemy)."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError | sqlite3.Error):
        return True
    return type(exc).__module__.split(".")[0] == "psycopg"


def driver_message(exc: BaseException) -> str:
    return t("driver.failed", reason=say(str(getattr(exc, "orig", None) or exc)))


def tidy_refusal(exc: BaseException, store: str) -> None:
    """A refusal carrying a driver's words (`reason`) has them said tidily; one naming no
    path (a store given by URL) names `store`, the URL as fit to print."""
    params = getattr(exc, "params", None)
    if not isinstance(params, dict):
        return
    if isinstance(params.get("reason"), str):
        params["reason"] = say(params["reason"])
    if params.get("path") == "" and store:
        params["path"] = store
