"""The scrypt costs the product ships with. The suite runs with lower ones (conftest's
`use_key_costs`), so this holds the shipped values, and shows that a PIN hash or a key slot
keeps the cost it was made with whatever the setting is when it is checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db import sealed
from frontdesk.services import auth
from tests.conftest import SHIPPED_KEY_COSTS, TEST_KEY_COSTS, use_key_costs


@pytest.fixture
def shipped_costs() -> Iterator[None]:
    use_key_costs(SHIPPED_KEY_COSTS)
    try:
        yield
    finally:
        use_key_costs(TEST_KEY_COSTS)


def test_the_product_ships_with_the_designed_costs() -> None:
    # ~50 ms a PIN check or key slot on an old desk PC; a backup 4x that, made once.
    assert SHIPPED_KEY_COSTS == {"pin": 2**14, "slot": 2**14, "backup": 2**16}


def test_a_hash_and_a_slot_keep_the_cost_they_were_made_with(shipped_costs: None) -> None:
    stored = auth.hash_pin("2468")
    slot = sealed.wrap(b"secret", "2468", b"where")
    assert stored.split("$")[1] == slot.split("$")[1] == str(2**14)
    use_key_costs(TEST_KEY_COSTS)  # a lower setting now does not weaken what was stored
    assert auth.verify_pin("2468", stored) and not auth.verify_pin("1357", stored)
    assert sealed.unwrap(slot, "2468", b"where") == b"secret"
    with pytest.raises(sealed.Unreadable):
        sealed.unwrap(slot, "1357", b"where")


def test_the_suite_runs_with_the_lower_costs() -> None:
    assert auth.hash_pin("2468").split("$")[1] == str(TEST_KEY_COSTS["pin"])
    assert sealed.wrap(b"secret", "2468", b"where").split("$")[1] == str(TEST_KEY_COSTS["slot"])
