"""All tables. Importing this package registers every table on SQLModel.metadata."""

from db.models.activities import (
    ActivitySession,
    Attendance,
    Enrolment,
    Resident,
    SessionMeeting,
)
from db.models.base import SyncedRow, synced_tables
from db.models.fairs import FairEmployer, FairPosting
from db.models.gigs import Employer, GigAssignment, GigOrder
from db.models.jobs import JobPosting, Referral, ReferralEvent
from db.models.money import (
    Adjustment,
    BusinessDay,
    Closeout,
    Payment,
    WalkIn,
    WalkInAttendee,
)
from db.models.people import Person, PersonJob, PersonKey
from db.models.receipts import Receipt
from db.models.reference import Partner, PartnerAgreement, Service, Site, Staff
from db.models.sync import (
    CentralChange,
    CentralInfo,
    DistrictKeySlot,
    HqStaff,
    SyncQuarantine,
    SyncReject,
    SyncSite,
)
from db.models.system import (
    AuditLog,
    DeskInfo,
    KeySlot,
    Outbox,
    StaffPin,
    SyncState,
    UsedPinReset,
)

__all__ = [
    "ActivitySession",
    "Adjustment",
    "Attendance",
    "AuditLog",
    "BusinessDay",
    "CentralChange",
    "CentralInfo",
    "Closeout",
    "DeskInfo",
    "DistrictKeySlot",
    "Employer",
    "Enrolment",
    "FairEmployer",
    "FairPosting",
    "GigAssignment",
    "GigOrder",
    "HqStaff",
    "JobPosting",
    "KeySlot",
    "Outbox",
    "Partner",
    "PartnerAgreement",
    "Payment",
    "Person",
    "PersonJob",
    "PersonKey",
    "Receipt",
    "Referral",
    "ReferralEvent",
    "Resident",
    "Service",
    "SessionMeeting",
    "Site",
    "Staff",
    "StaffPin",
    "SyncQuarantine",
    "SyncReject",
    "SyncSite",
    "SyncState",
    "SyncedRow",
    "UsedPinReset",
    "WalkIn",
    "WalkInAttendee",
    "synced_tables",
]
