"""Head office finds a person (F4 on the dashboard: the whole district; on a community's
screen: that community), masked values only, and F7 reveals the highlighted one's full
numbers to a key holder who gives the PIN again (frontdesk/hq/district_keys.reveal_person:
audited, a viewer or editor refused). The full values are shown in a dialog of their own,
closed with Esc, and hidden when the TUI locks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.tables import (
    CHROME,
    RowTable,
    columns_that_fit,
    fill_table,
    highlighted_key,
)
from screens.common.widgets import PIN_CHARS, PIN_LEN, FieldError, KeyBar
from screens.hq.common import HqModal, HqScreen, HqStatusBar

if TYPE_CHECKING:
    from frontdesk.hq.people import HqPersonRow

PAGE = 20
COLUMNS = ("site", "name", "id", "phone", "address", "registered", "sites")
FLEXIBLE = ("name", "address")  # they shrink, the name last
GIVE_WAY = ("address",)  # on a narrow terminal: the note under the table has it whole
RIGHT = frozenset({"sites"})
SHOWN_FIELDS = {"id_number": "id", "phone": "phone", "address": "address"}  # revealed: label


def person_cells(r: HqPersonRow) -> dict[str, str]:
    return {
        "site": r.site,
        "name": r.name,
        "id": r.id_masked,
        "phone": r.phone_masked,
        "address": r.address_masked,
        "registered": r.registered_on.isoformat(),
        "sites": str(r.communities),
    }


class PeopleScreen(HqScreen[None]):
    AUTO_FOCUS = "#search"
    BINDINGS = [
        Binding("f7", "reveal", "hq_reveal", id="hq_reveal"),
        Binding("down", "cursor(1)", "results", id="results", show=False),
        Binding("up", "cursor(-1)", "results", show=False),
        # Priority: the search box would otherwise take PgUp/PgDn for itself.
        Binding("pagedown", "page(1)", "next_page", id="next_page", priority=True),
        Binding("pageup", "page(-1)", "prev_page", id="prev_page", priority=True),
        Binding("escape", "back", "back", id="back"),
    ]
    DEFAULT_CSS = """
    PeopleScreen #people-view { padding: 0 1; }
    PeopleScreen #people-title { text-style: bold; color: $accent; height: 1; }
    PeopleScreen #people { height: 1fr; }
    PeopleScreen #people-note { height: 2; }
    """

    def __init__(self, site: str | None = None, site_name: str = "") -> None:
        super().__init__()
        self.site, self.site_name = site, site_name
        self.page = 0
        self.rows: list[HqPersonRow] = []

    def compose(self) -> ComposeResult:
        yield HqStatusBar(id="status")
        with Vertical(id="people-view"):
            if self.site is None:
                title = t("hqui.people_title")
            else:
                title = t("hqui.people_title_site", site=self.site, name=self.site_name)
            yield Static(title, id="people-title")
            with Horizontal(classes="form-row"):
                yield Label(t("hqui.people_search"))
                yield Input(id="search", max_length=40, placeholder=t("hqui.people_hint"))
            yield RowTable(id="people")
            yield Static(t("hqui.loading"), id="people-note", classes="note", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.run_search()

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(t("key.hq_reveal"), t("hqui.palette_reveal"), self.action_reveal)
        yield SystemCommand(t("key.back"), t("hqui.palette_back"), self.action_back)

    # --- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        self.page = 0
        self.run_search()

    def run_search(self) -> None:
        from frontdesk.hq.people import find_people

        query, page, host = self.query_one("#search", Input).value, self.page, self.host
        self.run_service(
            lambda: find_people(
                host.ensure_central(), host.actor, query, self.site, page * PAGE, PAGE
            ),
            lambda rows: self._show(query, rows),
            group="hq-people",
            refused=lambda exc: self._note(t("hqui.store_failed", reason=describe(exc))),
        )

    def _show(self, query: str, rows: list[HqPersonRow]) -> None:
        if query != self.query_one("#search", Input).value:
            return  # a newer keystroke's search is on its way
        self.rows = rows
        with self.app.batch_update():
            self._fill()
        self._describe_highlighted()

    def _fill(self) -> None:
        table = self.query_one("#people", DataTable)
        headers = {key: t(f"hqui.pc_{key}") for key in COLUMNS}
        cells = [person_cells(r) for r in self.rows]
        room = self.size.width - CHROME
        shown = columns_that_fit(headers, cells, room, GIVE_WAY)
        rows = [(str(r.id), c, "") for r, c in zip(self.rows, cells, strict=True)]
        flexible = [k for k in FLEXIBLE if k in shown]
        fill_table(table, {k: headers[k] for k in shown}, rows, room, flexible, RIGHT)

    def highlighted(self) -> HqPersonRow | None:
        key = highlighted_key(self.query_one("#people", DataTable))
        return next((r for r in self.rows if str(r.id) == key), None)

    @on(DataTable.RowHighlighted, "#people")
    def _describe_highlighted(self) -> None:
        r = self.highlighted()
        if r is None:
            self._note(t("hqui.people_none"))
            return
        address = r.address_masked or t("hqui.none")
        line = t("hqui.people_note", site=r.site, site_name=r.site_name, address=address)
        if r.communities > 1:
            line += t("hqui.people_linked", count=r.communities)
        self._note(line + "\n" + t("hqui.people_page", page=self.page + 1))

    def _note(self, text: str) -> None:
        self.query_one("#people-note", Static).update(text)

    # --- keys -----------------------------------------------------------------------------
    def action_cursor(self, step: int) -> None:
        table = self.query_one("#people", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_page(self, step: int) -> None:
        if (step > 0 and len(self.rows) < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.run_search()

    def action_back(self) -> None:
        self.dismiss()

    def action_reveal(self) -> None:
        r = self.highlighted()
        if r is not None:
            self.app.push_screen(RevealPinDialog(r), callback=lambda shown: self._shown(r, shown))

    def _shown(self, r: HqPersonRow, shown: dict[str, str] | None) -> None:
        if shown is not None:
            self.app.push_screen(RevealedDialog(r, shown))


class RevealPinDialog(HqModal["dict[str, str] | None"]):
    """The signed-in account's PIN again; the service checks the role, the PIN (counted as
    at sign-in) and whether the district's key opens this person's values. Every refusal is
    said at the PIN, which is emptied to be typed again."""

    AUTO_FOCUS = "#pin"
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel", id="cancel")]

    def __init__(self, person: HqPersonRow) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical(classes="box dialog"):
            title = t("hqui.reveal_title", name=self.person.name, site=self.person.site)
            yield Static(title, classes="title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label(t("hqui.reveal_pin"))
                yield Input(id="pin", password=True, restrict=PIN_CHARS, max_length=PIN_LEN)
            yield FieldError(id="pin-error").hidden()
            yield Static(t("hqui.reveal_note"), classes="note")
        yield KeyBar()

    @on(Input.Submitted, "#pin")
    def _submit(self) -> None:
        from frontdesk.hq.district_keys import reveal_person

        pin, host, person_id = self.query_one("#pin", Input).value, self.host, self.person.id
        self.run_service(
            lambda: reveal_person(host.ensure_central(), host.actor, pin, person_id, host.now()),
            self.dismiss,
            group="hq-reveal",
            refused=self._refused,
        )

    def _refused(self, exc: Exception) -> None:
        box = self.query_one("#pin", Input)
        box.value = ""
        self.query_one("#pin-error", FieldError).show(describe(exc))
        box.focus()


class RevealedDialog(HqModal[None]):
    """One person's full values, until Esc; the lock hides them (`forget_revealed`)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "close", id="close")]

    def __init__(self, person: HqPersonRow, shown: dict[str, str]) -> None:
        super().__init__()
        self.person, self.shown = person, shown

    def compose(self) -> ComposeResult:
        p = self.person
        with Vertical(classes="box dialog"):
            title = t("hqui.revealed_title", name=p.name, site=p.site, site_name=p.site_name)
            yield Static(title, classes="title", markup=False)
            yield Static(self._values(self.shown), id="revealed", markup=False)
            yield Static(t("hqui.revealed_close"), id="revealed-note", classes="note")
        yield KeyBar()

    def _values(self, values: dict[str, str]) -> str:
        labels = {t(f"hqui.pc_{key}"): values.get(field) for field, key in SHOWN_FIELDS.items()}
        width = max(cell_len(label) for label in labels)
        return "\n".join(
            f"{label}{' ' * (width - cell_len(label))}  {value or t('hqui.none')}"
            for label, value in labels.items()
        )

    def forget_revealed(self) -> None:
        """Called by the lock screen: masked again, the full values dropped."""
        p = self.person
        self.shown = {
            "id_number": p.id_masked,
            "phone": p.phone_masked,
            "address": p.address_masked,
        }
        self.query_one("#revealed", Static).update(self._values(self.shown))
        self.query_one("#revealed-note", Static).update(t("hqui.revealed_hidden"))
