"""One masking pattern everywhere (screens, logs, exports, errors): PIPL minimum exposure.

ID numbers show the first 4 and last 4 characters (4407**********123X), mobiles the first
3 and last 4 (138****5678), names the surname only (张*).
"""

from __future__ import annotations

import hashlib
import hmac


def mask_id(id_number: str) -> str:
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(phone) <= 4:
        return "*" * len(phone)
    return "*" * (len(phone) - 4) + phone[-4:]


def mask_name(name: str) -> str:
    if not name:
        return ""
    surname = 2 if len(name) >= 4 else 1  # 欧阳娜娜 keeps its two-character surname
    return name[:surname] + "*" * (len(name) - surname)


def id_hash(id_number: str, key: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised ID number: duplicates without plain text."""
    return hmac.new(key.encode("ascii"), id_number.encode("ascii"), hashlib.sha256).hexdigest()
