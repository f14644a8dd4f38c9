"""Search-as-you-type over registered people: a page at a time, from indexes only."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Engine, and_, or_
from sqlmodel import col, select

from db.models import Person, PersonKey
from db.search_keys import fold
from db.session import reading
from frontdesk.domain.privacy import id_hash, mask_phone

PAGE = 20
TAIL = re.compile(r"^[0-9]{3}[0-9x]$")
_KEY_END = "\U0010ffff"


@dataclass(frozen=True)
class PersonRow:
    """One line of the list: personal numbers already masked."""

    id: uuid.UUID
    name: str
    gender: str
    birth_date: date
    id_masked: str
    phone_masked: str
    status: str
    registered_on: date
    valid_until: date | None


def search(
    engine: Engine, site_code: str, query: str, offset: int = 0, limit: int = PAGE
) -> list[PersonRow]:
    q = fold(query)
    with reading(engine) as s:
        if not q:
            stmt = (
                select(Person)
                .where(Person.site_code == site_code)
                .order_by(col(Person.id).desc())  # UUIDv7 keys: newest first, by the primary key
                .offset(offset)
                .limit(limit)
            )
            return [_row(p) for p in s.exec(stmt)]
        ids = _matching_ids(s, site_code, q, offset, limit)
        if not ids:
            return []
        people = {p.id: p for p in s.exec(select(Person).where(col(Person.id).in_(ids)))}
    return [_row(people[i]) for i in ids if i in people]


def _matching_ids(s, site_code: str, q: str, offset: int, limit: int) -> list[uuid.UUID]:
    number = number_match(q, site_code, lambda: _desk_hash_key(s))
    if number is not None:
        stmt = select(Person.id).where(number).order_by(col(Person.id)).offset(offset).limit(limit)
        return list(s.exec(stmt))
    # Prefix range on the key index; DISTINCT with LIMIT stops as soon as a page is full.
    stmt = (
        select(PersonKey.person_id)
        .distinct()
        .where(PersonKey.site_code == site_code, PersonKey.key >= q, PersonKey.key < q + _KEY_END)
        .offset(offset)
        .limit(limit)
    )
    return list(s.exec(stmt))


def _desk_hash_key(s) -> str:
    from frontdesk.services.seekers import hash_key  # only for a whole ID number

    return hash_key(s)


def number_match(
    q: str, site_code: str | Collection[str], hash_key: Callable[[], str]
) -> ColumnElement[bool] | None:
    """Who a folded query that is a number finds: the last four digits of the ID number or
    the phone, a whole phone (its tail and mask: the phone is sealed), a whole ID number (by
    its keyed hash, `hash_key` asked only then). None: not a number, search by name.
    `site_code` may be several (head office, frontdesk/hq/people.py): the indexes lead with it."""

    def at_site(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        # site_code inside each branch, so SQLite uses both (site, tail) indexes.
        if isinstance(site_code, str):
            return and_(col(Person.site_code) == site_code, *conditions)
        return and_(col(Person.site_code).in_(site_code), *conditions)

    if TAIL.match(q):
        tail = q.upper()
        return or_(at_site(col(Person.phone_tail) == tail), at_site(col(Person.id_tail) == tail))
    if q.isdigit() and len(q) == 11:
        return at_site(col(Person.phone_tail) == q[-4:], col(Person.phone_masked) == mask_phone(q))
    if len(q) == 18 and q[:17].isdigit():
        return at_site(col(Person.id_hash) == id_hash(q.upper(), hash_key()))
    return None


def _row(p: Person) -> PersonRow:
    return PersonRow(
        id=p.id,
        name=p.name,
        gender=p.gender,
        birth_date=p.birth_date,
        id_masked=p.id_masked,
        phone_masked=p.phone_masked,
        status=p.status,
        registered_on=p.registered_on,
        valid_until=p.valid_until,
    )
