"""What text may be stored: the one rule, shared by form rules, the session hook and sync.

Decided once (issue 13): a stored value never holds a control character other than tab,
line feed and carriage return, nor a lone surrogate (bytes that were not UTF-8, read
leniently). NUL stops PostgreSQL's COPY and every other such character is invisible on
screen, can steer a terminal or a receipt printer (ESC, CSI), and no person types it. Line
breaks and tabs are whitespace a spreadsheet cell or a note really holds; the form rules
fold them where a field is one line. A byte-order mark or a zero-width space carried in
from a spreadsheet is harmless and simply dropped by `clean`.
"""

from __future__ import annotations

import re

# C0 controls except \t \n \r, DEL, C1 controls, and surrogates (invalid UTF-8 read leniently).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
HARMLESS = re.compile("[\ufeff\u200b]")  # byte-order mark, zero-width space
LINE_BREAKS = re.compile(r"\r\n?|\n")


class BadText(ValueError):
    """A value holding a character no stored text may hold."""

    def __init__(self, char: str, position: int) -> None:
        super().__init__(f"control character {describe_char(char)} at position {position + 1}")
        self.char = char
        self.position = position


def describe_char(char: str) -> str:
    return f"U+{ord(char):04X}"


# FORBIDDEN as UTF-8 bytes: C0 controls and DEL are single bytes no other character's
# encoding holds; C1 controls are 0xC2 0x80-0x9F; a surrogate cannot be encoded at all.
_C0_DEL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1 = re.compile(b"\xc2[\x80-\x9f]")


def any_bad(text: str) -> bool:
    """Whether `text` holds a character FORBIDDEN names, as `first_bad` would find, at about
    half its cost on long text (a push screens every value it sends): the UTF-8 encoding is
    checked bytewise, and only text with no valid encoding goes to the regular expression."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a surrogate, or more
        return first_bad(text) is not None
    return len(data.translate(None, _C0_DEL)) != len(data) or _C1.search(data) is not None


def first_bad(value: str) -> BadText | None:
    found = FORBIDDEN.search(value)
    return None if found is None else BadText(found.group(), found.start())


def clean(value: str, *, multiline: bool = False) -> str:
    """Drop harmless invisible characters; one line unless `multiline` (then \\n only).

    Raises BadText for a forbidden character, so the caller names its field.
    """
    value = HARMLESS.sub("", value)
    bad = first_bad(value)
    if bad is not None:
        raise bad
    if multiline:
        return LINE_BREAKS.sub("\n", value).replace("\t", " ")
    return value.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def printable(value: str) -> str:
    """For messages and quarantine records: every forbidden character spelt out."""
    return FORBIDDEN.sub(lambda m: f"<{describe_char(m.group())}>", value)
