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
