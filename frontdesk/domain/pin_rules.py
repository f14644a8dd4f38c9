"""What a PIN and a one-time code look like: pure rules, no database and no UI.

PINs are 4 to 12 digits. A PIN someone chooses from now on (the first-run setup,
`frontdesk init`, a new PIN after head office's one-time code) needs at least six: the
wrong-PIN lock lets through five tries a minute (7,200 a day), so patient guessing at an
unattended desk finds a four-digit PIN in 17 hours on average and a six-digit one in 70
days, and every try is in the audit trail that head office receives. PINs already set
(four digits included, like the demo's 1234) keep working: nobody is locked out by an
upgrade.

A one-time code is 16 random digits (53 bits): its salted scrypt hash travels to the desk
in the staff row, so it must hold out against offline guessing where a PIN cannot (a
four-digit PIN's hash fell in 140 s). Digits, because they are read out over the phone and
typed into the same digits-only field as a PIN; 16 of them, so a code is never mistaken
for a PIN (at most 12).
"""

from __future__ import annotations

import re
import unicodedata

from frontdesk.errors import UserError

PIN_MIN, PIN_MAX = 4, 12
NEW_PIN_MIN = 6
CODE_DIGITS = 16
PIN_RE = re.compile(rf"^[0-9]{{{PIN_MIN},{PIN_MAX}}}$")
CODE_RE = re.compile(rf"^[0-9]{{{CODE_DIGITS}}}$")


def normalise_pin(pin: str) -> str:
    """Full-width digits from a Chinese input method count as the digits they show."""
    return unicodedata.normalize("NFKC", pin or "")


def validate_pin(pin: str) -> str:
    """A PIN as it may be stored or checked: 4 to 12 digits."""
    pin = normalise_pin(pin)
    if not PIN_RE.match(pin):
        raise UserError("pin.format", field="pin")
    return pin


def validate_new_pin(pin: str) -> str:
    """A PIN being chosen now: 6 to 12 digits."""
    pin = normalise_pin(pin)
    if not PIN_RE.match(pin) or len(pin) < NEW_PIN_MIN:
        raise UserError("pin.new_format", field="pin", least=NEW_PIN_MIN, most=PIN_MAX)
    return pin


def normalise_code(code: str) -> str:
    """A one-time code as typed: full-width digits, spaces and dashes between groups."""
    return re.sub(r"[\s\-]", "", normalise_pin(code))


def sign_in_way(*, open_reset: bool, has_pin: bool) -> str:
    """How someone signs in at this desk: "code" while head office's one-time code waits
    unused, else "pin" with a PIN here, else "none" (nothing to sign in with yet)."""
    if open_reset:
        return "code"
    return "pin" if has_pin else "none"


def is_code(text: str) -> bool:
    return bool(CODE_RE.match(normalise_code(text)))


def grouped(code: str) -> str:
    """'4821093755128804' -> '4821 0937 5512 8804', as head office reads it out."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
