"""The outbox is written by triggers: every write path, on SQLite and PostgreSQL, leaves
exactly one outbox row per changed row, in the writer's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DatabaseError
from sqlmodel import SQLModel

from db.migrate import open_store
from db.models import (
    ActivitySession,
    Adjustment,
    Attendance,
    AuditLog,
    BusinessDay,
    Closeout,
    DeskInfo,
    Employer,
    Enrolment,
    FairEmployer,
    FairPosting,
    GigAssignment,
    GigOrder,
    JobPosting,
    Outbox,
    Partner,
    PartnerAgreement,
    Payment,
    Person,
    Receipt,
    Referral,
    ReferralEvent,
    Resident,
    Service,
    SessionMeeting,
    Site,
    Staff,
    StaffPin,
    SyncedRow,
    SyncState,
    UsedPinReset,
    WalkIn,
    WalkInAttendee,
    synced_tables,
)
from db.session import writing
from db.types import UTCDateTime, new_id, utcnow

Change = tuple[str, uuid.UUID, int, str]  # (table_name, row_id, row_version, op)

NON_SYNCED = (
    "outbox",
    "sync_state",
    "desk_info",
    "staff_pins",
    "used_pin_resets",
    "key_slots",
)
DAY = date(2026, 11, 26)
AT = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store at head: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        target: str | Path = tmp_path / "desk.sqlite3"
    else:
        target = request.getfixturevalue("pg_head_url")
    engine, backup = open_store(target)
    assert backup is None
    yield engine
    engine.dispose()


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def last_seq(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(Outbox.seq), 0))).scalar_one()


def changes(conn: Connection, after: int = 0) -> list[Change]:
    rows = conn.execute(
        select(Outbox.table_name, Outbox.row_id, Outbox.row_version, Outbox.op)
        .where(Outbox.seq > after)
        .order_by(Outbox.seq)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def changes_since(engine: Engine, after: int) -> list[Change]:
    with engine.connect() as conn:
        return changes(conn, after)


def count(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table(name))).scalar_one()


def site_row(code: str, **kw: object) -> dict[str, object]:
    """A full `sites` row for Core inserts (explicit id and row_version)."""
    row: dict[str, object] = {"id": new_id(), "site_code": code, "code": code}
    return row | {"name": f"站点{code}", "row_version": 1} | kw


def one_of_each(site: str) -> list[SyncedRow]:
    """One minimal valid row per synced table, foreign keys wired, in dependency order."""
    staff = Staff(site_code=site, name="陈主任", role="manager")
    partner = Partner(site_code=site, name="康复诊所")
    service = Service(
        site_code=site,
        code=f"{site}-S1",
        name_zh="理疗",
        name_en="Therapy",
        line="wellness",
        paid=True,
        default_price_fen=3000,
        partner_id=partner.id,
    )
    person = Person(
        site_code=site,
        name="张三",
        id_number="440703199001011234",
        id_hash="h" * 64,
        id_tail="1234",
        gender="M",
        birth_date=date(1990, 1, 1),
        phone="13800001234",
        phone_tail="1234",
        registered_on=DAY,
        staff_id=staff.id,
    )
    employer = Employer(site_code=site, name="白沙制衣厂")
    order = GigOrder(
        site_code=site,
        employer_id=employer.id,
        job_type="包装",
        work_date=DAY,
        shift_start=time(8),
        shift_end=time(17),
        headcount=3,
        pay_mode="piece",
        rate_fen=Decimal("0.3333"),
    )
    walkin = WalkIn(
        site_code=site,
        business_date=DAY,
        started_at=AT,
        service_id=service.id,
        person_id=person.id,
        staff_id=staff.id,
    )
    payment = Payment(
        site_code=site,
        business_date=DAY,
        received_at=AT,
        amount_fen=3000,
        method="wechat",
        service_id=service.id,
        partner_id=partner.id,
        walkin_id=walkin.id,
        gig_order_id=order.id,
        staff_id=staff.id,
    )
    resident = Resident(site_code=site, name="黄阿姨", phone="13700001234", phone_tail="1234")
    session = ActivitySession(
        site_code=site,
        kind="course",
        title="育婴员培训",
        service_id=service.id,
        starts_on=DAY,
        ends_on=DAY,
        capacity=10,
    )
    meeting = SessionMeeting(
        site_code=site,
        session_id=session.id,
        meeting_date=DAY,
        starts_at=time(14),
        ends_at=time(16),
    )
    enrolled = Enrolment(
        site_code=site,
        session_id=session.id,
        person_id=person.id,
        queue_no=1,
        payment_id=payment.id,
        staff_id=staff.id,
    )
    posting = JobPosting(
        site_code=site,
        employer_id=employer.id,
        title="包装工",
        job_type="包装",
        job_key="包装",
        positions=2,
        pay_min_fen=400_000,
        pay_max_fen=500_000,
        pay_unit="month",
        valid_from=DAY,
        valid_until=DAY + timedelta(days=30),
        staff_id=staff.id,
    )
    referral = Referral(
        site_code=site,
        posting_id=posting.id,
        person_id=person.id,
        staff_id=staff.id,
        referred_on=DAY,
        outcome_at=AT,
    )
    return [
        Site(site_code=site, code=site, name="白沙社区"),
        staff,
        partner,
        service,
        PartnerAgreement(
            site_code=site,
            partner_id=partner.id,
            service_id=service.id,
            share_bp=7000,
            valid_from=DAY,
        ),
        AuditLog(site_code=site, staff_id=staff.id, action="sign_in"),
        person,
        employer,
        order,
        GigAssignment(
            site_code=site, order_id=order.id, person_id=person.id, dispatched_by=staff.id
        ),
        posting,
        referral,
        ReferralEvent(
            site_code=site, referral_id=referral.id, outcome="referred", at=AT, staff_id=staff.id
        ),
        walkin,
        WalkInAttendee(site_code=site, walkin_id=walkin.id, person_id=person.id),
        payment,
        Receipt(
            site_code=site,
            series=1,
            number=1,
            payment_id=payment.id,
            issued_at=AT,
            issued_by=staff.id,
            site_name="白沙社区",
            service_zh="日常保洁",
            service_en="Home cleaning",
            amount_fen=3000,
            method="wechat",
            received_at=AT,
            staff_name="李文员",
        ),
        BusinessDay(site_code=site, business_date=DAY, opened_at=AT, opened_by=staff.id),
        # The day before is the closed one, so DAY's rows stay open to the updates below.
        Closeout(
            site_code=site,
            business_date=DAY - timedelta(days=1),
            hash="0" * 64,
            closed_by=staff.id,
        ),
        Adjustment(
            site_code=site,
            closed_date=DAY - timedelta(days=1),
            booked_date=date(2026, 11, 27),
            payment_id=payment.id,
            amount_fen=-100,
            reason="更正",
            staff_id=staff.id,
        ),
        resident,
        session,
        meeting,
        enrolled,
        Attendance(
            site_code=site,
            meeting_id=meeting.id,
            enrolment_id=enrolled.id,
            person_id=person.id,
            minutes=120,
        ),
        FairEmployer(
            site_code=site, session_id=session.id, employer_id=employer.id, staff_id=staff.id
        ),
        FairPosting(
            site_code=site, session_id=session.id, posting_id=posting.id, staff_id=staff.id
        ),
    ]


def add_in_order(engine: Engine, rows: list[SyncedRow]) -> None:
    with writing(engine) as s:
        for row in rows:
            s.add(row)
            s.flush()  # parents first: the models declare no relationships to order by


def trigger_tables(engine: Engine) -> set[str]:
    """Tables that carry at least one user-defined trigger."""
    if engine.dialect.name == "sqlite":
        sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = (
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal"
        )
    with engine.connect() as conn:
        return set(conn.execute(text(sql)).scalars())


# --- every write path -----------------------------------------------------------------


def test_orm_insert_writes_one_insert_change(store: Engine) -> None:
    start = last_seq(store)
    site = Site(site_code="HS01", code="HS01", name="白沙社区")
    with writing(store) as s:
        s.add(site)
    assert changes_since(store, start) == [("sites", site.id, 1, "I")]


def test_orm_update_bumps_version_and_writes_update_change(store: Engine) -> None:
    site = Site(site_code="HS01", code="HS01", name="白沙社区")
    add_in_order(store, [site])
    start = last_seq(store)
    with writing(store) as s:
        loaded = s.get(Site, site.id)
        assert loaded is not None
        loaded.name = "白沙社区服务中心"
    assert loaded.row_version == 2
    assert loaded.updated_at > site.updated_at
    with store.connect() as conn:
        stored = conn.execute(select(Site.name, Site.row_version).where(Site.id == site.id)).one()
        assert tuple(stored) == ("白沙社区服务中心", 2)
        assert changes(conn, start) == [("sites", site.id, 2, "U")]


def test_orm_assignment_of_an_equal_value_writes_nothing(store: Engine) -> None:
    site = Site(site_code="HS01", code="HS01", name="白沙社区")
    add_in_order(store, [site])
    start = last_seq(store)
    with writing(store) as s:
        loaded = s.get(Site, site.id)
        assert loaded is not None
        loaded.name = "白沙社区"
    assert loaded.row_version == 1
    assert changes_since(store, start) == []


def test_orm_insert_then_update_in_one_transaction(store: Engine) -> None:
    start = last_seq(store)
    site = Site(site_code="HS01", code="HS01", name="白沙")
    with writing(store) as s:
        s.add(site)
        s.flush()
        site.name = "白沙社区"
    assert site.row_version == 2
    assert changes_since(store, start) == [("sites", site.id, 1, "I"), ("sites", site.id, 2, "U")]


def test_orm_add_all_writes_one_change_per_row(store: Engine) -> None:
    rows: list[SyncedRow] = [AuditLog(site_code="HS01", action=f"act{i}") for i in range(60)]
    rows += [Employer(site_code="HS01", name=f"厂{i}") for i in range(20)]
    start = last_seq(store)
    with writing(store) as s:
        s.add_all(rows)
    got = changes_since(store, start)
    assert len(got) == len(rows)
    assert sorted(got) == sorted((r.__tablename__, r.id, 1, "I") for r in rows)


@pytest.mark.parametrize("form", ["executemany", "multi_values"])
def test_core_multi_row_insert(store: Engine, form: str) -> None:
    sites = table("sites")
    rows = [site_row(f"S{i:02d}") for i in range(25)]
    start = last_seq(store)
    with store.begin() as conn:
        if form == "executemany":
            conn.execute(insert(sites), rows)
        else:
            conn.execute(insert(sites).values(rows))
    got = changes_since(store, start)
    assert len(got) == len(rows)
    assert sorted(got) == sorted(("sites", r["id"], 1, "I") for r in rows)


def test_core_update_of_many_rows(store: Engine) -> None:
    sites = table("sites")
    rows = [site_row(f"S{i:02d}", category="A" if i % 2 else "B") for i in range(10)]
    with store.begin() as conn:
        conn.execute(insert(sites), rows)
    start = last_seq(store)
    with store.begin() as conn:
        result = conn.execute(
            update(sites)
            .where(sites.c.category == "A")
            .values(name="改名", row_version=sites.c.row_version + 1)
        )
        assert result.rowcount == 5
    with store.begin() as conn:  # a second bump of the same rows
        conn.execute(
            update(sites).where(sites.c.category == "A").values(row_version=sites.c.row_version + 1)
        )
    changed = sorted(r["id"] for r in rows if r["category"] == "A")
    got = changes_since(store, start)
    assert len(got) == 10
    assert sorted(got[:5]) == [("sites", i, 2, "U") for i in changed]
    assert sorted(got[5:]) == [("sites", i, 3, "U") for i in changed]


def test_raw_sql_insert_and_update(store: Engine) -> None:
    row_id = new_id()
    ins = text(
        "INSERT INTO employers (id, site_code, created_at, updated_at, row_version, name, "
        "contact_name, phone, address, notes) "
        "VALUES (:id, 'HS01', :now, :now, 1, '白沙制衣厂', '', '', '', '')"
    ).bindparams(bindparam("id", type_=Uuid()), bindparam("now", type_=UTCDateTime()))
    upd = text(
        "UPDATE employers SET phone = '0750-1234567', row_version = row_version + 1 WHERE id = :id"
    ).bindparams(bindparam("id", type_=Uuid()))
    start = last_seq(store)
    with store.begin() as conn:
        conn.execute(ins, {"id": row_id, "now": utcnow()})
    with store.begin() as conn:
        assert conn.execute(upd, {"id": row_id}).rowcount == 1
    assert changes_since(store, start) == [
        ("employers", row_id, 1, "I"),
        ("employers", row_id, 2, "U"),
    ]


# --- rollback leaves nothing ------------------------------------------------------------


def test_exception_inside_writing_rolls_back_row_and_outbox(store: Engine) -> None:
    existing = Site(site_code="HS01", code="HS01", name="白沙社区")
    add_in_order(store, [existing])
    start = last_seq(store)
    site = Site(site_code="HS02", code="HS02", name="荷塘社区")
    with pytest.raises(RuntimeError, match="boom"), writing(store) as s:
        s.add(site)
        loaded = s.get(Site, existing.id)
        assert loaded is not None
        loaded.name = "改名"
        s.flush()  # the triggers have fired inside this transaction
        assert s.execute(select(func.count()).where(Outbox.seq > start)).scalar_one() == 2
        raise RuntimeError("boom")
    assert changes_since(store, start) == []
    assert count(store, "sites") == 1
    with store.connect() as conn:
        kept = conn.execute(select(Site.name, Site.row_version)).one()
    assert tuple(kept) == ("白沙社区", 1)


def test_explicit_connection_rollback_leaves_nothing(store: Engine) -> None:
    sites = table("sites")
    rows = [site_row("HS01"), site_row("HS02")]
    start = last_seq(store)
    with store.connect() as conn:
        conn.execute(insert(sites), rows)
        conn.execute(update(sites).values(row_version=sites.c.row_version + 1))
        assert len(changes(conn, start)) == 4
        conn.rollback()
        assert changes(conn, start) == []
    assert changes_since(store, start) == []
    assert count(store, "sites") == 0


# --- guards ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(lambda t: {"name": "改名"}, id="version_untouched"),
        pytest.param(lambda t: {"name": "改名", "row_version": t.c.row_version}, id="same"),
        pytest.param(lambda t: {"row_version": t.c.row_version - 1}, id="lower"),
    ],
)
def test_update_without_a_higher_version_is_refused(store: Engine, values) -> None:
    sites = table("sites")
    row = site_row("HS01")
    with store.begin() as conn:
        conn.execute(insert(sites), [row])
    start = last_seq(store)
    refused = pytest.raises(DatabaseError, match="row_version of sites must increase")
    with refused, store.begin() as conn:
        conn.execute(update(sites).where(sites.c.id == row["id"]).values(values(sites)))
    assert changes_since(store, start) == []
    with store.connect() as conn:
        kept = conn.execute(select(sites.c.name, sites.c.row_version)).one()
    assert tuple(kept) == (row["name"], 1)


@pytest.mark.parametrize("how", ["core", "orm"])
def test_delete_of_a_synced_row_is_refused(store: Engine, how: str) -> None:
    site = Site(site_code="HS01", code="HS01", name="白沙社区")
    add_in_order(store, [site])
    start = last_seq(store)
    with pytest.raises(DatabaseError, match="rows of sites are never deleted"):
        if how == "core":
            with store.begin() as conn:
                conn.execute(delete(table("sites")).where(table("sites").c.id == site.id))
        else:
            with writing(store) as s:
                loaded = s.get(Site, site.id)
                s.delete(loaded)
    assert count(store, "sites") == 1
    assert changes_since(store, start) == []


# --- sequence -------------------------------------------------------------------------


def test_seq_strictly_increases_across_transactions(store: Engine) -> None:
    expected: list[Change] = []
    site = Site(site_code="HS01", code="HS01", name="白沙")
    add_in_order(store, [site])
    expected.append(("sites", site.id, 1, "I"))
    for i in range(4):
        entry = AuditLog(site_code="HS01", action=f"step{i}")
        with writing(store) as s:
            s.add(entry)
            loaded = s.get(Site, site.id)
            assert loaded is not None
            loaded.name = f"白沙{i}"
        # Outbox order inside one flush is the unit of work's business; compare per commit.
        expected.append(("audit_log", entry.id, 1, "I"))
        expected.append(("sites", site.id, i + 2, "U"))
        with pytest.raises(RuntimeError), writing(store) as s:  # a rollback in between
            s.add(AuditLog(site_code="HS01", action="lost"))
            s.flush()
            raise RuntimeError
    with store.connect() as conn:
        seqs = list(conn.execute(select(Outbox.seq).order_by(Outbox.seq)).scalars())
        got = changes(conn)
    assert all(a < b for a, b in pairwise(seqs))
    assert got[0] == expected[0]
    for i in range(4):  # each commit's changes come after the previous commit's
        assert sorted(got[1 + 2 * i : 3 + 2 * i]) == sorted(expected[1 + 2 * i : 3 + 2 * i])


def test_seq_is_never_reused_after_pruning(store: Engine) -> None:
    add_in_order(store, [AuditLog(site_code="HS01", action="a")])
    before = last_seq(store)
    with store.begin() as conn:  # acknowledged rows pruned, including the newest
        conn.execute(delete(Outbox))
    add_in_order(store, [AuditLog(site_code="HS01", action="b")])
    with store.connect() as conn:
        assert conn.execute(select(Outbox.seq)).scalar_one() > before


# --- coverage of every table ------------------------------------------------------------


def test_every_synced_table_has_outbox_triggers(store: Engine) -> None:
    rows = one_of_each("HS01")
    built = sorted(r.__tablename__ for r in rows)
    assert built == synced_tables(), "a synced table was added: give it a row in one_of_each()"
    assert trigger_tables(store) == set(synced_tables())

    start = last_seq(store)
    add_in_order(store, rows)
    got = changes_since(store, start)
    assert sorted(got) == sorted((r.__tablename__, r.id, 1, "I") for r in rows)

    start = last_seq(store)
    frozen = [r for r in rows if r.__tablename__ == "closeouts"]  # closed days never change
    for row in frozen:
        t = table("closeouts")
        with pytest.raises(DatabaseError, match="business day closed"), store.begin() as conn:
            conn.execute(update(t).where(t.c.id == row.id).values(row_version=t.c.row_version + 1))
    rows = [r for r in rows if r not in frozen]
    for row in rows:
        t = table(row.__tablename__)
        with store.begin() as conn:
            conn.execute(update(t).where(t.c.id == row.id).values(row_version=t.c.row_version + 1))
        no_delete = pytest.raises(DatabaseError, match=f"rows of {t.name} are never deleted")
        with no_delete, store.begin() as conn:
            conn.execute(delete(t).where(t.c.id == row.id))
        no_skip = pytest.raises(DatabaseError, match=f"row_version of {t.name} must increase")
        with no_skip, store.begin() as conn:
            conn.execute(update(t).where(t.c.id == row.id).values(site_code="HS01"))
    assert changes_since(store, start) == [(r.__tablename__, r.id, 2, "U") for r in rows]


def test_non_synced_tables_write_no_outbox(store: Engine) -> None:
    staff = Staff(site_code="HS01", name="陈主任", role="manager")
    add_in_order(store, [staff])
    start = last_seq(store)
    total = count(store, "outbox")
    with writing(store) as s:
        s.add(SyncState())
        s.add(DeskInfo(site_code="HS01"))
        s.add(StaffPin(staff_id=staff.id, pin_hash="scrypt$x", set_at=utcnow()))
        s.add(UsedPinReset(reset_id=new_id(), staff_id=staff.id, used_at=utcnow()))
    with store.begin() as conn:
        conn.execute(update(SyncState).values(last_acked_seq=start, last_error="offline"))
        conn.execute(update(DeskInfo).values(demo=True))
        conn.execute(update(StaffPin).values(pin_hash="scrypt$y"))
        conn.execute(update(Outbox).values(acked_at=utcnow()))
        conn.execute(delete(StaffPin))
        conn.execute(delete(UsedPinReset))
        conn.execute(delete(DeskInfo))
        conn.execute(delete(SyncState))
    assert last_seq(store) == start
    assert count(store, "outbox") == total
    assert not trigger_tables(store) & set(NON_SYNCED)
