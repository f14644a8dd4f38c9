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
    if line.reversal:
        return t("daylog.reversal", reason=line.reason)
    return t("daylog.voided") if line.voided else ""


def entry_cells(line: LogLine) -> dict[str, str]:
    """One log line as the plain text of each column."""
    return {
        "time": local_time(line.started_at).strftime("%H:%M"),
        "service": service_name(line.service_zh, line.service_en),
        "visitor": visitor_label(line.visitor),
        "people": str(line.headcount),
        "amount": fmt_fen(line.amount_fen) if line.amount_fen else "",
        "method": t(f"method.{line.method}") if line.method else "",
        "state": state_label(line),
    }


def entry_summary(line: LogLine) -> str:
    """The whole entry on one line, untruncated: under the table and in the void dialog."""
    cells = entry_cells(line)
    parts = [f"{cells['time']} {cells['service']}", cells["visitor"], cells["people"]]
    if cells["amount"]:
        parts.append(f"{cells['amount']} {cells['method']}")
    if cells["state"]:
        parts.append(cells["state"])
    return " · ".join(parts)
