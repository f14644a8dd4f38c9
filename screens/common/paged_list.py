"""A site's records as a filtered list, a page at a time: the one home of what the desk's
lists share (gig orders, group activities, job postings, employers).

A list screen gives its filters, how to read a page and how to show a row; this base lays
them out (title, filter line, its error line, the table, a note on the highlighted row),
reads a page in a worker whenever a filter changes or the screen comes back, moves by
PgDn/PgUp a page at a time, and opens the highlighted row on Enter. Enter in a text filter
moves on to the list, so a typed filter is followed by Enter and the arrows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import ClassVar, Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.i18n import t
from screens.common.base import DeskScreen
from screens.common.tables import CHROME, RowTable, fill_table, highlighted_key
from screens.common.widgets import FieldError, KeyBar, StatusBar

Row = TypeVar("Row")
PAGE = 20

# The keys every list has; each screen puts its own between them, in the key bar's order.
OPEN_KEY = Binding("enter", "open", "open", id="open", priority=True)
# Priority: pages of rows, not the table's own scrolling within one.
PAGE_KEYS = [
    Binding("pagedown", "page(1)", "next_page", id="next_page", key_display="PgDn", priority=True),
    Binding("pageup", "page(-1)", "prev_page", id="prev_page", key_display="PgUp", priority=True),
]
BACK_KEY = Binding("escape", "back", "back", id="back")


def day_of(text: str) -> date | None:
    """A date filter: empty for every date, else one day (YYYY-MM-DD)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(t("gig.date_format")) from None


class PagedListScreen(DeskScreen[None], Generic[Row]):
    """Subclasses set LIST (the table's id; the title, filter line and note are
    "<LIST>-title", "<LIST>-filter", "<LIST>-note") and BOX, and give `filters`,
    `title_text`, `page_reader`, `headers`, `cells`, `row_key`, `summary`, `empty_note`
    and `open_row`."""

    LIST: ClassVar[str]
    BOX: ClassVar[str]
    LOADING: ClassVar[str] = "daylog.loading"
    FLEXIBLE: ClassVar[Sequence[str]] = ()
    RIGHT: ClassVar[Sequence[str]] = ()
    # The text filters from which Enter goes on to the list.
    TEXT_FILTERS: ClassVar[tuple[str, ...]] = ("date-filter",)
    DEFAULT_CSS = """
    PagedListScreen .paged-list { padding: 0 1; }
    PagedListScreen .list-title { text-style: bold; color: $accent; }
    PagedListScreen .list-filter { height: 1; }
    PagedListScreen .list-filter Label { width: auto; margin: 0 1 0 0; }
    PagedListScreen .list-filter Label.inline { margin: 0 1 0 2; }
    PagedListScreen .list-filter Select { width: 16; height: 1; }
    PagedListScreen .list-filter SelectCurrent {
        border: none; height: 1; padding: 0 1; background: $boost;
    }
    PagedListScreen .list-filter Input {
        width: 14; height: 1; border: none; padding: 0 1; background: $boost;
    }
    PagedListScreen .list-filter Input:focus { background: $primary 30%; }
    PagedListScreen .list-table { height: 1fr; }
    PagedListScreen .list-note { height: 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self.rows: dict[str, Row] = {}
        self.shown: list[Row] | None = None

    # --- what each list gives ---------------------------------------------------------------
    def filters(self) -> ComposeResult:
        """The widgets of the filter line."""
        yield from ()

    def title_text(self, page: int) -> str:
        raise NotImplementedError

    def page_reader(self, offset: int, limit: int) -> Callable[[], list[Row]] | None:
        """The blocking read of a page as the filters say, or None when a filter is wrong
        (said at it)."""
        raise NotImplementedError

    def headers(self) -> Mapping[str, str]:
        raise NotImplementedError

    def cells(self, rows: list[Row]) -> Iterable[tuple[str, Mapping[str, str], str]]:
        """(row key, cells, style) of each row shown."""
        raise NotImplementedError

    def summary(self, row: Row) -> str:
        raise NotImplementedError

    def empty_note(self, first_page: bool) -> str:
        raise NotImplementedError

    def open_row(self, row: Row) -> None:
        raise NotImplementedError

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id=self.BOX, classes="paged-list"):
            yield Static(self.title_text(0), id=f"{self.LIST}-title", classes="list-title")
            with Horizontal(id=f"{self.LIST}-filter", classes="list-filter"):
                yield from self.filters()
            yield FieldError(id="date-filter-error").hidden()
            yield RowTable(id=self.LIST, classes="list-table")
            yield Static(t(self.LOADING), id=f"{self.LIST}-note", classes="note list-note")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.load()  # first showing, back from a record or a form: as it is now

    def on_resize(self, _event: events.Resize) -> None:
        self._fill()

    # --- filtering and loading --------------------------------------------------------------
    @on(Select.Changed, ".list-filter Select")
    def _chosen(self) -> None:
        self.reload()

    @on(Input.Changed, "#date-filter")
    def _date_typed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value and len(value) < 10:
            return  # not a whole date yet
        self.reload()

    def reload(self) -> None:
        """From the first page: a filter changed."""
        self.page = 0
        self.load()

    def typed_day(self) -> tuple[bool, date | None]:
        """(good, day) of the date filter; a wrong date is said under it."""
        error = self.query_one("#date-filter-error", FieldError)
        try:
            day = day_of(self.query_one("#date-filter", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return False, None
        error.show("")
        return True, day

    def chosen(self, select_id: str) -> str:
        value = self.query_one(f"#{select_id}", Select).value
        return "" if value is Select.NULL else str(value)

    def load(self) -> None:
        page = self.page
        read = self.page_reader(page * PAGE, PAGE)
        if read is not None:
            self.run_service(read, lambda rows: self._show(page, rows), group=self.LIST)

    def _show(self, page: int, rows: list[Row]) -> None:
        self.page, self.shown = page, rows
        self.rows = {self.row_key(r): r for r in rows}
        self.query_one(f"#{self.LIST}-title", Static).update(self.title_text(page))
        with self.app.batch_update():
            self._fill()
        self._describe()

    def row_key(self, row: Row) -> str:
        return str(getattr(row, "id"))  # noqa: B009 - every listed row has an id

    def _fill(self) -> None:
        if self.shown is None:
            return
        table = self.query_one(f"#{self.LIST}", DataTable)
        rows = list(self.cells(self.shown))
        fill_table(table, self.headers(), rows, self.size.width - CHROME, self.FLEXIBLE, self.RIGHT)

    # --- the highlighted row ----------------------------------------------------------------
    def highlighted(self) -> Row | None:
        key = highlighted_key(self.query_one(f"#{self.LIST}", DataTable))
        return self.rows.get(key) if key else None

    @on(DataTable.RowHighlighted, ".list-table")
    def _describe(self) -> None:
        if self.shown is None:
            return
        row = self.highlighted()
        note = self.summary(row) if row is not None else self.empty_note(self.page == 0)
        self.query_one(f"#{self.LIST}-note", Static).update(note)

    # --- keys -------------------------------------------------------------------------------
    def focused_id(self) -> str | None:
        focused: Widget | None = self.focused
        return None if focused is None else focused.id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            # Enter on a Select opens its list of choices, as anywhere else.
            return self.focused_id() in (self.LIST, *self.TEXT_FILTERS)
        return True

    def action_open(self) -> None:
        table = self.query_one(f"#{self.LIST}", DataTable)
        if self.focused is not table:
            table.focus()  # Enter in a text filter: on to the list
            return
        row = self.highlighted()
        if row is not None:
            self.open_row(row)

    def action_page(self, step: int) -> None:
        table = self.query_one(f"#{self.LIST}", DataTable)
        if (step > 0 and table.row_count < PAGE) or (step < 0 and self.page == 0):
            return
        self.page += step
        self.load()

    def action_back(self) -> None:
        self.dismiss()
