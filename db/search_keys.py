"""Search keys for people, kept by one session hook so every write path maintains them.

A person is found by any prefix of: a suffix of the name (so a fragment matches), the
initials or full pinyin of the name read every way its characters can be read (曾 is both
zeng and ceng; 单长乐 is dcl, scl, shanchangle ...: up to MAX_COMBOS readings of a name,
the likeliest first), or a syllable-boundary suffix of those (xm, xiaoming find 曾小明).
Lookups are then a B-tree range scan on (site_code, key) instead of a scan of the people
table.
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata
from collections.abc import Iterable
from itertools import combinations, product

# Names are read a character at a time, so pypinyin's phrase dictionary (~45 MiB) is never
# consulted; without it the desk stays within its memory budget. Set before the import.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from sqlalchemy import Connection, delete, event, insert
from sqlmodel import Session, col

from db.driver_sql import insert_sql
from db.models import Person, PersonKey

INITIALS_MAX, PINYIN_MAX = 200, 400  # sizes of the people.name_initials / name_pinyin columns
MAX_COMBOS = 16  # whole-name readings indexed per name (see _combos)


def fold(text: str) -> str:
    """What search compares: NFKC (full-width to ASCII), no spaces, lower case."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("·", "").lower()


def readings(name: str) -> tuple[list[list[str]], list[list[str]]]:
    """Per character: every initial and every full reading, deduplicated, in order."""
    # Imported on first use (~9 MiB): a desk that only searches never needs it.
    per_char = [_char_readings(c) for c in fold(name)]
    return [list(i) for i, _ in per_char], [list(f) for _, f in per_char]


@functools.lru_cache(maxsize=8192)
def _char_readings(char: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One character's initials and full readings: names share characters, so an import of
    100,000 people asks pypinyin a few thousand times, not half a million."""
    from pypinyin import Style, pinyin

    initials = pinyin([char], style=Style.FIRST_LETTER, heteronym=True, errors="default")[0]
    full = pinyin([char], style=Style.NORMAL, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(initials)), tuple(dict.fromkeys(full))


def _combos(per_char: list[list[str]]) -> list[list[str]]:
    """Readings of the whole name, the most likely first (per-character readings in order).

    The usual reading comes first, then every single other reading of one character (so each
    reading of each character is always there: 单 as dan, chan and shan), then names with
    two, three, ... characters read otherwise (单长乐 as shanchangle), fewest and likeliest
    first, until there are MAX_COMBOS. The product of readings grows fast with long names of
    many-reading characters; the cap keeps a person's keys (and a save) small.
    """
    usual = [options[0] for options in per_char]
    varied = [i for i, options in enumerate(per_char) if len(options) > 1]
    combos = [usual]
    for changed in range(1, len(varied) + 1):
        if changed > 1 and len(combos) >= MAX_COMBOS:
            break
        level = []  # every way to read exactly `changed` characters otherwise
        for places in combinations(varied, changed):
            for picks in product(*(range(1, len(per_char[i])) for i in places)):
                level.append((sum(picks), places, picks))
        if changed > 1:  # single changes are kept whatever the cap
            level = sorted(level)[: MAX_COMBOS - len(combos)]
        for _, places, picks in level:
            combo = list(usual)
            for i, pick in zip(places, picks, strict=True):
                combo[i] = per_char[i][pick]
            combos.append(combo)
    return combos


def _suffixes(parts: list[str]) -> list[str]:
    return ["".join(parts[i:]) for i in range(len(parts))]


def name_columns(name: str) -> tuple[str, str]:
    """The space-separated readings stored on the person row (shown, exported, searched)."""
    initials, whole, _ = name_index(name)
    return initials, whole


@functools.lru_cache(maxsize=8192)
def name_index(name: str) -> tuple[str, str, tuple[str, ...]]:
    """The name's stored readings (name_columns) and its search keys, worked out once: an
    import of 100,000 people meets the same names over and over."""
    initials, full = readings(name)
    first, whole = _combos(initials), _combos(full)
    keys = set(_suffixes(list(fold(name))))
    for combo in first + whole:
        keys.update(_suffixes(combo))
    keys.discard("")
    return _stored(first, INITIALS_MAX), _stored(whole, PINYIN_MAX), tuple(sorted(keys))


def _stored(combos: list[list[str]], limit: int) -> str:
    text = " ".join(dict.fromkeys("".join(c) for c in combos))
    return text[:limit].rsplit(" ", 1)[0] if len(text) > limit else text


def keys_for(name: str) -> set[str]:
    return set(name_index(name)[2])


_PENDING = "person_keys_pending"


@event.listens_for(Session, "before_flush")
def _index_people(session: Session, flush_context, instances) -> None:
    """Derive the name columns now; note whose keys to write once the rows exist."""
    pending = session.info.setdefault(_PENDING, {})
    new, dirty = session.new, session.dirty  # each is built anew on every access: once here
    for person in [*new, *dirty]:
        if not isinstance(person, Person):
            continue
        if person in dirty and not _name_changed(person):
            continue
        person.name_initials, person.name_pinyin = name_columns(person.name)
        pending[person.id] = (person.site_code, person.name, person not in new)


@event.listens_for(Session, "after_flush")
def _write_keys(session: Session, flush_context) -> None:
    """One multi-row INSERT per flush (cheaper than an ORM object per key)."""
    pending = session.info.pop(_PENDING, {})
    if not pending:
        return
    conn = session.connection()
    changed = [pid for pid, (_, _, existed) in pending.items() if existed]
    if changed:
        conn.execute(delete(PersonKey).where(col(PersonKey.person_id).in_(changed)))
    rows = [
        {"site_code": site, "key": key, "person_id": pid}
        for pid, (site, name, _) in pending.items()
        for key in keys_for(name)
    ]
    conn.execute(insert(PersonKey), rows)


def _name_changed(person: Person) -> bool:
    from sqlalchemy import inspect

    return inspect(person).attrs.name.history.has_changes()


def rebuild(conn: Connection, batch: int = 2_000) -> int:
    """Recompute every person's search keys (after a migration or a restore) at a desk.

    Written a batch of people at a time, so a large desk's keys are never all in memory;
    through the driver, as the ids are stored, since a restore writes a key row for every
    few letters of 100,000 names and SQLAlchemy's per-row work was most of its time.
    """
    conn.execute(delete(PersonKey))
    known: dict[str, set[str]] = {}  # names repeat; their pinyin is the costly part

    def keys(name: str) -> set[str]:
        if name not in known:
            known[name] = keys_for(name)
        return known[name]

    people = conn.exec_driver_sql("SELECT id, site_code, name FROM people").all()
    insert_keys = insert_sql(conn, "person_keys", ("site_code", "key", "person_id"))
    for start in range(0, len(people), batch):
        # In primary-key order: a batch goes into the key index as one ordered run (a restore
        # of 10,000 people wrote its keys in 0.64 s so, 1.05 s in the order people came).
        rows = sorted(
            (site, key, pid)
            for pid, site, name in people[start : start + batch]
            for key in keys(name)
        )
        if rows:
            conn.exec_driver_sql(insert_keys, rows)
    return len(people)


def keys_by_name(names: Iterable[str]) -> dict[str, str]:
    """Each name's search keys as a JSON array, what `load` hands SQLite. Pure Python and
    no database: a restore works them out in a thread while SQLite builds other tables."""
    return {name: json.dumps(name_index(name)[2], ensure_ascii=False) for name in names}


def load(conn: Connection, known: dict[str, str] | None = None) -> int:
    """Every person's search keys into a desk whose `person_keys` is empty (a new file
    being built: a restore), the same rows as `rebuild`, SQLite only; returns how many.
    `known`: keys already worked out (`keys_by_name`), by name; any other name's are
    worked out here.

    One statement: SQLite asks a function of this connection for each name's keys (a JSON
    array, worked out once per name), spreads them with `json_each` and writes the rows in
    primary-key order through its own sorter, so no key row is ever a Python object: that,
    and sorting the tuples in Python, was most of a restore's time on keys.
    """
    known = {} if known is None else known

    def keys(name: str) -> str:
        found = known.get(name)
        if found is None:
            found = known[name] = json.dumps(name_index(name)[2], ensure_ascii=False)
        return found

    raw = conn.connection.driver_connection
    raw.create_function("fd_search_keys", 1, keys, deterministic=True)  # type: ignore[union-attr]
    try:
        return conn.exec_driver_sql(
            "INSERT INTO person_keys (site_code, key, person_id) "
            "SELECT p.site_code, k.value, p.id FROM people AS p, "
            "json_each(fd_search_keys(p.name)) AS k ORDER BY 1, 2, 3"
        ).rowcount
    finally:
        raw.create_function("fd_search_keys", 1, None)  # type: ignore[union-attr]


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)  # a failed flush must not leave keys for the next one
