"""Setting up the central store: `central init` and `central add-site`."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from db import central
from db.central import HQ_SITE
from db.migrate import open_store
from db.models import DeskInfo, Service, Site, SyncSite
from db.session import writing
from db.types import reference_id, utcnow
from frontdesk.domain.service_catalogue import AGREEMENTS_FROM
from frontdesk.errors import UserError
from frontdesk.services.desk import SITE_CODE_RE
from frontdesk.services.service_lines import seed_catalogue
from frontdesk.sync.link import writer

HQ_NAME = ("环市街道幸邻公司", "Huanshi Street Head Company")


@dataclass(frozen=True)
class CentralReady:
    database_uuid: uuid.UUID
    backup: Path | None  # an older SQLite central file backed up before upgrading


@dataclass(frozen=True)
class SiteAdded:
    site: str
    role: str  # empty on a SQLite central store (no roles there)
    url: str  # what the site's desk puts in `central_url`


def init_central(url: str) -> CentralReady:
    """Create or upgrade a central store and (re)apply its triggers and access rules."""
    engine, backup = open_store(url)
    try:
        with engine.connect() as conn:
            if conn.execute(select(col(DeskInfo.site_code))).first() is not None:
                raise UserError("central.is_a_desk")
        with writer(engine).begin() as conn:
            database_uuid = central.prepare(conn)
        _seed_reference(engine)
    finally:
        engine.dispose()
    return CentralReady(database_uuid, backup)


def _seed_reference(engine: Engine) -> None:
    """Head office's own site row and the default catalogue, once."""
    with writing(engine) as s:
        if s.exec(select(Site).where(col(Site.code) == HQ_SITE)).first() is None:
            s.add(_site_row(HQ_SITE, HQ_NAME[0], HQ_NAME[1]))
        if s.exec(select(Service)).first() is None:
            seed_catalogue(s, AGREEMENTS_FROM, version=1)


def _site_row(code: str, name: str, name_en: str = "") -> Site:
    return Site(
        id=reference_id("site", code), site_code=HQ_SITE, code=code, name=name, name_en=name_en
    )


def open_central(url: str) -> Engine:
    """An existing central store at the program's schema (never created here)."""
    engine, _ = open_store(url, create=False) if "://" not in url else open_store(url)
    with engine.connect() as conn:
        if not central.is_central(conn):
            engine.dispose()
            raise UserError("sync.not_central")
    return engine


def add_site(url: str, code: str, name: str) -> SiteAdded:
    """Register a site; on PostgreSQL give it its own login role under row-level security."""
    code = code.strip().upper()
    if not SITE_CODE_RE.match(code) or code == HQ_SITE:
        raise UserError("init.bad_site_code", field="site_code")
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("init.bad_site_name", field="site_name")
    engine = open_central(url)
    try:
        return _register(engine, url, code, name)
    finally:
        engine.dispose()


def _register(engine: Engine, url: str, code: str, name: str) -> SiteAdded:
    with writer(engine).begin() as conn:
        if conn.execute(select(SyncSite).where(col(SyncSite.site_code) == code)).first():
            raise UserError("central.site_exists", site=code)
        role, site_url = "", url
        if conn.dialect.name == "postgresql":
            password = secrets.token_urlsafe(18)
            role = central.create_site_role(conn, code, password)
            site_url = (
                make_url(url)
                .set(username=role, password=password)
                .render_as_string(hide_password=False)
            )
        conn.execute(
            insert(SyncSite).values(site_code=code, role_name=role, registered_at=utcnow())
        )
    with writing(engine) as s:
        row = s.exec(select(Site).where(col(Site.code) == code)).first()
        if row is None:
            s.add(_site_row(code, name))
        else:
            row.name = name
    return SiteAdded(code, role, site_url)
