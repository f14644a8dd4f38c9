"""argparse's own words (usage, section titles, -h's help) in Chinese.

argparse asks gettext for every word of its own; the standard catalogue has no Chinese for
Python's messages, so in Chinese mode gettext is answered from this table: each English
message is matched whole by a regular expression and replaced. Messages not listed pass
through unchanged; its error messages are said again in the user's language after the fact
(usage_reason in frontdesk/cli/__init__.py), so they stay English here for that to match.
"""

from __future__ import annotations

import argparse
import re

from frontdesk.i18n import language

# (English message as argparse asks for it, Chinese); a pattern, so variants of a Python
# version (a trailing space, "optional arguments" before 3.10) are caught by one line.
ZH: tuple[tuple[str, str], ...] = (
    (r"usage: ", "用法："),
    (r"positional arguments", "位置参数"),
    (r"(?:optional arguments|options)", "选项"),
    (r"show this help message and exit", "显示本帮助后退出"),
    (r"show program's version number and exit", "显示版本号后退出"),
    (r"subcommands", "子命令"),
)
_COMPILED = tuple((re.compile(pattern), zh) for pattern, zh in ZH)


def translated(message: str) -> str:
    if language() != "zh":
        return message
    for pattern, zh in _COMPILED:
        if pattern.fullmatch(message):
            return zh
    return message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translated(singular if n == 1 else plural)


def install() -> None:
    """Answer argparse's gettext from ZH (looked up at each call, in the language then set)."""
    argparse._ = translated  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
