"""A large seeker import checks its rows in a child process while this one writes (issue 16
item 5, services/ahead.py): the same rows stored, the same refusals, nothing written on a
cancel, and no child left behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select as query

from db.models import Staff
from db.session import reading, writing
from frontdesk.errors import UserError
from frontdesk.services.acting import Actor
from frontdesk.services.seeker_io import BATCH, import_seekers
from frontdesk.services.spreadsheets import ImportCancelled, ImportRejected
from tests.conftest import FIXED_NOW
from tests.spreadsheets import write_csv, write_xlsx
from tests.test_import_progress import HEADER, NOTHING, many, written


@pytest.fixture
def actor(desk) -> Actor:
    with reading(desk[0]) as s:
        clerk = s.exec(query(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", clerk.id)


def stored(engine) -> dict[str, list[tuple]]:
    """What an import stored, without what differs every time (ids, sealed values, stamps),
    each person known by the hash of the ID number."""
    queries = {
        "people": "SELECT id_hash, name, gender, birth_date, id_masked, id_tail, phone_masked,"
        " phone_tail, education, skills, desired_jobs, registered_on, valid_until, status,"
        " name_initials, name_pinyin, row_version FROM people",
        "keys": "SELECT p.id_hash, k.site_code, k.key FROM person_keys k"
        " JOIN people p ON p.id = k.person_id",
        "jobs": "SELECT p.id_hash, j.job, j.desired, j.skilled, j.avail, j.reliability, j.pay_fen"
        " FROM person_jobs j JOIN people p ON p.id = j.person_id",
        "audit": "SELECT p.id_hash, a.action, a.entity, a.staff_id FROM audit_log a"
        " JOIN people p ON p.id = a.entity_id",
        "outbox": "SELECT table_name, row_version, op, count(*) FROM outbox GROUP BY 1, 2, 3",
    }
    with reading(engine) as s:
        return {name: sorted(s.exec(text(sql)).all()) for name, sql in queries.items()}


def other_desk(tmp_path: Path):
    """A second fresh desk, made as the `desk` fixture makes one: the same file is imported
    there the other way."""
    from db.migrate import open_store
    from tests.conftest import _build_desk
    from tests.db_templates import built, copy_sqlite

    made = built("desk", _build_desk) / "desk.sqlite3"
    return open_store(copy_sqlite(made, tmp_path / "other.sqlite3"))[0]


def test_rows_checked_ahead_are_stored_as_rows_checked_here(desk, actor, tmp_path) -> None:
    engine = desk[0]
    here = other_desk(tmp_path)
    try:
        rows = many(2 * BATCH + 30)
        path = write_csv(tmp_path / "in.csv", HEADER, rows)
        told: list[tuple[int, int | None]] = []
        ahead = import_seekers(
            engine, actor, path, FIXED_NOW, ahead=True, progress=lambda *a: told.append(a)
        )
        local = import_seekers(here, actor, path, FIXED_NOW, ahead=False)
        assert ahead.imported == local.imported == len(rows)
        assert told == [(BATCH, len(rows)), (2 * BATCH, len(rows)), (len(rows), len(rows))]
        found, expected = stored(engine), stored(here)
        assert len(found["people"]) == len(rows) and len(found["keys"]) > 3 * len(rows)
        assert found == expected
    finally:
        here.dispose()
    assert multiprocessing.active_children() == []


def test_an_xlsx_checked_ahead(desk, actor, tmp_path) -> None:
    path = write_xlsx(tmp_path / "in.xlsx", HEADER, many(BATCH + 10))
    result = import_seekers(desk[0], actor, path, FIXED_NOW, ahead=True)
    assert result.imported == BATCH + 10
    assert written(desk[0])["people"] == BATCH + 10


def test_problems_found_ahead_are_the_same_and_nothing_is_written(desk, actor, tmp_path) -> None:
    rows = many(2 * BATCH + 20)
    rows[5][1] = rows[4][1]  # the same ID number twice in the file
    rows[-3][2] = "12345"  # sheet row 2 * BATCH + 19
    path = write_csv(tmp_path / "in.csv", HEADER, rows)
    reports = []
    for ahead in (True, False):
        with pytest.raises(ImportRejected) as caught:
            import_seekers(desk[0], actor, path, FIXED_NOW, ahead=ahead)
        reports.append(caught.value.report())
        assert [(p.row, p.column) for p in caught.value.problems] == [
            (7, "身份证号"),
            (2 * BATCH + 19, "手机号"),
        ]
    assert reports[0] == reports[1]
    assert written(desk[0]) == NOTHING


def test_rows_registered_already_are_found_by_the_writer(desk, actor, tmp_path) -> None:
    rows = many(BATCH + 40)
    first = write_csv(tmp_path / "first.csv", HEADER, [rows[3], rows[BATCH + 7]])
    import_seekers(desk[0], actor, first, FIXED_NOW, ahead=False)
    rows[10][2] = "not a phone"
    path = write_csv(tmp_path / "in.csv", HEADER, rows)
    rejects = tmp_path / "rejects.csv"
    result = import_seekers(
        desk[0], actor, path, FIXED_NOW, ahead=True, skip_invalid=True, rejects=rejects
    )
    assert (result.imported, result.rejected) == (len(rows) - 3, 3)
    assert sorted({p.row for p in result.problems}) == [5, 12, BATCH + 9]
    assert written(desk[0])["people"] == len(rows) - 1  # the two before, and the new ones
    assert rejects.read_text(encoding="utf-8-sig").count("\n") == 4  # header and three rows


def test_a_cancel_stops_the_child_and_leaves_nothing_written(desk, actor, tmp_path) -> None:
    path = write_csv(tmp_path / "in.csv", HEADER, many(4 * BATCH))

    def progress(done: int, total: int | None) -> None:
        if done >= 2 * BATCH:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        import_seekers(desk[0], actor, path, FIXED_NOW, ahead=True, progress=progress)
    assert written(desk[0]) == NOTHING
    assert multiprocessing.active_children() == []


def test_what_only_the_whole_sheet_shows_comes_back_from_the_child(desk, actor, tmp_path) -> None:
    path = write_csv(tmp_path / "in.csv", HEADER, [[""] * len(HEADER)] * 3)  # no rows
    with pytest.raises(UserError) as caught:
        import_seekers(desk[0], actor, path, FIXED_NOW, ahead=True)
    assert caught.value.code == "seeker_io.no_rows"
    assert written(desk[0]) == NOTHING


@pytest.mark.parametrize("ahead", [True, False])
def test_a_desk_that_knows_the_district_key_imports_sealed_to_both(
    desk, actor, tmp_path, ahead: bool
) -> None:
    """As a registration saved on such a desk: `fd2.`, opened by the district's key too."""
    from sqlmodel import update

    from db.models import DeskInfo
    from db.sealed import Opener, aad, new_key_pair

    district_private, district_public = new_key_pair()
    with writing(desk[0]) as s:
        s.exec(update(DeskInfo).values(district_public_key=district_public))
    rows = many(BATCH + 5)
    path = write_csv(tmp_path / "in.csv", HEADER, rows)
    import_seekers(desk[0], actor, path, FIXED_NOW, ahead=ahead)
    with reading(desk[0]) as s:
        stored_rows = s.exec(text("SELECT id, id_number, phone FROM people")).all()
    assert len(stored_rows) == len(rows)
    district = Opener(district_private)
    opened = {
        district.open(number, aad("people", "id_number", row_id))
        for row_id, number, phone in stored_rows
        if number.startswith("fd2.") and phone.startswith("fd2.")
    }
    assert opened == {row[1] for row in rows}


def test_search_keys_made_by_the_writer_follow_their_people(desk, actor, tmp_path) -> None:
    """The child sends each person's keys and the writer makes their rows: with registered
    rows dropped from a batch, every person still has exactly their name's keys, once."""
    from db.search_keys import keys_for

    rows = many(BATCH + 40)
    first = write_csv(tmp_path / "first.csv", HEADER, [rows[3], rows[BATCH + 7]])
    import_seekers(desk[0], actor, first, FIXED_NOW, ahead=False)
    path = write_csv(tmp_path / "in.csv", HEADER, rows)
    result = import_seekers(desk[0], actor, path, FIXED_NOW, ahead=True, skip_invalid=True)
    assert (result.imported, result.rejected) == (len(rows) - 2, 2)
    with reading(desk[0]) as s:
        names = dict(s.exec(text("SELECT id, name FROM people")).all())
        keys = s.exec(text("SELECT person_id, key FROM person_keys")).all()
    assert len(names) == len(rows)
    by_person: dict = {}
    for person_id, key in keys:
        by_person.setdefault(person_id, []).append(key)
    assert len(keys) == sum(len(k) for k in by_person.values())
    assert {p: sorted(k) for p, k in by_person.items()} == {
        p: sorted(keys_for(name)) for p, name in names.items()
    }
