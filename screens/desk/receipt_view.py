"""An income entry's receipt (收据) on screen, printed, reprinted, or saved as text.

R on today's log opens it for the highlighted entry; the receipt is issued with the desk's
next number the first time (services/receipts.py) and is the same receipt every time after.
The text is the one layout the printer gets, at the configured paper's width; F6 prints it
(a print after the first is marked 重印), Ctrl+S saves it, never overwriting a file.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from frontdesk.i18n import t
from screens.common.document_view import SAVE_CLOSE, DocumentScreen
from screens.common.printing import PRINT_KEY

if TYPE_CHECKING:
    from frontdesk.services.receipts import ReceiptView
    from screens.common.printing import Job


class ReceiptScreen(DocumentScreen):
    AUTO_FOCUS = "#receipt-view-scroll"
    BINDINGS: ClassVar = [PRINT_KEY, *SAVE_CLOSE]
    DEFAULT_CSS = """
    ReceiptScreen #receipt-view-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BOX_ID, SCROLL_ID = "receipt-view-box", "receipt-view-scroll"
    TEXT_ID, FILE_ID = "receipt-view-text", "receipt-view-file"
    LOADING_KEY, SAVED_KEY = "receipt.loading", "receipt.saved"
    FILE_LABEL_KEY, FILE_HINT_KEY = "receipt.file", "receipt.file_hint"

    def __init__(self, entry_id: uuid.UUID) -> None:
        super().__init__()
        self.entry_id = entry_id

    def heading(self) -> str:
        return t("key.receipt")

    def read(self) -> tuple[ReceiptView, str]:
        from frontdesk.services.receipts import issue_receipt, receipt_text

        receipt = issue_receipt(self.desk.engine, self.actor, self.entry_id, self.host.now())
        return receipt, receipt_text(receipt, self.host.cfg.printer.columns)

    def write(self, document: ReceiptView, target: Path) -> None:
        from frontdesk.services.printout import write_text
        from frontdesk.services.receipts import receipt_text

        write_text(receipt_text(document, self.host.cfg.printer.columns), target)

    def file_name(self, document: ReceiptView) -> str:
        return t("receipt.file_name", number=document.number_text)

    def print_job(self) -> Job:
        from frontdesk.printing.jobs import print_receipt

        entry = self.entry_id
        return lambda engine, actor, setup, now: print_receipt(engine, actor, setup, entry, now)
