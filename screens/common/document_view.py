"""A document shown as the printer prints it (a receipt, a pay slip) and saved to a file
or printed (the print key of a subclass, in a worker).

The file is the same text, or one XLSX sheet when the name ends in .xlsx; as every export
here, a file is never overwritten. The file box offers a free name in the documents folder
(screens/common/save_paths.py) once the document is loaded. Subclasses say what the
document is, how to load it (in a thread worker), how to write it and what to call the
file; the screen does the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from frontdesk.errors import describe
from frontdesk.i18n import t
from screens.common.base import DeskModal
from screens.common.save_paths import save_target, suggested_name
from screens.common.widgets import FieldError, KeyBar

if TYPE_CHECKING:
    from screens.common.printing import Job

# A subclass lists these in its BINDINGS after its own keys (Textual would put inherited
# bindings first in the key bar).
SAVE_CLOSE: list[BindingType] = [
    Binding("ctrl+s", "save_file", "save_file", id="save_file"),
    Binding("escape", "close", "close", id="close"),
]


class DocumentScreen(DeskModal[None]):
    # Widget ids (the stylesheet and the tests name them) and catalogue keys.
    BOX_ID: ClassVar[str]
    SCROLL_ID: ClassVar[str]
    TEXT_ID: ClassVar[str]
    FILE_ID: ClassVar[str]
    LOADING_KEY: ClassVar[str]
    FILE_LABEL_KEY: ClassVar[str]
    FILE_HINT_KEY: ClassVar[str]
    SAVED_KEY: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.document: Any = None
        self.busy = False

    # --- what a subclass says -----------------------------------------------------------------
    def heading(self) -> str:
        raise NotImplementedError

    def read(self) -> tuple[Any, str]:
        """The document and its text (in a thread worker); raise to show the error instead."""
        raise NotImplementedError

    def write(self, document: Any, target: Path) -> None:
        """Write the document to `target` (in a thread worker): XLSX or the text."""
        raise NotImplementedError

    def file_name(self, document: Any) -> str:
        """The name the file box suggests for the loaded document (in the documents folder)."""
        raise NotImplementedError

    def print_job(self) -> Job:
        """What the print key (PRINT_KEY in a subclass's BINDINGS) prints: the same layout at
        the printer's width (screens/common/printing.py runs it in a worker)."""
        raise NotImplementedError

    # --- the screen ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="box"):
            yield Static(self.heading(), classes="title")
            with VerticalScroll(id=self.SCROLL_ID):
                yield Static(t(self.LOADING_KEY), id=self.TEXT_ID, markup=False)
            with Horizontal(classes="form-row"):
                yield Label(t(self.FILE_LABEL_KEY))
                yield Input(id=self.FILE_ID, max_length=500, placeholder=t(self.FILE_HINT_KEY))
            yield FieldError(id=f"{self.FILE_ID}-error", classes="form-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self._error().show("")
        self.load()

    def _file(self) -> Input:
        return self.query_one(f"#{self.FILE_ID}", Input)

    def _error(self) -> FieldError:
        return self.query_one(f"#{self.FILE_ID}-error", FieldError)

    def load(self) -> None:
        self.run_service(
            self.read,
            lambda read: self._loaded(*read),
            group="document-load",
            refused=lambda exc: self._loaded(None, describe(exc)),  # said where the text goes
        )

    def _loaded(self, document: Any, text: str) -> None:
        self.document = document
        self.query_one(f"#{self.TEXT_ID}", Static).update(text)
        self._suggest()

    def _suggest(self) -> None:
        """Offer a free name in the documents folder, unless something is typed already."""
        box = self._file()
        if self.document is not None and not box.value:
            box.value = suggested_name(self.file_name(self.document))
            box.select_all()  # as focusing it would: typing replaces the suggestion

    @on(Input.Submitted)
    def action_save_file(self) -> None:
        if self.busy or self.document is None:
            return
        target = save_target(self._file().value)
        if target is None:
            self._error().show(t("seeker_io.path_required"))
            self._file().focus()
            return
        self._error().show("")
        self.busy = True
        self.save(self.document, target)

    def save(self, document: Any, target: Path) -> None:
        self.run_service(
            lambda: self.write(document, target),
            lambda _: self._saved(target),
            group="document-save",
            refused=self._not_saved,
        )

    def refusal_home(self) -> str:
        return f"{self.FILE_ID}-error"  # whatever the field: writing the file was refused

    def _saved(self, target: Path) -> None:
        self.busy = False
        self._file().value = ""
        self._suggest()  # the next free name, should another copy be wanted
        self.notify(t(self.SAVED_KEY, path=escape(str(target))))

    def _not_saved(self, exc: Exception) -> None:
        self.busy = False
        self.show_refusal(exc)
        self._file().focus()

    def action_print(self) -> None:
        from screens.common.printing import print_in_worker

        if self.document is not None:
            print_in_worker(self, self.print_job())

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
