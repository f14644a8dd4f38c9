"""Every figure of one community's month (Enter on the monthly report), one to a line, so
the report's table can keep to the essential ones and still fit 80 columns."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.domain.money import fmt_fen
from frontdesk.hq.month_output import COLUMNS, LINES
from frontdesk.hq.monthly import MONEY_KEYS, SiteMonth
from frontdesk.i18n import t
from screens.common.tables import RowTable, fill_table
from screens.common.widgets import KeyBar
from screens.hq.common import HqModal


def figure_text(row: SiteMonth, attr: str) -> str:
    value = getattr(row, attr)
    return fmt_fen(value) if attr in MONEY_KEYS else str(value)


def figure_lines(row: SiteMonth) -> list[tuple[str, str]]:
    """(name, value) of every figure of the month, the walk-ins of each service line last."""
    lines = [(t(key), figure_text(row, attr)) for key, attr, _ in COLUMNS]
    lines.append((t("hqui.month_open_days"), str(row.open_days)))
    walkins = t("hq.col_walkins")
    lines += [(f"{walkins} · {t(f'line.{x}')}", str(row.walkins_by_line.get(x, 0))) for x in LINES]
    return lines


class MonthDetailScreen(HqModal[None]):
    AUTO_FOCUS = "#month-figures"
    BINDINGS = [Binding("escape", "dismiss", "back", id="back")]
    DEFAULT_CSS = """
    MonthDetailScreen #month-detail { width: 56; height: 100%; }
    MonthDetailScreen #month-figures { height: 1fr; }
    """

    def __init__(self, month: str, row: SiteMonth) -> None:
        super().__init__()
        self.month, self.row = month, row

    def compose(self) -> ComposeResult:
        name = f"{self.row.site} {self.row.name}" if self.row.site else t("hq.total")
        with Vertical(id="month-detail", classes="box"):
            yield Static(t("hqui.month_detail_title", month=self.month, name=name), classes="title")
            yield RowTable(id="month-figures")
        yield KeyBar()

    def on_mount(self) -> None:
        headers = {"name": t("hqui.month_figure"), "value": t("hqui.month_value")}
        rows = [
            (str(i), {"name": n, "value": v}, "") for i, (n, v) in enumerate(figure_lines(self.row))
        ]
        fill_table(self.query_one(RowTable), headers, rows, 50, ["name"], {"value"})
