"""Creating and opening a desk database for one site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from db.central import HQ_SITE
from db.migrate import StoreError, open_store
from db.models import DeskInfo, Site, SyncState
from db.session import reading, writing
from db.types import reference_id
from frontdesk.domain.service_catalogue import AGREEMENTS_FROM
from frontdesk.errors import UserError
from frontdesk.services.audit import record
from frontdesk.services.auth import add_desk_staff, hash_pin, validate_new_pin, validate_pin
from frontdesk.services.personal_keys import first_slot, new_desk_info
from frontdesk.services.service_lines import seed_catalogue

SITE_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,15}$")


@dataclass(frozen=True)
class DeskSetup:
    site_code: str
    site_name: str
    manager: str
    pin: str

    def validated(self, *, pin_chosen_now: bool = False) -> DeskSetup:
        """Checked field by field, top to bottom; a PIN chosen now needs six digits."""
        code = self.site_code.strip().upper()
        if not SITE_CODE_RE.match(code):
            raise UserError("init.bad_site_code", field="site_code")
        name, manager = self.site_name.strip(), self.manager.strip()
        if not name or len(name) > 80:
            raise UserError("init.bad_site_name", field="site_name")
        if not manager or len(manager) > 40:
            raise UserError("init.bad_manager", field="manager")
        (validate_new_pin if pin_chosen_now else validate_pin)(self.pin)
        return DeskSetup(code, name, manager, self.pin)


@dataclass(frozen=True)
class OpenedDesk:
    engine: Engine
    info: DeskInfo
    site_name: str
    backup: Path | None  # set when an older database was backed up and upgraded


def open_desk(path: Path) -> Engine:
    """Open an existing desk database (upgrading an older one after a backup)."""
    return open_desk_for(path).engine


def open_desk_for(path: Path, expected_site: str = "") -> OpenedDesk:
    """Open a desk database and, when the config names a site, make sure it is that site's."""
    engine, backup = open_store(path, create=False)
    try:
        info = desk_info(engine)
        if info is None:
            raise StoreError("db_not_initialised", path=str(path))
        if expected_site and expected_site.upper() != info.site_code:
            raise StoreError(
                "db_other_site", path=str(path), found=info.site_code, expected=expected_site
            )
        row = site(engine, info.site_code)
    except BaseException:
        engine.dispose()
        raise
    return OpenedDesk(engine, info, row.name if row else info.site_code, backup)


def init_desk(path: Path, setup: DeskSetup, *, demo: bool = False) -> Engine:
    """Create a desk database with its site and first manager, in one transaction."""
    setup = setup.validated()
    pin_hash = hash_pin(setup.pin)
    created = not path.exists()
    engine, _ = open_store(path)
    try:
        if desk_info(engine) is not None:
            raise UserError("init.already", path=str(path))
        code = setup.site_code
        with writing(engine) as s:
            s.add(provisional_site(code, setup.site_name))
            manager = add_desk_staff(s, code, setup.manager, "manager", pin_hash)
            s.add(new_desk_info(site_code=code, demo=demo))
            s.flush()
            first_slot(s, manager.id, setup.pin)
            s.add(SyncState())
            seed_catalogue(s, AGREEMENTS_FROM, version=0)
            s.flush()
            record(s, code, "desk_init", staff_id=manager.id)
    except BaseException:
        engine.dispose()
        if created:  # a failed init leaves no half-made database behind
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return engine


def set_up_desk(path: Path, setup: DeskSetup) -> Engine:
    """A desk set up by a person (`frontdesk init`, the first-run screen): the first
    manager's PIN is chosen now, so it needs six digits or more (frontdesk/domain/pin_rules.py).
    The demo and the tests make desks with the PINs they have through init_desk."""
    return init_desk(path, setup.validated(pin_chosen_now=True))


def provisional_site(code: str, name: str) -> Site:
    """The desk's own copy of its site row until head office's version arrives by pull."""
    return Site(
        id=reference_id("site", code), site_code=HQ_SITE, row_version=0, code=code, name=name
    )


def desk_info(engine: Engine) -> DeskInfo | None:
    with reading(engine) as s:
        return s.exec(select(DeskInfo)).first()


def site(engine: Engine, code: str) -> Site | None:
    with reading(engine) as s:
        return s.exec(select(Site).where(Site.code == code)).first()
