"""The one rule for a date flag (--date, --from, --to): exactly YYYY-MM-DD, else wrong usage."""

from __future__ import annotations

import argparse
from datetime import date

from frontdesk.i18n import t


def day(text: str) -> date:
    """A bad one is wrong usage (exit 2), like any other bad flag."""
    try:
        if len(text) != 10:  # fromisoformat would also take 20261126
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("walkin_io.cli_bad_date", value=text)) from None
