"""A settled worker's pay slip (工资条) on screen, and saved to a file.

The text is the service's (services/pay_slip.py) at 48 columns, the width of an 80 mm
receipt printer; the file is the same text, or one XLSX sheet when the name ends in .xlsx.
As every export here, a file is never overwritten.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.widgets import Input

from frontdesk.i18n import t
from screens.common.document_view import SAVE_CLOSE, DocumentScreen
from screens.common.printing import PRINT_KEY

if TYPE_CHECKING:
    from frontdesk.services.pay_slip import PaySlip
    from screens.common.printing import Job

SLIP_SHOWN = 48  # columns: the 80 mm printer's width, and the text file's


class PaySlipScreen(DocumentScreen):
    AUTO_FOCUS = "#slip-scroll"
    BINDINGS: ClassVar = [
        Binding("e", "export", "export", id="export"),
        PRINT_KEY,
        *SAVE_CLOSE,
    ]
    DEFAULT_CSS = """
    PaySlipScreen #slip-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BOX_ID, SCROLL_ID, TEXT_ID, FILE_ID = "slip-box", "slip-scroll", "slip-text", "slip-file"
    LOADING_KEY, SAVED_KEY = "settle.loading", "slip_view.saved"
    FILE_LABEL_KEY, FILE_HINT_KEY = "slip_view.file", "slip_view.file_hint"

    def __init__(self, assignment_id: uuid.UUID, name: str) -> None:
        super().__init__()
        self.assignment_id, self.name_shown = assignment_id, name

    def heading(self) -> str:
        return t("slip_view.title", name=self.name_shown)

    def read(self) -> tuple[PaySlip, str]:
        from frontdesk.services.pay_slip import pay_slip, slip_text

        desk = self.desk
        slip = pay_slip(desk.engine, desk.site_code, self.assignment_id)
        return slip, slip_text(slip, SLIP_SHOWN)

    def write(self, document: PaySlip, target: Path) -> None:
        from frontdesk.services.pay_slip import write_slip_text, write_slip_xlsx

        if target.suffix.lower() == ".xlsx":
            write_slip_xlsx(document, target)
        else:
            write_slip_text(document, target, SLIP_SHOWN)

    def file_name(self, document: PaySlip) -> str:
        from screens.common.save_paths import safe_name

        return safe_name(t("save.slip_name", name=document.worker, date=document.work_date))

    def print_job(self) -> Job:
        from frontdesk.printing.jobs import print_pay_slip

        found = self.assignment_id
        return lambda engine, actor, setup, now: print_pay_slip(engine, actor, setup, found, now)

    def action_export(self) -> None:
        self.query_one("#slip-file", Input).focus()
