"""All tables. Importing this package registers every table on SQLModel.metadata."""

from db.models.base import SyncedRow, synced_tables
from db.models.gigs import Employer, GigAssignment, GigOrder
from db.models.money import (
    Adjustment,
    BusinessDay,
    Closeout,
    Payment,
    WalkIn,
    WalkInAttendee,
)
from db.models.people import Person, PersonJob, PersonKey
from db.models.reference import Partner, PartnerAgreement, Service, Site, Staff
from db.models.sync import CentralChange, CentralInfo, SyncQuarantine, SyncReject, SyncSite
from db.models.system import AuditLog, DeskInfo, Outbox, PinGuard, SyncState

__all__ = [
    "Adjustment",
    "AuditLog",
    "BusinessDay",
    "CentralChange",
    "CentralInfo",
    "Closeout",
    "DeskInfo",
    "Employer",
    "GigAssignment",
    "GigOrder",
    "Outbox",
    "Partner",
    "PartnerAgreement",
    "Payment",
    "Person",
    "PersonJob",
    "PersonKey",
    "PinGuard",
    "Service",
    "Site",
    "Staff",
    "SyncQuarantine",
    "SyncReject",
    "SyncSite",
    "SyncState",
    "SyncedRow",
    "WalkIn",
    "WalkInAttendee",
    "synced_tables",
]
