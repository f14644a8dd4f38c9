"""Sync: the link's state, the last error, and the rows the central store set aside."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain.clock import local_time
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, fill_table
from screens.common.urls import shown_url
from screens.common.widgets import KeyBar, StatusBar, sync_state

if TYPE_CHECKING:
    from frontdesk.sync.status import Reject, SyncDetails

COLUMNS = {
    "seq": "sync.col_seq",
    "table": "sync.col_table",
    "row": "sync.col_row",
    "version": "sync.col_version",
    "reason": "sync.col_reason",
}
FLEXIBLE = ("reason",)


class SyncScreen(DeskScreen[None]):
    AUTO_FOCUS = "#rejects"
    BINDINGS = [
        Binding("f5", "sync_now", "sync_now", id="sync_now"),
        Binding("r", "resend", "resend", id="resend"),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    SyncScreen #sync { padding: 0 1; }
    SyncScreen .title { text-style: bold; color: $accent; }
    SyncScreen #sync-lines { height: auto; }
    SyncScreen #rejects { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.details: SyncDetails | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="sync"):
            yield Static(t("sync.title"), classes="title")
            yield Static("", id="sync-lines")
            # Each heading above what it is about: "no quarantined rows" goes under its own.
            yield Static(t("sync.rejects_title"), classes="title")
            yield Static("", id="rejects-note")
            yield DataTable(id="rejects", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def sync_updated(self) -> None:
        self.load()

    def load(self) -> None:
        from frontdesk.sync.status import read_details

        self.run_service(lambda: read_details(self.desk.engine), self._show, group="sync-screen")

    def _show(self, details: SyncDetails) -> None:
        self.details = details
        sync = self.host.sync
        if sync.configured and not sync.running:
            # The state as just read: the status bar must not show an older pending count.
            sync.status = details.status
            self.query_one(StatusBar).refresh_status()
        self.query_one("#sync-lines", Static).update("\n".join(self._lines(details)))
        note = self.query_one("#rejects-note", Static)
        note.update("" if details.rejects else t("sync.no_rejects"))
        note.display = not details.rejects
        self._fill()

    def _lines(self, details: SyncDetails) -> list[str]:
        sync, status = self.host.sync, details.status
        url = self.host.cfg.central_url
        pending = t("sync.pending_line", count=status.pending)
        if self.desk.demo:  # never syncs, whatever is configured: said before anything else
            return [t("sync.demo_desk"), pending]
        lines = [
            t("sync.central", url=shown_url(url)) if url else t("sync.no_central"),
            t("status.sync", state=sync_state(sync)),
            pending,
        ]
        if status.last_success_at is not None:
            at = local_time(status.last_success_at).strftime("%Y-%m-%d %H:%M")
            lines.append(t("sync.last_success", time=at))
        message = status.last_error
        lines.append(t("sync.last_error", message=message) if message else t("sync.no_error"))
        if status.clock_warning:
            lines.append(t("sync.clock_warning", seconds=status.clock_offset_s))
        return lines

    def _fill(self) -> None:
        rejects = self.details.rejects if self.details else []
        headers = {key: t(label) for key, label in COLUMNS.items()}
        rows = [
            (
                f"{r.seq}-{r.row_id}",
                {
                    "seq": str(r.seq),
                    "table": r.table_name,
                    "row": r.row_id[:8],
                    "version": str(r.row_version),
                    "reason": r.reason,
                },
                "",
            )
            for r in rejects
        ]
        table = self.query_one("#rejects", DataTable)
        with self.app.batch_update():
            fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE)
        table.display = bool(rows)

    def on_resize(self, _event: events.Resize) -> None:
        if self.details is not None:
            self._fill()

    def action_sync_now(self) -> None:
        if self.desk.demo:
            self.notify(t("sync.demo_desk"), severity="warning")
            return
        if not self.host.sync.configured:
            self.notify(t("sync.no_central"), severity="warning")
            return
        self.notify(t("sync.started"))
        self.host.sync.now()

    def action_resend(self) -> None:
        """Queue the highlighted quarantined row to go again (its cause put right)."""
        table = self.query_one("#rejects", DataTable)
        rejects = self.details.rejects if self.details else []
        if not rejects or not table.display or table.cursor_row >= len(rejects):
            self.notify(t("sync.resend_none"), severity="warning")
            return
        self._resend(rejects[table.cursor_row])

    def _resend(self, reject: Reject) -> None:
        import uuid

        from frontdesk.sync.resend import resend

        self.run_service(
            lambda: resend(self.desk.engine, reject.table_name, uuid.UUID(hex=reject.row_id)),
            lambda _: self._resent(reject),
            group="sync-resend",
            exclusive=False,
        )

    def _resent(self, reject: Reject) -> None:
        self.notify(t("sync.resent", table=reject.table_name, row=reject.row_id[:8]))
        if self.host.sync.configured:
            self.host.sync.now()

    def action_back(self) -> None:
        self.dismiss(None)
