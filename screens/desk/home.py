"""Home: today's figures for the site; every section is a key away."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.box import SIMPLE
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Static

from frontdesk.domain.clock import business_date, local_time
from frontdesk.domain.money import fmt_fen
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.dates import day_label
from screens.common.keys import binding_label, key_display
from screens.common.widgets import KeyBar, StatusBar

if TYPE_CHECKING:
    from frontdesk.services.closeout import DayClosed
    from frontdesk.services.dashboard import TodayFigures


class HomeScreen(DeskScreen[None]):
    BINDINGS = [
        Binding("f2", "seekers", "seekers", id="seekers"),
        Binding("f3", "quick_log", "quick_log", id="quick_log"),
        Binding("f4", "day_log", "day_log", id="day_log"),
        Binding("f5", "closeout", "closeout", id="closeout"),
        Binding("f6", "gig_orders", "gig_orders", id="gig_orders"),
        Binding("f7", "gig_board", "gig_board", id="gig_board"),
        Binding("f8", "sync", "sync", id="sync"),
        Binding("f12", "activities", "activities", id="activities"),
        Binding("ctrl+e", "postings", "postings", id="jobs"),
        Binding("ctrl+r", "refresh_figures", "refresh", id="refresh"),
        Binding("f9", "app.lock", "lock", id="lock"),
        Binding("f10", "app.sign_out", "sign_out", id="sign_out"),
        Binding("ctrl+o", "printer_settings", "printer_settings", id="printer_settings"),
    ]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="home"):
            yield Static(t("home.title", date=self.host.business_day_label()), classes="title")
            yield Static("", id="home-closed")
            with Horizontal(id="home-panels"):
                yield Static(t("home.loading"), id="income", classes="panel")
                yield Static("", id="services", classes="panel")
            with Grid(id="home-keys"):
                yield from self._sections()
        yield KeyBar()

    def _sections(self) -> Iterable[Static]:
        """Every section's key, in full: the key bar below is cut short at 80 columns."""
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding):
                continue  # every key here is a Binding; the tuple forms have no id
            label = binding_label(binding)
            if label is not None:
                text = Text(no_wrap=True, overflow="ellipsis")
                text.append(f" {key_display(binding)} ", style="reverse")
                text.append(f" {label}")
                yield Static(text)

    figures: TodayFigures | None = None  # on screen, once loaded

    def on_mount(self) -> None:
        self.query_one("#home-closed").display = False
        self.load_figures()

    def action_refresh_figures(self) -> None:
        self.load_figures()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.seekers"), t("palette.seekers"), self.action_seekers)
        yield SystemCommand(t("key.quick_log"), t("palette.quick_log"), self.action_quick_log)
        yield SystemCommand(t("key.day_log"), t("palette.day_log"), self.action_day_log)
        yield SystemCommand(t("key.closeout"), t("palette.closeout"), self.action_closeout)
        yield SystemCommand(t("key.gig_orders"), t("palette.gig_orders"), self.action_gig_orders)
        yield SystemCommand(t("key.gig_board"), t("palette.gig_board"), self.action_gig_board)
        yield SystemCommand(t("key.sync"), t("palette.sync"), self.action_sync)
        yield SystemCommand(t("key.activities"), t("palette.activities"), self.action_activities)
        yield SystemCommand(t("key.jobs"), t("palette.jobs"), self.action_postings)
        yield SystemCommand(t("key.employers"), t("palette.employers"), self.action_employers)
        yield SystemCommand(t("key.refresh"), t("palette.refresh"), self.action_refresh_figures)
        yield SystemCommand(
            t("key.printer_settings"), t("palette.printer_settings"), self.action_printer_settings
        )

    def action_quick_log(self) -> None:
        from screens.desk.quick_log import QuickLogScreen

        self.app.push_screen(QuickLogScreen(), callback=lambda _: self.load_figures())

    def action_day_log(self) -> None:
        from screens.desk.day_log import DayLogScreen

        self.app.push_screen(DayLogScreen(), callback=lambda _: self.load_figures())

    def action_closeout(self) -> None:
        from screens.desk.closeout import CloseoutScreen

        self.app.push_screen(CloseoutScreen(), callback=lambda _: self.load_figures())

    def action_gig_orders(self) -> None:
        from screens.desk.gig_orders import GigOrdersScreen

        self.app.push_screen(GigOrdersScreen(), callback=lambda _: self.load_figures())

    def action_gig_board(self) -> None:
        from screens.desk.gig_board import GigBoardScreen

        self.app.push_screen(GigBoardScreen(), callback=lambda _: self.load_figures())

    def action_printer_settings(self) -> None:
        from screens.desk.printer_settings import PrinterSettingsScreen

        self.app.push_screen(PrinterSettingsScreen())

    def action_activities(self) -> None:
        from screens.desk.sessions import SessionListScreen

        self.app.push_screen(SessionListScreen(), callback=lambda _: self.load_figures())

    def action_postings(self) -> None:
        from screens.desk.postings import PostingsScreen

        self.app.push_screen(PostingsScreen(), callback=lambda _: self.load_figures())

    def action_employers(self) -> None:
        from screens.desk.employers import EmployersScreen

        self.app.push_screen(EmployersScreen())

    def action_sync(self) -> None:
        from screens.desk.sync_screen import SyncScreen

        self.app.push_screen(SyncScreen())

    def action_seekers(self) -> None:
        from screens.desk.seekers import SeekerListScreen

        self.app.push_screen(SeekerListScreen(), callback=lambda _: self.load_figures())

    def load_figures(self) -> None:
        from frontdesk.services.closeout import day_closed
        from frontdesk.services.dashboard import today_figures

        def read() -> tuple[TodayFigures, DayClosed | None]:
            engine, site, today = self.desk.engine, self.desk.site_code, self.host.now()
            day = business_date(today)
            return today_figures(engine, site, day), day_closed(engine, site, day)

        self.run_service(read, lambda found: self._show(*found), group="home")

    def _show_closed(self, closed: DayClosed | None) -> None:
        """Today closed: said under the title, with what goes on and where money goes."""
        box = self.query_one("#home-closed", Static)
        box.display = closed is not None
        if closed is not None:
            at = local_time(closed.closed_at).strftime("%H:%M")
            box.update(t("home.closed", time=at, booked=day_label(closed.books_into)))

    def _show(self, f: TodayFigures, closed: DayClosed | None = None) -> None:
        self.figures = f
        self._show_closed(closed)
        income = Table(title=t("home.income"), expand=True, box=SIMPLE, show_header=False)
        income.add_column("")
        income.add_column("", justify="right")
        for method, fen in f.by_method.items():
            income.add_row(t(f"method.{method}"), fmt_fen(fen))
        income.add_section()
        income.add_row(t("home.total"), fmt_fen(f.income_fen), style="bold")
        income.add_row(t("home.entries"), str(f.payments))
        services = Table(title=t("home.services"), expand=True, box=SIMPLE, show_header=False)
        services.add_column("")
        services.add_column("", justify="right")
        services.add_row(t("home.walkins"), str(f.walkins))
        services.add_row(t("home.visitors"), str(f.visitors))
        services.add_row(t("home.registrations"), str(f.registrations))
        services.add_row(t("home.gig_workers"), str(f.gig_workers))
        services.add_section()
        services.add_row(t("home.pending_sync"), str(f.pending_sync))
        self.query_one("#income", Static).update(income)
        self.query_one("#services", Static).update(services)
