"""A report as the command line gives it: XLSX or text in a new file, or text and JSON on
stdout alone (scripts read it as is)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from frontdesk.services.printout import write_text

Report = TypeVar("Report")


def emit(
    report: Report,
    fmt: str,
    output: Path | None,
    *,
    as_json: Callable[[Report], object],
    as_text: Callable[[Report], str],
    as_xlsx: Callable[[Report, Path], object],
) -> bool:
    """The report in `fmt` (text, json or xlsx) at `output`, or on stdout when there is none
    (XLSX always has one: the caller checked). True when it went to stdout."""
    if fmt == "xlsx":
        assert output is not None
        as_xlsx(report, output)
        return False
    if fmt == "json":
        body = json.dumps(as_json(report), ensure_ascii=False) + "\n"
    else:
        body = as_text(report)
    if output is None:
        sys.stdout.write(body)
        return True
    write_text(body, output)
    return False
