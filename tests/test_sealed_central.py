"""Personal data sealed at the central store (issue 22, item 2).

Rows a desk pushed before the upgrade sit at the central store in plain text (in the people
table and in the quarantine); `central key create` seals them to the district's key in
place. Desks take the district's public key at sync and send values sealed to it and to
their own key. An outsider with the central SQLite file (stdlib sqlite3) or with a site's
or the read-only head-office login on PostgreSQL (psycopg) finds no full ID number or
phone; a key holder reveals one, audited; a viewer cannot; a restore with a key holder's
PIN gets the people back.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import select

from db.migrate import open_store
from db.models import AuditLog, DeskInfo, DistrictKeySlot, Person, SyncQuarantine
from db.outbox import triggers_aside
from db.sealed import PREFIX2, Opener, Unreadable, aad, sealed_for, unb64
from db.session import reading
from db.types import utcnow
from frontdesk.errors import UserError
from frontdesk.hq.accounts import KEY_HOLDER
from frontdesk.hq.district_keys import create_key, district_public, reveal_person
from frontdesk.services import personal_keys
from tests.conftest import FIXED_NOW
from tests.crash_worker import person
from tests.hq_accounts_support import HQ_PIN, account, viewer
from tests.sealed_support import sign_in_manager
from tests.sync_support import DAY_ONE, new_desk, sync

KEEPER = "王保管"
BEFORE, AFTER, ELSEWHERE = 1, 2, 3  # people pushed before the upgrade, after it, at HS02


def numbers(n: int) -> tuple[str, str]:
    p = person(n)
    return p.id_number, p.phone


def all_numbers() -> list[str]:
    return [v for n in (BEFORE, AFTER) for v in numbers(n)]


def person_id(engine: Engine, n: int, site: str = "HS01") -> uuid.UUID:
    id_number = numbers(n)[0]
    with reading(engine) as s:
        rows = s.exec(select(Person).where(Person.site_code == site)).all()
        opener = personal_keys.held(engine)
        for row in rows:
            if opener and opener.open(row.id_number, aad("people", "id_number", row.id.hex)) == (
                id_number
            ):
                return row.id
    raise AssertionError(f"person {n} not found")


def as_before_the_upgrade(central: Engine, row_id: uuid.UUID, n: int) -> None:
    """What a desk from before revision 0021 pushed: the full numbers in plain text, in the
    person's row and in a refused copy of it in the quarantine."""
    id_number, phone = numbers(n)
    with central.begin() as conn:
        key = row_id.hex if conn.dialect.name == "sqlite" else str(row_id)
        with triggers_aside(conn, "people"):
            conn.execute(
                text("UPDATE people SET id_number = :i, phone = :p WHERE id = :r"),
                {"i": id_number, "p": phone, "r": key},
            )
        payload = {"id": str(row_id), "id_number": id_number, "phone": phone, "name": "x"}
        conn.execute(
            insert(SyncQuarantine).values(
                site_code="HS01", seq=1, table_name="people", row_id=row_id, row_version=1,
                reason="conflict", payload=json.dumps(payload), at=utcnow(),
            )
        )  # fmt: skip


@pytest.fixture
def upgraded(central, tmp_path: Path):
    """A desk that pushed person BEFORE in plain text, the district's key made by a key
    holder (sealing the central store), and person AFTER pushed since; HS02 registered
    person BEFORE too."""
    url, hq = central
    keeper = account(hq, KEEPER, KEY_HOLDER)
    engine, site_url = new_desk(tmp_path, "HS01", url)
    other, other_url = new_desk(tmp_path, "HS02", url)
    from frontdesk.services.seekers import register
    from tests.sync_support import actor_of

    register(engine, actor_of(engine, "HS01"), person(BEFORE), DAY_ONE)
    sign_in_manager(engine, "2468")
    assert sync(engine, site_url).pending == 0
    before = person_id(engine, BEFORE)
    as_before_the_upgrade(hq, before, BEFORE)
    create_key(hq, (KEEPER, HQ_PIN), FIXED_NOW)
    register(engine, actor_of(engine, "HS01"), person(AFTER), DAY_ONE)
    assert sync(engine, site_url).pending == 0  # learns the key, re-seals, pushes
    again = sync(engine, site_url)  # the re-sealed rows went once: nothing is sent again
    assert again.pending == 0 and again.push.sent == 0
    register(other, actor_of(other, "HS02"), person(BEFORE), DAY_ONE)
    sign_in_manager(other, "2468")
    assert sync(other, other_url).pending == 0
    try:
        yield url, hq, engine, site_url, keeper
    finally:
        for desk in (engine, other):
            personal_keys.drop(desk)
            desk.dispose()


def assert_nothing_full(blob: str, where: str) -> None:
    for number in all_numbers():
        assert number not in blob, f"{number} found in {where}"


def sqlite_outsider(path: str) -> str:
    out = []
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for name in tables:
            out.extend(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"'))
    return "\n".join(out)


def pg_outsider(url: str, role: str = "") -> tuple[str, set[str]]:
    """Every row this login (or role) may read, as text, and the tables it may not read."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    out, refused = [], set()
    with psycopg.connect(plain, autocommit=True) as conn:
        if role:
            conn.execute(f'SET ROLE "{role}"')
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        for name in tables:
            try:
                out.extend(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"'))
            except psycopg.errors.InsufficientPrivilege:
                refused.add(name)
    return "\n".join(out), refused


def test_an_outsider_finds_no_full_number_at_the_central_store(upgraded) -> None:
    url, hq, engine, site_url, _ = upgraded
    with hq.connect() as conn:
        stored = conn.execute(text("SELECT id_number, phone FROM people")).all()
        payload = conn.execute(text("SELECT payload FROM sync_quarantine")).scalar_one()
    assert all(v.startswith(("fd1.", "fd2.")) for row in stored for v in row)
    assert numbers(BEFORE)[0] not in payload and '"id_number": "fd1.' in payload
    with reading(engine) as s:  # the desk knows the key and re-sealed its old values
        assert s.exec(select(DeskInfo.district_public_key)).one()
        assert all(p.id_number.startswith(PREFIX2) for p in s.exec(select(Person)))
    if "://" not in url:
        hq.dispose()
        assert_nothing_full(sqlite_outsider(url), "the central file's tables")
        for part in (Path(url), Path(f"{url}-wal")):  # free pages and the WAL too
            if part.exists():
                assert_nothing_full(part.read_bytes().decode("latin-1"), part.name)
        return
    from db.central import hq_role

    with hq.connect() as conn:
        group = hq_role(conn)
    for login, role in ((site_url, ""), (url, group)):
        seen, refused = pg_outsider(login, role)
        assert_nothing_full(seen, f"what {role or 'the site'} reads")
        assert {"district_key_slots", "hq_staff"} <= refused
        assert "fd2." in seen  # it does read the sealed values, the masks and the hashes


def test_a_key_holder_reveals_and_it_is_audited_a_viewer_cannot(upgraded) -> None:
    _, hq, engine, _, keeper = upgraded
    before, after = person_id(engine, BEFORE), person_id(engine, AFTER)
    with pytest.raises(UserError) as refused:
        reveal_person(hq, viewer(hq), HQ_PIN, before, FIXED_NOW)
    assert refused.value.code == "hq_account.needs_keyholder"
    with pytest.raises(UserError) as wrong:
        reveal_person(hq, keeper, "000000", before, FIXED_NOW)
    assert wrong.value.code == "signin.wrong_pin"
    for row_id, n in ((before, BEFORE), (after, AFTER)):
        shown = reveal_person(hq, keeper, HQ_PIN, row_id, FIXED_NOW)
        assert (shown["id_number"], shown["phone"]) == numbers(n)
    with reading(hq) as s:
        audits = s.exec(select(AuditLog).where(AuditLog.action == "hq_reveal")).all()
    assert {(a.entity_id, a.hq_staff_id) for a in audits} == {
        (before, keeper.staff_id),
        (after, keeper.staff_id),
    }


def test_head_office_still_links_one_person_at_two_communities_by_the_hash(upgraded) -> None:
    _, hq, *_ = upgraded
    with hq.connect() as conn:
        hashes = conn.execute(text("SELECT site_code, id_hash FROM people")).all()
    by_site = {}
    for site, digest in hashes:
        by_site.setdefault(digest, set()).add(site)
    assert {"HS01", "HS02"} in by_site.values()


def test_restore_with_a_key_holder_gets_the_people_back(upgraded, tmp_path: Path) -> None:
    from frontdesk.sync.restore import restore

    url, _, engine, site_url, _ = upgraded
    before, after = person_id(engine, BEFORE), person_id(engine, AFTER)
    without = tmp_path / "masked.sqlite3"
    restore(site_url, "HS01", without)
    with_key = tmp_path / "back.sqlite3"
    if "://" in url:  # a site's login cannot read the key holders' slots: said so
        with pytest.raises(UserError) as refused:
            restore(site_url, "HS01", with_key, (KEEPER, HQ_PIN))
        assert refused.value.code == "district_key.owner_url" and not with_key.exists()
    from tests.cli_support import run_cli

    done = run_cli(  # head office's own login: the slots are the owner's to read
        "restore", "--central", url, "--site", "HS01", "--db", str(with_key),
        "--hq-name", KEEPER, "--hq-pin", HQ_PIN,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for path, readable in ((without, False), (with_key, True)):
        rebuilt, _ = open_store(path)
        try:
            with reading(rebuilt) as s:
                info = s.exec(select(DeskInfo)).one()
                opener = Opener(unb64(info.data_key_pending))  # no manager signed in yet
                for row_id, n in ((before, BEFORE), (after, AFTER)):
                    row = s.get(Person, row_id)
                    assert row is not None
                    if readable:
                        assert personal_keys.open_person(
                            opener, row.id, row.id_number, row.phone
                        ) == numbers(n)
                        assert row.id_number.startswith(PREFIX2)  # the district's key too
                    else:
                        with pytest.raises(Unreadable):
                            personal_keys.open_person(opener, row.id, row.id_number, row.phone)
        finally:
            rebuilt.dispose()


def test_a_key_made_without_a_pin_waits_for_the_first_key_holder(central) -> None:
    from frontdesk.hq.district_keys import opener, sign_in_keeping_slots

    _, hq = central
    keeper = account(hq, KEEPER, KEY_HOLDER)
    create_key(hq, None, FIXED_NOW)
    with reading(hq) as s:
        pending = s.exec(select(DistrictKeySlot)).one()
    assert pending.hq_staff_id is None and pending.district_key
    sign_in_keeping_slots(hq, KEEPER, HQ_PIN, FIXED_NOW)  # as the TUI's sign-in does
    with reading(hq) as s:
        slot = s.exec(select(DistrictKeySlot)).one()
    assert slot.hq_staff_id == keeper.staff_id and slot.wrapped_private
    assert opener(hq, keeper, HQ_PIN, FIXED_NOW).public == district_public(hq)
    with pytest.raises(UserError) as again:
        create_key(hq, (KEEPER, HQ_PIN), FIXED_NOW)
    assert again.value.code == "district_key.exists"


def test_the_key_commands_create_back_up_restore_and_rotate(upgraded, tmp_path: Path) -> None:
    """`central key …` on the command line: a second create is refused, a backup needs the
    key holder's PIN and its passphrase, a restored backup gives the key to a holder whose
    slot was lost, and after a rotation the old key opens nothing new while the new one
    opens everything head office held."""
    from frontdesk.hq.district_keys import opener
    from tests.cli_support import run_cli

    url, hq, engine, site_url, keeper = upgraded
    before = person_id(engine, BEFORE)
    base = ["central", "key"]
    holder = ["--central", url, "--name", KEEPER, "--pin", HQ_PIN]
    refused = run_cli(*base, "create", *holder)
    assert refused.returncode == 1 and "central key rotate" in refused.stderr
    backup = tmp_path / "district.key"
    short = run_cli(*base, "backup", *holder, "--file", str(backup), "--passphrase", "short")
    assert short.returncode == 1 and not backup.exists()
    phrase = "correct horse battery"
    done = run_cli(*base, "backup", *holder, "--file", str(backup), "--passphrase", phrase)
    assert done.returncode == 0, done.stderr
    assert HQ_PIN not in backup.read_text() and "wrapped" in backup.read_text()
    with hq.begin() as conn:  # every slot lost
        conn.execute(text("DELETE FROM district_key_slots"))
    wrong = run_cli(
        *base, "restore-backup", *holder, "--file", str(backup), "--passphrase", "x" * 12
    )
    assert wrong.returncode == 1
    back = run_cli(*base, "restore-backup", *holder, "--file", str(backup), "--passphrase", phrase)
    assert back.returncode == 0, back.stderr
    old = opener(hq, keeper, HQ_PIN, FIXED_NOW)
    assert reveal_person(hq, keeper, HQ_PIN, before, FIXED_NOW)["phone"] == numbers(BEFORE)[1]
    assert run_cli(*base, "rotate", *holder).returncode == 0
    new = opener(hq, keeper, HQ_PIN, FIXED_NOW)
    assert new.public != old.public
    with hq.connect() as conn:
        stored = conn.execute(select(Person.id, Person.id_number)).all()
    for row_id, value in stored:  # the central copy opens with the new key only
        where = aad("people", "id_number", row_id.hex)
        assert new.open(value, where).isdigit() or new.open(value, where)[-1] == "X"
        with pytest.raises(Unreadable):
            old.open(value, where)
    # The desk takes the new key at its next sync and re-seals its values to it, once.
    assert sync(engine, site_url).push.sent == 2
    with hq.connect() as conn:
        values = conn.execute(select(Person.id, Person.id_number, Person.site_code)).all()
    for row_id, value, site in values:
        if site == "HS01":
            assert sealed_for(value, new.public) and value.startswith(PREFIX2)
            assert new.open(value, aad("people", "id_number", row_id.hex)).startswith("4407")
    with reading(hq) as s:
        actions = set(
            s.exec(select(AuditLog.action).where(AuditLog.hq_staff_id == keeper.staff_id))
        )
    assert {"district_key_backup", "district_key_restore", "district_key_rotate"} <= actions


def test_fd2_opens_for_either_recipient_only_where_it_belongs() -> None:
    from db.sealed import Sealer, new_key_pair

    desk_private, desk = new_key_pair()
    district_private, district = new_key_pair()
    stranger, _ = new_key_pair()
    where = aad("people", "phone", uuid.uuid4().hex)
    both = Sealer(desk, district).seal("13800138000", where)
    old = Sealer(desk).seal("13800138000", where)
    assert both.startswith(PREFIX2) and "13800138000" not in both
    assert sealed_for(both, district) and sealed_for(both, desk) and not sealed_for(old, desk)
    for private in (desk_private, district_private):
        assert Opener(private).open(both, where) == "13800138000"
    assert Opener(desk_private).open(old, where) == "13800138000"  # fd1 still opens
    with pytest.raises(Unreadable):
        Opener(stranger).open(both, where)
    with pytest.raises(Unreadable):  # moved to another field, it does not open
        Opener(district_private).open(both, aad("people", "id_number", uuid.uuid4().hex))


def test_a_central_store_upgraded_to_0022_is_sealed_by_key_create(central, tmp_path: Path) -> None:
    """The real path: a central store at revision 0021 holding plain numbers is upgraded by
    `central init` (revision 0022 finds no key and seals nothing), then `central key
    create` seals them in place; versions stay, and the desk syncs on as before."""
    from alembic import command

    from db.migrate import alembic_config
    from frontdesk.services.seekers import register
    from frontdesk.sync.admin import init_central
    from tests.sync_support import actor_of

    url, hq = central
    account(hq, KEEPER, KEY_HOLDER)
    engine, site_url = new_desk(tmp_path, "HS01", url)
    try:
        register(engine, actor_of(engine, "HS01"), person(BEFORE), DAY_ONE)
        sign_in_manager(engine, "2468")
        assert sync(engine, site_url).pending == 0
        row_id = person_id(engine, BEFORE)
        with hq.begin() as conn:
            command.downgrade(alembic_config(conn), "0021")
        as_before_the_upgrade(hq, row_id, BEFORE)
        init_central(url)  # the upgrade: nothing to seal with yet
        with hq.connect() as conn:
            version, number = conn.execute(text("SELECT row_version, id_number FROM people")).one()
        assert number == numbers(BEFORE)[0]
        create_key(hq, (KEEPER, HQ_PIN), FIXED_NOW)
        with hq.connect() as conn:
            after = conn.execute(text("SELECT row_version, id_number, phone FROM people")).one()
            payload = conn.execute(text("SELECT payload FROM sync_quarantine")).scalar_one()
        assert after[0] == version and all(v.startswith("fd1.") for v in after[1:])
        assert numbers(BEFORE)[1] not in payload
        assert sync(engine, site_url).pending == 0  # the desk takes the key and re-seals
    finally:
        personal_keys.drop(engine)
        engine.dispose()


def central_phone(hq: Engine, employer_id: uuid.UUID) -> str:
    with hq.connect() as conn:
        key = employer_id.hex if conn.dialect.name == "sqlite" else str(employer_id)
        return conn.execute(text("SELECT phone FROM employers WHERE id = :i"), {"i": key}).scalar()


def test_an_individual_employers_phone_is_sealed_for_head_office_a_companys_stays_plain(
    upgraded, tmp_path: Path
) -> None:
    """The passes over the sealed columns take only individuals' rows of employers: sent
    sealed to both keys, sealed in place at the store, back in a restore with a key holder."""
    from db.central_seal import seal_central
    from frontdesk.hq.district_keys import opener
    from frontdesk.services.employers import EmployerInput, add_employer
    from frontdesk.sync.restore import restore
    from tests.sync_support import actor_of

    url, hq, engine, site_url, keeper = upgraded
    boss = actor_of(engine, "HS01")
    mine, theirs = "13912345678", "13987654321"
    individual = add_employer(
        engine, boss, EmployerInput(name="王师傅", kind="individual", phone=mine), FIXED_NOW
    )
    company = add_employer(engine, boss, EmployerInput(name="恒达厂", phone=theirs), FIXED_NOW)
    assert sync(engine, site_url).pending == 0
    district = opener(hq, keeper, HQ_PIN, FIXED_NOW)
    where = aad("employers", "phone", individual.id.hex)
    assert district.open(central_phone(hq, individual.id), where) == mine
    assert central_phone(hq, company.id) == theirs
    with hq.begin() as conn:  # as a desk from before the upgrade sent them
        with triggers_aside(conn, "employers"):
            conn.execute(
                text("UPDATE employers SET phone = :p WHERE kind = 'individual'"), {"p": mine}
            )
        seal_central(conn, district_public(hq))
    sealed = central_phone(hq, individual.id)
    assert sealed != mine and district.open(sealed, where) == mine
    assert central_phone(hq, company.id) == theirs
    rebuilt_path = tmp_path / "rebuilt.sqlite3"
    restore(url, "HS01", rebuilt_path, (KEEPER, HQ_PIN))
    rebuilt, _ = open_store(rebuilt_path)
    try:
        with reading(rebuilt) as s:
            info = s.exec(select(DeskInfo)).one()
            desk_key = Opener(unb64(info.data_key_pending))
            stored = {
                row_id: phone
                for row_id, phone in s.exec(text("SELECT id, phone FROM employers")).all()
            }
        assert desk_key.open(stored[individual.id.hex], where) == mine
        assert stored[company.id.hex] == theirs
    finally:
        rebuilt.dispose()
