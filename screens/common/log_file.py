"""No Textual log file: with TEXTUAL_LOG set, Textual appends every `log` call (events and
field values, a PIN typed at sign-in included) to that file.

Textual reads the variable once, into `textual.constants.LOG_FILE`, when it is first
imported, and its logger reads that constant on every call: clearing it turns the file
off whatever the environment said. The variable goes too, so nothing started from the app
inherits it.
"""

from __future__ import annotations

import os

from textual import constants


def keep_no_log_file() -> None:
    os.environ.pop("TEXTUAL_LOG", None)
    constants.LOG_FILE = None  # type: ignore[misc]  # Final in Textual, set from the variable
