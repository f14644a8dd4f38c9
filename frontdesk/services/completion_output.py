"""A course's completion list (结业名单) to print (text) and to export (XLSX), masked."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from frontdesk.i18n import t
from frontdesk.services.printout import Row, write_sheet, write_text
from frontdesk.services.session_attendance import CompletionList


def completion_rows(found: CompletionList) -> list[Row]:
    hours = t("activity.hours", hours=_hours(found.threshold_min))
    rows: list[Row] = [
        [t("activity.completion_title", title=found.title)],
        [t("activity.completion_threshold"), hours],
        [t("activity.col_name"), t("activity.col_phone"), t("activity.col_hours"), ""],
    ]
    for r in found.rows:
        done = t("activity.completed") if r.completed else ""
        rows.append([r.name, r.phone, _hours(r.attended_min), done])
    rows.append([t("activity.completed_count", n=found.completed, of=len(found.rows))])
    return rows


def completion_text(found: CompletionList) -> str:
    """The list as lines of text (the printout), its columns lined up (CJK counts two)."""
    rows = completion_rows(found)
    table = [row for row in rows if len(row) == 4]
    widths = [max(cell_len(str(row[i])) for row in table) for i in range(4)]
    lines = []
    for row in rows:
        if len(row) == 4:
            cells = [
                str(c) + " " * (w - cell_len(str(c))) for c, w in zip(row, widths, strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
        else:
            lines.append("  ".join(str(c) for c in row))
    if not found.final:
        lines.insert(1, t("activity.completion_preview"))
    return "\n".join(lines) + "\n"


def write_completion(found: CompletionList, path: Path) -> None:
    """`.xlsx` for a sheet, any other name for the text; never overwriting."""
    if Path(path).suffix.lower() == ".xlsx":
        write_sheet(completion_rows(found), path, t("activity.completion_sheet"), [14, 14, 10, 8])
    else:
        write_text(completion_text(found), path)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0") if minutes % 30 == 0 else f"{minutes / 60:.2f}"
