"""Reference data head office keeps: sites and their rates, staff accounts, the catalogue,
partners and their shares. Written in the central store; desks pull them by the change
cursor. Every change is one transaction with its audit row (site_code HQ), and takes the
person signed in at head office (`by`): the account's role is checked in that transaction
(frontdesk/hq/accounts.py) and the audit row names it (`hq_staff_id`).

Staff accounts belong to their site (a desk creates its first manager); after that only
head office changes them, so each record still has one writer at a time. Head office never
sees or sends a PIN: a new account and a PIN reset get a one-time code (auth.py).

An active service never has an inactive partner: deactivating a partner deactivates its
services in the same transaction, and a service cannot be given (or switched back on with)
a partner that is off. Desks offer only active services for new entries, so a partner that
stops working in the center disappears from every quick log on the desks' next sync.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.central import HQ_SITE
from db.models import AuditLog, HqStaff, Partner, PartnerAgreement, Service, Site, Staff
from db.models.reference import REBATE_BASES, ROLES, SERVICE_LINES
from db.session import reading, writing
from frontdesk.domain.money import parse_percent, parse_yuan
from frontdesk.errors import UserError
from frontdesk.hq.accounts import EDITOR, HqActor, require
from frontdesk.services.audit import record
from frontdesk.services.auth import RESET_USED, issue_reset

MAX_PRICE_FEN = 10_000_000  # 100,000 yuan: anything above is a typing slip
# DOMAIN.md: at least 20 % of operating proceeds go back to the community.
MIN_REBATE_BP = 2000


@dataclass(frozen=True)
class SiteRates:
    """A site's settings as typed: blank leaves a value as it is."""

    name: str = ""
    category: str = ""
    rebate_percent: str = ""
    rebate_base: str = ""
    tolerance_yuan: str = ""
    min_wage_yuan: str = ""


def sites(central: Engine) -> list[Site]:
    with reading(central) as s:
        return list(s.exec(select(Site).where(Site.code != HQ_SITE).order_by(Site.code)))


def update_site(central: Engine, by: HqActor | None, code: str, raw: SiteRates) -> Site:
    rate = parse_percent(raw.rebate_percent, "rebate_percent")
    if rate is not None and rate < MIN_REBATE_BP:
        raise UserError("hq.rebate_too_low", field="rebate_percent")
    if raw.rebate_base and raw.rebate_base not in REBATE_BASES:
        raise UserError("hq.bad_choice", field="rebate_base")
    tolerance = parse_yuan(raw.tolerance_yuan, "tolerance_yuan", MAX_PRICE_FEN)
    min_wage = parse_yuan(raw.min_wage_yuan, "min_wage_yuan", 100_000)
    if len(raw.name.strip()) > 80:
        raise UserError("init.bad_site_name", field="name")
    with writing(central) as s:
        who = require(s, by, EDITOR)
        site = _site(s, code)
        site.name = raw.name.strip() or site.name
        site.category = raw.category.strip() or site.category
        site.rebate_rate_bp = site.rebate_rate_bp if rate is None else rate
        site.rebate_base = raw.rebate_base or site.rebate_base
        if tolerance is not None:
            site.closeout_tolerance_fen = tolerance
        if min_wage is not None:
            site.min_wage_fen_per_hour = min_wage
        _audit(s, who, "hq_site", "sites", site.id, code)
    return site


def _site(s, code: str) -> Site:
    site = s.exec(select(Site).where(Site.code == code.upper())).first()
    if site is None or site.code == HQ_SITE:
        raise UserError("hq.unknown_site", field="site", site=code)
    return site


# --- staff accounts ---------------------------------------------------------------------------


def staff(central: Engine, site: str) -> list[Staff]:
    with reading(central) as s:
        return list(
            s.exec(select(Staff).where(Staff.site_code == site.upper()).order_by(Staff.name))
        )


@dataclass(frozen=True)
class CodeIssued:
    """A one-time code head office passes on by phone; shown once, stored nowhere."""

    staff: Staff
    code: str


def add_staff(central: Engine, by: HqActor | None, site: str, name: str, role: str) -> CodeIssued:
    """A new account at a community; its first PIN is chosen at the desk with the code."""
    name = name.strip()
    if not name or len(name) > 40:
        raise UserError("init.bad_manager", field="name")
    if role not in ROLES or role == "hq":
        raise UserError("hq.bad_choice", field="role")
    issued = issue_reset()  # before the write lock: scrypt is slow on purpose
    with writing(central) as s:
        who = require(s, by, EDITOR)
        code = _site(s, site).code
        row = Staff(site_code=code, name=name, role=role)
        issued.apply(row)
        s.add(row)
        s.flush()
        _audit(s, who, "hq_staff_add", "staff", row.id, code)
    return CodeIssued(row, issued.code)


def set_staff_active(
    central: Engine, by: HqActor | None, staff_id: uuid.UUID, active: bool
) -> Staff:
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = _staff(s, staff_id)
        row.active = active
        action = "hq_staff_on" if active else "hq_staff_off"
        _audit(s, who, action, "staff", row.id, row.site_code)
    return row


def reset_pin(central: Engine, by: HqActor | None, staff_id: uuid.UUID) -> CodeIssued:
    """A one-time code in place of the PIN: once the desk has it (next sync), the old PIN
    stops working there and the code signs in once, to choose a new PIN."""
    issued = issue_reset()
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = _staff(s, staff_id)
        issued.apply(row)
        _audit(s, who, "hq_pin_reset", "staff", row.id, row.site_code)
    return CodeIssued(row, issued.code)


def codes_waiting(central: Engine, site: str | None = None) -> set[uuid.UUID]:
    """Staff whose latest one-time code has not been used at their desk yet (as far as the
    central store knows: the desk's audit row of the use arrives with its next push)."""
    with reading(central) as s:
        query = select(col(Staff.id), col(Staff.pin_reset_id)).where(
            col(Staff.pin_reset_id).is_not(None)
        )
        if site is not None:
            query = query.where(Staff.site_code == site.upper())
        issued = dict(s.exec(query).all())
        used = set(s.exec(select(AuditLog.entity_id).where(AuditLog.action == RESET_USED)))
    return {staff_id for staff_id, reset in issued.items() if reset not in used}


def _staff(s, staff_id: uuid.UUID) -> Staff:
    row = s.get(Staff, staff_id)
    if row is None:
        raise UserError("hq.unknown_staff", field="staff")
    return row


# --- the service catalogue --------------------------------------------------------------------


def services(central: Engine) -> list[Service]:
    with reading(central) as s:
        return list(s.exec(select(Service).order_by(Service.code)))


def set_price(central: Engine, by: HqActor | None, code: str, price_yuan: str) -> Service:
    price = parse_yuan(price_yuan, "price", MAX_PRICE_FEN)
    if price is None:
        raise UserError("money.format", field="price")
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = _service(s, code)
        row.default_price_fen = price
        row.paid = price > 0  # as add_service decides it: a price makes the desk take money
        _audit(s, who, "hq_price", "services", row.id, code)
    return row


def set_service_active(central: Engine, by: HqActor | None, code: str, active: bool) -> Service:
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = _service(s, code)
        if active and row.partner_id is not None:
            _active_partner(s, row.partner_id, "service")
        row.active = active
        _audit(s, who, "hq_service", "services", row.id, code)
    return row


@dataclass(frozen=True)
class NewService:
    code: str
    name_zh: str
    name_en: str
    line: str
    price_yuan: str = ""
    partner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ServiceEdit:
    """What head office may change of a service after it exists (its code stays; the price
    has set_price)."""

    name_zh: str
    name_en: str
    line: str
    partner_id: uuid.UUID | None = None


def _clean_names(name_zh: str, name_en: str, line: str) -> tuple[str, str]:
    zh, en = name_zh.strip(), name_en.strip()
    if not zh or len(zh) > 60:
        raise UserError("hq.name_required", field="name_zh")
    if not en or len(en) > 80:
        raise UserError("hq.name_required", field="name_en")
    if line not in SERVICE_LINES:
        raise UserError("hq.bad_choice", field="line")
    return zh, en


def add_service(central: Engine, by: HqActor | None, raw: NewService) -> Service:
    code = raw.code.strip().upper()
    if not code or len(code) > 16 or not code.isalnum():
        raise UserError("hq.bad_code", field="code")
    name_zh, name_en = _clean_names(raw.name_zh, raw.name_en, raw.line)
    price = parse_yuan(raw.price_yuan, "price", MAX_PRICE_FEN) or 0
    with writing(central) as s:
        who = require(s, by, EDITOR)
        if s.exec(select(Service).where(Service.code == code)).first() is not None:
            raise UserError("hq.code_taken", field="code", service=code)
        if raw.partner_id is not None:
            _active_partner(s, raw.partner_id, "partner")
        row = Service(
            site_code=HQ_SITE,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            line=raw.line,
            paid=price > 0,
            default_price_fen=price,
            partner_id=raw.partner_id,
        )
        s.add(row)
        s.flush()
        _audit(s, who, "hq_service_add", "services", row.id, code)
    return row


def edit_service(central: Engine, by: HqActor | None, code: str, raw: ServiceEdit) -> Service:
    """A service's names, line and partner. Entries already logged keep the partner they were
    logged with (each income entry carries its own), so closed days do not change."""
    name_zh, name_en = _clean_names(raw.name_zh, raw.name_en, raw.line)
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = _service(s, code)
        if raw.partner_id is not None and raw.partner_id != row.partner_id:
            _active_partner(s, raw.partner_id, "partner")
        row.name_zh, row.name_en, row.line = name_zh, name_en, raw.line
        row.partner_id = raw.partner_id
        _audit(s, who, "hq_service_edit", "services", row.id, code)
    return row


def _service(s, code: str) -> Service:
    row = s.exec(select(Service).where(Service.code == code.strip().upper())).first()
    if row is None:
        raise UserError("hq.unknown_service", field="service", service=code)
    return row


# --- partners and their shares ----------------------------------------------------------------


def partners(central: Engine, today: date) -> list[tuple[Partner, PartnerAgreement | None]]:
    """Each partner with its general agreement in force on `today` (None when none is)."""
    with reading(central) as s:
        rows = list(s.exec(select(Partner).order_by(Partner.name)))
        current = {
            a.partner_id: a
            for a in s.exec(
                select(PartnerAgreement).where(
                    col(PartnerAgreement.service_id).is_(None),
                    PartnerAgreement.valid_from <= today,
                    col(PartnerAgreement.valid_to).is_(None)
                    | (col(PartnerAgreement.valid_to) >= today),
                )
            )
        }
    return [(p, current.get(p.id)) for p in rows]


def add_partner(
    central: Engine, by: HqActor | None, name: str, kind: str, share_percent: str, start: date
) -> Partner:
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("hq.name_required", field="name")
    share = parse_percent(share_percent, "share")
    if share is None:
        raise UserError("hq.bad_percent", field="share")
    with writing(central) as s:
        who = require(s, by, EDITOR)
        row = Partner(site_code=HQ_SITE, name=name, kind=kind.strip()[:40])
        s.add(row)
        s.flush()
        s.add(
            PartnerAgreement(site_code=HQ_SITE, partner_id=row.id, share_bp=share, valid_from=start)
        )
        _audit(s, who, "hq_partner_add", "partners", row.id, name)
    return row


def set_partner_active(
    central: Engine, by: HqActor | None, partner_id: uuid.UUID, active: bool
) -> list[str]:
    """Switch a partner off or on; returns the codes of the services switched off with it.

    Off takes its active services off too (one transaction), so no desk offers them for new
    entries. On leaves its services as they are: head office switches back on the ones it
    wants, one by one.
    """
    with writing(central) as s:
        who = require(s, by, EDITOR)
        partner = s.get(Partner, partner_id)
        if partner is None:
            raise UserError("hq.unknown_partner", field="partner")
        partner.active = active
        codes: list[str] = []
        if not active:
            for service in s.exec(
                select(Service)
                .where(Service.partner_id == partner_id, Service.active)
                .order_by(Service.code)
            ):
                service.active = False
                codes.append(service.code)
        action = "hq_partner_on" if active else "hq_partner_off"
        detail = partner.name if active else f"{partner.name} services={','.join(codes)}"
        _audit(s, who, action, "partners", partner.id, detail[:500])
    return codes


def _active_partner(s, partner_id: uuid.UUID, field: str) -> Partner:
    partner = s.get(Partner, partner_id)
    if partner is None:
        raise UserError("hq.unknown_partner", field=field)
    if not partner.active:
        raise UserError("hq.partner_inactive", field=field, name=partner.name)
    return partner


def set_share(
    central: Engine, by: HqActor | None, partner_id: uuid.UUID, share_percent: str, start: date
) -> PartnerAgreement:
    """A new general share from `start`; the agreement in force until then ends the day before.

    Days already closed keep the share they were closed with (the close-out stored it).
    """
    share = parse_percent(share_percent, "share")
    if share is None:
        raise UserError("hq.bad_percent", field="share")
    with writing(central) as s:
        who = require(s, by, EDITOR)
        if s.get(Partner, partner_id) is None:
            raise UserError("hq.unknown_partner", field="partner")
        open_ones = s.exec(
            select(PartnerAgreement).where(
                PartnerAgreement.partner_id == partner_id,
                col(PartnerAgreement.service_id).is_(None),
                col(PartnerAgreement.valid_to).is_(None)
                | (col(PartnerAgreement.valid_to) >= start),
            )
        ).all()
        for old in open_ones:
            if old.valid_from >= start:
                raise UserError("hq.share_overlaps", field="start", date=old.valid_from.isoformat())
            old.valid_to = start - timedelta(days=1)
        row = PartnerAgreement(
            site_code=HQ_SITE, partner_id=partner_id, share_bp=share, valid_from=start
        )
        s.add(row)
        s.flush()
        _audit(s, who, "hq_share", "partner_agreements", row.id)
    return row


def _audit(
    s: Session, who: HqStaff, action: str, entity: str, entity_id: uuid.UUID, detail: str = ""
) -> None:
    """The audit row of a head-office account's change to reference data (HQ's own rows)."""
    record(
        s, HQ_SITE, action, entity=entity, entity_id=entity_id, detail=detail, hq_staff_id=who.id
    )
