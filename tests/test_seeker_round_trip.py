"""What an export writes, an import takes back (issue 15 item 9): a manager's full export of
one desk imports cleanly into another, status and valid-until date included."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.migrate import open_store
from db.models import Person, PersonJob, Staff
from db.session import reading
from frontdesk.domain.idcard import make_id
from frontdesk.domain.privacy import mask_id
from frontdesk.domain.registration import SeekerInput
from frontdesk.i18n import set_language
from frontdesk.services import seekers
from frontdesk.services.acting import Actor, confirm_manager
from frontdesk.services.seeker_io import export_seekers, import_seekers
from frontdesk.services.spreadsheets import ImportRejected
from tests.conftest import FIXED_NOW, MANAGER_PIN, _build_desk
from tests.db_templates import built, copy_sqlite
from tests.sealed_support import full_numbers
from tests.spreadsheets import write_csv

KEPT = ("name", "id_number", "phone", "education", "skills", "registered_on", "valid_until")
KEPT += ("status", "notes", "gender", "birth_date", "name_initials", "name_pinyin")


def pid(seq: int) -> str:
    return make_id("440703", date(1988, 3, 9), seq)


def manager_of(engine) -> Actor:
    with reading(engine) as s:
        boss = s.exec(select(Staff).where(Staff.role == "manager")).one()
    return Actor("HS01", boss.id)


@pytest.fixture
def other_desk(tmp_path: Path):
    """A second desk like the `desk` fixture's (a copy of the same template), nobody on file."""
    made = built("desk", _build_desk) / "desk.sqlite3"
    other, _ = open_store(copy_sqlite(made, tmp_path / "other.sqlite3"))
    yield other
    other.dispose()


@pytest.fixture
def on_file(desk):
    """Three people: one seeking work, one employed, one cancelled and renewed early."""
    engine, _ = desk
    actor = manager_of(engine)
    earlier = FIXED_NOW - timedelta(days=40)
    people = [
        SeekerInput("张三", pid(11), "13800138000", "高中", "包装；电商", [("包装", "", "")]),
        SeekerInput("曾小明", pid(13), "0750-1234567", "21", "焊工", notes="下午有空"),
        SeekerInput("欧阳娜娜", pid(12), "+86 139 0013 9000", "", "", [("月嫂", "", "")]),
    ]
    made = []
    for raw in people:
        raw.consent = True
        made.append(seekers.register(engine, actor, raw, earlier))
    seekers.set_status(engine, actor, made[1].id, "employed", "", FIXED_NOW)
    seekers.set_status(engine, actor, made[2].id, "cancelled", "搬离本区", FIXED_NOW)
    seekers.renew(engine, actor, made[0].id, FIXED_NOW)
    return engine


def full_export(engine, out: Path) -> None:
    actor = manager_of(engine)
    reveal = confirm_manager(engine, "HS01", actor.staff_id, MANAGER_PIN, FIXED_NOW)
    export_seekers(engine, "HS01", out, reveal_by=reveal, actor=actor, now=FIXED_NOW)


def registrations(engine) -> dict[str, dict[str, object]]:
    with reading(engine) as s:
        found = s.exec(select(Person)).all()
    for p in found:  # stored sealed, to each desk's own key: compare the full numbers
        p.id_number, p.phone = full_numbers(engine, p)
    return {p.id_number: {name: getattr(p, name) for name in KEPT} for p in found}


def dispatched(engine) -> set[str]:
    with reading(engine) as s:
        rows = s.exec(select(Person.id_masked).join(PersonJob, PersonJob.person_id == Person.id))
        return set(rows.all())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_full_export_imports_back_as_it_was(
    on_file, other_desk, tmp_path: Path, suffix: str, lang: str
) -> None:
    set_language(lang)
    out = tmp_path / f"all{suffix}"
    full_export(on_file, out)
    result = import_seekers(other_desk, manager_of(other_desk), out, FIXED_NOW)
    assert (result.imported, result.rejected, result.problems) == (3, 0, [])
    before, after = registrations(on_file), registrations(other_desk)
    assert after == before
    assert after[pid(13)]["status"] == "employed" and after[pid(12)]["status"] == "cancelled"
    registered = date(2026, 10, 17)
    assert after[pid(11)]["registered_on"] == registered
    renewed = registered + timedelta(days=2 * 365)  # kept, not a year from its registration
    assert after[pid(11)]["valid_until"] == renewed
    assert dispatched(other_desk) == dispatched(on_file) == {mask_id(pid(11))}  # the active one


def test_the_export_columns_may_be_left_out(other_desk, tmp_path: Path) -> None:
    """A sheet without 状态 and 有效期至 gives new registrations as before."""
    path = write_csv(
        tmp_path / "in.csv", ["姓名", "身份证号", "手机号"], [["张三", pid(11), "13800138000"]]
    )
    import_seekers(other_desk, manager_of(other_desk), path, FIXED_NOW)
    (zhang,) = registrations(other_desk).values()
    assert zhang["status"] == "active"
    assert zhang["valid_until"] == date(2026, 11, 26) + timedelta(days=365)


def test_a_wrong_status_or_valid_until_is_refused_at_its_cell(other_desk, tmp_path: Path) -> None:
    header = ["姓名", "身份证号", "手机号", "登记日期", "有效期至", "状态"]
    rows = [
        ["张三", pid(11), "13800138000", "2026-11-01", "2027-11-01", "在职"],
        ["李四", pid(13), "13900139000", "2026-11-01", "2026-10-01", "Employed"],
        ["王五", pid(15), "13700137000", "2026-11-01", "明年", "已就业"],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_seekers(
            other_desk,
            manager_of(other_desk),
            write_csv(tmp_path / "in.csv", header, rows),
            FIXED_NOW,
        )
    lines = caught.value.report()
    assert lines[0] == "第 2 行【状态】：状态应写 求职中、已就业 或 已注销"
    assert lines[1] == "第 3 行【有效期至】：有效期至早于登记日期"
    assert lines[2].startswith("第 4 行【有效期至】：")
    assert len(caught.value.problems) == 3 and registrations(other_desk) == {}
