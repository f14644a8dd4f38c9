"""Reading back the full numbers the desk keeps sealed, as a signed-in manager would."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from db.models import Person, Staff
from db.session import reading
from frontdesk.services import personal_keys
from frontdesk.services.auth import sign_in
from tests.conftest import FIXED_NOW, MANAGER_PIN


def sign_in_manager(engine: Engine, pin: str = MANAGER_PIN) -> None:
    """The desk's first manager signs in: the desk's key is held from now on."""
    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).first()
    assert manager is not None
    sign_in(engine, manager, pin, FIXED_NOW)


def full_numbers(engine: Engine, person: Person) -> tuple[str, str]:
    """(ID number, phone) of a stored person, opened with the held key."""
    opener = personal_keys.held(engine)
    if opener is None:
        sign_in_manager(engine)
        opener = personal_keys.held(engine)
    assert opener is not None
    with reading(engine) as s:
        row = s.get(Person, person.id)
        assert row is not None
        return personal_keys.open_person(opener, row.id, row.id_number, row.phone)
