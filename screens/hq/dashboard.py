"""Head office's dashboard: one row per community, and a 30-day trend of daily income.

Rows needing a look (days not closed out, close-outs whose entries have not all arrived,
close-outs that break the hash chain or whose figures are not what their entries give, no
sync for more than a day) are drawn in red and the line under the table says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import Worker

from frontdesk.domain.money import fmt_fen
from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.tables import (
    CHROME,
    RowTable,
    fill_table,
    highlighted_key,
)
from screens.common.tables import columns_that_fit as fitting_columns
from screens.common.widgets import KeyBar
from screens.hq.common import (
    ATTENTION,
    HqScreen,
    HqStatusBar,
    TrendChart,
    attention,
    chart_sites,
    stale,
    sync_label,
    trend_start,
)

if TYPE_CHECKING:
    from frontdesk.hq.figures import SiteFigures
    from frontdesk.sync.verify import Verifier

# What one read gives: the figures, the daily income series, when and for which day.
Read = tuple[list["SiteFigures"], dict[str, dict[date, int]], datetime, date, dict[str, int]]

# Display order. On a narrow terminal the GIVE_WAY columns go (in that order); the community
# column is the one that shrinks if the rest still does not fit.
COLUMNS = (
    "site",
    "sync",
    "today",
    "month",
    "walkins",
    "walkins_month",
    "registered",
    "gig_workers",
    "pieces",
    "wages",
    "unclosed",
    "unverified",
)
GIVE_WAY = ("wages", "pieces", "gig_workers", "registered", "walkins_month", "walkins")
RIGHT = frozenset(COLUMNS) - {"site", "sync"}


def site_cells(f: SiteFigures, now: datetime) -> dict[str, str]:
    return {
        "site": f"{f.site} {f.name}",
        "sync": sync_label(f.last_sync, now),
        "today": fmt_fen(f.today_fen),
        "month": fmt_fen(f.month_fen),
        "walkins": str(f.walkins_today),
        "walkins_month": str(f.walkins_month),
        "registered": str(f.registered_month),
        "gig_workers": str(f.gig_workers_month),
        "pieces": str(f.pieces_month),
        "wages": fmt_fen(f.wages_month_fen),
        "unclosed": str(f.unclosed_days) if f.unclosed_days else "",
        "unverified": str(f.unverified) if f.unverified else "",
    }


def columns_that_fit(
    headers: dict[str, str], rows: Sequence[dict[str, str]], room: int
) -> list[str]:
    """The columns to show at this width: optional ones give way, last first."""
    return fitting_columns({k: headers[k] for k in COLUMNS}, rows, room, GIVE_WAY)


def needs_look(f: SiteFigures, now: datetime) -> bool:
    return bool(f.unclosed_days or f.unverified or stale(f, now))


class DashboardScreen(HqScreen[None]):
    AUTO_FOCUS = "#sites"
    # Desks sync every few minutes: the figures are read again this often while the
    # dashboard is on screen (F5 at once). Tests set it smaller.
    REFRESH_S = 60.0
    BINDINGS = [
        Binding("enter", "open", "open", id="open", priority=True),
        Binding("f2", "reference", "hq_reference", id="hq_reference"),
        Binding("f3", "month_report", "hq_month_report", id="hq_month_report"),
        Binding("f4", "people", "hq_people", id="hq_people"),
        Binding("f5", "refresh", "refresh", id="refresh"),
        Binding("ctrl+r", "refresh", "refresh", id="refresh", show=False),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dash { padding: 0 1; }
    DashboardScreen .hq-title { text-style: bold; color: $accent; height: 1; }
    DashboardScreen #sites { height: auto; max-height: 50%; }
    DashboardScreen #site-note { height: 1; }
    DashboardScreen #dash-headline { height: 2; }
    DashboardScreen #chart-title { height: 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[SiteFigures] = []
        self.series: dict[str, dict[date, int]] = {}
        self.loaded_at: datetime | None = None
        self.loaded_for: date | None = None
        self.reading = False  # a load is running
        self.verifier: Verifier | None = None  # made by the first load

    def compose(self) -> ComposeResult:
        yield HqStatusBar(id="status")
        with Vertical(id="dash"):
            title = t("hqui.dash_title", date=self.host.day_label())
            yield Static(title, id="dash-title", classes="hq-title")
            yield Static("", id="dash-headline", classes="note")
            yield RowTable(id="sites")
            yield Static(t("hqui.loading"), id="site-note", classes="note")
            yield Static(t("hqui.chart_title", days=30), id="chart-title")
            yield TrendChart(id="trend")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(self.REFRESH_S, self._refresh_shown, name="hq-dashboard-refresh")

    def _refresh_shown(self) -> None:
        """Quietly, only when on screen (a form or report on top is left alone) and never
        over a read still running: on a slow link that one would be cancelled each time."""
        if self.is_current and not self.reading:
            self.load()

    def on_resize(self, _event: events.Resize) -> None:
        if self.loaded_at is not None:
            self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.open"), t("hqui.palette_open"), self.action_open)
        yield SystemCommand(
            t("key.hq_reference"), t("hqui.palette_reference"), self.action_reference
        )
        yield SystemCommand(
            t("key.hq_month_report"), t("hqui.palette_month_report"), self.action_month_report
        )
        yield SystemCommand(t("key.hq_people"), t("hqui.palette_people"), self.action_people)
        yield SystemCommand(t("key.refresh"), t("hqui.palette_refresh"), self.action_refresh)

    # --- loading ------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.query_one("#site-note", Static).update(t("hqui.loading"))
        self.load(fresh=True)

    def load(self, fresh: bool = False) -> None:
        """Read the figures; `fresh` verifies every close-out again (F5), else the timer's
        reads reuse the last verification while it holds (frontdesk.sync.verify.Verifier)."""
        self.reading = True
        self._read(fresh)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Only once the worker has ended: its result reaches the screen before it returns,
        # and a new read started in between would cancel it (exclusive).
        if event.worker.group == "hq-dashboard" and event.worker.is_finished:
            self.reading = False

    def _read(self, fresh: bool) -> None:
        self.run_service(
            lambda: self._figures(fresh),
            lambda read: self._show(*read),
            group="hq-dashboard",
            refused=lambda exc: self._failed(describe(exc)),
        )

    def _figures(self, fresh: bool) -> Read:
        from frontdesk.hq.activity_figures import district_totals
        from frontdesk.hq.figures import daily_income, next_month, overview
        from frontdesk.hq.job_figures import district_job_totals
        from frontdesk.sync.verify import Verifier

        host = self.host
        today, now = host.today(), host.now()
        central = host.ensure_central()
        if self.verifier is None:
            self.verifier = Verifier()
        figures = overview(central, today, self.verifier(central, now, fresh))
        series = daily_income(central, trend_start(today), today + timedelta(days=1))
        start = today.replace(day=1)
        end = next_month(today)
        headline = {
            **district_totals(central, start, end),
            **district_job_totals(central, start, end),
        }
        return figures, series, now, today, headline

    def _failed(self, message: str) -> None:
        note = self.query_one("#site-note", Static)
        note.update(t("hqui.store_failed", reason=message))
        note.add_class("error")

    def _show(
        self,
        figures: list[SiteFigures],
        series: dict[str, dict[date, int]],
        now: datetime,
        today: date,
        headline: dict[str, int] | None = None,
    ) -> None:
        self.figures, self.series = figures, series
        if headline is not None:  # the month's headline figures, all communities
            lines = (t("hqui.dash_headline", **headline), t("hqui.dash_jobs", **headline))
            self.query_one("#dash-headline", Static).update("\n".join(lines))
        self.loaded_at, self.loaded_for = now, today
        self.query_one("#site-note", Static).remove_class("error")
        self.query_one(HqStatusBar).show_loaded(now)
        total = sum(f.month_fen for f in figures)
        flagged = sum(needs_look(f, now) for f in figures)
        title = t("hqui.dash_title", date=self.host.day_label())
        summary = t("hqui.dash_summary", sites=len(figures), month=fmt_fen(total), flagged=flagged)
        self.query_one("#dash-title", Static).update(f"{title} · {summary}")
        with self.app.batch_update():
            self._fill()
        self._describe_highlighted()

    def _fill(self) -> None:
        now = self.loaded_at
        if now is None:
            return
        headers = {key: t(f"hqui.col_{key}") for key in COLUMNS}
        cells = [site_cells(f, now) for f in self.figures]
        room = self.size.width - CHROME
        shown = columns_that_fit(headers, cells, room)
        rows = [
            (f.site, {k: c[k] for k in shown}, ATTENTION if needs_look(f, now) else "")
            for f, c in zip(self.figures, cells, strict=True)
        ]
        table = self.query_one("#sites", DataTable)
        fill_table(table, {k: headers[k] for k in shown}, rows, room, ("site",), RIGHT)

    # --- the highlighted community ------------------------------------------------------------
    def highlighted(self) -> SiteFigures | None:
        code = highlighted_key(self.query_one("#sites", DataTable))
        return next((f for f in self.figures if f.site == code), None)

    @on(DataTable.RowHighlighted, "#sites")
    def _describe_highlighted(self) -> None:
        if self.loaded_at is None or self.loaded_for is None:
            return
        f = self.highlighted()
        note = self.query_one("#site-note", Static)
        if f is None:
            note.update(t("hqui.no_sites"))
        else:
            note.update(site_note(f, self.loaded_at))
        chart = self.query_one(TrendChart)
        chart.show(self.series, chart_sites(self.figures, f.site if f else None), self.loaded_for)

    # --- keys ---------------------------------------------------------------------------------
    def action_open(self) -> None:
        f = self.highlighted()
        if f is None:
            return
        from screens.hq.site import SiteScreen

        self.app.push_screen(SiteScreen(f.site, f.name))

    def action_reference(self) -> None:
        from screens.hq.reference import ReferenceScreen

        self.app.push_screen(ReferenceScreen(), callback=lambda _: self.load())

    def action_month_report(self) -> None:
        from screens.hq.month import MonthReportScreen

        self.app.push_screen(MonthReportScreen())

    def action_people(self) -> None:
        from screens.hq.people import PeopleScreen

        self.app.push_screen(PeopleScreen())


def site_note(f: SiteFigures, now: datetime) -> str:
    """The highlighted community in one line: why it needs a look first, then what the table
    may not have room for."""
    parts = [f"{f.site} {f.name}"]
    reasons = attention(f, now)
    if reasons:
        parts.append(t("hqui.attention", reasons=" / ".join(reasons)))
    parts += [
        t("hqui.note_today_month")
        + " "
        + t("hqui.note_walkins", today=f.walkins_today, month=f.walkins_month),
        t("hqui.note_registered", today=f.registered_today, month=f.registered_month),
        t(
            "hqui.note_gigs",
            workers_today=f.gig_workers_today,
            workers=f.gig_workers_month,
            pieces_today=f.pieces_today,
            pieces=f.pieces_month,
        ),
        t(
            "hqui.note_jobs",
            referrals=f.referrals_month,
            intentions=f.intentions_month,
            placed=f.placed_month,
        ),
    ]
    return " · ".join(parts)
