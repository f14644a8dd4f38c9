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
# The district's headline figures (README, "Headline figures"), in their own table.
HEADLINE = (
    ("hq.col_job_fairs", "job_fairs", False),
    ("hq.col_trainings", "trainings", False),
    ("hq.col_trainees_completed", "trainees_completed", False),
    ("hq.col_postings_published", "postings_published", False),
    ("hq.col_positions_offered", "positions_offered", False),
    ("hq.col_intentions_reached", "intentions_reached", False),
    ("hq.col_people_placed", "people_placed", False),
    ("hq.col_gig_workers", "gig_workers", False),
    ("hq.col_classes_events", "classes_events", False),
    ("hq.col_visits", "visits", False),
    ("hq.col_income", "income_fen", True),
    ("hq.col_proceeds", "community_proceeds_fen", True),
    ("hq.col_rebate", "rebate_fen", True),
)
# The employment services' figures: their own table in text, after the lines in XLSX.
JOB_COLUMNS = (
    ("hq.col_employers_served", "employers_served"),
    ("hq.col_postings_published", "postings_published"),
    ("hq.col_positions_offered", "positions_offered"),
    ("hq.col_referrals", "referrals"),
    ("hq.col_intentions_reached", "intentions_reached"),
    ("hq.col_people_placed", "people_placed"),
    ("hq.col_fair_referrals", "fair_referrals"),
    ("hq.col_fair_intentions", "fair_intentions"),
)
# Headline figures neither the main nor the employment columns hold: the sheet's last.
EXTRA = tuple(
    a for _, a, _ in HEADLINE if a not in {c[1] for c in COLUMNS} | {c[1] for c in JOB_COLUMNS}
)
LINES = ("gig_market", "micro_factory", "housekeeping", "wellness", "skills", "classes")


def _cells(row: SiteMonth, columns: tuple = COLUMNS) -> list[str]:
    out = []
    for _, attr, is_money in columns:
        value = getattr(row, attr)
        out.append(fmt_fen(value) if is_money else str(value))
    return out


def month_text(report: MonthReport, width: int = 200) -> str:
    table = Table(title=_title(report), box=SIMPLE_HEAD)
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
    headline = Table(title=t("hq.headline_title"), box=SIMPLE_HEAD)
    headline.add_column(t("hq.col_site"), no_wrap=True)
    for key, _, _ in HEADLINE:
        headline.add_column(t(key), justify="right", no_wrap=True)
    for row in [*report.sites, report.total]:
        label = f"{row.site} {row.name}" if row.site else t("hq.total")
        headline.add_row(label, *_cells(row, HEADLINE))
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
    console.print(headline)
    console.print(jobs)
    console.print(t("hq.month_note"))
    return out.getvalue()


def _title(report: MonthReport) -> str:
    if report.month:
        return t("hq.month_title", month=report.month)
    return t("hq.period_title", first=report.start, last=report.last)


def month_rows(report: MonthReport) -> list[Row]:
    header: Row = [t("hq.col_site"), t("hq.col_name")]
    header += [t(key) for key, _, _ in COLUMNS]
    header += [t(f"line.{line}") for line in LINES]
    header += [t(key) for key, attr, _ in HEADLINE if attr in EXTRA]
    header += [t(key) for key, _ in JOB_COLUMNS]
    rows: list[Row] = [[_title(report)], header]
    for row in [*report.sites, report.total]:
        values: Row = [row.site or t("hq.total"), row.name]
        for _, attr, is_money in COLUMNS:
            value = getattr(row, attr)
            values.append(yuan(value) if is_money else value)
        values += [row.walkins_by_line.get(line, 0) for line in LINES]
        values += [getattr(row, attr) for _, attr, _ in HEADLINE if attr in EXTRA]
        values += [getattr(row, attr) for _, attr in JOB_COLUMNS]
        rows.append(values)
    return rows


def write_month_xlsx(report: MonthReport, path: Path) -> None:
    widths = [10, 16] + [12] * (len(COLUMNS) + len(LINES) + len(EXTRA) + len(JOB_COLUMNS))
    write_sheet(month_rows(report), path, report.month or "report", widths)
