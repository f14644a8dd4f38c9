"""Receipts (收据) handed over for paid entries, numbered per desk and kept for reprints."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from db.models.base import SyncedRow, money, utc_field
from db.vocabulary import PAYMENT_METHODS


class Receipt(SyncedRow, table=True):
    """One receipt of one income entry, with what it says as it was issued.

    Its number is `series`-`number`: `number` runs up by one per receipt at this desk
    database, and `series` is the desk's (`desk_info.receipt_series`): a desk rebuilt with
    `frontdesk restore` starts a new series, so a number the dead desk handed out after its
    last sync is never handed out again. The text a reprint shows comes from these columns,
    not from the catalogue or staff list of the day it is reprinted.
    """

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("site_code", "series", "number", name="uq_receipts_number"),
        UniqueConstraint("payment_id", name="uq_receipts_payment_id"),
        CheckConstraint(f"method IN {PAYMENT_METHODS}", name="method_known"),
        CheckConstraint("series > 0 AND number > 0", name="number_positive"),
    )

    series: int = Field()
    number: int = Field()
    payment_id: uuid.UUID = Field(foreign_key="payments.id")
    issued_at: datetime = utc_field(nullable=False)
    issued_by: uuid.UUID = Field(foreign_key="staff.id")
    site_name: str = Field(max_length=120)
    service_zh: str = Field(max_length=120)
    service_en: str = Field(max_length=120)
    amount_fen: int = money(default=None)
    method: str = Field(max_length=10)
    received_at: datetime = utc_field(nullable=False)
    staff_name: str = Field(max_length=60)
