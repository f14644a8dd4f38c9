"""Rules of group activities (issue 18): pure, no database.

A session's fields as typed, its meetings' times, the waiting list's order, a head count,
and completion (结业) by attended minutes against the course's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from db.vocabulary import SESSION_KINDS
from frontdesk.domain.forms import Collector, nfkc
from frontdesk.domain.gig_rules import clean_text, clean_time
from frontdesk.domain.money import clean_method, parse_yuan
from frontdesk.errors import UserError

MAX_CAPACITY = 5000
MAX_HEADCOUNT = 100_000
MAX_COMPLETION_HOURS = 1000
MAX_FORM_DAYS = 60  # meetings a schedule plans at once
# Days of the week as typed in a schedule: 1-7 from Monday, or 一 … 日 (天); to weekday().
WEEKDAYS = {
    **{str(n): n - 1 for n in range(1, 8)},
    **dict(zip("一二三四五六日", range(7), strict=True)),
    "天": 6,
}
WEEKDAY_NOISE = frozenset(" ,，、/;；周星期礼拜")  # typed between the days, meaning nothing
# The catalogue line a session's category must come from, by kind.
KIND_LINES = {"job_fair": "gig_market", "course": "skills", "class": "classes", "event": "classes"}
# Catalogue services that were group activities logged as walk-ins: sessions now (the quick
# log no longer offers them; revision 0016 moved their walk-ins). Any other service of the
# classes line is a class.
GROUP_SERVICES = {"LG06": "job_fair", "GY02": "event", "GY04": "event"}
ENROLLING_KINDS = ("course", "class")  # fairs and events count walk-ups, no enrolment
OPEN_STATUSES = ("planned", "running")  # enrolment and attendance are taken only then
# Status moves: planned → running → done; planned or running → cancelled.
STATUS_NEXT: dict[str, tuple[str, ...]] = {
    "planned": ("running", "cancelled"),
    "running": ("done", "cancelled"),
    "done": (),
    "cancelled": (),
}


@dataclass
class MeetingInput:
    meeting_date: date | str = ""
    starts_at: time | str = ""
    ends_at: time | str = ""


@dataclass
class ScheduleInput:
    """How the form plans the meetings: the same hours on every day of the week named (every
    day when none is), from the first day to the last, or for a number of meetings."""

    starts_at: time | str = ""
    ends_at: time | str = ""
    weekdays: str = ""  # "135" or "一三五": Mondays, Wednesdays and Fridays; blank: every day
    count: str | int = ""  # N meetings from the first day (the last day follows); blank: to it


@dataclass
class SessionInput:
    """A session as typed on its form."""

    kind: str = ""
    title: str = ""
    service_id: object = None
    starts_on: date | str = ""
    ends_on: date | str = ""
    place: str = ""
    runner: str = ""
    capacity: str | int = ""  # blank: no limit
    fee: str = ""  # yuan per person; blank or 0 is free
    completion_hours: str = ""  # a course's hours attended to complete
    notes: str = ""
    meetings: list[MeetingInput] = field(default_factory=list)
    schedule: ScheduleInput | None = None  # more meetings, planned by a pattern


@dataclass(frozen=True)
class CleanMeeting:
    meeting_date: date
    starts_at: time
    ends_at: time

    @property
    def minutes(self) -> int:
        return meeting_minutes(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class CleanSession:
    kind: str
    title: str
    starts_on: date
    ends_on: date
    place: str
    runner: str
    capacity: int | None
    fee_fen: int
    completion_min: int
    notes: str
    meetings: list[CleanMeeting]


def validate_session(raw: SessionInput, ceiling_fen: int) -> CleanSession:
    """Every field checked; all problems raised at once (FormErrors), each at its field."""
    form = Collector()
    check = form.check
    kind = check(clean_kind, raw.kind)
    start = check(clean_date, raw.starts_on, "starts_on")
    plan = raw.schedule
    weekdays = check(clean_weekdays, plan.weekdays) if plan else None
    count = check(clean_count, plan.count) if plan else None
    end = None if count else check(clean_date, raw.ends_on or raw.starts_on, "ends_on")
    if start is not None and end is not None and end < start:
        form.add("activity.dates_order", "ends_on")
    wanted = list(raw.meetings)
    if plan is not None and start is not None and weekdays is not None:
        # Dates out of order (said at their field): the first day alone, so that the
        # hours are still checked.
        in_order = end is None or end >= start
        planned = scheduled(plan, start, end if in_order else start, weekdays, count)
        if not in_order:
            planned = planned[:1] or [MeetingInput(start, plan.starts_at, plan.ends_at)]
        elif not planned:
            form.add("activity.no_meeting_days", "weekdays")
        elif count is None and len(planned) > MAX_FORM_DAYS:
            form.add("activity.too_many_meetings", "ends_on", limit=MAX_FORM_DAYS)
        end = planned[-1].meeting_date if count and planned else end
        wanted += planned
    meetings = [check(clean_meeting, m, i) for i, m in enumerate(wanted)]
    for i, m in enumerate(meetings):
        if m is not None and start and end and start <= end and not start <= m.meeting_date <= end:
            form.add("activity.meeting_outside", f"meeting_{i}", start=start, end=end)
    values = {
        "title": check(clean_text, raw.title, 80, "title", True),
        "place": check(clean_text, raw.place, 120, "place", False),
        "runner": check(clean_text, raw.runner, 80, "runner", False),
        "capacity": check(clean_capacity, raw.capacity),
        "fee_fen": check(parse_yuan, nfkc(raw.fee), "fee", ceiling_fen),
        "completion_min": check(clean_completion, raw.completion_hours, kind),
        "notes": check(clean_text, raw.notes, 500, "notes", False),
    }
    form.raise_any()
    assert kind is not None and start is not None and end is not None
    values["fee_fen"] = values["fee_fen"] or 0
    return CleanSession(
        kind=kind,
        starts_on=start,
        ends_on=end,
        meetings=[m for m in meetings if m is not None],
        **values,
    )


def clean_kind(raw: object) -> str:
    kind = nfkc(raw)
    if kind not in SESSION_KINDS:
        raise UserError("activity.kind", field="kind")
    return kind


def clean_date(raw: date | str, name: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(nfkc(raw))
    except ValueError:
        raise UserError("gig.date_format", field=name) from None


def clean_capacity(raw: object) -> int | None:
    text = nfkc(raw)
    if not text:
        return None
    if not text.lstrip("-").isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
        raise UserError("activity.capacity", field="capacity", limit=MAX_CAPACITY)
    return int(text)


def clean_completion(raw: object, kind: str | None) -> int:
    """Hours (halves allowed) to minutes; only a course has a completion threshold."""
    text = nfkc(raw)
    if not text or kind != "course":
        return 0
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise UserError("activity.completion", field="completion_hours") from None
    minutes = hours * 60
    if not 0 < hours <= MAX_COMPLETION_HOURS or minutes != minutes.to_integral_value():
        raise UserError("activity.completion", field="completion_hours")
    return int(minutes)


def clean_meeting(raw: MeetingInput, index: int) -> CleanMeeting:
    name = f"meeting_{index}"
    day = clean_date(raw.meeting_date, name)
    start = clean_time(raw.starts_at, name)
    end = clean_time(raw.ends_at, name)
    if end <= start:
        raise UserError("activity.meeting_times", field=name)
    return CleanMeeting(day, start, end)


def meeting_minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def clean_headcount(raw: object) -> int:
    """People counted without names at a meeting: zero or more."""
    text = nfkc(raw) or "0"
    if not text.lstrip("-").isdigit() or int(text) < 0:
        raise UserError("activity.headcount", field="headcount")
    if int(text) > MAX_HEADCOUNT:
        raise UserError("activity.headcount_large", field="headcount", limit=MAX_HEADCOUNT)
    return int(text)


def clean_fee_method(fee_fen: int, raw: object) -> str:
    """How a fee was paid: required when there is a fee, none for a free session."""
    method = clean_method(nfkc(raw), "method")
    if fee_fen and not method:
        raise UserError("walkin.method_required", field="method")
    return method if fee_fen else ""


def group_kind(code: str, line: str) -> str | None:
    """The session kind a catalogue service's group activity is, or None (one-to-one)."""
    return GROUP_SERVICES.get(code) or ("class" if line == "classes" else None)


def category_fits(kind: str, code: str, line: str) -> bool:
    """A session's category is a catalogue service of its kind: a course of the skills line,
    a class or event of the classes line, a job fair the job-fair service."""
    if kind == "job_fair":
        return group_kind(code, line) == "job_fair"
    return KIND_LINES.get(kind) == line


def clean_weekdays(raw: object) -> frozenset[int]:
    """Days of the week as `date.weekday()` numbers; blank is every day of the week."""
    text = nfkc(raw)
    days = {WEEKDAYS.get(ch, -1) for ch in text if ch not in WEEKDAY_NOISE}
    if -1 in days:
        raise UserError("activity.weekdays", field="weekdays")
    return frozenset(days or range(7))


def clean_count(raw: object) -> int | None:
    """How many meetings to plan; blank: as many as the dates hold."""
    text = nfkc(raw)
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_FORM_DAYS:
        raise UserError("activity.meeting_count", field="meeting_count", limit=MAX_FORM_DAYS)
    return int(text)


def scheduled(
    plan: ScheduleInput, first: date, last: date | None, weekdays: frozenset[int], count: int | None
) -> list[MeetingInput]:
    """The meetings on the days named, from `first` to `last`, or the first `count` of them
    (then `last` is not looked at). One past the limit at most: the caller refuses that."""
    found: list[MeetingInput] = []
    day, cap = first, count or MAX_FORM_DAYS + 1
    while len(found) < cap and (count is not None or (last is not None and day <= last)):
        if day.weekday() in weekdays:
            found.append(MeetingInput(day, plan.starts_at, plan.ends_at))
        day += timedelta(days=1)
    return found


def check_transition(current: str, new: str) -> None:
    from frontdesk.i18n import t

    if new not in STATUS_NEXT.get(current, ()):
        now, to = t(f"activity.status.{current}"), t(f"activity.status.{new}")
        raise UserError("activity.transition", field="status", now=now, to=to)


def completed(attended_min: int, threshold_min: int) -> bool:
    """A course is completed by attending at least its threshold (all of it when none is set)."""
    return threshold_min > 0 and attended_min >= threshold_min
