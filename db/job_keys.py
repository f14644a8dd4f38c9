"""Dispatch keys: each active person's fit per job type, kept by one session hook.

Ranking candidates for a gig among 100,000 people must not parse JSON per person, so every
write of a person (form, import, demo, a no-show lowering reliability) rewrites that
person's `person_jobs` rows: one per job type wished for or held as a skill, carrying the
availability bits and reliability. The ranking is then one range of one covering index.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from datetime import date, time
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect
from sqlmodel import Session, col

from db.driver_sql import insert_sql
from db.models import Person, PersonJob
from db.search_keys import fold

# Availability bits: when a person says they can work. 0 means "not stated".
WEEKDAY_AM, WEEKDAY_PM, WEEKEND_AM, WEEKEND_PM = 1, 2, 4, 8
ANY_TIME = WEEKDAY_AM | WEEKDAY_PM | WEEKEND_AM | WEEKEND_PM
NOON = time(12, 0)
JOB_MAX = 40  # person_jobs.job
_WEEKDAY_WORDS = ("工作日", "周一至周五", "平日", "weekday")
_WEEKEND_WORDS = ("周末", "双休", "节假日", "weekend")
_AM_WORDS = ("上午", "早上", "morning")
_PM_WORDS = ("下午", "晚上", "afternoon", "evening")
_ALL_DAY_WORDS = ("全天", "all day", "full day")
_RANGE = re.compile(r"(\d{1,2})[:：]?(\d{2})?\s*[-–—~至到]\s*(\d{1,2})[:：]?(\d{2})?")
_WATCHED = ("desired_jobs", "skills", "availability", "reliability", "status", "deleted_at")
# person_jobs' columns at the head revision, in the order rows are made for it
_HEAD_COLUMNS = (
    "person_id",
    "job",
    "site_code",
    "desired",
    "skilled",
    "avail",
    "reliability",
    "pay_fen",
)


@functools.lru_cache(maxsize=4096)  # a few dozen job types and skills, over and over
def job_key(text: str) -> str:
    """How a job type is compared: folded like search text, cut to the column size."""
    return fold(unicodedata.normalize("NFKC", text or "").strip())[:JOB_MAX]


@functools.lru_cache(maxsize=4096)  # people state their hours in a few hundred ways
def availability_mask(text: str) -> int:
    """Bits of the free-text availability ("工作日 9:00–16:00", "周末", "上午"); 0 if unstated."""
    words = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not words:
        return 0
    weekday = any(w in words for w in _WEEKDAY_WORDS)
    weekend = any(w in words for w in _WEEKEND_WORDS)
    if not weekday and not weekend:  # "每周三天", "上午": any day
        weekday = weekend = True
    am, pm = _parts_of_day(words)
    mask = 0
    if weekday:
        mask |= (WEEKDAY_AM if am else 0) | (WEEKDAY_PM if pm else 0)
    if weekend:
        mask |= (WEEKEND_AM if am else 0) | (WEEKEND_PM if pm else 0)
    return mask


def _parts_of_day(words: str) -> tuple[bool, bool]:
    if any(w in words for w in _ALL_DAY_WORDS):
        return True, True
    am = any(w in words for w in _AM_WORDS)
    pm = any(w in words for w in _PM_WORDS)
    found = _RANGE.search(words)
    if found:  # "9:00-16:00": mornings if it starts before noon, afternoons if it ends after
        start, end = int(found.group(1)), int(found.group(3))
        am, pm = am or start < 12, pm or end > 12
    return (True, True) if not am and not pm else (am, pm)


def shift_mask(day: date, start: time, end: time) -> int:
    """The availability bits a shift needs: its kind of day, morning and/or afternoon."""
    weekend = day.weekday() >= 5
    am, pm = start < NOON, end > NOON
    if weekend:
        return (WEEKEND_AM if am else 0) | (WEEKEND_PM if pm else 0)
    return (WEEKDAY_AM if am else 0) | (WEEKDAY_PM if pm else 0)


def rows_for(
    person_id: Any,
    site_code: str,
    status: str,
    deleted: bool,
    desired_jobs: list[dict] | None,
    skills: list[str] | None,
    availability: str,
    reliability: int,
) -> list[dict]:
    """The person_jobs rows of one person: none unless active (only they are dispatched)."""
    if status != "active" or deleted:
        return []
    avail = availability_mask(availability)
    return [
        {
            "person_id": person_id,
            "job": job,
            "site_code": site_code,
            "desired": desired,
            "skilled": skilled,
            "avail": avail,
            "reliability": reliability,
            "pay_fen": pay_fen,
        }
        for job, desired, skilled, pay_fen in _fits(desired_jobs, skills)
    ]


def _fits(
    desired_jobs: list[dict] | None, skills: list[str] | None
) -> list[tuple[str, int, int, int]]:
    """(job, desired, skilled, pay_fen) per job type wished for or held, in job order."""
    pay: dict[str, int] = {}  # the monthly pay wished for with each wished-for job
    for wish in desired_jobs or []:
        if isinstance(wish, dict):
            key = job_key(str(wish.get("job", "")))
            pay[key] = max(pay.get(key, 0), _whole(wish.get("pay_fen")))
    wished = set(pay)
    held = {job_key(str(s)) for s in skills or []}
    return [
        (job, int(job in wished), int(job in held), pay.get(job, 0))
        for job in sorted((wished | held) - {""})
    ]


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _rows_of(person: Person) -> list[dict]:
    return rows_for(
        person.id,
        person.site_code,
        person.status,
        person.deleted_at is not None,
        person.desired_jobs,
        person.skills,
        person.availability,
        person.reliability,
    )


_PENDING = "person_jobs_pending"


@event.listens_for(Session, "before_flush")
def _note_people(session: Session, flush_context, instances) -> None:
    """Work out the rows of every new or changed person now; write them after the flush."""
    pending = session.info.setdefault(_PENDING, {})
    new = session.new  # built anew on every access: once per flush, not once per person
    for person in [*new, *session.dirty]:
        if not isinstance(person, Person):
            continue
        existed = person not in new
        if existed and not _watched_changed(person):
            continue
        pending[person.id] = (_rows_of(person), existed)


@event.listens_for(Session, "after_flush")
def _write_rows(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, {})
    if not pending:
        return
    conn = session.connection()
    changed = [pid for pid, (_, existed) in pending.items() if existed]
    if changed:
        conn.execute(delete(PersonJob).where(col(PersonJob.person_id).in_(changed)))
    rows = [row for rows, _ in pending.values() for row in rows]
    if rows:
        conn.execute(insert(PersonJob), rows)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)  # a failed flush must not leave rows for the next one


def _watched_changed(person: Person) -> bool:
    attrs = inspect(person).attrs
    return any(attrs[name].history.has_changes() for name in _WATCHED)


def rebuild(conn: Connection) -> int:
    """Recompute every person's rows (after a migration, a restore or an import by SQL).

    Through the driver both ways, as the store keeps the values (ids, JSON text): a restore
    writes a row per job type of every active person, and SQLAlchemy's result processing
    (a JSON parse per column per person) and per-row parameters were most of its time.
    """
    people = conn.exec_driver_sql(
        "SELECT id, site_code, status, deleted_at IS NOT NULL, desired_jobs, skills, "
        "availability, reliability FROM people"
    ).all()
    conn.execute(delete(PersonJob))
    # An earlier migration's rebuild runs before the table had every column it has now.
    present = {c["name"] for c in inspect(conn).get_columns("person_jobs")}
    with_pay = "pay_fen" in present
    names = tuple(name for name in _HEAD_COLUMNS if name in present)
    parsed = _JsonMemo()
    rows = [
        (pid, job, site, desired, skilled, availability_mask(avail), trust, pay)[
            : None if with_pay else -1
        ]
        for pid, site, status, deleted, jobs, skills, avail, trust in people
        if status == "active" and not deleted
        for job, desired, skilled, pay in _fits(parsed(jobs), parsed(skills))
    ]
    sql = insert_sql(conn, "person_jobs", names)
    for start in range(0, len(rows), 5000):  # bounded statements on a large desk
        conn.exec_driver_sql(sql, rows[start : start + 5000])
    return len(people)


class _JsonMemo:
    """JSON columns as SQLite hands them over (text), parsed once per distinct text: people
    list the same few skills over and over. PostgreSQL's driver has parsed them already."""

    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = json.loads(value)
        return found


# People whose JSON columns SQLite can spread as `_fits` reads them: each column missing or
# a valid JSON array, and every skill a string. Anyone else (a JSON null, an object, a
# number among the skills, text that is no JSON) goes through `_fits` itself.
_PLAIN = (
    "((p.desired_jobs IS NULL OR (json_valid(p.desired_jobs) "
    "AND json_type(p.desired_jobs) = 'array')) "
    "AND (p.skills IS NULL OR (json_valid(p.skills) AND json_type(p.skills) = 'array' "
    "AND NOT EXISTS (SELECT 1 FROM json_each(p.skills) WHERE type <> 'text'))))"
)


def load(conn: Connection) -> int:
    """Every active person's rows into a desk whose `person_jobs` is empty and at the head
    schema (a new file being built: a restore), the same rows as `rebuild`, SQLite only;
    returns how many.

    SQLite spreads the JSON arrays itself (`json_each`) and groups the fits per person and
    job; Python works out each distinct wish, skill and availability text once, into
    temporary tables (a wish is parsed by `json.loads`, so its job and pay are what `_fits`
    makes of it). Parsing two JSON columns per person in Python was half of `rebuild`'s time
    in a restore. People whose columns are not plain arrays (`_PLAIN`) get `_fits` itself.
    """
    raw: Any = conn.connection.driver_connection
    temp = {
        "fd_odd": "id PRIMARY KEY",
        # One per wish (wished = 1) and skill (0) of a person, with the person's columns
        # that go into each of its rows: the grouping then never looks the person up again.
        "fd_fit": "pid, wished, value, site, trust, hours",
        "fd_job": "wished, value, job, pay, PRIMARY KEY (wished, value)",
        "fd_avail": "value TEXT PRIMARY KEY, mask INTEGER",
    }
    for name, columns in temp.items():
        raw.execute(f"CREATE TEMP TABLE {name} ({columns})")
    # Few statements and no row-by-row fetches or executemany: the search keys are worked
    # out in a thread beside this (frontdesk/sync/restore.py), and each handover of the GIL
    # between the two can wait a switch interval.
    try:
        active = "p.status = 'active' AND p.deleted_at IS NULL"
        raw.execute(
            f"INSERT INTO fd_odd SELECT id FROM people AS p WHERE {active} AND NOT {_PLAIN}"
        )
        plain = f"{active} AND p.id NOT IN fd_odd"
        raw.execute(
            "INSERT INTO fd_fit SELECT p.id, 1, w.value, p.site_code, p.reliability, "
            "p.availability FROM people AS p, "
            f"json_each(p.desired_jobs) AS w WHERE {plain} AND w.type = 'object'"
        )
        raw.execute(
            "INSERT INTO fd_fit SELECT p.id, 0, s.value, p.site_code, p.reliability, "
            "p.availability FROM people AS p, "
            f"json_each(p.skills) AS s WHERE {plain}"
        )
        found = raw.execute(
            "SELECT json_group_array(json_array(wished, value)) "
            "FROM (SELECT DISTINCT wished, value FROM fd_fit)"
        ).fetchone()[0]
        jobs = [(w, v, *(_wish(v) if w else (job_key(v), 0))) for w, v in json.loads(found)]
        _spread(raw, "fd_job", jobs, 4)
        found = raw.execute(
            "SELECT json_group_array(hours) FROM (SELECT DISTINCT hours FROM fd_fit)"
        ).fetchone()[0]
        hours = [(v, availability_mask(v)) for v in json.loads(found)]
        _spread(raw, "fd_avail", hours, 2)
        # Per person and job, as `_fits`: desired if any wish names it, skilled if any
        # skill does, the wished-for pay the highest of its wishes; no row for an empty job.
        made = raw.execute(
            f"INSERT INTO person_jobs ({', '.join(_HEAD_COLUMNS)}) "
            "SELECT f.pid, j.job, f.site, max(f.wished), max(1 - f.wished), a.mask, "
            "f.trust, max(j.pay) FROM fd_fit AS f "
            "JOIN fd_job AS j ON j.wished = f.wished AND j.value = f.value "
            "JOIN fd_avail AS a ON a.value IS f.hours "
            "WHERE j.job <> '' GROUP BY f.pid, j.job ORDER BY f.pid, j.job"
        ).rowcount
        odd = raw.execute(
            "SELECT id, site_code, desired_jobs, skills, availability, reliability "
            "FROM people WHERE id IN fd_odd ORDER BY id"
        ).fetchall()
    finally:
        for name in temp:
            raw.execute(f"DROP TABLE temp.{name}")
    parsed = _JsonMemo()
    rows = [
        (pid, job, site, desired, skilled, availability_mask(avail), trust, pay)
        for pid, site, jobs, skills, avail, trust in odd
        for job, desired, skilled, pay in _fits(parsed(jobs), parsed(skills))
    ]
    raw.executemany(insert_sql(conn, "person_jobs", _HEAD_COLUMNS), rows)
    return made + len(rows)


def _spread(raw: Any, table: str, rows: list[tuple[Any, ...]], width: int) -> None:
    """Rows made in Python into a table in one statement (a JSON array of arrays)."""
    values = ", ".join(f"value ->> {i}" for i in range(width))
    raw.execute(
        f"INSERT INTO {table} SELECT {values} FROM json_each(?)",
        (json.dumps(rows, ensure_ascii=False),),
    )


def _wish(text: str) -> tuple[str, int]:
    """One wish (a JSON object's text) as `_fits` reads it: its job key and pay."""
    wish = json.loads(text)
    return job_key(str(wish.get("job", ""))), _whole(wish.get("pay_fen"))
