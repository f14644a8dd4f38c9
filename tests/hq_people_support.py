"""A central store for head office's person search and reveal (screens/hq/people.py).

The district's key is made first, by the key holder 王保管; then two desks register people
and sync with a manager signed in, so what they push is sealed to the district's key too.
An editor (林编辑) and the key holder share HQ_PIN. Built once per test process and copied
for each test (a reveal writes audit rows).

    HS01 白沙社区  曾小明 (also at BJ02), 单丽芳, 司徒健华 (with an address)
    BJ02 滨江社区  曾小明, 朴美玲, 欧阳婷
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from db.engine import make_engine
from frontdesk.hq.accounts import KEY_HOLDER
from frontdesk.hq.district_keys import create_key
from frontdesk.services import personal_keys
from frontdesk.services.seekers import register
from tests.crash_worker import person
from tests.db_templates import built
from tests.hq_accounts_support import HQ_PIN, account, editor
from tests.hq_screen_support import NOW, at, desk_for
from tests.sealed_support import sign_in_manager
from tests.sync_support import PIN, actor_of, central_store, sync

KEEPER = "王保管"
ADDRESS = "江门市蓬江区白沙街道中山路12号3栋"
WITH_ADDRESS = 6  # 司徒健华
# Who registers where and when (person numbers of tests/crash_worker.person), in the order
# the list shows them, newest last (the list goes by the UUIDv7 keys: newest first).
REGISTERED = {
    "HS01": ((0, date(2026, 11, 2)), (1, date(2026, 11, 4)), (6, date(2026, 11, 9))),
    "BJ02": ((0, date(2026, 11, 12)), (5, date(2026, 11, 12)), (7, date(2026, 11, 20))),
}


def seeker(n: int):
    return replace(person(n), address=ADDRESS) if n == WITH_ADDRESS else person(n)


def build_people(folder: Path) -> None:
    url = central_store(str(folder / "central.sqlite3"))
    hq = make_engine(url)
    account(hq, KEEPER, KEY_HOLDER)
    editor(hq)
    create_key(hq, (KEEPER, HQ_PIN), NOW)
    for site, people in REGISTERED.items():
        engine, site_url = desk_for(folder, url, site)
        for n, day in people:
            register(engine, actor_of(engine, site), seeker(n), at(day, 10))
        sign_in_manager(engine, PIN)
        assert sync(engine, site_url).pending == 0
        personal_keys.drop(engine)
        engine.dispose()
    hq.dispose()


def people_template() -> Path:
    return built("hq-people", build_people) / "central.sqlite3"
