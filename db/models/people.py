"""Job seekers registered for the community gig market (零工市场)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from db.models.base import SyncedRow, utc_field
from db.vocabulary import PERSON_STATUSES


class Person(SyncedRow, table=True):
    """One registration at one site. Search columns are derived at save time and indexed."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(f"status IN {PERSON_STATUSES}", name="status_known"),
        CheckConstraint("gender IN ('M', 'F')", name="gender_known"),
        # One registration per person per site (DESIGN: uniqueness by constraint, not app code).
        Index("ix_people_site_idhash", "site_code", "id_hash", unique=True),
        Index("ix_people_site_initials", "site_code", "name_initials"),
        Index("ix_people_site_id", "site_code", "id"),  # newest first without a sort
        Index("ix_people_site_phone_tail", "site_code", "phone_tail"),
        Index("ix_people_site_id_tail", "site_code", "id_tail"),
    )

    name: str = Field(max_length=40)
    # id_number and phone are stored sealed to the desk's key, and to the district's once
    # the desk knows it (db/sealed.py: fd2 is ~250 characters); the masked forms and tails
    # are what search, lists and head office's views read.
    id_number: str = Field(max_length=400)
    id_masked: str = Field(default="", max_length=18)  # 4407**********123X
    id_hash: str = Field(max_length=64)  # keyed hash: duplicate check and HQ linking
    id_tail: str = Field(max_length=4)
    gender: str = Field(max_length=1)  # derived from the ID number
    birth_date: date = Field()  # derived from the ID number
    phone: str = Field(max_length=400)
    phone_masked: str = Field(default="", max_length=20)  # 138****5678
    phone_tail: str = Field(max_length=4)
    name_initials: str = Field(default="", max_length=200)  # every reading, space separated
    name_pinyin: str = Field(default="", max_length=400)
    ethnicity: str = Field(default="", max_length=20)
    hukou_type: str = Field(default="", max_length=20)
    # Sealed too (db/sealed_columns.py): what screens and exports show is address_masked.
    address: str = Field(default="", max_length=1200)
    address_masked: str = Field(default="", max_length=200)  # 赤坎区中山路****
    education: str = Field(default="", max_length=2)  # GB/T 4658 code
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    desired_jobs: list[dict] = Field(default_factory=list, sa_type=JSON)  # ≤ 3: job, pay, area
    availability: str = Field(default="", max_length=200)
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    consent_at: datetime | None = utc_field()
    consent_staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id")
    sensitive_consent_at: datetime | None = utc_field()
    sensitive_consent_staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id")
    registered_on: date = Field()
    valid_until: date | None = Field(default=None)
    status: str = Field(default="active", max_length=10)
    status_reason: str = Field(default="", max_length=200)
    staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff.id")  # 经办人
    reliability: int = Field(default=100)  # lowered by no-shows
    notes: str = Field(default="", max_length=500)


class PersonKey(SQLModel, table=True):
    """Derived search keys of a person (see db/search_keys.py); local, rebuilt, never synced.

    On SQLite the table is its primary key alone (WITHOUT ROWID, revision 0024): a key
    written touches one B-tree, not a rowid table and an index."""

    __tablename__ = "person_keys"
    __table_args__ = {"sqlite_with_rowid": False}

    site_code: str = Field(max_length=16, primary_key=True)
    key: str = Field(max_length=80, primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="people.id", primary_key=True)


class PersonJob(SQLModel, table=True):
    """A dispatchable person's fit for one job type (see db/job_keys.py); local, never synced.

    One row per job type an active person wishes for or has as a skill, with what the
    ranking needs copied in, so ranking candidates reads one index and no people rows.
    """

    __tablename__ = "person_jobs"
    __table_args__ = (
        Index(
            "ix_person_jobs_rank",
            "site_code",
            "job",
            "desired",
            "skilled",
            "avail",
            "reliability",
            "pay_fen",
            "person_id",
        ),
    )

    # person_id leads the key: a changed person's rows are found and rewritten by it.
    person_id: uuid.UUID = Field(foreign_key="people.id", primary_key=True)
    job: str = Field(max_length=40, primary_key=True)  # folded (db.search_keys.fold)
    site_code: str = Field(max_length=16)
    desired: int = Field(default=0)  # 1: among the person's wished-for jobs
    skilled: int = Field(default=0)  # 1: among the person's skills
    avail: int = Field(default=0)  # availability bits (db/job_keys.py); 0 = not stated
    reliability: int = Field(default=100)
    pay_fen: int = Field(default=0)  # monthly pay wished for with this job; 0 = not stated
