"""Head office finds a person (frontdesk/hq/people.py) and a key holder reveals one.

Real desks register people and sync into a real central store (SQLite, and PostgreSQL
with the postgres mark) whose district key exists, so what the desks push is sealed to it.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import AuditLog
from db.session import reading
from frontdesk.errors import UserError
from frontdesk.hq.accounts import KEY_HOLDER
from frontdesk.hq.district_keys import create_key, reveal_person
from frontdesk.hq.people import HqPersonRow, find_people
from frontdesk.services import personal_keys
from frontdesk.services.seekers import register
from tests.conftest import FIXED_NOW
from tests.crash_worker import person
from tests.hq_accounts_support import HQ_PIN, account, viewer
from tests.sealed_support import sign_in_manager
from tests.sync_support import DAY_ONE, actor_of, new_desk, sync

KEEPER = "王保管"
ADDRESS = "江门市蓬江区白沙街道中山路12号3栋"
# (site, person numbers): 0 曾小明 and 2 解伟强 at both; 6 司徒健华 has an address.
REGISTERED = {"HS01": (0, 1, 2, 6), "HS02": (0, 2, 5)}


def seeker(n: int):
    return replace(person(n), address=ADDRESS) if n == 6 else person(n)


@pytest.fixture
def district(central, tmp_path: Path):
    """The district's key made by a key holder, then two desks that register and sync with
    a manager signed in (their values sealed to the district's key too)."""
    url, hq = central
    keeper = account(hq, KEEPER, KEY_HOLDER)
    create_key(hq, (KEEPER, HQ_PIN), FIXED_NOW)
    desks = []
    for site, numbers in REGISTERED.items():
        engine, site_url = new_desk(tmp_path, site, url)
        desks.append(engine)
        for n in numbers:
            register(engine, actor_of(engine, site), seeker(n), DAY_ONE)
        sign_in_manager(engine, "2468")
        assert sync(engine, site_url).pending == 0
    try:
        yield url, hq, keeper, tmp_path
    finally:
        for engine in desks:
            personal_keys.drop(engine)
            engine.dispose()


def names(rows: list[HqPersonRow]) -> list[tuple[str, str]]:
    return sorted((r.site, r.name) for r in rows)


def test_found_by_name_initials_pinyin_and_tails_masked_only(district) -> None:
    _, hq, *_ = district
    me = viewer(hq)
    everyone = find_people(hq, me, "")
    assert len(everyone) == 7
    full = [v for n in (0, 1, 2, 5, 6) for v in (person(n).id_number, person(n).phone)]
    for row in everyone:
        assert "*" in row.id_masked and "*" in row.phone_masked
        assert not any(value in repr(row) for value in [*full, ADDRESS])
    assert names(find_people(hq, me, "小明")) == [("HS01", "曾小明"), ("HS02", "曾小明")]
    assert names(find_people(hq, me, "zxm")) == [("HS01", "曾小明"), ("HS02", "曾小明")]
    assert names(find_people(hq, me, "ZENGxiao")) == [("HS01", "曾小明"), ("HS02", "曾小明")]
    assert names(find_people(hq, me, "stjh")) == [("HS01", "司徒健华")]
    phone_tail = person(5).phone[-4:]
    by_tail = find_people(hq, me, phone_tail)  # 0005: an ID number may end so too
    assert ("HS02", "朴美玲") in names(by_tail)
    assert all(phone_tail in (r.phone_masked[-4:], r.id_masked[-4:]) for r in by_tail)
    id_tail = person(1).id_number[-4:]
    assert names(find_people(hq, me, id_tail)) == [("HS01", "单丽芳")]
    assert names(find_people(hq, me, person(1).phone)) == [("HS01", "单丽芳")]
    whole_id = person(2).id_number
    assert names(find_people(hq, me, whole_id)) == [("HS01", "解伟强"), ("HS02", "解伟强")]
    assert names(find_people(hq, me, "解", site="HS02")) == [("HS02", "解伟强")]
    assert find_people(hq, me, "100%_") == []  # LIKE's wildcards are plain characters


def test_the_same_person_at_two_communities_is_counted_and_pages_hold(district) -> None:
    _, hq, keeper, _ = district
    rows = find_people(hq, keeper, "")
    counts = {(r.site, r.name): r.communities for r in rows}
    assert counts[("HS01", "曾小明")] == counts[("HS02", "解伟强")] == 2
    assert counts[("HS01", "单丽芳")] == counts[("HS02", "朴美玲")] == 1
    first, second = find_people(hq, keeper, "", limit=4), find_people(hq, keeper, "", offset=4)
    assert len(first) == 4 and len(second) == 3
    assert {r.id for r in first}.isdisjoint(r.id for r in second)
    stjh = find_people(hq, keeper, "司徒")[0]
    assert stjh.address_masked.endswith("****") and "12号" not in stjh.address_masked
    assert stjh.site_name == "HS01社区"


def test_a_search_needs_a_signed_in_account(district) -> None:
    _, hq, *_ = district
    with pytest.raises(UserError) as refused:
        find_people(hq, None, "")
    assert refused.value.code == "hq_account.sign_in_first"


def test_a_key_holder_reveals_a_found_person_audited_a_viewer_cannot(district) -> None:
    _, hq, keeper, _ = district
    found = find_people(hq, keeper, "司徒")[0]
    with pytest.raises(UserError) as refused:
        reveal_person(hq, viewer(hq), HQ_PIN, found.id, FIXED_NOW)
    assert refused.value.code == "hq_account.needs_keyholder"
    shown = reveal_person(hq, keeper, HQ_PIN, found.id, FIXED_NOW)
    assert shown == {
        "id_number": person(6).id_number,
        "phone": person(6).phone,
        "address": ADDRESS,
    }
    with reading(hq) as s:
        audits = s.exec(select(AuditLog).where(AuditLog.action == "hq_reveal")).all()
    assert [(a.entity_id, a.hq_staff_id) for a in audits] == [(found.id, keeper.staff_id)]


def test_values_a_desk_sealed_to_itself_only_are_not_revealed(district) -> None:
    """A desk that synced with nobody signed in pushed values sealed to its own key only."""
    url, hq, keeper, folder = district
    engine, site_url = new_desk(folder, "HS03", url)
    try:
        register(engine, actor_of(engine, "HS03"), person(7), DAY_ONE)
        assert sync(engine, site_url).pending == 0
    finally:
        engine.dispose()
    found = find_people(hq, keeper, "欧阳")
    assert [r.site for r in found] == ["HS03"]
    with pytest.raises(UserError) as refused:
        reveal_person(hq, keeper, HQ_PIN, found[0].id, FIXED_NOW)
    assert refused.value.code == "district_key.desk_only"
    assert isinstance(found[0].id, uuid.UUID)
