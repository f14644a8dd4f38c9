"""Control characters are refused at the field, in forms, imports and every ORM write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from db.engine import make_engine
from db.models import Person, Service, Staff
from db.session import reading, writing
from db.text import FORBIDDEN, any_bad, clean, printable
from frontdesk.domain.forms import FormErrors
from frontdesk.domain.idcard import make_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.domain.text import clean_text
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.seeker_io import import_seekers
from frontdesk.services.seekers import register
from frontdesk.services.spreadsheets import ImportRejected
from frontdesk.services.walkins import WalkInInput, log_walkin
from tests.conftest import FIXED_NOW
from tests.spreadsheets import write_csv

ZH = ["姓名", "身份证号", "手机号", "备注"]


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def _people(engine) -> list[Person]:
    with reading(engine) as s:
        return list(s.exec(select(Person)))


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\x0b", "\udcff"])
def test_a_control_character_is_refused_at_its_field(char: str) -> None:
    with pytest.raises(UserError) as err:
        clean_text(f"张{char}三", "notes", multiline=True)
    assert err.value.field == "notes" and err.value.code == "text.control"
    assert err.value.params["char"] == f"U+{ord(char):04X}"
    assert "U+" in err.value.message()


def test_harmless_invisibles_go_and_line_breaks_fold_where_a_field_is_one_line() -> None:
    assert clean_text("\ufeff张\u200b三 ", "name") == "张三"
    assert clean_text("第一行\r\n第二行\t完", "address") == "第一行  第二行 完"
    assert clean_text("第一行\r\n第二行\r第三行", "notes", multiline=True) == (
        "第一行\n第二行\n第三行"
    )
    assert clean("a\tb", multiline=True) == "a b"
    assert printable("a\x00b\x1b") == "a<U+0000>b<U+001B>"


def test_registration_refuses_a_nul_in_name_and_notes_together(desk, actor) -> None:
    engine, _ = desk
    raw = SeekerInput(
        name="张\x00三",
        id_number=make_id("440703", date(1990, 5, 17), 11),
        phone="13800138000",
        notes="下午\x1b[2J有空",
        consent=True,
    )
    with pytest.raises(FormErrors) as err:
        register(engine, actor, raw, FIXED_NOW)
    assert {e.field for e in err.value.errors} == {"name", "notes"}
    assert _people(engine) == []


def test_a_walk_in_note_with_a_control_character_is_refused(desk, actor) -> None:
    engine, _ = desk
    with reading(engine) as s:
        free = s.exec(select(Service).where(Service.paid.is_(False))).first()
    raw = WalkInInput(service_id=free.id, notes="咨询\x00", outcome="已答复\x07")
    with pytest.raises(FormErrors) as err:
        log_walkin(engine, actor, raw, FIXED_NOW, 10_000_000)
    assert {e.field for e in err.value.errors} == {"notes", "outcome"}


def test_every_orm_write_is_guarded_even_past_the_form_rules(desk_with_people) -> None:
    """A service (or a later feature) that forgets the form rule still cannot store it."""
    engine = make_engine(desk_with_people)
    with reading(engine) as s:
        before = {p.id: p.notes for p in s.exec(select(Person))}
    with pytest.raises(UserError) as err, writing(engine) as s:
        for person in s.exec(select(Person)):
            person.notes = "改"
        person.address = "蓬江区\x00"
    assert err.value.field == "address" and err.value.code == "text.control"
    with reading(engine) as s:  # nothing half-written
        assert {p.id: p.notes for p in s.exec(select(Person))} == before


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_an_import_names_the_row_and_column_of_a_control_character(
    desk, actor, tmp_path: Path, encoding: str
) -> None:
    engine, _ = desk
    rows = [
        ["张三", make_id("440703", date(1990, 5, 17), 11), "13800138000", ""],
        ["李\x00四", make_id("440703", date(1990, 5, 17), 12), "13900139000", "备\x1b注"],
    ]
    path = write_csv(tmp_path / "in.csv", ZH, rows, encoding=encoding)
    with pytest.raises(ImportRejected) as err:
        import_seekers(engine, actor, path, FIXED_NOW)
    report = err.value.report()
    assert report[0].startswith("第 3 行【姓名】：含有不可见的控制字符（U+0000）")
    assert report[1].startswith("第 3 行【备注】：含有不可见的控制字符（U+001B）")
    assert _people(engine) == []
    done = import_seekers(engine, actor, path, FIXED_NOW, skip_invalid=True)
    assert (done.imported, done.rejected) == (1, 1)
    assert [p.name for p in _people(engine)] == ["张三"]


def test_bulk_rows_are_checked_whole_and_the_bad_column_named() -> None:
    """check_rows searches all the rows' text at once (nested lists and mappings too) and,
    when that holds a bad character, names the column of the first row holding one."""
    from frontdesk.services.text_guard import check_rows

    good = {"name": "张三", "skills": ["包装", "焊工"], "desired_jobs": [{"job": "普工"}]}
    check_rows([good, dict(good, notes="下午\n有空")])  # line breaks are text
    for bad_row, column in (
        ({"name": "李\x07四"}, "name"),
        ({"skills": ["包装", "焊\x1b工"]}, "skills"),
        ({"desired_jobs": [{"job": "普工", "area": "\x00"}]}, "desired_jobs"),
        ({"desired_jobs": [{"\x0b": "普工"}]}, "desired_jobs"),
    ):
        with pytest.raises(UserError) as err:
            check_rows([good, dict(good, **bad_row)])
        assert (err.value.code, err.value.field) == ("text.control", column)


def test_any_bad_finds_what_the_forbidden_pattern_finds() -> None:
    """The push's bytewise screen (db/text.any_bad) agrees with FORBIDDEN on every code point
    up to U+3000, every surrogate and a spread of the rest, alone and inside other text (as
    one, two and four bytes a character)."""
    points = [*range(0x3000), *range(0xD800, 0xE000), *range(0x3000, 0x110000, 97)]
    for cp in points:
        ch = chr(cp)
        for text in (ch, f"ab{ch}cd", f"中{ch}文", f"😀{ch}\n"):
            assert any_bad(text) == (FORBIDDEN.search(text) is not None), hex(cp)
    assert not any_bad("") and not any_bad("tab\tline\ncr\r中文 ·©")
    assert any_bad("ok\x00") and any_bad("x\x85y") and any_bad("\x7f") and any_bad("a\udc80")
