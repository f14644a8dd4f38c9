"""How sessions, enrolments and a meeting's register read on the activity screens.

Pure formatting: no database, no widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import language, t
from screens.desk.gig_format import TICK, hours_text, shift_text

if TYPE_CHECKING:
    from frontdesk.services.enrolment import EnrolmentRow
    from frontdesk.services.fairs import FairView
    from frontdesk.services.session_attendance import RosterRow
    from frontdesk.services.sessions import MeetingView, SessionRow

SESSION_COLUMNS = ("dates", "kind", "title", "status", "people", "visits")
MEETING_COLUMNS = ("date", "hours", "present", "counted")
ENROLMENT_COLUMNS = ("name", "phone", "status", "fee")
REGISTER_COLUMNS = ("present", "name", "phone", "hours")
FAIR_COLUMNS = ("employer", "posting", "positions", "referrals", "intentions")
KINDS = ("job_fair", "course", "class", "event")


def dates_text(s: SessionRow) -> str:
    if s.starts_on == s.ends_on:
        return s.starts_on.isoformat()
    return f"{s.starts_on.isoformat()}–{s.ends_on:%m-%d}"


def people_text(s: SessionRow) -> str:
    """Enrolled of capacity, and the waiting list when there is one."""
    if s.kind not in ("course", "class"):
        return ""
    cap = str(s.capacity) if s.capacity else "∞"
    text = f"{s.enrolled}/{cap}"
    return text + t("activity.waiting_n", n=s.waiting) if s.waiting else text


def session_cells(s: SessionRow) -> dict[str, str]:
    return {
        "dates": dates_text(s),
        "kind": t(f"activity.kind.{s.kind}"),
        "title": s.title,
        "status": t(f"activity.status.{s.status}"),
        "people": people_text(s),
        "visits": str(s.visits),
    }


def session_summary(s: SessionRow) -> str:
    """The highlighted session's line under the list: category, place, runner, fee."""
    category = s.category_zh if language() == "zh" else s.category_en
    fee = fmt_fen(s.fee_fen) if s.fee_fen else t("activity.free")
    parts = [category, s.place, s.runner, fee]
    return " · ".join(p for p in parts if p)


def meeting_cells(m: MeetingView) -> dict[str, str]:
    return {
        "date": f"{m.meeting_date.isoformat()} {t(f'weekday.{m.meeting_date.weekday()}')}",
        "hours": shift_text(m.starts_at, m.ends_at),
        "present": str(m.present),
        "counted": str(m.headcount),
    }


def enrolment_cells(e: EnrolmentRow) -> dict[str, str]:
    status = t(f"activity.enrolment.{e.status}")
    if e.waiting_place:
        status = f"{status} {e.waiting_place}"
    if e.completed:
        status = f"{status} · {t('activity.completed')}"
    if e.fee_due:
        status = f"{status} · {t('activity.fee_due')}"
    return {
        "name": e.name,
        "phone": e.phone,
        "status": status,
        "fee": fmt_fen(e.fee_fen) if e.fee_fen else "",
    }


def register_cells(r: RosterRow) -> dict[str, str]:
    name = r.name if r.enrolment_id else f"{r.name} {t('activity.walk_up')}"
    return {
        "present": TICK if r.present else "",
        "name": name,
        "phone": r.phone,
        "hours": hours_text(r.minutes) if r.present else "",
    }


def fair_rows(view: FairView) -> list[tuple[str, dict[str, str], str]]:
    """A fair's employers, each on a line of its own with the postings it brought under it;
    row keys "e:<employer>" and "p:<posting>" say what a key acts on."""
    rows: list[tuple[str, dict[str, str], str]] = []
    for e in view.employers:
        none = "" if e.postings else t("fair.no_postings")
        cells = {**dict.fromkeys(FAIR_COLUMNS, ""), "employer": e.name, "posting": none}
        rows.append((f"e:{e.employer_id}", cells, "bold"))
        for p in e.postings:
            cells = {
                "employer": "",
                "posting": p.title,
                "positions": str(p.positions),
                "referrals": str(p.referrals),
                "intentions": str(p.intentions),
            }
            rows.append((f"p:{p.posting_id}", cells, ""))
    return rows


def fair_totals(view: FairView) -> str:
    return t(
        "fair.totals",
        employers=len(view.employers),
        postings=view.postings,
        positions=view.positions,
        referrals=view.referrals,
        intentions=view.intentions,
    )
