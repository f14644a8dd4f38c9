"""One community from head office: income by service line and by method, activity, this
month's close-outs (verified or not) and its own 30-day trend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain.money import fmt_fen
from frontdesk.errors import UserError, describe
from frontdesk.i18n import t
from screens.common.tables import RowTable, fill_table
from screens.common.widgets import KeyBar
from screens.hq.common import (
    ATTENTION,
    HqScreen,
    HqStatusBar,
    TrendChart,
    attention,
    sync_label,
    trend_start,
)

if TYPE_CHECKING:
    from frontdesk.hq.figures import SiteFigures
    from frontdesk.sync.verify import CloseoutCheck

CLOSEOUT_COLUMNS = ("day", "entries", "income", "state")
CLOSEOUT_RIGHT = frozenset({"entries", "income"})
CLOSEOUT_CHROME = 2  # the table's vertical scrollbar


def closeout_state(check: CloseoutCheck) -> str:
    if check.verified:
        return t("hqui.verified")
    if check.altered:
        return t("hqui.chain_broken")
    if check.arrived_seq < check.covered_seq:
        return t("hqui.not_arrived")
    return t("hqui.mismatch")


def closeout_cells(check: CloseoutCheck) -> dict[str, str]:
    return {
        "day": check.day.strftime("%m-%d"),
        "entries": f"{check.entries_found}/{check.entries}",
        "income": fmt_fen(check.income_fen),
        "state": closeout_state(check),
    }


def money_table(
    title: str,
    keys: Iterable[str],
    today: Mapping[str, int],
    month: Mapping[str, int],
    prefix: str,
) -> Table:
    """Today's and this month's income per line or method, with the total; no box, so every
    row of an 80x24 screen goes to figures."""
    table = Table(box=None, expand=True, padding=(0, 1, 0, 0), header_style="bold")
    table.add_column(Text(title, no_wrap=True, overflow="ellipsis"))
    table.add_column(t("hqui.today"), justify="right", no_wrap=True)
    table.add_column(t("hqui.month"), justify="right", no_wrap=True)
    shown = [k for k in keys if k in month or k in today]
    for key in shown:
        table.add_row(
            Text(t(f"{prefix}.{key}"), no_wrap=True, overflow="ellipsis"),
            fmt_fen(today.get(key, 0)),
            fmt_fen(month.get(key, 0)),
        )
    if not shown:
        table.add_row(Text(t("hqui.no_income"), no_wrap=True), "", "")
    table.add_row(
        t("hqui.total"),
        fmt_fen(sum(today.values())),
        fmt_fen(sum(month.values())),
        style="bold",
    )
    return table


# What one read gives: the community's figures, its close-outs this month, its daily income,
# when and for which day.
Read = tuple["SiteFigures", list["CloseoutCheck"], dict[str, dict[date, int]], datetime, date]


class SiteScreen(HqScreen[None]):
    AUTO_FOCUS = "#closeouts"
    BINDINGS = [
        Binding("escape", "back", "back", id="back"),
        Binding("f4", "people", "hq_people", id="hq_people"),
        Binding("f5", "refresh", "refresh", id="refresh"),
        Binding("ctrl+r", "refresh", "refresh", id="refresh", show=False),
    ]
    DEFAULT_CSS = """
    SiteScreen #site-view { padding: 0 1; }
    SiteScreen #site-title { text-style: bold; color: $accent; height: 1; }
    SiteScreen #site-alert { height: auto; }
    SiteScreen #site-activity { height: auto; }
    SiteScreen #site-money { height: auto; margin: 1 0 0 0; }
    SiteScreen #by-line { width: 1fr; }
    SiteScreen #by-method { width: 1fr; margin: 0 0 0 2; }
    SiteScreen #site-lower { height: 1fr; margin: 1 0 0 0; }
    SiteScreen #closeouts-box { width: 40%; min-width: 38; height: 1fr; }
    SiteScreen #closeouts { height: 1fr; }
    SiteScreen #site-trend-box { width: 1fr; height: 1fr; margin: 0 0 0 2; }
    SiteScreen .hq-sub { height: 1; text-style: bold; }
    """

    def __init__(self, site: str, name: str) -> None:
        super().__init__()
        self.site, self.site_name = site, name
        self.figures: SiteFigures | None = None
        self.checks: list[CloseoutCheck] = []

    def compose(self) -> ComposeResult:
        yield HqStatusBar(id="status")
        with Vertical(id="site-view"):
            yield Static(f"{self.site} {self.site_name}", id="site-title")
            yield Static(t("hqui.loading"), id="site-alert", classes="note")
            yield Static("", id="site-activity")
            with Horizontal(id="site-money"):
                yield Static("", id="by-line")
                yield Static("", id="by-method")
            with Horizontal(id="site-lower"):
                with Vertical(id="closeouts-box"):
                    yield Static(t("hqui.closeouts_title"), classes="hq-sub")
                    yield RowTable(id="closeouts")
                with Vertical(id="site-trend-box"):
                    yield Static(t("hqui.site_chart_title", days=30), classes="hq-sub")
                    yield TrendChart(id="site-trend")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self, _event: events.Resize) -> None:
        if self.figures is not None:
            self._fill_closeouts()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.refresh"), t("hqui.palette_refresh_site"), self.action_refresh)
        yield SystemCommand(t("key.hq_people"), t("hqui.palette_people"), self.action_people)
        yield SystemCommand(t("key.back"), t("hqui.palette_back"), self.action_back)

    def action_people(self) -> None:
        from screens.hq.people import PeopleScreen

        self.app.push_screen(PeopleScreen(self.site, self.site_name))

    def action_refresh(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()

    def load(self) -> None:
        self.run_service(
            self._read,
            lambda read: self._show(*read),
            group="hq-site",
            refused=lambda exc: self._failed(describe(exc)),
        )

    def _read(self) -> Read:
        from frontdesk.hq.figures import daily_income, month_start, overview
        from frontdesk.sync.verify import check_closeouts

        host = self.host
        today, now = host.today(), host.now()
        central = host.ensure_central()
        mine = check_closeouts(central, self.site)  # this community's alone
        found = [f for f in overview(central, today, mine) if f.site == self.site]
        first = month_start(today)
        checks = [c for c in mine if c.day >= first]
        end = today + timedelta(days=1)
        series = daily_income(central, trend_start(today), end, site=self.site)
        if not found:
            raise UserError("hq.unknown_site", site=self.site)
        return found[0], checks, series, now, today

    def _failed(self, message: str) -> None:
        alert = self.query_one("#site-alert", Static)
        alert.update(t("hqui.store_failed", reason=message))
        alert.set_classes("error")

    def _show(
        self,
        f: SiteFigures,
        checks: list[CloseoutCheck],
        series: dict[str, dict[date, int]],
        now: datetime,
        today: date,
    ) -> None:
        from frontdesk.domain.money import METHODS as PAYMENT_METHODS
        from frontdesk.domain.service_catalogue import SERVICE_LINES

        self.figures, self.checks = f, checks
        self.query_one(HqStatusBar).show_loaded(now)
        title = t("hqui.site_title", site=f.site, name=f.name, sync=sync_label(f.last_sync, now))
        self.query_one("#site-title", Static).update(title)
        reasons = attention(f, now)
        alert = self.query_one("#site-alert", Static)
        alert.update(
            t("hqui.attention", reasons=" / ".join(reasons)) if reasons else t("hqui.all_well")
        )
        alert.set_classes("error" if reasons else "note")
        self.query_one("#site-activity", Static).update(
            t(
                "hqui.activity",
                today=f.walkins_today,
                month=f.walkins_month,
                registered_today=f.registered_today,
                registered=f.registered_month,
                workers_today=f.gig_workers_today,
                workers=f.gig_workers_month,
                pieces_today=f.pieces_today,
                pieces=f.pieces_month,
                wages=fmt_fen(f.wages_month_fen),
            )
        )
        by_line = money_table(
            t("hqui.by_line"), SERVICE_LINES, f.today_by_line, f.month_by_line, "line"
        )
        by_method = money_table(
            t("hqui.by_method"), PAYMENT_METHODS, f.today_by_method, f.month_by_method, "method"
        )
        self.query_one("#by-line", Static).update(by_line)
        self.query_one("#by-method", Static).update(by_method)
        self._fill_closeouts()
        self.query_one(TrendChart).show(series, [f.site], today)

    def _fill_closeouts(self) -> None:
        table = self.query_one("#closeouts", DataTable)
        headers = {key: t(f"hqui.co_{key}") for key in CLOSEOUT_COLUMNS}
        rows = [
            (c.day.isoformat(), closeout_cells(c), "" if c.verified else ATTENTION)
            for c in self.checks
        ]
        room = table.size.width - CLOSEOUT_CHROME
        fill_table(table, headers, rows, room, ("state",), CLOSEOUT_RIGHT)
