"""A course's completion list (结业名单) on screen, and saved to a file: the text, or one
XLSX sheet when the name ends in .xlsx (the existing spreadsheet writer). Never overwritten;
names and phones masked, as the service gives them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.widgets import Input

from frontdesk.i18n import t
from screens.common.document_view import SAVE_CLOSE, DocumentScreen

if TYPE_CHECKING:
    from frontdesk.services.session_attendance import CompletionList


class CompletionScreen(DocumentScreen):
    AUTO_FOCUS = "#completion-scroll"
    BINDINGS: ClassVar = [
        Binding("e", "export", "export", id="export"),
        *SAVE_CLOSE,
    ]
    DEFAULT_CSS = """
    CompletionScreen #completion-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BOX_ID, SCROLL_ID = "completion-box", "completion-scroll"
    TEXT_ID, FILE_ID = "completion-text", "completion-file"
    LOADING_KEY, SAVED_KEY = "activity.loading", "activity.completion_saved"
    FILE_LABEL_KEY, FILE_HINT_KEY = "slip_view.file", "slip_view.file_hint"

    def __init__(self, session_id: uuid.UUID, title: str) -> None:
        super().__init__()
        self.session_id, self.title_text = session_id, title

    def heading(self) -> str:
        return t("activity.completion_title", title=self.title_text)

    def read(self) -> tuple[CompletionList, str]:
        from frontdesk.services.completion_output import completion_text
        from frontdesk.services.session_attendance import completion_list

        found = completion_list(self.desk.engine, self.desk.site_code, self.session_id)
        return found, completion_text(found)

    def write(self, document: CompletionList, target: Path) -> None:
        from frontdesk.services.completion_output import write_completion

        write_completion(document, target)

    def file_name(self, document: CompletionList) -> str:
        from screens.common.save_paths import safe_name

        return safe_name(t("activity.completion_file", title=document.title))

    def action_export(self) -> None:
        self.query_one("#completion-file", Input).focus()
