"""argparse's own words (usage, section titles, -h's help) in the user's language.

argparse asks gettext for every word of its own; the standard catalogue has no Chinese for
Python's messages, so gettext is answered from the project's catalogue instead: each
English message is matched whole by a regular expression and replaced by the words of a
catalogue key (the English of which is Python's own). Messages not listed pass through;
its error messages are said again in the user's language after the fact (usage_reason in
frontdesk/cli/__init__.py), so they stay as argparse words them for that to match.
"""

from __future__ import annotations

import argparse
import re

from frontdesk.i18n import t

# (English message as argparse asks for it, catalogue key); a pattern, so variants across
# Python versions ("optional arguments" before 3.10) are caught by one line.
WORDS: tuple[tuple[str, str], ...] = (
    (r"usage: ", "argparse.usage"),
    (r"positional arguments", "argparse.positionals"),
    (r"(?:optional arguments|options)", "argparse.options"),
    (r"show this help message and exit", "argparse.help"),
    (r"show program's version number and exit", "cli.opt_version"),
    (r"subcommands", "argparse.subcommands"),
)
_COMPILED = tuple((re.compile(pattern), key) for pattern, key in WORDS)


def translated(message: str) -> str:
    for pattern, key in _COMPILED:
        if pattern.fullmatch(message):
            return t(key)
    return message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translated(singular if n == 1 else plural)


def install() -> None:
    """Answer argparse's gettext from WORDS (in the language set at each call)."""
    argparse._ = translated  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
