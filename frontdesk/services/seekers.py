"""Job-seeker registrations: register, edit, status, renewal, duplicates and audited reveals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.bulk import BulkInsert
from db.job_keys import rows_for as job_rows_for
from db.models import AuditLog, DeskInfo, Person, PersonJob, PersonKey
from db.outbox import Append
from db.sealed import Sealer, Unreadable
from db.search_keys import name_index
from db.session import reading, writing
from db.types import new_ids, utcnow
from frontdesk.domain import idcard
from frontdesk.domain.clock import business_date
from frontdesk.domain.idcard import age_on
from frontdesk.domain.privacy import id_hash
from frontdesk.domain.registration import STATUSES, CleanSeeker, SeekerInput, validate
from frontdesk.errors import UserError
from frontdesk.services import personal_keys
from frontdesk.services.acting import Actor
from frontdesk.services.audit import record, record_act
from frontdesk.services.auth import confirm_pin
from frontdesk.services.sealed_contacts import open_address, stored_address
from frontdesk.services.text_guard import check_rows

VALID_DAYS = 365  # a registration is renewed yearly


class DuplicateSeeker(UserError):
    """The ID number is already registered at this site; `person_id` is that record."""

    def __init__(self, person_id: uuid.UUID, name: str, masked_id: str) -> None:
        super().__init__("seeker.duplicate", field="id_number", name=name, id=masked_id)
        self.person_id = person_id


def hash_key(engine_or_session: Engine | Session) -> str:
    if isinstance(engine_or_session, Session):
        info = engine_or_session.info  # read once per session: imports call this per row
        if "id_hash_key" not in info:
            info["id_hash_key"] = engine_or_session.exec(select(DeskInfo.id_hash_key)).one()
        return info["id_hash_key"]
    with reading(engine_or_session) as s:
        return s.exec(select(DeskInfo.id_hash_key)).one()


def find_duplicate(session: Session, site_code: str, id_number: str) -> Person | None:
    digest = id_hash(id_number, hash_key(session))
    return session.exec(
        select(Person).where(Person.site_code == site_code, Person.id_hash == digest)
    ).first()


def find_registered(session: Session, site_code: str, id_numbers: list[str]) -> dict[str, Person]:
    """The registrations this site already holds for these ID numbers, by ID number."""
    key = hash_key(session)
    by_hash = {id_hash(n, key): n for n in id_numbers}
    found = registered_hashes(session, site_code, list(by_hash))
    return {by_hash[digest]: person for digest, person in found.items()}


def registered_hashes(session: Session, site_code: str, hashes: list[str]) -> dict[str, Person]:
    """The registrations this site already holds for these ID number hashes, by hash."""
    found: dict[str, Person] = {}
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        stmt = select(Person).where(Person.site_code == site_code, col(Person.id_hash).in_(chunk))
        found.update((p.id_hash, p) for p in session.exec(stmt))
    return found


def register(engine: Engine, actor: Actor, raw: SeekerInput, now: datetime) -> Person:
    """Validate and save a new registration with its consent, audit and outbox, in one commit."""
    clean = validate(raw, business_date(now))
    with writing(engine) as s:
        person = new_person(s, actor, clean, now)
    return person


def new_person(s: Session, actor: Actor, clean: CleanSeeker, now: datetime) -> Person:
    """Add a registration to the caller's transaction (used by the form and by import)."""
    existing = find_duplicate(s, actor.site_code, clean.id_number)
    if existing is not None:
        raise DuplicateSeeker(existing.id, existing.name, existing.id_masked)
    person = s.get(Person, add_people(s, actor, [clean], now)[0])
    assert person is not None  # just written in this transaction
    return person


def add_people(
    s: Session, actor: Actor, cleans: list[CleanSeeker], now: datetime
) -> list[uuid.UUID]:
    """Registrations checked for duplicates already, with their search keys, dispatch rows
    and audit rows, in the caller's transaction; the unique (site, id_hash) index still
    catches a twin registered meanwhile, and then nothing is added. The new ids in order."""
    return PeopleWriter(s, actor, now).add(cleans)


@dataclass(frozen=True)
class WriterRecipe:
    """What PeopleWriter.prepare needs, all of it plain values: the desk's SQL dialect, who
    imports and when, the key ID numbers are hashed with and the public key personal data
    is sealed to, with the district's when the desk knows it (an import works its rows out
    in another process: services/ahead.py)."""

    dialect: type[Dialect]
    site_code: str
    staff_id: uuid.UUID
    now: datetime
    stamp: datetime
    hash_key: str
    public_key: str
    district_key: str


@dataclass
class PreparedPeople:
    """A batch of registrations worked out by PeopleWriter.prepare: the people and dispatch
    rows in stored form, in column order, and each person's search keys (their rows, like
    the audit rows, are made by `write`: an import's writing process has the CPU to spare
    that its checking one lacks, and a person's keys pickle lighter than their rows)."""

    people: list[tuple[Any, ...]]
    keys: list[tuple[str, ...]]  # one per person, in the people's order
    jobs: list[tuple[Any, ...]]


class PeopleWriter:
    """Adds registrations to one transaction a batch at a time (an import of 100,000 rows
    calls `add` per batch): each table's rows in one executemany, the statements and the
    columns' conversions prepared once.

    The people rows go through their columns' own conversions (`_person_values` is the one
    place a person's stored values are worked out); the rows derived from them (search
    keys, dispatch rows, audit rows) are built in stored form, with the person's stored id.
    A bulk load gives `append` (db/outbox.py, entries_by_loader): the outbox entries of
    people and audit rows are then appended a batch at a time instead of by triggers.
    """

    LOADED = ("people", "audit_log")  # the synced tables `add` writes (entries_by_loader)

    def __init__(
        self, s: Session, actor: Actor, now: datetime, append: Append | None = None
    ) -> None:
        conn = s.connection()
        recipe = WriterRecipe(
            type(conn.dialect),
            actor.site_code,
            actor.staff_id,
            now,
            utcnow(),
            hash_key(s),
            personal_keys.public_key(s),
            personal_keys.district_public_key(s),
        )
        self._setup(recipe, conn, append)

    @classmethod
    def offline(cls, recipe: WriterRecipe) -> PeopleWriter:
        """A writer that only works rows out (`prepare`), in a process without the
        database, for the writer made with the session to `write`."""
        writer = cls.__new__(cls)
        writer._setup(recipe, None, None)
        return writer

    def recipe(self) -> WriterRecipe:
        return self._recipe

    def _setup(self, recipe: WriterRecipe, conn: Connection | None, append: Append | None) -> None:
        self._recipe, self.append = recipe, append
        self.actor = Actor(recipe.site_code, recipe.staff_id)
        self.now, self.key, self.stamp = recipe.now, recipe.hash_key, recipe.stamp
        # One ephemeral key for the whole import, as personal_keys.sealer makes it.
        self.seal = Sealer(recipe.public_key, recipe.district_key)
        dialect = recipe.dialect()
        self.people = BulkInsert(conn, Person, dialect)
        self.keys = BulkInsert(conn, PersonKey, dialect)
        assert self.keys.names == ["site_code", "key", "person_id"]  # the tuples' order
        self.jobs = BulkInsert(conn, PersonJob, dialect)
        self.job_values = itemgetter(*self.jobs.names)  # a row's values in column order
        self.at_job = self.jobs.names.index("person_id")
        self.audit = BulkInsert(conn, AuditLog, dialect)
        self.audit_row = self.audit.stored_row(self._audit())  # its id, entity_id per row
        self.audit_at = [self.audit.names.index(n) for n in ("id", "entity_id")]
        self.audit_id = self.audit.processors[self.audit_at[0]] or (lambda v: v)
        self.audit_version = self.audit_row[self.audit.names.index("row_version")]
        self.people_at = [self.people.names.index(n) for n in ("id", "row_version")]
        self.at_hash = self.people.names.index("id_hash")

    def add(
        self, cleans: list[CleanSeeker], kept: list[dict[str, Any]] | None = None
    ) -> list[uuid.UUID]:
        """`kept`, one per clean: values from the sheet that replace a new registration's
        own (status, valid_until), as an export of another desk gives them."""
        batch = self.prepare(cleans, kept)
        self.write(batch)
        return [_as_uuid(row[self.people_at[0]]) for row in batch.people]

    def prepare(
        self, cleans: list[CleanSeeker], kept: list[dict[str, Any]] | None = None
    ) -> PreparedPeople:
        """What `write` will insert for these registrations, in stored form, without
        touching the database: an import works out one batch while the one before it is
        being written (services/ahead.py)."""
        ids = new_ids(len(cleans))  # one draw of random bytes for the batch
        people = [self._values(c, i) for c, i in zip(cleans, ids, strict=True)]
        for person, values in zip(people, kept or [], strict=False):
            person.update(values)
        check_rows(people)  # the text rule, as every ORM write has it
        stored = self.people.stored(people)
        ids = [row[self.people_at[0]] for row in stored]  # as stored: derived rows use these
        keys = [name_index(p["name"])[2] for p in people]  # worked out already: cached
        jobs = [
            self.job_values(job)
            for p, i in zip(people, ids, strict=True)
            for job in _job_rows(p, i)
        ]
        return PreparedPeople(stored, keys, jobs)

    def hashes(self, batch: PreparedPeople) -> list[str]:
        """The people's ID number hashes, as stored (to look for them on the desk)."""
        return [row[self.at_hash] for row in batch.people]

    def write(self, batch: PreparedPeople) -> None:
        """One executemany per table, with an audit row per person, and the outbox entries
        of people and audit rows."""
        try:
            self.people.write_stored(batch.people)
        except IntegrityError as exc:
            raise UserError("seeker.duplicate_race", field="id_number") from exc
        at_id, at_version = self.people_at
        self._told("people", [(row[at_id], row[at_version]) for row in batch.people])
        self.keys.write_stored(self._key_rows(batch))
        self.jobs.write_stored(batch.jobs)
        ids = [row[at_id] for row in batch.people]
        audit = [self._audit_row(a, i) for a, i in zip(new_ids(len(ids)), ids, strict=True)]
        self.audit.write_stored(audit)
        at_audit = self.audit_at[0]
        self._told("audit_log", [(row[at_audit], self.audit_version) for row in audit])

    def without(self, batch: PreparedPeople, dropped: list[int]) -> PreparedPeople:
        """The batch less the registrations at these positions (found registered already)."""
        if not dropped:
            return batch
        at_id, at_job = self.people_at[0], self.at_job
        gone = {batch.people[i][at_id] for i in dropped}
        return PreparedPeople(
            [row for row in batch.people if row[at_id] not in gone],
            [k for row, k in zip(batch.people, batch.keys, strict=True) if row[at_id] not in gone],
            [row for row in batch.jobs if row[at_job] not in gone],
        )

    def _key_rows(self, batch: PreparedPeople) -> list[tuple[Any, ...]]:
        """The batch's search-key rows, in key order: the index is written where it was
        last, not all over (by the key alone: comparing the ids too would cost more than it
        saves)."""
        site, at_id = self.actor.site_code, self.people_at[0]
        rows = [
            (site, k, row[at_id])
            for row, keys in zip(batch.people, batch.keys, strict=True)
            for k in keys
        ]
        rows.sort(key=itemgetter(1))
        return rows

    def _values(self, clean: CleanSeeker, person_id: uuid.UUID) -> dict[str, Any]:
        # The id is made before sealing: the row's id is in each value's sealed data.
        stored = personal_keys.stored_person_values(
            self.seal, person_id, clean.id_number, clean.phone
        )
        address = stored_address(self.seal, person_id, clean.address)
        values = _person_values(self.actor, clean, self.now, self.key, self.stamp)
        return {"id": person_id, **values, **stored, **address}

    def _told(self, table: str, rows: list[tuple[Any, int]]) -> None:
        if self.append is not None:
            self.append(table, rows)

    def _audit(self) -> dict[str, Any]:
        return {
            "site_code": self.actor.site_code,
            "at": self.now,
            "staff_id": self.actor.staff_id,
            "action": "seeker_register",
            "entity": "people",
            "created_at": self.stamp,
            "updated_at": self.stamp,
        }

    def _audit_row(self, audit_id: uuid.UUID, person_id: Any) -> tuple[Any, ...]:
        row = list(self.audit_row)
        at_id, at_entity = self.audit_at
        row[at_id], row[at_entity] = self.audit_id(audit_id), person_id
        return tuple(row)


def _as_uuid(stored: Any) -> uuid.UUID:
    return stored if isinstance(stored, uuid.UUID) else uuid.UUID(str(stored))


def _job_rows(p: dict[str, Any], stored_id: Any) -> list[dict]:
    """What dispatch matches on, as the session hook writes it for ORM saves."""
    return job_rows_for(
        stored_id,
        p["site_code"],
        p.get("status", "active"),
        False,
        p["desired_jobs"],
        p["skills"],
        p.get("availability", ""),
        p.get("reliability", 100),
    )


def _person_values(
    actor: Actor, clean: CleanSeeker, now: datetime, key: str, stamp: datetime
) -> dict[str, Any]:
    initials, pinyin, _ = name_index(clean.name)
    sensitive = clean.sensitive
    return {
        **_fields(clean),
        "gender": idcard.gender_of(clean.id_number),
        "birth_date": idcard.birth_of(clean.id_number),
        "site_code": actor.site_code,
        "created_at": stamp,
        "updated_at": stamp,
        "id_hash": id_hash(clean.id_number, key),
        "name_initials": initials,
        "name_pinyin": pinyin,
        "registered_on": clean.registered_on,
        "valid_until": clean.registered_on + timedelta(days=VALID_DAYS),
        "staff_id": actor.staff_id,
        "consent_at": now,
        "consent_staff_id": actor.staff_id,
        "sensitive_consent_at": now if sensitive else None,
        "sensitive_consent_staff_id": actor.staff_id if sensitive else None,
    }


def update(
    engine: Engine, actor: Actor, person_id: uuid.UUID, raw: SeekerInput, now: datetime
) -> Person:
    """Save an edit. An ID number, phone or address given as None (left masked) keeps the
    stored one.

    Validated inside the transaction, against the row as it stands when written.
    """
    with writing(engine) as s:
        person = _own(s, actor, person_id)
        seal = personal_keys.sealer(s)  # read before any change: a query flushes them
        clean = validate(_keep_unchanged(raw), business_date(now))
        if raw.id_number is not None:
            digest = id_hash(clean.id_number, hash_key(s))
            if digest != person.id_hash:
                twin = find_duplicate(s, actor.site_code, clean.id_number)
                if twin is not None:
                    raise DuplicateSeeker(twin.id, twin.name, twin.id_masked)
                person.id_hash = digest
        for name, value in _fields(clean).items():
            setattr(person, name, value)
        _store_numbers(seal, person, raw, clean)
        if raw.address is not None:  # None: left masked, the sealed address stands
            for name, value in stored_address(seal, person.id, clean.address).items():
                setattr(person, name, value)
        person.registered_on = clean.registered_on
        _apply_sensitive_consent(person, clean, actor, now)
        record_act(s, actor, "seeker_edit", "people", person.id, now)
    return person


def set_status(
    engine: Engine, actor: Actor, person_id: uuid.UUID, status: str, reason: str, now: datetime
) -> Person:
    reason = reason.strip()
    if status not in STATUSES:
        raise UserError("seeker.unknown_choice", field="status")
    if status == "cancelled" and not reason:
        raise UserError("seeker.reason_required", field="reason")
    if len(reason) > 200:
        raise UserError("seeker.text_long", field="reason", limit=200)
    with writing(engine) as s:
        person = _own(s, actor, person_id)
        person.status, person.status_reason = status, reason
        record_act(s, actor, "seeker_status", "people", person.id, now, status)
    return person


def renew(engine: Engine, actor: Actor, person_id: uuid.UUID, now: datetime) -> date:
    """Extend validity by a year from today, or from the current end if that is later."""
    today = business_date(now)
    with writing(engine) as s:
        person = _own(s, actor, person_id)
        start = max(today, person.valid_until or today)
        person.valid_until = start + timedelta(days=VALID_DAYS)
        record_act(
            s, actor, "seeker_renew", "people", person.id, now, person.valid_until.isoformat()
        )
        return person.valid_until


@dataclass(frozen=True)
class SeekerView:
    """One registration as a screen may show it: ID number, phone and address masked, age
    worked out."""

    id: uuid.UUID
    name: str
    id_number: str  # masked
    phone: str  # masked
    gender: str
    birth_date: date
    age: int
    status: str
    status_reason: str
    registered_on: date
    valid_until: date | None
    expired: bool
    education: str
    hukou_type: str
    ethnicity: str
    skills: list[str]
    desired_jobs: list[dict]
    availability: str
    categories: list[str]
    address: str  # masked
    notes: str
    consent_at: datetime | None
    sensitive_consent_at: datetime | None


def get(engine: Engine, site_code: str, person_id: uuid.UUID, today: date) -> SeekerView:
    """A registration of this site, masked; the full numbers only come from `reveal`."""
    with reading(engine) as s:
        person = s.get(Person, person_id)
        if person is None or person.site_code != site_code:
            raise UserError("seeker.not_found")
        return view_of(person, today)


def view_of(p: Person, today: date) -> SeekerView:
    return SeekerView(
        id=p.id,
        name=p.name,
        id_number=p.id_masked,
        phone=p.phone_masked,
        gender=p.gender,
        birth_date=p.birth_date,
        age=age_on(p.birth_date, today),
        status=p.status,
        status_reason=p.status_reason,
        registered_on=p.registered_on,
        valid_until=p.valid_until,
        expired=p.valid_until is not None and p.valid_until < today,
        education=p.education,
        hukou_type=p.hukou_type,
        ethnicity=p.ethnicity,
        skills=list(p.skills or []),
        desired_jobs=[dict(j) for j in p.desired_jobs or []],
        availability=p.availability,
        categories=list(p.categories or []),
        address=p.address_masked,
        notes=p.notes,
        consent_at=p.consent_at,
        sensitive_consent_at=p.sensitive_consent_at,
    )


@dataclass(frozen=True)
class Revealed:
    id_number: str
    phone: str
    address: str


def reveal(
    engine: Engine,
    actor: Actor,
    person_id: uuid.UUID,
    manager_id: uuid.UUID,
    pin: str,
    now: datetime,
) -> Revealed:
    """Full ID number, phone and address, only for a manager who confirms with a PIN;
    always audited.

    Wrong PINs count towards that manager's lock like any other PIN prompt.
    """
    confirm_pin(engine, manager_id, pin, now, action="reveal_pin", role="manager")
    opener = personal_keys.opener_for_reveal(engine, manager_id, pin)
    with writing(engine) as s:
        person = _own(s, actor, person_id)
        record(
            s,
            actor.site_code,
            "reveal",
            staff_id=manager_id,
            entity="people",
            entity_id=person.id,
            detail=f"asked by {actor.staff_id}",
            at=now,
        )
        try:
            full = personal_keys.open_person(opener, person.id, person.id_number, person.phone)
            address = open_address(opener, person.id, person.address)
        except Unreadable:
            raise UserError("reveal.other_key", field="pin") from None
        return Revealed(*full, address)


# Stand-ins validated in place of a number the form left masked (None): the stored number
# stands and is neither read nor rewritten, so an edit needs no key (a clerk may edit).
_KEPT_ID, _KEPT_PHONE = "11010519491231002X", "13800000000"


def _keep_unchanged(raw: SeekerInput) -> SeekerInput:
    return replace(
        raw,
        id_number=_KEPT_ID if raw.id_number is None else raw.id_number,
        phone=_KEPT_PHONE if raw.phone is None else raw.phone,
    )


def _store_numbers(seal: Sealer, person: Person, raw: SeekerInput, clean: CleanSeeker) -> None:
    """A number typed over the mask, sealed as new; one left masked stays as stored."""
    if raw.id_number is None and raw.phone is None:
        return
    id_number = clean.id_number if raw.id_number is not None else None
    phone = clean.phone if raw.phone is not None else None
    if id_number is not None:
        person.gender, person.birth_date = idcard.gender_of(id_number), idcard.birth_of(id_number)
    stored = personal_keys.stored_person_values(
        seal, person.id, id_number or _KEPT_ID, phone or _KEPT_PHONE
    )
    keep: set[str] = set()
    if id_number is not None:
        keep |= {"id_number", "id_masked", "id_tail"}
    if phone is not None:
        keep |= {"phone", "phone_masked", "phone_tail"}
    for name in keep:
        setattr(person, name, stored[name])


def _own(s: Session, actor: Actor, person_id: uuid.UUID) -> Person:
    person = s.get(Person, person_id)
    if person is None or person.site_code != actor.site_code:
        raise UserError("seeker.not_found")
    return person


def _fields(clean: CleanSeeker) -> dict:
    """The plain fields of a registration (the numbers and the address are stored sealed:
    personal_keys, sealed_contacts)."""
    return {
        "name": clean.name,
        "education": clean.education,
        "skills": clean.skills,
        "desired_jobs": [j.as_json() for j in clean.desired_jobs],
        "availability": clean.availability,
        "categories": clean.categories,
        "hukou_type": clean.hukou_type,
        "ethnicity": clean.ethnicity,
        "notes": clean.notes,
    }


def _apply_sensitive_consent(
    person: Person, clean: CleanSeeker, actor: Actor, now: datetime
) -> None:
    if clean.sensitive and person.sensitive_consent_at is None:
        person.sensitive_consent_at, person.sensitive_consent_staff_id = now, actor.staff_id
    if not clean.sensitive:
        person.sensitive_consent_at = person.sensitive_consent_staff_id = None
