"""A job fair's dialogs: add an employer or a posting it brings, and refer an attendee.

Both are a search box over a short list: typing filters it, ↑ ↓ move, Enter takes the
highlighted line. Employers and postings themselves are made on the employment screens.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import t
from screens.common.base import SAVE_OR_CANCEL, DeskModal
from screens.common.widgets import FieldError, KeyBar, clear_errors

if TYPE_CHECKING:
    from frontdesk.services.fairs import Attendee, Offer


class _PickDialog(DeskModal[bool]):
    """A search box, the lines it finds, Enter on the highlighted one."""

    CANCELLED = False
    AUTO_FOCUS = "#fair-search"
    REFUSAL_AT = "fair-error"
    FIELD_AT = {"employer": "fair-search", "posting": "fair-search", "person": "fair-search"}
    BINDINGS = [
        *SAVE_OR_CANCEL,
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]
    DEFAULT_CSS = "_PickDialog { align: center middle; }"
    LABEL = ""
    # Each dialog's own: (option id, its line) for what the typed text finds, and doing
    # what the chosen line says (returns the notice to show).
    find: Callable[[str], list[tuple[str, str]]]
    take: Callable[[str], str]

    def __init__(self, session_id: uuid.UUID, heading: str) -> None:
        super().__init__()
        self.session_id, self.heading = session_id, heading
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            yield Static(self.heading, classes="title")
            with Horizontal(classes="form-row"):
                yield Label(t(self.LABEL))
                yield Input(id="fair-search")
            yield OptionList(id="fair-matches", classes="matches")
            yield FieldError(id="fair-error", classes="form-error")
        yield KeyBar()

    def on_mount(self) -> None:
        clear_errors(self)
        self.query_one("#fair-matches", OptionList).can_focus = False
        self._look("")

    @on(Input.Changed, "#fair-search")
    def _typed(self, event: Input.Changed) -> None:
        self._look(event.value)

    def _look(self, query: str) -> None:
        self.run_service(
            lambda: self.find(query), lambda rows: self._found(query, rows), group="fair-find"
        )

    def _found(self, query: str, rows: list[tuple[str, str]]) -> None:
        if query != self.query_one("#fair-search", Input).value:
            return
        box = self.query_one("#fair-matches", OptionList)
        box.clear_options()
        for key, line in rows:
            box.add_option(Option(line, id=key))
        if rows:
            box.highlighted = 0

    def action_move(self, step: int) -> None:
        box = self.query_one("#fair-matches", OptionList)
        if box.option_count:
            box.highlighted = max(0, min(box.option_count - 1, (box.highlighted or 0) + step))

    @on(Input.Submitted)
    def action_submit(self) -> None:
        box = self.query_one("#fair-matches", OptionList)
        option = box.highlighted_option if box.highlighted is not None else None
        if option is None or not option.id or not self.begin_write():
            return
        key = option.id
        self.run_service(
            lambda: self.take(key), self._taken, group="fair-take", refused=self.refused_write
        )

    def _taken(self, message: str) -> None:
        self.notify(message)
        self.dismiss(True)


class FairAddDialog(_PickDialog):
    """An employer found by name takes part, or one of its open postings is brought."""

    LABEL = "fair.find_employer"

    def find(self, query: str) -> list[tuple[str, str]]:
        from frontdesk.domain.clock import business_date
        from frontdesk.services.fairs import offers

        today = business_date(self.host.now())
        return [_offer_line(o) for o in offers(self.desk.engine, self.desk.site_code, query, today)]

    def take(self, key: str) -> str:
        from frontdesk.services import fairs

        kind, _, raw = key.partition(":")
        engine, now = self.desk.engine, self.host.now()
        if kind == "e":
            fairs.add_employer(engine, self.actor, self.session_id, uuid.UUID(raw), now)
            return t("fair.employer_added")
        fairs.add_posting(engine, self.actor, self.session_id, uuid.UUID(raw), now)
        return t("fair.posting_added")


def _offer_line(o: Offer) -> tuple[str, str]:
    if o.posting_id is None:
        return f"e:{o.employer_id}", o.employer
    return f"p:{o.posting_id}", f"  {o.title} · {t('fair.positions_n', n=o.positions)}"


class FairReferDialog(_PickDialog):
    """Refer one of the fair's attendees (a registered job seeker) to a posting it brought."""

    LABEL = "fair.find_attendee"

    def __init__(self, session_id: uuid.UUID, posting_id: uuid.UUID, title: str) -> None:
        super().__init__(session_id, t("fair.refer_title", title=title))
        self.posting_id = posting_id

    def find(self, query: str) -> list[tuple[str, str]]:
        from frontdesk.services.fairs import attendees

        found = attendees(self.desk.engine, self.desk.site_code, self.session_id)
        return [(str(a.person_id), f"{a.name}  {a.phone}") for a in found if _fits(a, query)]

    def take(self, key: str) -> str:
        from frontdesk.services.referrals import refer

        refer(
            self.desk.engine,
            self.actor,
            self.posting_id,
            uuid.UUID(key),
            self.host.now(),
            session_id=self.session_id,
        )
        return t("fair.referred")


def _fits(a: Attendee, query: str) -> bool:
    """A name fragment or the phone's last digits (the attendees are few: no index)."""
    text = query.strip()
    return not text or text in a.name or a.phone.endswith(text)
