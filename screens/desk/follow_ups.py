"""Follow-ups due by today, oldest first: walk-ins' and referrals' together.

`d` marks a walk-in's follow-up as done; on a referral `o` records its next step (the
follow-up date moves on with it, or goes once the referral has ended).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.domain.clock import business_date
from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import KeyBar, StatusBar
from screens.desk.gig_format import own_short_name
from screens.desk.walkin_format import service_name, visitor_label

if TYPE_CHECKING:
    from frontdesk.services.referrals import ReferralRow
    from frontdesk.services.walkins import FollowUp

    Item = FollowUp | ReferralRow

COLUMNS = {
    "due": "follow.due",
    "service": "daylog.service",
    "visitor": "daylog.visitor",
    "outcome": "quick.outcome",
}
FLEXIBLE = ("service", "outcome")


def follow_up_cells(item: Item) -> dict[str, str]:
    from frontdesk.services.walkins import FollowUp

    if not isinstance(item, FollowUp):
        return referral_follow_up_cells(item)
    return {
        "due": item.due.isoformat(),
        "service": service_name(item.service_zh, item.service_en),
        "visitor": visitor_label(item.visitor),
        "outcome": item.outcome,
    }


def referral_follow_up_cells(r: ReferralRow) -> dict[str, str]:
    due = r.follow_up_on or r.referred_on
    return {
        "due": due.isoformat(),
        "service": t("follow.referral", title=r.title, employer=own_short_name(r.employer)),
        "visitor": f"{r.person} {r.phone}",
        "outcome": t(f"job.outcome.{r.outcome}"),
    }


def key_of(item: Item) -> str:
    from frontdesk.services.walkins import FollowUp

    # Row ids are UUIDs: a walk-in's and a referral's never clash.
    return str(item.walkin_id if isinstance(item, FollowUp) else item.id)


def follow_up_summary(item: Item) -> str:
    cells = follow_up_cells(item)
    parts = [f"{cells['due']} {cells['service']}", cells["visitor"], cells["outcome"]]
    return " · ".join(p for p in parts if p)


class FollowUpsScreen(DeskScreen[None]):
    AUTO_FOCUS = "#follow-ups"
    BINDINGS = [
        Binding("d", "done", "done", id="done"),
        Binding("o", "outcome", "outcome", id="outcome"),
        Binding("escape", "back", "back", id="back"),
    ]
    # Styled like the day log's title (see DayLogScreen).
    DEFAULT_CSS = """
    FollowUpsScreen #follow { padding: 0 1; }
    FollowUpsScreen #follow-title { text-style: bold; color: $accent; }
    FollowUpsScreen #follow-ups { height: 1fr; }
    FollowUpsScreen #follow-note { height: auto; max-height: 3; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.marking = False  # one mark at a time: a double press marks once

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="follow"):
            today = business_date(self.host.now()).isoformat()
            yield Static(t("follow.title", date=today), id="follow-title")
            yield RowTable(id="follow-ups")
            yield Static(t("daylog.loading"), id="follow-note", classes="note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.done"), t("palette.follow_done"), self.action_done)

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        self.run_service(self._read, lambda read: self._show(*read), group="follow-ups")

    def _read(self) -> tuple[date, list[Item]]:
        from frontdesk.services.referrals import due
        from frontdesk.services.walkins import follow_ups_due

        desk = self.desk
        today = business_date(self.host.now())
        walkins: list[Item] = list(follow_ups_due(desk.engine, desk.site_code, today))
        referrals = due(desk.engine, desk.site_code, today)
        # One list, oldest due first; a walk-in before a referral due the same day.
        items = sorted([*walkins, *referrals], key=lambda i: follow_up_cells(i)["due"])
        return today, items

    def _show(self, today: date, items: list[Item]) -> None:
        self.items = items
        title = t("follow.title", date=today.isoformat())
        self.query_one("#follow-title", Static).update(title)
        self._fill()
        self._describe_highlighted()

    def _fill(self) -> None:
        headers = {key: t(label) for key, label in COLUMNS.items()}
        rows = [(key_of(i), follow_up_cells(i), "") for i in self.items]
        table = self.query_one("#follow-ups", DataTable)
        with self.app.batch_update():
            fill_table(table, headers, rows, self.size.width - CHROME, FLEXIBLE)

    def on_resize(self, _event: events.Resize) -> None:
        if self.items:
            self._fill()

    def highlighted(self) -> Item | None:
        key = highlighted_key(self.query_one("#follow-ups", DataTable))
        if key is None:
            return None
        return next((i for i in self.items if key_of(i) == key), None)

    @on(DataTable.RowHighlighted, "#follow-ups")
    def _describe_highlighted(self) -> None:
        # The whole entry, which the table may have had to cut short.
        item = self.highlighted()
        note = t("follow.none") if not self.items else follow_up_summary(item) if item else ""
        self.query_one("#follow-note", Static).update(note)
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from frontdesk.services.walkins import FollowUp

        if action in ("done", "outcome"):
            item = self.highlighted()
            if item is None:
                return action == "done"  # as before: the list's own key, doing nothing
            return isinstance(item, FollowUp) == (action == "done")
        return True

    def action_done(self) -> None:
        from frontdesk.services.walkins import FollowUp

        item = self.highlighted()
        if not isinstance(item, FollowUp) or self.marking:
            return
        self.marking = True
        self.mark(item.walkin_id)

    def mark(self, walkin_id: uuid.UUID) -> None:
        from frontdesk.services.walkins import mark_followed_up

        self.run_service(
            lambda: mark_followed_up(self.desk.engine, self.actor, walkin_id, self.host.now()),
            lambda _: self._marked(t("follow.done")),
            group="follow-mark",
            refused=self._marked,
        )

    def _marked(self, outcome: str | Exception) -> None:
        """Done (in words) or refused (a notice): the list again."""
        self.marking = False
        if isinstance(outcome, Exception):
            self.show_refusal(outcome)
        else:
            self.notify(outcome)
        self.load()

    def action_outcome(self) -> None:
        from frontdesk.services.walkins import FollowUp
        from screens.desk.referral_dialogs import OutcomeDialog

        item = self.highlighted()
        if item is not None and not isinstance(item, FollowUp):
            self.app.push_screen(OutcomeDialog(item))

    def action_back(self) -> None:
        self.dismiss()
