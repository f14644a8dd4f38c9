"""`frontdesk central key create | backup | restore-backup | rotate`: the district's key
(frontdesk/hq/district_keys.py, README "Personal data at rest")."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from frontdesk.errors import UserError
from frontdesk.i18n import t

EXIT_OK = 0
PASSPHRASE_ENV = "FRONTDESK_PASSPHRASE"


def add_parsers(kinds, common: Callable[[argparse.ArgumentParser], None], parser_class) -> None:
    p = kinds.add_parser("key", help=t("cli.central_key_help"))
    acts = p.add_subparsers(dest="act", required=True, parser_class=parser_class)
    for act in ("create", "backup", "restore-backup", "rotate"):
        a = acts.add_parser(act, help=t(f"cli.central_key_{act.replace('-', '_')}_help"))
        common(a)
        a.add_argument("--central", help=t("cli.opt_central"))
        a.add_argument("--name", required=act != "create", help=t("cli.opt_hq_name"))
        a.add_argument("--pin", help=t("cli.opt_hq_pin"))
        if act in ("backup", "restore-backup"):
            a.add_argument("--file", type=Path, required=True, help=t("cli.opt_key_file"))
            a.add_argument("--passphrase", help=t("cli.opt_passphrase"))


def cmd_key(args, url: str) -> int:
    """`url`: the central store, as `frontdesk.cli.sync` found it."""
    from frontdesk.sync.admin import open_central

    central = open_central(url)
    try:
        _ACTS[args.act](central, args)
    finally:
        central.dispose()
    return EXIT_OK


def _pin(args) -> str:
    from frontdesk.cli.pin_prompt import read_pin

    pin = read_pin(args.pin, confirm=False)
    if pin is None:
        raise UserError("cli.pin_missing", field="pin")
    return pin


def _passphrase(args) -> str:
    given = args.passphrase or os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    import sys
    from getpass import getpass

    if not sys.stdin.isatty():
        raise UserError("district_key.passphrase_missing", field="passphrase")
    return getpass(t("cli.passphrase_prompt"))


def _create(central, args) -> None:
    from db.types import utcnow
    from frontdesk.hq.district_keys import create_key

    holder = (args.name, _pin(args)) if args.name else None
    create_key(central, holder, utcnow())
    print(t("cli.district_key_created" if holder else "cli.district_key_pending"))


def _signed_in(central, args):
    from db.types import utcnow
    from frontdesk.hq.accounts import sign_in

    pin = _pin(args)
    return sign_in(central, args.name, pin, utcnow()), pin


def _backup(central, args) -> None:
    from db.types import utcnow
    from frontdesk.hq.district_keys import backup

    actor, pin = _signed_in(central, args)
    backup(central, actor, pin, _passphrase(args), args.file, utcnow())
    print(t("cli.district_key_backed_up", path=str(args.file)))


def _restore_backup(central, args) -> None:
    from db.types import utcnow
    from frontdesk.hq.district_keys import restore_backup

    restore_backup(central, args.file, _passphrase(args), (args.name, _pin(args)), utcnow())
    print(t("cli.district_key_restored", name=args.name))


def _rotate(central, args) -> None:
    from db.types import utcnow
    from frontdesk.hq.district_keys import rotate

    actor, pin = _signed_in(central, args)
    rotate(central, actor, pin, utcnow())
    print(t("cli.district_key_rotated"))


_ACTS = {
    "create": _create,
    "backup": _backup,
    "restore-backup": _restore_backup,
    "rotate": _rotate,
}
