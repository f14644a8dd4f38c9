"""The closed lists the tables' CHECK constraints hold values to, in one place.

Plain tuples with no imports, so the domain rules and the screens can name them without
loading the database layer.
"""

PAYMENT_METHODS = ("cash", "wechat", "alipay", "unionpay", "ecny")
CHANNELS = ("in_person", "phone")
ROLES = ("clerk", "manager", "hq")
# Head office's own accounts, weakest first: each may do what the ones before it may.
HQ_ROLES = ("viewer", "editor", "keyholder")
SERVICE_LINES = (
    "gig_market",
    "micro_factory",
    "housekeeping",
    "wellness",
    "skills",
    "classes",
)
REBATE_BASES = ("community_share", "gross")
PERSON_STATUSES = ("active", "employed", "cancelled")
ORDER_STATUSES = ("open", "filled", "in_progress", "done", "cancelled")
PAY_MODES = ("piece", "hour", "day")
ASSIGNMENT_STATUSES = (
    "assigned",
    "checked_in",
    "checked_out",
    "paying",
    "settled",
    "cancelled",
    "no_show",
)
SESSION_KINDS = ("job_fair", "course", "class", "event")
SESSION_STATUSES = ("planned", "running", "done", "cancelled")
ENROLMENT_STATUSES = ("enrolled", "waiting", "withdrawn")
# Employment services (零工市场): employers, job postings and referrals.
EMPLOYER_KINDS = ("company", "individual_business", "individual")
PAY_UNITS = ("hour", "day", "month", "piece")
POSTING_SOURCES = ("desk", "phone", "fair")
POSTING_STATUSES = ("open", "filled", "withdrawn")  # "expired" is worked out from the dates
REFERRAL_OUTCOMES = ("referred", "interviewed", "intention", "placed", "not_hired", "withdrew")
