"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check character, normalising.

18 characters from 0-9 and A-Z without I, O, Z, S, V; the 18th is a check character over
the first 17 (DOMAIN.md, "Employers and job postings").
"""

from __future__ import annotations

from frontdesk.domain.forms import nfkc
from frontdesk.errors import UserError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # value = position
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FIELD = "credit_code"
_VALUE = {ch: n for n, ch in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    """The GB 32100 check character: 31 − (Σ value·weight mod 31), where 31 becomes 0."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError("17 characters of the credit-code alphabet required")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def make_code(first17: str) -> str:
    """A valid code from its first 17 characters (tests and demo data)."""
    return first17 + check_char(first17)


def normalise(raw: object) -> str:
    """A typed code upper-cased with spaces dropped; blank is "" (individuals hiring have none).

    Refused at `credit_code` when it is not 18 characters of the alphabet or the check
    character is wrong."""
    text = "".join(nfkc(raw).split()).upper()
    if not text:
        return ""
    if len(text) != 18 or any(ch not in _VALUE for ch in text):
        raise UserError("employer.credit_code_format", field=FIELD)
    if check_char(text[:17]) != text[17]:
        raise UserError("employer.credit_code_check", field=FIELD)
    return text
