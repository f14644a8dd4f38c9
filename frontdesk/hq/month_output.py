"""The monthly report laid out as plain text (a table that lines up Chinese names) and XLSX."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from rich.box import SIMPLE_HEAD
from rich.console import Console
from rich.table import Table

from frontdesk.domain.money import fmt_fen, yuan
from frontdesk.hq.monthly import MonthReport, SiteMonth
from frontdesk.i18n import t
from frontdesk.services.printout import Row, write_sheet

# (catalogue key, SiteMonth attribute, money?) in the order the columns appear.
COLUMNS = (
    ("hq.col_income", "income_fen", True),
    ("hq.col_partner_share", "partner_share_fen", True),
    ("hq.col_proceeds", "community_proceeds_fen", True),
    ("hq.col_rebate", "rebate_fen", True),
    ("hq.col_walkins", "walkins", False),
    ("hq.col_registered", "seekers_registered", False),
    ("hq.col_employed", "seekers_employed", False),
    ("hq.col_gig_workers", "gig_workers", False),
    ("hq.col_pieces", "pieces", False),
    ("hq.col_wages", "wages_fen", True),
    ("hq.col_over", "over_fen", True),
    ("hq.col_short", "short_fen", True),
    ("hq.col_closeouts", "closeouts", False),
)
# The employment services' figures: their own table in text, after the lines in XLSX.
JOB_COLUMNS = (
    ("hq.col_employers_served", "employers_served"),
    ("hq.col_postings_published", "postings_published"),
    ("hq.col_positions_offered", "positions_offered"),
    ("hq.col_referrals", "referrals"),
    ("hq.col_intentions_reached", "intentions_reached"),
    ("hq.col_people_placed", "people_placed"),
)
LINES = ("gig_market", "micro_factory", "housekeeping", "wellness", "skills", "classes")


def _cells(row: SiteMonth) -> list[str]:
    out = []
    for _, attr, is_money in COLUMNS:
        value = getattr(row, attr)
        out.append(fmt_fen(value) if is_money else str(value))
    return out


def month_text(report: MonthReport, width: int = 200) -> str:
    table = Table(title=t("hq.month_title", month=report.month), box=SIMPLE_HEAD)
    table.add_column(t("hq.col_site"), no_wrap=True)
    for key, _, _ in COLUMNS:
        table.add_column(t(key), justify="right", no_wrap=True)
    for row in report.sites:
        table.add_row(f"{row.site} {row.name}", *_cells(row))
    table.add_row(t("hq.total"), *_cells(report.total), style="bold")
    lines = Table(title=t("hq.walkins_by_line"), box=SIMPLE_HEAD)
    lines.add_column(t("hq.col_site"), no_wrap=True)
    for line in LINES:
        lines.add_column(t(f"line.{line}"), justify="right", no_wrap=True)
    for row in [*report.sites, report.total]:
        label = f"{row.site} {row.name}" if row.site else t("hq.total")
        lines.add_row(label, *(str(row.walkins_by_line.get(x, 0)) for x in LINES))
    jobs = Table(title=t("hq.employment_services"), box=SIMPLE_HEAD)
    jobs.add_column(t("hq.col_site"), no_wrap=True)
    for key, _ in JOB_COLUMNS:
        jobs.add_column(t(key), justify="right", no_wrap=True)
    for row in [*report.sites, report.total]:
        label = f"{row.site} {row.name}" if row.site else t("hq.total")
        jobs.add_row(label, *(str(getattr(row, attr)) for _, attr in JOB_COLUMNS))
    out = StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    console.print(table)
    console.print(lines)
    console.print(jobs)
    console.print(t("hq.month_note"))
    return out.getvalue()


def month_rows(report: MonthReport) -> list[Row]:
    header: Row = [t("hq.col_site"), t("hq.col_name")]
    header += [t(key) for key, _, _ in COLUMNS]
    header += [t(f"line.{line}") for line in LINES]
    header += [t(key) for key, _ in JOB_COLUMNS]
    rows: list[Row] = [[t("hq.month_title", month=report.month)], header]
    for row in [*report.sites, report.total]:
        values: Row = [row.site or t("hq.total"), row.name]
        for _, attr, is_money in COLUMNS:
            value = getattr(row, attr)
            values.append(yuan(value) if is_money else value)
        values += [row.walkins_by_line.get(line, 0) for line in LINES]
        values += [getattr(row, attr) for _, attr in JOB_COLUMNS]
        rows.append(values)
    return rows


def write_month_xlsx(report: MonthReport, path: Path) -> None:
    widths = [10, 16] + [12] * (len(COLUMNS) + len(LINES) + len(JOB_COLUMNS))
    write_sheet(month_rows(report), path, report.month, widths)
