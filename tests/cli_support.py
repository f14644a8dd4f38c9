"""The command line run in the test's own process.

`frontdesk ARGS` as a new interpreter would run it (the same `main`, its exit code, what
it printed on stdout and stderr), without paying an interpreter's start and the imports
for every call. An exception `main` does not turn into a message fails the test, as a
traceback on the terminal would.
"""

from __future__ import annotations

import io
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from unittest.mock import patch

from frontdesk.cli import main


def run_cli(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with (
        patch.dict(os.environ, {"FRONTDESK_LANG": lang}),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's refusals, exit 2 with its usage text
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(["frontdesk", *args], code, out.getvalue(), err.getvalue())
