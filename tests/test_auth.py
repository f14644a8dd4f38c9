"""PIN hashing and the wrong-PIN lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import AuditLog, Staff
from db.session import reading
from frontdesk.errors import UserError
from frontdesk.services.auth import (
    LOCK_SECONDS,
    MAX_FAILURES,
    hash_pin,
    sign_in,
    tries,
    validate_pin,
    verify_pin,
)
from tests.conftest import CLERK_PIN, FIXED_NOW, MANAGER_PIN


def test_hash_is_salted_scrypt_and_never_the_pin() -> None:
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b  # a fresh salt each time
    assert a.startswith("scrypt$") and "2468" not in a
    assert verify_pin("2468", a) and verify_pin("2468", b)
    assert not verify_pin("2469", a)


def test_full_width_digits_are_the_same_pin() -> None:
    assert validate_pin("２４６８") == "2468"
    assert verify_pin("２４６８", hash_pin("2468"))


@pytest.mark.parametrize("bad", ["", "123", "1234567890123", "12a4", " 1234", "١٢٣٤"])
def test_pin_format(bad: str) -> None:
    with pytest.raises(UserError) as err:
        validate_pin(bad)
    assert err.value.code == "pin.format" and err.value.field == "pin"


def test_verify_rejects_garbage_hashes() -> None:
    assert not verify_pin("1234", "")
    assert not verify_pin("1234", "md5$abc")


def _staff(engine, role: str) -> Staff:
    with reading(engine) as s:
        return s.exec(select(Staff).where(Staff.role == role)).one()


def test_right_pin_signs_in_and_is_audited(desk) -> None:
    engine, _ = desk
    manager = _staff(engine, "manager")
    who = sign_in(engine, manager.id, MANAGER_PIN, FIXED_NOW)
    assert (who.name, who.role, who.site_code) == ("陈主任", "manager", "HS01")
    with reading(engine) as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.staff_id == manager.id)).all()
    assert "signin" in actions


def test_five_wrong_pins_lock_for_a_minute(desk) -> None:
    engine, _ = desk
    clerk = _staff(engine, "clerk")
    for left in range(MAX_FAILURES - 1, 0, -1):
        with pytest.raises(UserError) as err:
            sign_in(engine, clerk.id, "0000", FIXED_NOW)
        assert err.value.code == "signin.wrong_pin" and err.value.params["left"] == left
    with pytest.raises(UserError) as err:
        sign_in(engine, clerk.id, "0000", FIXED_NOW)
    assert err.value.code == "signin.locked"
    # Locked: the right PIN is refused too, until the minute has passed.
    with pytest.raises(UserError) as err:
        sign_in(engine, clerk.id, CLERK_PIN, FIXED_NOW + timedelta(seconds=LOCK_SECONDS - 1))
    assert err.value.code == "signin.locked"
    who = sign_in(engine, clerk.id, CLERK_PIN, FIXED_NOW + timedelta(seconds=LOCK_SECONDS))
    assert who.role == "clerk"
    state = tries(engine, clerk.id, FIXED_NOW + timedelta(seconds=LOCK_SECONDS))
    assert state.failures == 0 and state.locked_until is None


def test_lock_is_per_account(desk) -> None:
    engine, _ = desk
    clerk, manager = _staff(engine, "clerk"), _staff(engine, "manager")
    for _ in range(MAX_FAILURES):
        with pytest.raises(UserError):
            sign_in(engine, clerk.id, "0000", FIXED_NOW)
    assert sign_in(engine, manager.id, MANAGER_PIN, FIXED_NOW).role == "manager"


def test_a_right_pin_resets_the_count(desk) -> None:
    engine, _ = desk
    clerk = _staff(engine, "clerk")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(UserError):
            sign_in(engine, clerk.id, "0000", FIXED_NOW)
    sign_in(engine, clerk.id, CLERK_PIN, FIXED_NOW)
    with pytest.raises(UserError) as err:
        sign_in(engine, clerk.id, "0000", FIXED_NOW)
    assert err.value.params["left"] == MAX_FAILURES - 1


def test_inactive_staff_cannot_sign_in(desk) -> None:
    from db.session import writing

    engine, _ = desk
    clerk = _staff(engine, "clerk")
    with writing(engine) as s:
        s.get(Staff, clerk.id).active = False
    with pytest.raises(UserError) as err:
        sign_in(engine, clerk.id, CLERK_PIN, FIXED_NOW)
    assert err.value.code == "signin.unknown_staff"


# Made by hashlib.scrypt (frontdesk/services/auth.py and db/sealed.py before they took scrypt
# from cryptography): PIN 2468's hash, a PIN slot and a backup passphrase's slot (n=2**16,
# 64 MiB: over hashlib's default memory limit) as desks and head office have stored them.
HASHLIB_PIN_HASH = (
    "scrypt$16384$8$1$ZC5IL9iZeAWFY+bTjhvOpA==$91oHRtNmXpUaDExJyNb+wOhi3dBo+LJE3sBqCs/tXy4="
)
HASHLIB_SLOT = (
    "scrypt$16384$8$1$B++HnTTdpe5i6JFcNIgumw==$ZkKoq61/q+UUj0QBQi361dCuE4pEMjcIX1kxsCGHJpXtVq"
    "EhuFER4/fBiKfS2H9kvBdnd1Pl+AbcXfgn"
)
HASHLIB_BACKUP = (
    "scrypt$65536$8$1$C19cfFF6eGvHyJgh18tstg==$0NJydgBgiAEyqzhXxR4Th/K00lhLezp85mwPbs0PAXhnMgz"
    "zCj/EJFsk73/bkjY="
)


def test_pins_and_slots_stored_by_hashlib_still_open() -> None:
    from db.sealed import Unreadable, unwrap

    assert verify_pin("2468", HASHLIB_PIN_HASH)
    assert not verify_pin("2469", HASHLIB_PIN_HASH)
    secret = b"desk private key 32 bytes long!!"
    assert unwrap(HASHLIB_SLOT, "2468", b"key_slots:1") == secret
    with pytest.raises(Unreadable):
        unwrap(HASHLIB_SLOT, "2469", b"key_slots:1")
    assert unwrap(HASHLIB_BACKUP, "correct horse battery", b"backup") == b"district key backup"


@pytest.mark.parametrize(
    ("n", "r", "p", "length"),
    [(2**4, 8, 1, 32), (2**10, 1, 1, 16), (2**12, 8, 2, 32), (2**14, 8, 1, 32), (2, 3, 5, 64)],
)
def test_scrypt_gives_hashlibs_bytes(n: int, r: int, p: int, length: int) -> None:
    import hashlib

    from db.sealed import scrypt

    salt = bytes(range(16))
    want = hashlib.scrypt(b"2468", salt=salt, n=n, r=r, p=p, dklen=length)
    assert scrypt(b"2468", salt, n, r, p, length) == want


@pytest.mark.parametrize(("n", "r"), [(2**15, 8), (2**14, 16), (2**16, 1), (3, 8), (1, 8)])
def test_a_pin_hash_of_a_cost_hashlib_refused_is_refused_alike(n: int, r: int) -> None:
    # Over hashlib's 32 MiB (OpenSSL's maxmem), or not a cost scrypt allows: ValueError.
    import hashlib

    from db.sealed import SCRYPT_MEMORY_LIMIT, scrypt

    with pytest.raises(ValueError):
        hashlib.scrypt(b"2468", salt=b"s" * 16, n=n, r=r, p=1, dklen=32)
    with pytest.raises(ValueError):
        scrypt(b"2468", b"s" * 16, n, r, 1, 32, SCRYPT_MEMORY_LIMIT)
    stored = HASHLIB_PIN_HASH.replace("$16384$8$", f"${n}${r}$")
    with pytest.raises(ValueError):
        verify_pin("2468", stored)
