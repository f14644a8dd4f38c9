"""A PIN for a command: from its option, the environment or typed unseen at a terminal."""

from __future__ import annotations

import os
import sys

from frontdesk.i18n import t


def read_pin(given: str | None, *, confirm: bool) -> str | None:
    """A PIN from --pin, else FRONTDESK_PIN, else typed at a terminal (never echoed).

    --pin is shown to anyone who lists the processes; the other two are not.
    """
    if given is not None:
        return given
    if os.environ.get("FRONTDESK_PIN"):
        return os.environ["FRONTDESK_PIN"]
    if not sys.stdin.isatty():
        return None
    from getpass import getpass

    from frontdesk.errors import UserError

    pin = getpass(t("cli.pin_prompt"))
    if confirm and getpass(t("cli.pin_again")) != pin:
        raise UserError("cli.pin_mismatch", field="pin")
    return pin
