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


def run_cli(
    *args: str, lang: str | None = "zh", pin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`lang` and `pin` go in FRONTDESK_LANG and FRONTDESK_PIN (None: not set), as a
    shell would pass them; the environment is put back afterwards."""
    out, err = io.StringIO(), io.StringIO()
    with patch.dict(os.environ), redirect_stdout(out), redirect_stderr(err):
        for key, value in (("FRONTDESK_LANG", lang), ("FRONTDESK_PIN", pin)):
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's refusals, exit 2 with its usage text
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(["frontdesk", *args], code, out.getvalue(), err.getvalue())
