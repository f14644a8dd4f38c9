"""What `frontdesk import seekers` shows while it runs, and how Ctrl+C stops it.

A progress bar on stderr (rich's) when stderr is a terminal: rows read, the rate and the
time left. Ctrl+C asks the import to stop at its next batch, where it rolls back and ends
with exit 1 and one line saying nothing was written; a second Ctrl+C stops at once (the
transaction is rolled back all the same).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bar
from rich.text import Text

from frontdesk.i18n import t
from frontdesk.services.spreadsheets import ImportCancelled, Progress


@contextmanager
def watched(stream: IO[str] | None = None) -> Iterator[Progress]:
    """A progress callback for the import: it draws the bar, and raises ImportCancelled
    once Ctrl+C was pressed."""
    stream = stream or sys.stderr
    stop = threading.Event()
    with _ctrl_c_sets(stop), _bar(stream) as draw:

        def told(done: int, total: int | None) -> None:
            if stop.is_set():
                raise ImportCancelled()
            draw(done, total)

        yield told


@contextmanager
def _ctrl_c_sets(stop: threading.Event) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: nothing to install
        return

    def first(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the next one interrupts

    before = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@contextmanager
def _bar(stream: IO[str]) -> Iterator[Progress]:
    if not stream.isatty():
        yield lambda done, total: None
        return
    columns = (
        TextColumn(t("seeker_io.cli_progress")),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    )
    with Bar(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task("", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class _RateColumn(ProgressColumn):
    """Rows a second, in the user's language."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(t("seeker_io.cli_rate", rate=round(speed)) if speed else "")
