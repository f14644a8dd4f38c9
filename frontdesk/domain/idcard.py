"""Chinese resident ID numbers (GB 11643-1999): check character, parsing and normalising.

Address codes are not checked against a list: they change over time, and residence permits
for Hong Kong, Macao and Taiwan residents (810000 / 820000 / 830000) use the same format.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from operator import mul

from frontdesk.errors import UserError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
FIELD = "id_number"

_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("17 ASCII digits required")
    total = sum(map(mul, map(int, first17), WEIGHTS))  # lengths checked above
    return CHECK_CHARS[total % 11]


def make_id(address_code: str, birth: date, sequence: int) -> str:
    """A valid 18-character number; an odd `sequence` (0..999) makes a man's number."""
    if not re.fullmatch(r"[0-9]{6}", address_code):
        raise ValueError("address code must be 6 digits")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be 0..999")
    first17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def gender_of(id18: str) -> str:
    """'M' or 'F' from the parity of the 17th digit of a normalised number."""
    return "M" if int(id18[16]) % 2 else "F"


def birth_of(id18: str) -> date:
    """The birth date of a normalised number (ValueError if it is not a real date)."""
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def normalise(raw: str, today: date) -> str:
    """The canonical 18 characters (upper-case X), or UserError naming what is wrong.

    Full-width digits and letters typed with a Chinese input method are accepted (NFKC);
    an old 15-digit number is converted to 18 by adding the century 19 and the check.
    """
    text = unicodedata.normalize("NFKC", raw or "").strip().upper()
    if len(text) not in (15, 18):
        raise UserError("id.length", field=FIELD)
    if not (_ID15 if len(text) == 15 else _ID18).fullmatch(text):
        raise UserError("id.chars", field=FIELD)
    first17 = text[:6] + "19" + text[6:] if len(text) == 15 else text[:17]
    _check_birth(first17, today)
    expected = check_char(first17)
    if len(text) == 18 and text[17] != expected:
        raise UserError("id.check", field=FIELD)
    return first17 + expected


def _check_birth(first17: str, today: date) -> None:
    try:
        born = birth_of(first17)
    except ValueError:
        raise UserError("id.birth_date", field=FIELD) from None
    if born > today:
        raise UserError("id.birth_date", field=FIELD)


def age_on(born: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
