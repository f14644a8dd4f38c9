"""The service catalogue a new desk starts with (`init`): every line of DOMAIN.md, in both
languages, paid services priced and shared with their operating partner."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select

from db.models import Partner, PartnerAgreement, Service
from db.session import reading

CJK = re.compile(r"[\u4e00-\u9fff]")
# DOMAIN.md, "Services at the desk": the gig market's free public-benefit services.
GIG_MARKET = ("求职登记", "技能培训", "创业指导", "政策咨询", "权益保障", "招聘会", "就业意向")
CENTER_OWN_FEES = {"WG03"}  # the micro-factory dispatch fee: the center's income, no partner


def catalogue(engine) -> tuple[list[Service], dict, dict]:
    with reading(engine) as s:
        services = list(s.exec(select(Service).order_by(Service.code)))
        partners = {p.id: p for p in s.exec(select(Partner))}
        agreements = {a.partner_id: a for a in s.exec(select(PartnerAgreement))}
    return services, partners, agreements


def names(services: list[Service], line: str) -> list[str]:
    return [svc.name_zh for svc in services if svc.line == line]


def test_every_service_line_of_the_center_is_seeded(desk) -> None:
    engine, _ = desk
    services, _, _ = catalogue(engine)
    assert {svc.line for svc in services} == {
        "gig_market",
        "micro_factory",
        "housekeeping",
        "wellness",
        "skills",
        "classes",
    }
    gig = names(services, "gig_market")
    for wanted in GIG_MARKET:
        assert any(wanted in name for name in gig), wanted
    factory = names(services, "micro_factory")
    assert any("零部件装配" in n for n in factory) and any("直播带货" in n for n in factory)
    housekeeping = names(services, "housekeeping")
    for wanted in ("保洁", "月嫂", "收纳整理"):
        assert any(wanted in name for name in housekeeping), wanted
    assert any("中医" in name for name in names(services, "wellness"))
    skills = names(services, "skills")
    assert 18 <= len(skills) <= 22  # "about 20 course categories"
    for wanted in ("家政", "电子商务", "手工"):
        assert any(wanted in name for name in skills), wanted
    classes = names(services, "classes")
    assert "公益课堂" in classes and "惠民活动" in classes


def test_every_entry_is_named_in_both_languages(desk) -> None:
    engine, _ = desk
    services, _, _ = catalogue(engine)
    assert len({svc.code for svc in services}) == len(services)
    for svc in services:
        assert CJK.search(svc.name_zh), svc.code
        assert svc.name_en.strip() and not CJK.search(svc.name_en), svc.code
        assert svc.active and svc.site_code == "HQ"  # head office's reference rows
    quick = [svc.quick_key for svc in services if svc.quick_key]
    assert sorted(quick) == list(range(1, 10))  # number keys 1-9, one service each


def test_paid_services_are_priced_and_shared_free_ones_are_not(desk) -> None:
    engine, _ = desk
    services, partners, agreements = catalogue(engine)
    paid = [svc for svc in services if svc.paid]
    assert {svc.line for svc in paid} >= {"housekeeping", "wellness", "skills"}
    for svc in paid:
        assert svc.default_price_fen > 0, svc.code
        if svc.code in CENTER_OWN_FEES:
            assert svc.partner_id is None, svc.code
            continue
        partner = partners[svc.partner_id]
        assert partner.name and partner.active, svc.code
        share = agreements[partner.id]
        assert 0 < share.share_bp < 10_000, svc.code  # the community keeps the rest
        assert share.valid_from <= date(2026, 1, 1) and share.valid_to is None
    assert {partners[svc.partner_id].kind for svc in paid if svc.partner_id} == {
        "家政",
        "中医诊所",
        "职业培训",
    }
    for svc in services:
        if not svc.paid:
            assert svc.default_price_fen == 0 and svc.partner_id is None, svc.code
    for line in ("gig_market", "classes"):  # public-benefit: all free
        assert not [svc.code for svc in paid if svc.line == line], line
