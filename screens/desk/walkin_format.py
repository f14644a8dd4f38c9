"""Walk-in log lines as the desk shows them: the log, the void dialog and the follow-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import language, t

if TYPE_CHECKING:
    from frontdesk.services.walkins import LogLine


def service_name(zh: str, en: str) -> str:
    return zh if language() == "zh" else en


def visitor_label(masked: str) -> str:
    return masked or t("quick.anonymous")


def state_label(line: LogLine) -> str:
    """What the entry is, where that is not a plain visit of the day (joined with " · ")."""
    day = line.for_day.isoformat() if line.for_day else ""
    if line.kind == "adjustment":
        return t("daylog.adjustment", date=day, reason=line.reason)
    if line.kind == "carried":
        return t("daylog.carried", date=day)
    if line.kind == "other":
        return t("daylog.other")
    parts = []
    if line.reversal:
        parts.append(t("daylog.reversal", reason=line.reason))
    elif line.voided:
        parts.append(t("daylog.voided"))
    if line.booked_on is not None:
        parts.append(t("daylog.booked_on", date=line.booked_on.isoformat()))
    elif line.after_close:
        parts.append(t("daylog.after_close"))
    return " · ".join(parts)


def entry_cells(line: LogLine) -> dict[str, str]:
    """One log line as the plain text of each column."""
    return {
        "time": local_time(line.started_at).strftime("%H:%M"),
        "service": service_name(line.service_zh, line.service_en),
        "visitor": visitor_label(line.visitor) if line.is_visit else "",
        "people": str(line.headcount) if line.is_visit else "",
        "amount": fmt_fen(line.amount_fen) if line.amount_fen else "",
        "method": t(f"method.{line.method}") if line.method else "",
        "state": state_label(line),
    }


def entry_summary(line: LogLine) -> str:
    """The whole entry on one line, untruncated: under the table and in the void dialog."""
    cells = entry_cells(line)
    parts = [f"{cells['time']} {cells['service']}"]
    parts += [cells[key] for key in ("visitor", "people") if cells[key]]
    if cells["amount"]:
        parts.append(f"{cells['amount']} {cells['method']}")
    if cells["state"]:
        parts.append(cells["state"])
    return " · ".join(parts)
