"""A central store filled by several synced desks, for the head-office TUI tests.

Built once per test process (`central_template`) and copied for each test, since the Pilot
tests write reference data into their copy. Every figure on screen is fixed: entries carry
their own times, and the sync marks the real clock leaves behind are overwritten.

    HS01 白沙社区  busy: several closed days, today open, gigs with pieces (one today, one
                  earlier this month), free visits
    BJ02 滨江社区  the biggest month, but its last sync was two days ago (needs a look)
    DT03 东台社区  one past day never closed out (needs a look)
    XL04 篁庄社区  a close-out whose entries have not all arrived (needs a look)
    JF05 建设社区  registered centrally, never synced (needs a look)
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, update
from sqlmodel import select

from db.engine import make_engine
from db.models import Closeout, Service, SyncSite
from db.session import reading, writing
from frontdesk.config import load
from frontdesk.domain.clock import LOCAL_TZ
from frontdesk.domain.gig_rules import OrderInput
from frontdesk.hq.reference import SiteRates, update_site
from frontdesk.i18n import set_language
from frontdesk.services import attendance, dispatch, settlement
from frontdesk.services.auth import add_desk_staff, hash_pin
from frontdesk.services.closeout import CloseInput, close_day, day_report
from frontdesk.services.desk import DeskSetup, init_desk
from frontdesk.services.employers import EmployerInput, add_employer
from frontdesk.services.gigs import create_order
from frontdesk.services.seekers import register
from frontdesk.services.walkins import WalkInInput, log_walkin
from frontdesk.sync.admin import add_site, open_central
from screens.hq_app import HqApp
from tests.crash_worker import person
from tests.db_templates import built, migrated_sqlite
from tests.hq_accounts_support import EDITOR_NAME, HQ_PIN, editor
from tests.sync_support import CEILING_FEN, PIN, actor_of, central_store, sync
from tests.tui_support import FakeClock

TODAY = date(2026, 11, 21)  # a Saturday; sync_support.DAY_ONE is the day before
NOW = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)  # 15:00 in Jiangmen
SITES = {
    "HS01": "白沙社区",
    "BJ02": "滨江社区",
    "DT03": "东台社区",
    "XL04": "篁庄社区",
    "JF05": "建设社区",
}
# When each community last pushed (UTC); JF05 never did.
LAST_PUSH = {
    "HS01": datetime(2026, 11, 21, 6, 40, tzinfo=UTC),
    "BJ02": datetime(2026, 11, 19, 2, 0, tzinfo=UTC),
    "DT03": datetime(2026, 11, 21, 6, 55, tzinfo=UTC),
    "XL04": datetime(2026, 11, 21, 5, 30, tzinfo=UTC),
}
NEEDS_A_LOOK = {"BJ02", "DT03", "XL04", "JF05"}

# (service code, yuan or "" for a free visit, method)
Entry = tuple[str, str, str]
HOUSEKEEPING: list[Entry] = [("JZ01", "45", "cash"), ("JZ01", "90", "wechat")]
WELLNESS: list[Entry] = [("KY01", "68", "alipay"), ("KY03", "88", "wechat")]
COURSE: list[Entry] = [("JN04", "500", "unionpay")]
FREE: list[Entry] = [("LG04", "", ""), ("LG01", "", "")]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def desk_for(folder: Path, central: str, code: str) -> tuple[Engine, str]:
    added = add_site(central, code, SITES[code])
    path = migrated_sqlite(folder / f"{code}.sqlite3")
    engine = init_desk(path, DeskSetup(code, SITES[code], "陈主任", PIN))
    return engine, added.url


def service_ids(engine: Engine) -> dict[str, object]:
    with reading(engine) as s:
        return {row.code: row.id for row in s.exec(select(Service))}


def day(engine: Engine, site: str, on: date, entries: list[Entry], close: bool) -> None:
    """Walk-ins from 09:00, one every 20 minutes; closed out at 18:00 with the cash counted."""
    actor, ids = actor_of(engine, site), service_ids(engine)
    for n, (code, yuan, method) in enumerate(entries):
        raw = WalkInInput(service_id=ids[code], amount=yuan, method=method)
        log_walkin(engine, actor, raw, at(on, 9) + timedelta(minutes=20 * n), CEILING_FEN)
    if close:
        expected = day_report(engine, site, on).expected_fen
        close_day(engine, actor, CloseInput(day=on, counted_fen=dict(expected)), at(on, 18))


def gig(engine: Engine, site: str, on: date, accepted: int, worker_no: int = 900) -> None:
    """One worker (registered that day) on a piece-rate order: in, out with `accepted` pieces
    passed, paid in cash."""
    actor = actor_of(engine, site)
    now = at(on, 8)
    employer = add_employer(engine, actor, EmployerInput(name="恒达五金制品厂"), now)
    order = OrderInput(
        employer_id=employer.id,
        job_type="包装",
        place=f"{SITES[site]}小社微工厂",
        work_date=on,
        shift_start="09:00",
        shift_end="12:00",
        headcount="3",
        pay_mode="piece",
        rate="0.355",
        unit="件",
    )
    order_id = create_order(engine, actor, order, now, CEILING_FEN).id
    worker = register(engine, actor, person(worker_no), now).id
    a = dispatch.assign(engine, actor, order_id, worker, now)
    attendance.check_in(engine, actor, a.id, at(on, 9))
    attendance.record_pieces(engine, actor, a.id, accepted + 10, accepted, 10, at(on, 11))
    attendance.check_out(engine, actor, a.id, at(on, 12))
    settlement.settle(engine, actor, a.id, "cash", "", at(on, 13))


def register_people(engine: Engine, site: str, first: int, count: int, on: date) -> None:
    actor = actor_of(engine, site)
    for n in range(first, first + count):
        register(engine, actor, person(n), at(on, 10))


def build_central(folder: Path) -> Path:
    """The central store file, with every desk synced and the sync marks fixed."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "central.sqlite3"
    central = central_store(str(path))

    hs, hs_url = desk_for(folder, central, "HS01")
    with writing(hs) as session:
        add_desk_staff(session, "HS01", "李文员", "clerk", hash_pin("1357"))
    register_people(hs, "HS01", 0, 6, date(2026, 11, 4))
    day(hs, "HS01", date(2026, 11, 3), HOUSEKEEPING + FREE, close=True)
    day(hs, "HS01", date(2026, 11, 10), HOUSEKEEPING * 2 + WELLNESS, close=True)
    gig(hs, "HS01", date(2026, 11, 17), accepted=80, worker_no=901)
    day(hs, "HS01", date(2026, 11, 17), WELLNESS + COURSE + FREE, close=True)
    day(hs, "HS01", date(2026, 11, 20), HOUSEKEEPING + WELLNESS + FREE * 2, close=True)
    day(hs, "HS01", TODAY, HOUSEKEEPING + FREE, close=False)
    gig(hs, "HS01", TODAY, accepted=150)

    bj, bj_url = desk_for(folder, central, "BJ02")
    register_people(bj, "BJ02", 100, 9, date(2026, 11, 12))
    day(bj, "BJ02", date(2026, 10, 28), COURSE + HOUSEKEEPING, close=True)
    day(bj, "BJ02", date(2026, 11, 5), COURSE * 2 + WELLNESS, close=True)
    day(bj, "BJ02", date(2026, 11, 12), HOUSEKEEPING * 3 + FREE, close=True)
    day(bj, "BJ02", date(2026, 11, 18), COURSE + WELLNESS * 2, close=True)

    dt, dt_url = desk_for(folder, central, "DT03")
    register_people(dt, "DT03", 200, 3, date(2026, 11, 14))
    day(dt, "DT03", date(2026, 11, 14), WELLNESS + FREE, close=True)
    day(dt, "DT03", date(2026, 11, 19), HOUSEKEEPING, close=False)  # never closed out
    day(dt, "DT03", TODAY, WELLNESS, close=False)

    xl, xl_url = desk_for(folder, central, "XL04")
    day(xl, "XL04", date(2026, 11, 8), HOUSEKEEPING + FREE, close=True)
    day(xl, "XL04", date(2026, 11, 16), WELLNESS + HOUSEKEEPING, close=True)

    add_site(central, "JF05", SITES["JF05"])

    for engine, url in ((hs, hs_url), (bj, bj_url), (dt, dt_url), (xl, xl_url)):
        sync(engine, url)
        engine.dispose()

    hq = open_central(central)
    update_site(hq, editor(hq), "HS01", SiteRates(category="全优型"))
    update_site(hq, editor(hq), "BJ02", SiteRates(category="资源型", rebate_percent="25"))
    hq.dispose()

    store = make_engine(central)
    with store.begin() as conn:
        for code, pushed in LAST_PUSH.items():
            conn.execute(
                update(SyncSite).where(SyncSite.site_code == code).values(last_push_at=pushed)
            )
        # XL04's last close-out covers entries still on their way: its mark falls short.
        covered = conn.execute(
            select(func.max(Closeout.outbox_seq)).where(Closeout.site_code == "XL04")
        ).scalar_one()
        conn.execute(
            update(SyncSite).where(SyncSite.site_code == "XL04").values(high_water_seq=covered - 1)
        )
    store.dispose()
    return path


def central_template() -> Path:
    """build_central's file, built once per process and shared by the test modules."""
    return built("hq-screens", build_central) / "central.sqlite3"


def copy_central(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "central.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))
    return target


class SignedInHqApp(HqApp):
    """Head office's TUI that signs the template's editor (or `account`) in as it starts,
    through the real sign-in service (the sign-in screen itself has its own tests)."""

    account = EDITOR_NAME

    def on_mount(self) -> None:
        from frontdesk.hq.accounts import sign_in

        super().on_mount()
        actor = sign_in(self.ensure_central(), self.account, HQ_PIN, self.now())
        self.call_after_refresh(self.signed_in, actor)  # once the sign-in screen is up


def make_hq_app(
    central: Path,
    lang: str = "zh",
    now: datetime = NOW,
    *,
    signed_in: bool = True,
    account: str = EDITOR_NAME,
) -> HqApp:
    """`signed_in`: past the sign-in screen, as the template's editor or `account` (its PIN
    HQ_PIN; see SignedInHqApp)."""
    set_language(lang)
    cfg = load({"db": central.parent / "unused.sqlite3", "lang": lang})
    app_class = SignedInHqApp if signed_in else HqApp
    app = app_class(cfg, str(central), clock=FakeClock(now), blink=False)
    if isinstance(app, SignedInHqApp):
        app.account = account
    return app
