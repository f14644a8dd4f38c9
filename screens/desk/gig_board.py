"""Today's gigs (F7): every worker due today on any order, by shift, one key per action.

The row keys (check in, check out, hours, pieces, no-show, settle, pay slip) come from
screens/desk/attendance.py and show only where the highlighted worker's state allows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.tables import RowTable
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.attendance import AttendanceScreen, gated
from screens.desk.gig_format import BOARD_COLUMNS

if TYPE_CHECKING:
    from frontdesk.services.attendance import BoardRow

# The order a day goes in; the counts line follows it.
COUNTED = ("assigned", "checked_in", "checked_out", "settled", "no_show")


class GigBoardScreen(AttendanceScreen):
    AUTO_FOCUS = "#board"
    TABLE_ID = "board"
    COLUMNS = BOARD_COLUMNS
    FLEXIBLE = ("job",)
    WITH_ORDER = True
    BINDINGS = [
        *gated("i", "check_in"),
        *gated("o", "check_out"),
        *gated("h", "hours"),
        *gated("p", "pieces"),
        *gated("n", "no_show"),
        *gated("s", "settle"),
        *gated("l", "pay_slip"),
        Binding("ctrl+r", "reload", "refresh", id="refresh"),
        Binding("escape", "back", "back", id="back"),
    ]
    # Own title style, not the shared `.title`: its blank line below costs a row at 80x24.
    DEFAULT_CSS = """
    GigBoardScreen #gig-board { padding: 0 1; }
    GigBoardScreen #board-title { text-style: bold; color: $accent; }
    GigBoardScreen #board { height: 1fr; }
    GigBoardScreen #board-note { height: 2; }
    """

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="gig-board"):
            yield Static(self._title(), id="board-title")
            yield Static("", id="board-counts", classes="note")
            yield RowTable(id="board")
            yield Static(t("daylog.loading"), id="board-note", classes="note")
        yield KeyBar()

    def _title(self) -> str:
        return t("board.title", date=self.host.business_day_label())

    def on_screen_resume(self) -> None:
        self.load()  # first showing, and back from a pay slip: the board as it is now

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.refresh"), t("palette.board_refresh"), self.action_reload)

    def empty_note(self) -> str:
        return t("board.empty")

    def load(self) -> None:
        self.run_service(self._read, self._loaded, group="gig-board")

    def _read(self) -> list[BoardRow]:
        from frontdesk.services.attendance import today_board

        desk = self.desk
        return today_board(desk.engine, desk.site_code, business_date(self.host.now()))

    def _loaded(self, rows: list[BoardRow]) -> None:
        self.query_one("#board-title", Static).update(self._title())
        counts = Counter(r.status for r in rows)
        parts = [f"{t(f'gig.status.{s}')} {counts[s]}" for s in COUNTED if counts[s]]
        summary = t("board.counts", total=len(rows), detail=" · ".join(parts))
        self.query_one("#board-counts", Static).update(summary if rows else "")
        with self.app.batch_update():
            self.show_rows(rows)

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        if not self.busy:  # a write on its way reports back here
            self.dismiss()
