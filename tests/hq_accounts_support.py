"""Head-office accounts for tests: made once per central store, found by name after that."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from db.models import HqStaff
from db.session import reading
from frontdesk.hq.accounts import EDITOR, VIEWER, HqActor, add_account

HQ_PIN = "135790"
EDITOR_NAME = "林编辑"
VIEWER_NAME = "周查看"


def account(central: Engine, name: str, role: str) -> HqActor:
    with reading(central) as s:
        row = s.exec(select(HqStaff).where(HqStaff.name == name)).first()
    if row is None:
        row = add_account(central, name, role, HQ_PIN)
    return HqActor(row.id, row.name, row.role)


def editor(central: Engine) -> HqActor:
    return account(central, EDITOR_NAME, EDITOR)


def viewer(central: Engine) -> HqActor:
    return account(central, VIEWER_NAME, VIEWER)
