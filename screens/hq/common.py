"""What the head-office screens share: their base and what they use of the app, the status
line, the trend chart and small formatters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol, cast

from textual.screen import ModalScreen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from frontdesk.domain.clock import local_time
from frontdesk.i18n import t
from screens.common.base import BaseScreen, ResultT
from screens.common.dates import day_label, short_day_label
from screens.common.host import Host
from screens.common.widgets import fitted_line

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from frontdesk.hq.accounts import HqActor
    from frontdesk.hq.figures import SiteFigures

TREND_DAYS = 30
STALE_AFTER = timedelta(days=1)  # a community not heard from for longer needs a look
TOP_SITES = 5  # lines on the dashboard's chart: the best months, plus the highlighted one
ATTENTION = "red"


class HqHost(Host, Protocol):
    """What head office's screens use of screens/hq_app.HqApp."""

    url: str  # the central store's
    actor: HqActor | None  # who signed in; every write passes it to the service

    def today(self) -> date: ...
    def day_label(self) -> str: ...
    def ensure_central(self) -> Engine: ...
    def signed_in(self, actor: HqActor) -> None: ...


class HqScreen(BaseScreen[ResultT]):
    @property
    def host(self) -> HqHost:
        return cast("HqHost", self.app)


class HqModal(ModalScreen[ResultT], HqScreen[ResultT]):
    """A dialog of head office (ModalScreen first: see screens/common/base.DeskModal)."""


class HqStatusBar(Static):
    """Head office, the central store, the business date and when the figures were read."""

    DEFAULT_CSS = "HqStatusBar { dock: top; height: 1; }"

    loaded: datetime | None = None  # when the figures on screen were read

    def on_mount(self) -> None:
        self.show_loaded(None)

    def on_resize(self) -> None:
        self.show_loaded(self.loaded)

    def show_loaded(self, at: datetime | None) -> None:
        from screens.common.urls import store_label

        host = cast("HqHost", self.app)
        self.loaded, store, day = at, store_label(host.url), host.today()
        parts = [
            [t("hqui.status_hq")],
            [t("hqui.status_store", store=store), store],
            [day_label(day), short_day_label(day)],
        ]
        if at is not None:
            time = local_time(at).strftime("%H:%M")
            parts.append([t("hqui.status_loaded", time=time), time])
        self.update(fitted_line(parts, self.content_region.width))


# --- formatting --------------------------------------------------------------------------------
def sync_label(last: datetime | None, now: datetime) -> str:
    if last is None:
        return t("hqui.never")
    shown = local_time(last)
    if shown.year != local_time(now).year:
        return shown.strftime("%Y-%m-%d")
    return shown.strftime("%m-%d %H:%M")


def stale(f: SiteFigures, now: datetime) -> bool:
    return f.last_sync is None or now - f.last_sync > STALE_AFTER


def attention(f: SiteFigures, now: datetime) -> list[str]:
    """Why a community needs a look, in words; empty when all is well."""
    reasons = []
    if f.unclosed_days:
        reasons.append(t("hqui.why_unclosed", days=f.unclosed_days))
    if f.altered:
        reasons.append(t("hqui.why_chain", days=days_label(f.altered)))
    if f.differing:
        reasons.append(t("hqui.why_figures", days=days_label(f.differing)))
    waiting = f.unverified - len(f.altered) - len(f.differing)  # entries still on their way
    if waiting:
        reasons.append(t("hqui.why_unverified", count=waiting))
    if f.last_sync is None:
        reasons.append(t("hqui.why_never_synced"))
    elif stale(f, now):
        reasons.append(t("hqui.why_stale"))
    return reasons


def days_label(days: Sequence[date], shown: int = 3) -> str:
    """Days as month-day, the first few and then an ellipsis: '11-03, 11-10, 11-17 …'."""
    label = ", ".join(d.strftime("%m-%d") for d in days[:shown])
    return label + (" …" if len(days) > shown else "")


def chart_sites(
    figures: Sequence[SiteFigures], highlighted: str | None, top: int = TOP_SITES
) -> list[str]:
    """The communities drawn: the best `top` months with income, then the highlighted one."""
    earning = sorted((f for f in figures if f.month_fen > 0), key=lambda f: (-f.month_fen, f.site))
    codes = [f.site for f in earning[:top]]
    if highlighted is not None and highlighted not in codes:
        codes.append(highlighted)
    return codes


# --- the trend chart ---------------------------------------------------------------------------
class TrendChart(PlotextPlot):
    """Daily income in yuan per community over the last TREND_DAYS days, one line each."""

    DEFAULT_CSS = "TrendChart { height: 1fr; min-height: 6; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drawn: dict[str, list[int]] = {}  # what is on the chart: fen per day, by site

    def show(self, series: Mapping[str, Mapping[date, int]], codes: Sequence[str], end: date):
        start = end - timedelta(days=TREND_DAYS - 1)
        days = [start + timedelta(days=n) for n in range(TREND_DAYS)]
        x = list(range(TREND_DAYS))
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.drawn = {code: [series.get(code, {}).get(day, 0) for day in days] for code in codes}
        for code, fen in self.drawn.items():
            # Yuan as floats for plotting only: the figures stay integer fen everywhere else.
            plt.plot(x, [f / 100 for f in fen], label=code, marker="hd")
        ticks: list[float] = [0, 7, 14, 21, TREND_DAYS - 1]
        plt.xticks(ticks, [days[int(i)].strftime("%m-%d") for i in ticks])
        plt.xlim(0, TREND_DAYS - 1)
        top, step = y_scale(max((f for fen in self.drawn.values() for f in fen), default=0))
        plt.ylim(0, top)
        plt.yticks(list(range(0, top + 1, step)), [f"{v:,}" for v in range(0, top + 1, step)])
        self.refresh()


def y_scale(max_fen: int) -> tuple[int, int]:
    """A round top for the yuan axis and a round step (1, 2 or 5 times a power of ten) that
    gives three to six ticks."""
    top_yuan = max(1, -(-max_fen // 100))
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top_yuan / (step * factor) <= 5:
                step *= factor
                return -(-top_yuan // step) * step, step
        step *= 10


def trend_start(end: date) -> date:
    return end - timedelta(days=TREND_DAYS - 1)
