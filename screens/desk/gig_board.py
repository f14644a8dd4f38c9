"""Today's gigs (F7): every worker due today on any order, by shift, one key per action.

The row keys (check in, check out, hours, pieces, no-show, settle, pay slip) come from
screens/desk/attendance.py and show only where the highlighted worker's state allows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from frontdesk.domain.clock import business_date
from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.attendance import AttendanceScreen, gated
from screens.desk.gig_format import BOARD_COLUMNS

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
            yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
            yield Static(t("daylog.loading"), id="board-note", classes="note")
        yield KeyBar()

    def _title(self) -> str:
        return t("board.title", date=self.app.business_day_label())

    def on_screen_resume(self) -> None:
        self.load()  # first showing, and back from a pay slip: the board as it is now

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.refresh"), t("palette.board_refresh"), self.action_reload)

    def empty_note(self) -> str:
        return t("board.empty")

    @work(thread=True, exclusive=True, group="gig-board")
    def load(self) -> None:
        from frontdesk.services.attendance import today_board

        app = self.app
        desk = app.ensure_desk()
        day = business_date(app.now())
        try:
            rows = today_board(desk.engine, desk.site_code, day)
        except Exception as exc:  # said on the screen: a crashed worker would end the app
            app.call_from_thread(self.notify, describe(exc), severity="error")
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list) -> None:
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
