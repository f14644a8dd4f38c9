"""Reference data owned by head office and flowing down to the desks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from db.models.base import SyncedRow, money, utc_field
from db.vocabulary import REBATE_BASES, ROLES, SERVICE_LINES


class Site(SyncedRow, table=True):
    """A community branch with its front desk; `code` equals the site_code of its rows."""

    __tablename__ = "sites"
    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint("rebate_rate_bp BETWEEN 0 AND 10000", name="rebate_rate_range"),
        CheckConstraint(f"rebate_base IN {REBATE_BASES}", name="rebate_base_known"),
    )

    code: str = Field(max_length=16)
    name: str = Field(max_length=80)
    name_en: str = Field(default="", max_length=120)
    category: str = Field(default="", max_length=16)  # 全优型 / 资源型 / 阵地型 / 探索型
    # Rebate to the community in basis points of `rebate_base` (2000 = 20 %).
    rebate_rate_bp: int = Field(default=2000)
    rebate_base: str = Field(default="community_share", max_length=20)
    closeout_tolerance_fen: int = money(default=0)
    min_wage_fen_per_hour: int = money(default=1700)
    active: bool = Field(default=True)


class Staff(SyncedRow, table=True):
    """A person who signs in at a desk.

    The row carries no PIN: each desk keeps its own staff's PIN hashes in `staff_pins`,
    which never syncs. Head office resets a PIN by a one-time code: the row carries the
    reset's id, when it was issued and a salted scrypt hash of the code (16 random digits,
    frontdesk/domain/pin_rules.py), never the code itself and never a PIN.
    """

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role_known"),)

    name: str = Field(max_length=40)
    role: str = Field(default="clerk", max_length=10)
    active: bool = Field(default=True)
    pin_reset_id: uuid.UUID | None = Field(default=None)
    pin_reset_at: datetime | None = utc_field()
    pin_reset_hash: str = Field(default="", max_length=200)


class Partner(SyncedRow, table=True):
    """A community partner (clinic, housekeeping firm, trainer) operating paid services."""

    __tablename__ = "partners"

    name: str = Field(max_length=80)
    kind: str = Field(default="", max_length=40)
    contact: str = Field(default="", max_length=80)
    active: bool = Field(default=True)


class Service(SyncedRow, table=True):
    """A line of the service catalogue: free or paid, with its default price and partner."""

    __tablename__ = "services"
    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint(f"line IN {SERVICE_LINES}", name="line_known"),
        CheckConstraint("default_price_fen >= 0", name="price_not_negative"),
    )

    code: str = Field(max_length=16)
    name_zh: str = Field(max_length=60)
    name_en: str = Field(max_length=80)
    line: str = Field(max_length=20)
    paid: bool = Field(default=False)
    default_price_fen: int = money(default=0)
    partner_id: uuid.UUID | None = Field(default=None, foreign_key="partners.id")
    quick_key: int = Field(default=0)  # 1-9 picks it with one key on the quick log; 0 none
    active: bool = Field(default=True)


class PartnerAgreement(SyncedRow, table=True):
    """A partner's revenue share, for all its services or one service, over a date range."""

    __tablename__ = "partner_agreements"
    __table_args__ = (CheckConstraint("share_bp BETWEEN 0 AND 10000", name="share_range"),)

    partner_id: uuid.UUID = Field(foreign_key="partners.id", index=True)
    service_id: uuid.UUID | None = Field(default=None, foreign_key="services.id")
    share_bp: int = Field()  # partner's share in basis points of the income
    valid_from: date = Field()
    valid_to: date | None = Field(default=None)
