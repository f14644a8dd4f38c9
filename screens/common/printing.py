"""Printing from a screen: the job runs in a thread worker (a printer may take seconds to
answer or fail), and its outcome is a notice; the screen never waits on the printer.

A fault says why and that the document is kept for a later print (frontdesk/printing/jobs.py);
nothing the clerk did before the print is undone by it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from frontdesk.errors import describe
from frontdesk.i18n import t

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from frontdesk.printing.jobs import Printed
    from frontdesk.printing.setup import PrinterSetup
    from frontdesk.services.acting import Actor
    from screens.common.base import DeskScreen

    Job = Callable[[Engine, Actor, PrinterSetup, datetime], Printed]

PRINT_KEY: BindingType = Binding("f6", "print", "print", id="print")
FAULT_SECONDS = 20  # long enough to read what to check on the printer


def print_in_worker(screen: DeskScreen, job: Job) -> None:
    """Run `job` with the desk, the acting person, the configured printer and the time."""
    screen.notify(t("print.printing"), timeout=2)
    screen.run_service(
        lambda: job(screen.desk.engine, screen.actor, screen.host.cfg.printer, screen.host.now()),
        lambda done: screen.notify(done.message()),
        group="print",
        refused=lambda exc: screen.notify(describe(exc), severity="error", timeout=FAULT_SECONDS),
        exclusive=False,  # a second print does not cancel the first one's message
    )
