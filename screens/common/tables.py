"""Tables of CJK text that fit the terminal: widths in terminal cells, flexible columns,
numbers right-aligned where each table says, the highlighted row kept across a refill; and
RowTable, the row-at-a-time list every screen uses, whose Home and End go to the first and
last row."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text, TextType
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

CELL_PADDING = 1  # DataTable's default: one cell each side of every column
MIN_FLEX = 6
CHROME = 4  # what a full-width table's screen takes of the width (borders, scrollbar)


class RowTable(DataTable[object]):
    """A list picked a row at a time, zebra-striped. DataTable's Home and End move sideways,
    which a row list never needs; here they go to the first and last row. The moving keys
    carry ids so F1 names them."""

    BINDINGS = [
        Binding("up", "cursor_up", "row_up", id="row_up", show=False),
        Binding("down", "cursor_down", "row_down", id="row_down", show=False),
        Binding("pageup", "page_up", "page_up", id="page_up", show=False),
        Binding("pagedown", "page_down", "page_down", id="page_down", show=False),
        Binding("home", "scroll_top", "row_first", id="row_first", show=False),
        Binding("end", "scroll_bottom", "row_last", id="row_last", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)

    # Labels and cells given as str are plain text here. DataTable would parse each as Rich
    # markup, whose emoji codes load Rich's emoji table (0.8 MiB resident for the session,
    # bench/README.md "What the TUI's memory is made of"), and which no label or cell of
    # ours means: a name or a note is shown as it was typed.
    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: object | None = None,
    ) -> ColumnKey:
        shown = Text(label) if isinstance(label, str) else label
        return super().add_column(shown, width=width, key=key, default=default)

    def add_row(
        self,
        *cells: object,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        no_wrap = height == 1  # as DataTable formats a str cell in a row one line high
        shown = [Text(c, no_wrap=no_wrap, end="") if isinstance(c, str) else c for c in cells]
        return super().add_row(*shown, height=height, key=key, label=label)


def natural_widths(headers: Mapping[str, str], rows: Iterable[Mapping[str, str]]) -> dict[str, int]:
    """The width each column would like: its widest cell or header, in terminal cells."""
    widths = {key: cell_len(label) for key, label in headers.items()}
    for row in rows:
        for key in widths:
            widths[key] = max(widths[key], cell_len(row[key]))
    return widths


def columns_that_fit(
    headers: Mapping[str, str],
    rows: Sequence[Mapping[str, str]],
    room: int,
    give_way: Sequence[str],
) -> list[str]:
    """The columns (in the headers' order) to show at this width: the `give_way` ones go,
    first first, until the rest fits at their natural widths."""
    shown = list(headers)
    widths = natural_widths(headers, rows)
    for key in give_way:
        if sum(widths[k] + 2 * CELL_PADDING for k in shown) <= room:
            break
        shown.remove(key)
    return shown


def fit_columns(natural: Mapping[str, int], room: int, flexible: Sequence[str]) -> dict[str, int]:
    """Column widths that fit `room`: fixed columns keep their width; flexible ones, in order
    of priority, share what is left, each at least MIN_FLEX (so a tiny terminal scrolls)."""
    widths = dict(natural)
    spare = room - 2 * CELL_PADDING * len(natural)
    spare -= sum(w for key, w in natural.items() if key not in flexible)
    for i, key in enumerate(flexible):
        kept_for_later = MIN_FLEX * (len(flexible) - i - 1)
        widths[key] = max(MIN_FLEX, min(natural[key], spare - kept_for_later))
        spare -= widths[key]
    return widths


def cell(text: str, right: bool = False, style: str = "") -> Text:
    # Ellipsis rather than a silent cut when a flexible column is narrower than its text.
    return Text(
        text, style=style, no_wrap=True, overflow="ellipsis", justify="right" if right else "left"
    )


def fill_table(
    table: DataTable,
    headers: Mapping[str, str],
    rows: Sequence[tuple[str, Mapping[str, str], str]],
    room: int,
    flexible: Sequence[str],
    right: Collection[str] = (),
) -> None:
    """Refill a table with (row key, cells, style) rows at widths that fit `room`; the
    columns named in `right` (amounts, counts) are right-aligned.

    The highlighted row stays highlighted when it is still there (after a void, a refresh).
    """
    kept = highlighted_key(table)
    widths = fit_columns(natural_widths(headers, (r[1] for r in rows)), room, flexible)
    table.clear(columns=True)
    for key, label in headers.items():
        table.add_column(cell(label, key in right), width=widths[key], key=key)
    for row_key, cells, style in rows:
        table.add_row(*(cell(cells[k], k in right, style) for k in headers), key=row_key)
    keys = [r[0] for r in rows]
    if kept in keys:
        table.move_cursor(row=keys.index(kept), animate=False)


def highlighted_key(table: DataTable) -> str | None:
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
    return None if key is None else str(key)
