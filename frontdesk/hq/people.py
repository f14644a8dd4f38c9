"""Head office finds a person: across the district or in one community, masked values only.

The central store has no `person_keys` (the desk's derived search keys never sync), so a
name is matched on what every pushed row carries: a fragment of the name, or the start of
one of its stored readings (`name_initials`, `name_pinyin`: every reading, space
separated). Numbers are matched as the desk matches them (frontdesk/services/search.py):
the last four digits, a whole phone, a whole ID number by the district's keyed hash.
A full value is only ever shown by `district_keys.reveal_person`, to a key holder.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Row, func, literal, literal_column, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import CentralInfo, Person, Site
from db.search_keys import fold
from db.session import reading
from frontdesk.hq.accounts import VIEWER, HqActor, require
from frontdesk.services.search import number_match

PAGE = 20
SHOWN = (
    col(Person.id),
    col(Person.site_code),
    col(Person.name),
    col(Person.id_masked),
    col(Person.phone_masked),
    col(Person.address_masked),
    col(Person.registered_on),
    col(Person.id_hash),
)


@dataclass(frozen=True)
class HqPersonRow:
    """One registration as head office sees it: personal values masked."""

    id: uuid.UUID
    site: str
    site_name: str
    name: str
    id_masked: str
    phone_masked: str
    address_masked: str
    registered_on: date
    communities: int  # where the same person is registered (linked by the ID hash)


def find_people(
    central: Engine,
    actor: HqActor | None,
    query: str,
    site: str | None = None,
    offset: int = 0,
    limit: int = PAGE,
) -> list[HqPersonRow]:
    """A page of people matching `query` (every one when empty), the newest records first,
    in community `site` or the whole district. Any signed-in account may look."""
    q = fold(query)
    with reading(central) as s:
        require(s, actor, VIEWER)
        # Every community's code: the (site, tail) and (site, hash) indexes lead with it.
        codes = list(s.exec(select(Site.code)))
        stmt = sa_select(*SHOWN)  # never the sealed columns: nothing here could open them
        if site is not None:
            stmt = stmt.where(col(Person.site_code) == site)
        if q:
            stmt = stmt.where(_matches(s, q, site, codes))
        newest = stmt.order_by(_newest_first(s)).offset(offset).limit(limit)
        people = s.execute(newest).all()
        names = _site_names(s, {p.site_code for p in people})
        counts = _communities(s, {p.id_hash for p in people}, codes)
    return [_row(p, names, counts) for p in people]


def _newest_first(s: Session):
    """Newest records first without sorting every match, so a page stops at its 20th: on
    SQLite the table's own order backwards (rows arrive newest last; walking the key's
    index instead fetches each row apart, 5x slower when nothing matches), elsewhere the
    UUIDv7 key. Sorting by the registration date cost 0.2 s a keystroke at 200,000 people."""
    if s.get_bind().dialect.name == "sqlite":
        return literal_column("people.rowid").desc()
    return col(Person.id).desc()


def _matches(s: Session, q: str, site: str | None, codes: list[str]):
    number = number_match(q, codes if site is None else site, lambda: _district_hash_key(s))
    if number is not None:
        return number
    return or_(
        col(Person.name).contains(q, autoescape=True),
        _reading_starts(col(Person.name_initials), q),
        _reading_starts(col(Person.name_pinyin), q),
    )


def _reading_starts(column, q: str):
    """One of the space-separated readings starts with `q`."""
    return (literal(" ") + column).contains(" " + q, autoescape=True)


def _district_hash_key(s: Session) -> str:
    return s.exec(select(CentralInfo.id_hash_key)).one()


def _site_names(s: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = s.exec(select(Site.code, Site.name).where(col(Site.code).in_(codes)))
    return dict(rows.all())


def _communities(s: Session, hashes: set[str], codes: list[str]) -> dict[str, int]:
    """How many communities registered each ID hash: one grouped read for the page, on the
    (site, hash) index."""
    if not hashes:
        return {}
    stmt = (
        select(Person.id_hash, func.count(func.distinct(Person.site_code)))
        .where(col(Person.site_code).in_(codes), col(Person.id_hash).in_(hashes))
        .group_by(col(Person.id_hash))
    )
    return dict(s.exec(stmt).all())


def _row(p: Row[Any], names: dict[str, str], counts: dict[str, int]) -> HqPersonRow:
    return HqPersonRow(
        id=p.id,
        site=p.site_code,
        site_name=names.get(p.site_code, p.site_code),
        name=p.name,
        id_masked=p.id_masked,
        phone_masked=p.phone_masked,
        address_masked=p.address_masked,
        registered_on=p.registered_on,
        communities=counts.get(p.id_hash, 1),
    )
