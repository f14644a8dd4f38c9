"""Registration rules, the seekers service and search, on real SQLite files."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from db.models import AuditLog, Outbox, Person, PersonKey, Staff
from db.session import reading, writing
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.idcard import make_id
from frontdesk.domain.money import parse_yuan
from frontdesk.domain.privacy import mask_id
from frontdesk.domain.registration import SeekerInput, clean_phone, validate
from frontdesk.errors import UserError
from frontdesk.services import search as people_search
from frontdesk.services import seekers
from frontdesk.services.acting import Actor
from frontdesk.services.seekers import DuplicateSeeker
from tests.conftest import FIXED_NOW, MANAGER_PIN
from tests.sealed_support import full_numbers

TODAY = date(2026, 11, 26)


def person_input(name: str = "曾小明", seq: int = 11, **kw) -> SeekerInput:
    base = dict(
        name=name,
        id_number=make_id("440703", date(1990, 5, 17), seq),
        phone="13800138000",
        education="61",
        skills="包装；电商",
        desired_jobs=[("包装", "4500", "蓬江区")],
        consent=True,
    )
    base.update(kw)
    return SeekerInput(**base)


@pytest.fixture
def actor(desk) -> Actor:
    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


@pytest.fixture
def manager_id(desk) -> uuid.UUID:
    with reading(desk[0]) as s:
        return s.exec(select(Staff.id).where(Staff.role == "manager")).one()


# --- field rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("0750-1234567", "0750-1234567"),
        ("020-12345678", "020-12345678"),
    ],
)
def test_phone_forms(raw: str, clean: str) -> None:
    assert clean_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "0750 123", "abc"])
def test_bad_phones(raw: str) -> None:
    with pytest.raises(UserError) as err:
        clean_phone(raw)
    assert err.value.field == "phone"


@given(st.integers(min_value=0, max_value=99_999_99))
def test_yuan_parsing_is_exact(fen: int) -> None:
    assert parse_yuan(f"{fen // 100}.{fen % 100:02d}", "pay") == fen


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.234", "money.format"),
        ("-5", "money.negative"),
        ("abc", "money.format"),
        ("1e9", "money.format"),  # only plain decimals since issue 16
        ("1000000000", "money.too_large"),
        ("NaN", "money.format"),
    ],
)
def test_bad_amounts(raw: str, code: str) -> None:
    with pytest.raises(UserError) as err:
        parse_yuan(raw, "pay1")
    assert err.value.code == code and err.value.field == "pay1"


def test_all_errors_come_back_at_once_each_with_its_field() -> None:
    raw = SeekerInput(
        name="",
        id_number="440703199002301234",
        phone="123",
        categories=["dibao"],
        desired_jobs=[("", "100", "")],
    )
    with pytest.raises(FormErrors) as err:
        validate(raw, TODAY)
    fields = {e.field for e in err.value.errors}
    assert {"name", "id_number", "phone", "consent", "sensitive_consent", "job1"} <= fields


def test_sensitive_category_needs_its_own_consent() -> None:
    with pytest.raises(FormErrors) as err:
        validate(person_input(categories=["disability"]), TODAY)
    assert [e.code for e in err.value.errors] == ["seeker.sensitive_consent_required"]
    clean = validate(person_input(categories=["disability"], sensitive_consent=True), TODAY)
    assert clean.sensitive and clean.sensitive_consent
    assert not validate(person_input(categories=["veteran"]), TODAY).sensitive


# --- service ------------------------------------------------------------------------------


def test_register_derives_gender_birth_and_writes_audit_and_outbox(desk, actor) -> None:
    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    assert (person.gender, person.birth_date) == ("M", date(1990, 5, 17))
    assert person.valid_until == TODAY + timedelta(days=365)
    assert person.consent_at == FIXED_NOW and person.consent_staff_id == actor.staff_id
    assert person.name_initials == "cxm zxm" and person.skills == ["包装", "电商"]
    assert person.desired_jobs == [{"job": "包装", "pay_fen": 450000, "area": "蓬江区"}]
    with reading(engine) as s:
        outbox = s.exec(select(Outbox).where(Outbox.row_id == person.id)).all()
        audit = s.exec(select(AuditLog).where(AuditLog.entity_id == person.id)).all()
    assert [o.op for o in outbox] == ["I"] and [a.action for a in audit] == ["seeker_register"]


def test_duplicate_id_is_caught_with_the_existing_record(desk, actor) -> None:
    engine, _ = desk
    first = seekers.register(engine, actor, person_input(), FIXED_NOW)
    lower_x = person_input(name="张三", phone="13900139000")
    with pytest.raises(DuplicateSeeker) as err:
        seekers.register(engine, actor, lower_x, FIXED_NOW)
    assert err.value.person_id == first.id and err.value.field == "id_number"
    assert "曾小明" in err.value.message() and "4407" in err.value.message()
    with reading(engine) as s:
        assert len(s.exec(select(Person)).all()) == 1


def test_a_bad_registration_writes_nothing(desk, actor) -> None:
    engine, _ = desk
    with reading(engine) as s:
        before = len(s.exec(select(Outbox)).all())
    with pytest.raises(FormErrors):
        seekers.register(engine, actor, person_input(phone="1"), FIXED_NOW)
    with reading(engine) as s:
        assert len(s.exec(select(Outbox)).all()) == before
        assert s.exec(select(Person)).all() == []


def test_edit_status_and_renew(desk, actor) -> None:
    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    edited = seekers.update(engine, actor, person.id, person_input(name="单长乐"), FIXED_NOW)
    assert edited.row_version == 2 and "szl" in edited.name_initials.split()
    with reading(engine) as s:
        keys = set(s.exec(select(PersonKey.key).where(PersonKey.person_id == person.id)))
    assert "shanzhangle" in keys and "cxm" not in keys  # old name's keys are gone
    with pytest.raises(UserError) as err:
        seekers.set_status(engine, actor, person.id, "cancelled", " ", FIXED_NOW)
    assert err.value.field == "reason"
    done = seekers.set_status(engine, actor, person.id, "employed", "在江门某厂", FIXED_NOW)
    assert done.status == "employed"
    # Renewing early extends from the current end; renewing late extends from today.
    early = seekers.renew(engine, actor, person.id, FIXED_NOW)
    assert early == TODAY + timedelta(days=730)
    late_day = FIXED_NOW + timedelta(days=800)
    assert seekers.renew(engine, actor, person.id, late_day) == late_day.date() + timedelta(365)
    assert seekers.get(engine, "HS01", person.id, TODAY).valid_until == late_day.date() + timedelta(
        365
    )


def test_update_keeps_an_id_and_phone_left_masked_and_takes_retyped_ones(desk, actor) -> None:
    """None (the form's untouched masked field) keeps the stored value; text is a new value."""
    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    kept = seekers.update(
        engine, actor, person.id, person_input(name="曾晓明", id_number=None, phone=None), FIXED_NOW
    )
    # Left masked, the stored (sealed) values are kept exactly as they were.
    assert (kept.name, kept.id_number, kept.phone) == ("曾晓明", person.id_number, person.phone)
    first_id = full_numbers(engine, person)[0]
    assert full_numbers(engine, kept) == (first_id, "13800138000")
    assert (kept.id_hash, kept.id_tail, kept.phone_tail) == (
        person.id_hash,
        person.id_tail,
        "8000",
    )
    assert (kept.gender, kept.birth_date) == ("M", date(1990, 5, 17))
    # A bad retyped phone is refused at its field; the masked ID still counts as given.
    with pytest.raises(FormErrors) as err:
        seekers.update(
            engine, actor, person.id, person_input(id_number=None, phone="12"), FIXED_NOW
        )
    assert [e.field for e in err.value.errors] == ["phone"]
    # A retyped ID number re-derives gender and birth date, and its hash and tail.
    woman = make_id("440703", date(1985, 2, 3), 22)
    changed = seekers.update(
        engine, actor, person.id, person_input(id_number=woman, phone=None), FIXED_NOW
    )
    assert full_numbers(engine, changed) == (woman, "13800138000")
    assert changed.id_masked == mask_id(woman)
    assert (changed.gender, changed.birth_date) == ("F", date(1985, 2, 3))
    assert changed.id_tail == woman[-4:]
    assert changed.id_hash != person.id_hash
    phoned = seekers.update(
        engine, actor, person.id, person_input(id_number=None, phone="139 0013 9000"), FIXED_NOW
    )
    assert full_numbers(engine, phoned) == (woman, "13900139000")
    assert (phoned.phone_masked, phoned.phone_tail) == ("139****9000", "9000")
    # Retyping another person's number is still a duplicate; leaving it masked never is.
    other = seekers.register(engine, actor, person_input(name="张三", seq=33), FIXED_NOW)
    with pytest.raises(DuplicateSeeker) as dup:
        seekers.update(engine, actor, other.id, person_input(id_number=woman), FIXED_NOW)
    assert dup.value.person_id == person.id
    seekers.update(engine, actor, other.id, person_input(id_number=None, phone=None), FIXED_NOW)
    # A new registration has nothing stored: no number is a missing number.
    with pytest.raises(FormErrors) as err:
        seekers.register(engine, actor, person_input(id_number=None, phone=None), FIXED_NOW)
    assert {e.field for e in err.value.errors} == {"id_number", "phone"}


def test_consents_are_recorded_with_time_and_staff(desk, actor, manager_id) -> None:
    engine, _ = desk
    later, manager = FIXED_NOW + timedelta(hours=2), Actor("HS01", manager_id)
    plain = seekers.register(engine, actor, person_input(), FIXED_NOW)
    assert (plain.consent_at, plain.consent_staff_id) == (FIXED_NOW, actor.staff_id)
    assert (plain.sensitive_consent_at, plain.sensitive_consent_staff_id) == (None, None)
    sensitive = dict(categories=["dibao", "veteran"], sensitive_consent=True)
    who = seekers.register(engine, actor, person_input(seq=44, **sensitive), FIXED_NOW)
    assert (who.sensitive_consent_at, who.sensitive_consent_staff_id) == (
        FIXED_NOW,
        actor.staff_id,
    )
    with reading(engine) as s:
        stored = s.get(Person, who.id)
    assert (stored.sensitive_consent_at, stored.sensitive_consent_staff_id) == (
        FIXED_NOW,
        actor.staff_id,
    )
    # An edit by someone else later keeps both consents as first given.
    edited = seekers.update(engine, manager, who.id, person_input(seq=44, **sensitive), later)
    assert (edited.consent_at, edited.consent_staff_id) == (FIXED_NOW, actor.staff_id)
    assert (edited.sensitive_consent_at, edited.sensitive_consent_staff_id) == (
        FIXED_NOW,
        actor.staff_id,
    )
    # Adding a sensitive category on an edit records that consent then, by that person.
    added = seekers.update(engine, manager, plain.id, person_input(**sensitive), later)
    assert (added.sensitive_consent_at, added.sensitive_consent_staff_id) == (later, manager_id)
    assert (added.consent_at, added.consent_staff_id) == (FIXED_NOW, actor.staff_id)
    # Without a sensitive category there is no sensitive information, so no consent to it:
    # both go, and a category declared again needs (and records) a fresh consent.
    cleared = seekers.update(
        engine, manager, who.id, person_input(seq=44, categories=["veteran"]), later
    )
    assert (cleared.sensitive_consent_at, cleared.sensitive_consent_staff_id) == (None, None)
    assert cleared.categories == ["veteran"] and cleared.consent_at == FIXED_NOW
    with pytest.raises(FormErrors) as err:
        seekers.update(engine, manager, who.id, person_input(seq=44, categories=["dibao"]), later)
    assert [e.field for e in err.value.errors] == ["sensitive_consent"]
    again_at = later + timedelta(days=1)
    again = seekers.update(engine, actor, who.id, person_input(seq=44, **sensitive), again_at)
    assert (again.sensitive_consent_at, again.sensitive_consent_staff_id) == (
        again_at,
        actor.staff_id,
    )
    # The sensitive tick alone, with no sensitive category, records nothing.
    ticked = seekers.update(engine, actor, plain.id, person_input(sensitive_consent=True), again_at)
    assert (ticked.sensitive_consent_at, ticked.sensitive_consent_staff_id) == (None, None)


def test_a_record_reaches_the_screen_masked_with_its_age(desk, actor) -> None:
    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    shown = seekers.get(engine, "HS01", person.id, TODAY)
    full_id = full_numbers(engine, person)[0]
    assert shown.id_number == mask_id(full_id) == person.id_masked
    assert shown.phone == "138****8000" and full_id not in repr(shown)
    assert (shown.age, shown.gender, shown.expired) == (36, "M", False)
    later = seekers.get(engine, "HS01", person.id, TODAY + timedelta(days=366))
    assert later.expired and later.age == 37
    with pytest.raises(UserError) as err:
        seekers.get(engine, "XX99", person.id, TODAY)
    assert err.value.code == "seeker.not_found"


def test_reveal_needs_a_managers_pin_and_is_audited(desk, actor, manager_id) -> None:
    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    with pytest.raises(UserError) as err:
        seekers.reveal(engine, actor, person.id, actor.staff_id, "1357", FIXED_NOW)
    assert err.value.code == "reveal.manager_only"
    with pytest.raises(UserError) as err:
        seekers.reveal(engine, actor, person.id, manager_id, "0000", FIXED_NOW)
    assert err.value.code == "signin.wrong_pin"
    shown = seekers.reveal(engine, actor, person.id, manager_id, MANAGER_PIN, FIXED_NOW)
    assert shown.id_number == person_input().id_number and shown.phone == "13800138000"
    with reading(engine) as s:
        actions = [a.action for a in s.exec(select(AuditLog))]
    assert actions.count("reveal") == 1 and actions.count("reveal_pin_failed") == 1


def test_wrong_reveal_pins_lock_the_manager_like_sign_in(desk, actor, manager_id) -> None:
    from frontdesk.services.auth import MAX_FAILURES, sign_in

    engine, _ = desk
    person = seekers.register(engine, actor, person_input(), FIXED_NOW)
    for _ in range(MAX_FAILURES):
        with pytest.raises(UserError):
            seekers.reveal(engine, actor, person.id, manager_id, "0000", FIXED_NOW)
    with pytest.raises(UserError) as err:
        sign_in(engine, manager_id, MANAGER_PIN, FIXED_NOW)
    assert err.value.code == "signin.locked"


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def crowd(desk, actor):
    engine, _ = desk
    names = ["曾小明", "张三", "单长乐", "欧阳娜娜", "李四", "张小花"]
    people = {}
    for i, name in enumerate(names):
        phone = f"1390000{i:04d}"
        people[name] = seekers.register(
            engine, actor, person_input(name=name, seq=100 + i, phone=phone), FIXED_NOW
        )
        # The tests type the full numbers: read them back (they are stored sealed).
        people[name].id_number, people[name].phone = full_numbers(engine, people[name])
    return engine, people


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张", {"张三", "张小花"}),
        ("小", {"曾小明", "张小花"}),
        ("zs", {"张三"}),
        ("ZS", {"张三"}),
        ("z", {"曾小明", "张三", "张小花", "单长乐"}),  # 曾 as zeng, 长 as zhang
        ("c", {"曾小明", "单长乐"}),
        ("zengxiao", {"曾小明"}),
        ("cengxiaoming", {"曾小明"}),
        ("shan", {"单长乐"}),
        ("dcl", {"单长乐"}),
        ("scl", {"单长乐"}),  # two characters read otherwise: 单 shan and 长 chang
        ("shanchangle", {"单长乐"}),
        ("shanchang", {"单长乐"}),
        ("zxm", {"曾小明"}),
        ("cxm", {"曾小明"}),
        ("zengxiaoming", {"曾小明"}),
        ("xiaohua", {"张小花"}),
        ("oyn", {"欧阳娜娜"}),
        ("0003", {"欧阳娜娜"}),  # last four of the phone
        ("ｚｓ", {"张三"}),  # full-width letters from an input method
        ("王", set()),
    ],
)
def test_search_kinds(crowd, query: str, expected: set[str]) -> None:
    engine, _ = crowd
    assert {r.name for r in people_search.search(engine, "HS01", query)} == expected


def test_search_by_id_tail_and_full_numbers(crowd) -> None:
    engine, people = crowd
    target = people["李四"]
    for query in (target.id_number[-4:], target.id_number, target.phone):
        assert [r.name for r in people_search.search(engine, "HS01", query)] == ["李四"]


def test_results_are_masked_and_paged(crowd) -> None:
    engine, _ = crowd
    page1 = people_search.search(engine, "HS01", "", limit=4)
    page2 = people_search.search(engine, "HS01", "", offset=4, limit=4)
    assert len(page1) == 4 and len(page2) == 2
    assert not {r.id for r in page1} & {r.id for r in page2}
    row = page1[0]
    assert "*" in row.id_masked and row.id_masked.startswith("4407")
    assert row.phone_masked.startswith("139****")


def test_another_sites_people_are_not_found(crowd) -> None:
    engine, _ = crowd
    assert people_search.search(engine, "HS02", "张") == []


def test_unique_index_blocks_a_twin_written_around_the_service(crowd) -> None:
    from sqlalchemy.exc import IntegrityError

    engine, people = crowd
    twin = people["张三"].model_copy(update={"id": uuid.uuid4(), "name": "张三"})
    with pytest.raises(IntegrityError), writing(engine) as s:
        s.add(Person.model_validate(twin.model_dump()))


def test_every_reading_combination_is_indexed_up_to_the_cap() -> None:
    from db.search_keys import MAX_COMBOS, _combos, keys_for

    keys = keys_for("单长乐")
    assert {"dzl", "scl", "ccy", "shanchangle", "chanzhangyue", "changle", "cl"} <= keys
    assert {"cengxiaoming", "zengxiaoming", "cxm", "zxm"} <= keys_for("曾小明")
    per_char = [["a", "b", "c"], ["d", "e"], ["f", "g"], ["h", "i"], ["j", "k"], ["l", "m"]]
    combos = ["".join(c) for c in _combos(per_char)]  # 96 readings in all
    assert len(combos) == MAX_COMBOS == len(set(combos))
    # The usual reading, every single change, then pairs of the likeliest alternatives.
    singles = ["bdfhjl", "cdfhjl", "aefhjl", "adghjl", "adfijl", "adfhkl", "adfhjm"]
    assert combos[:8] == ["adfhjl", *singles]
    assert combos[8:10] == ["befhjl", "bdghjl"] and "cefhjl" not in combos
    # However many readings a long name has, each one of each character is still there.
    long = [["a", "b"]] * 20
    assert len(_combos(long)) == 21 and all(
        any(c[i] == "b" for c in _combos(long)) for i in range(20)
    )


SEARCH_KINDS = {
    "name fragment": lambda people: "小",
    "initials": lambda people: "zs",
    "full pinyin": lambda people: "zhangsan",
    "other readings": lambda people: "shanchangle",
    "phone tail": lambda people: people["李四"].phone[-4:],
    "ID tail": lambda people: people["李四"].id_number[-4:],
    "whole phone": lambda people: people["李四"].phone,
    "whole ID": lambda people: people["李四"].id_number,
}


@pytest.mark.parametrize("kind", SEARCH_KINDS)
def test_each_search_kind_uses_an_index(crowd, kind: str) -> None:
    """EXPLAIN QUERY PLAN of the very SQL search() runs: no full scan of a table."""
    import re

    from sqlalchemy import event

    engine, people = crowd
    query = SEARCH_KINDS[kind](people)
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        assert people_search.search(engine, "HS01", query), query
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert any("people" in sql or "person_keys" in sql for sql, _ in seen)
    full_scan = re.compile(r"\bSCAN (people|person_keys)\b(?! USING COVERING INDEX)")
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for statement, parameters in seen:
            plan = [r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            assert plan and not [line for line in plan if full_scan.search(line)], (
                statement,
                plan,
            )
