"""Free text as a form or an import gives it, in the user's language.

The rule of what may be stored is db/text.py's. Here a field's text is cleaned by
`clean_text` (harmless invisible characters dropped, line breaks folded where the field is
one line) or refused with a message at that field; an imported row's cells by
`check_cells`. frontdesk/services/text_guard.py checks every ORM write once more.
"""

from __future__ import annotations

from db.text import BadText, describe_char, first_bad
from db.text import clean as _clean
from frontdesk.errors import UserError


def refusal(bad: BadText, field: str) -> UserError:
    return UserError("text.control", field=field, char=describe_char(bad.char))


def clean_text(raw: str | None, field: str, *, multiline: bool = False) -> str:
    """The text of one field, stripped, or a refusal at `field`."""
    try:
        return _clean(raw or "", multiline=multiline).strip()
    except BadText as bad:
        raise refusal(bad, field) from None


def check_cells(values: dict[str, str]) -> list[UserError]:
    """An imported row's cells by field: a refusal for each cell holding a bad character."""
    found = []
    for field, value in values.items():
        bad = first_bad(value) if isinstance(value, str) else None
        if bad is not None:
            found.append(refusal(bad, field))
    return found
