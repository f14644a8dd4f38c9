"""One masking pattern everywhere (screens, logs, exports, errors): PIPL minimum exposure.

ID numbers show the first 4 and last 4 characters (4407**********123X), mobiles the first
3 and last 4 (138****5678), names the surname only (张*), addresses their area and
street without the house number (广东省湛江市赤坎区中山路****).
"""

from __future__ import annotations

import hashlib
import hmac
import re


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


# Where an address's own part starts: its first digit (中山路12号, 3栋501), or after the
# last area or street word when it has none (幸福村东头) — what is kept names an area shared
# by many households, never one door.
_HOUSE_NUMBER = re.compile(r"[0-9０-９]")
_STREET_WORDS = re.compile(r".*(?:省|市|区|县|镇|乡|路|街|道|巷|弄|胡同|村|组|屯|小区|大院|社区)")
ADDRESS_MASK = "****"


def mask_address(address: str) -> str:
    """The area and street, the house number part masked: 湛江市赤坎区中山路12号3栋 →
    湛江市赤坎区中山路****. No digit and no street word: the first half is kept."""
    text = address.strip()
    if not text:
        return ""
    digit = _HOUSE_NUMBER.search(text)
    if digit is not None:
        keep = digit.start()
    else:
        street = _STREET_WORDS.match(text)
        keep = street.end() if street is not None else len(text) // 2
    return text[:keep] + ADDRESS_MASK if keep < len(text) else text


def mask_name(name: str) -> str:
    if not name:
        return ""
    surname = 2 if len(name) >= 4 else 1  # 欧阳娜娜 keeps its two-character surname
    return name[:surname] + "*" * (len(name) - surname)


def id_hash(id_number: str, key: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalised ID number: duplicates without plain text."""
    return hmac.new(key.encode("ascii"), id_number.encode("ascii"), hashlib.sha256).hexdigest()


def phone_hash(phone: str, key: str) -> str:
    """Keyed hash of a phone's digits with the ID numbers' key (a resident is found by the
    whole phone without it in plain text); its own prefix keeps the two kinds apart."""
    digits = phone.replace("-", "").replace(" ", "")
    return hmac.new(key.encode("ascii"), f"phone:{digits}".encode(), hashlib.sha256).hexdigest()
