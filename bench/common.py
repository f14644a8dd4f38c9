"""What the bench scripts share: failures, progress, percentiles, the desk directory, the
options every desk bench takes, and running one with its --json or table output.

Every script reports a failed part as a `BenchError` (exit status 2), logs progress to
stderr (stdout holds only the table or the JSON object) and prints the keys of its
results' `summary()` with --json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@contextmanager
def bench_dir(keep: str | None, prefix: str) -> Iterator[Path]:
    """`--keep DIR` (empty or absent, kept afterwards) or a temporary directory (removed)."""
    if keep:
        root = Path(keep).resolve()
        if root.exists() and any(root.iterdir()):
            raise BenchError(f"--keep {root}: the directory must be empty or absent")
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def desk_options(
    parser: argparse.ArgumentParser, keep: str = "the desk in DIR and keep it"
) -> None:
    """--seed, --keep DIR and --json, as every bench that builds a desk takes them."""
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument("--keep", metavar="DIR", help=f"build {keep}")
    parser.add_argument("--json", action="store_true", help="print one JSON object only")


def pg_option(parser: argparse.ArgumentParser) -> None:
    """--pg, the PostgreSQL server the benches that sync to one create their database on."""
    parser.add_argument(
        "--pg",
        default=os.environ.get("FRONTDESK_TEST_PG", DEFAULT_PG),
        help=f"PostgreSQL admin URL (FRONTDESK_TEST_PG, else {DEFAULT_PG})",
    )


class Summarised(Protocol):
    def summary(self) -> dict[str, Any]: ...


Found = TypeVar("Found", bound=Summarised)


def run_and_print(
    script: str,
    args: argparse.Namespace,
    benchmark: Callable[[argparse.Namespace], Found],
    print_table: Callable[[Found], None],
    *,
    bugs_fail: bool = False,
) -> Found | None:
    """Run the bench and print its summary as JSON (--json) or its table; None when a part
    failed to run (said on stderr; the caller exits 2). With `bugs_fail`, any exception of
    the bench itself counts as such a failure too, with its traceback."""
    try:
        results = benchmark(args)
    except BenchError as exc:
        print(f"{script}: {exc}", file=sys.stderr)
        return None
    except Exception:
        if not bugs_fail:
            raise
        traceback.print_exc()
        return None
    if args.json:
        print(json.dumps(results.summary()))
    else:
        print_table(results)
    return results
