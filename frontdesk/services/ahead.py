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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from frontdesk.errors import UserError

T = TypeVar("T")
_ITEM, _END, _ERROR = "item", "end", "error"


def supported() -> bool:
    """Whether this system can fork a child (not Windows, nor macOS's default)."""
    return "fork" in multiprocessing.get_all_start_methods()


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
    try:
        for item in produce(*args):
            sender.send((_ITEM, item))
    except UserError as exc:
        sender.send((_ERROR, exc))
    except BaseException as exc:
        sender.send((_ERROR, RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        sender.send((_END, None))
    finally:
        sender.close()
