"""The items of a generator worked out in a child process while the caller uses the last.

A large import reads, checks and works out its next batch of rows in a second process
while this one writes the batch before it: on two cores it then takes about the longer of
the two instead of their sum. (A thread does not do it: the standard library's sqlite3 takes
the GIL back for every row it inserts, so a writing thread waits for a checking thread once
per row.) Only this process touches the database, so the transaction stays one; the pipe
holds about one batch, as the child waits on a full pipe, so memory stays bounded; leaving
early (a refusal, a cancel, Ctrl+C) stops the child.

The child is forked: it starts at once with every module already loaded, and runs only the
generator (no database, no terminal, no lock of another thread), then ends with os._exit.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from frontdesk.errors import UserError

T = TypeVar("T")
_ITEM, _END, _ERROR = "item", "end", "error"


def supported() -> bool:
    """Whether a child is forked here: on Linux (Windows has no fork; on macOS a forked
    child of a process with threads is not safe)."""
    return sys.platform.startswith("linux")


@contextmanager
def ahead(produce: Callable[..., Iterator[T]], *args: Any) -> Iterator[Iterator[T]]:
    """`produce(*args)`'s items, made in a child process one ahead of the caller.

    A UserError raised by the generator is raised here as it was; any other failure as a
    RuntimeError naming it (its traceback stayed in the child)."""
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_run, args=(sender, produce, args), daemon=True
    )
    child.start()
    sender.close()  # the child's end: EOF here when the child is gone
    try:
        yield _received(receiver)
    finally:
        receiver.close()  # a child blocked on a full pipe gets an error and ends
        if child.is_alive():
            child.terminate()
        child.join()


def _received(receiver: Connection) -> Iterator[Any]:
    while True:
        try:
            kind, value = receiver.recv()
        except EOFError:
            raise RuntimeError("the child process checking the rows ended unexpectedly") from None
        if kind == _END:
            return
        if kind == _ERROR:
            raise value
        yield value


def _run(sender: Connection, produce: Callable[..., Iterator[Any]], args: tuple) -> None:
    """The child: every item sent, then the end or the failure. Nothing escapes it (a
    traceback printed here would land on the desk's screen); a caller that left early
    closed its end, and the next send ends the child."""
    try:
        for item in produce(*args):
            sender.send((_ITEM, item))
        last: tuple[str, Any] = (_END, None)
    except UserError as exc:
        last = (_ERROR, exc)
    except BaseException as exc:  # said in the caller's process instead
        last = (_ERROR, RuntimeError(f"{type(exc).__name__}: {exc}"))
    with suppress(BaseException):
        sender.send(last)
        sender.close()
