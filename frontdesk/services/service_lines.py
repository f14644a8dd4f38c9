"""The service catalogue at the desk: seeding, listing and picking a service by a few keys."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.central import HQ_SITE
from db.models import Partner, PartnerAgreement, Service
from db.search_keys import fold, keys_for
from db.session import reading
from db.types import reference_id
from frontdesk.domain import service_catalogue as seed


def seed_catalogue(s: Session, valid_from: date, *, version: int) -> dict[str, Service]:
    """Add head office's default partners, agreements and services to the caller's transaction.

    Ids are fixed per code, so a desk's seed and the central store's are the same rows; a
    desk seeds `version` 0 (provisional) so head office's version 1 replaces it on pull.
    """
    hq = HQ_SITE
    partners = {
        p.key: Partner(
            id=reference_id("partner", p.key),
            site_code=hq,
            row_version=version,
            name=p.name,
            kind=p.kind,
        )
        for p in seed.PARTNERS
    }
    s.add_all(partners.values())
    s.flush()
    s.add_all(
        PartnerAgreement(
            id=reference_id("agreement", p.key),
            site_code=hq,
            row_version=version,
            partner_id=partners[p.key].id,
            share_bp=p.share_bp,
            valid_from=valid_from,
        )
        for p in seed.PARTNERS
    )
    services = {
        row.code: Service(
            id=reference_id("service", row.code),
            site_code=hq,
            row_version=version,
            code=row.code,
            name_zh=row.name_zh,
            name_en=row.name_en,
            line=row.line,
            paid=row.paid,
            default_price_fen=row.price_fen,
            partner_id=partners[row.partner].id if row.partner else None,
            quick_key=row.quick,
        )
        for row in seed.SERVICES
    }
    s.add_all(services.values())
    s.flush()
    return services


@dataclass(frozen=True)
class ServiceItem:
    """A service as the quick log needs it, with its pick keys precomputed."""

    id: uuid.UUID
    code: str
    name_zh: str
    name_en: str
    line: str
    paid: bool
    price_fen: int
    partner_id: uuid.UUID | None
    quick_key: int
    keys: frozenset[str]  # code, name suffixes, initials and pinyin of every reading

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def active_services(engine: Engine) -> list[ServiceItem]:
    with reading(engine) as s:
        rows = s.exec(
            select(Service)
            .where(col(Service.active), col(Service.deleted_at).is_(None))
            .order_by(Service.code)
        ).all()
    return [_item(r) for r in rows]


def walkin_services(engine: Engine) -> list[ServiceItem]:
    """What the quick log offers: one-to-one services; group activities are sessions."""
    from frontdesk.domain.session_rules import group_kind

    return [s for s in active_services(engine) if group_kind(s.code, s.line) is None]


def _item(r: Service) -> ServiceItem:
    keys = keys_for(r.name_zh) | {r.code.lower()} | {fold(w) for w in r.name_en.split()}
    return ServiceItem(
        r.id,
        r.code,
        r.name_zh,
        r.name_en,
        r.line,
        r.paid,
        r.default_price_fen,
        r.partner_id,
        r.quick_key,
        frozenset(keys),
    )


def match(services: list[ServiceItem], typed: str) -> list[ServiceItem]:
    """Services for what was typed: a quick number, a code, or a prefix of any pick key.

    Quick-key services come first, then the catalogue order; an exact code wins outright.
    """
    q = fold(typed)
    if not q:
        return sorted(services, key=lambda s: (s.quick_key == 0, s.quick_key, s.code))
    if q.isdigit() and len(q) == 1:
        return [s for s in services if s.quick_key == int(q)]
    exact = [s for s in services if s.code.lower() == q]
    if exact:
        return exact
    hits = [s for s in services if any(k.startswith(q) for k in s.keys)]
    return sorted(hits, key=lambda s: (s.quick_key == 0, s.quick_key, s.code))
