"""`frontdesk central …`, `sync` and `restore` (../shared/CLI.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from db.vocabulary import HQ_ROLES
from frontdesk.cli import central_key
from frontdesk.errors import UserError
from frontdesk.i18n import t

EXIT_OK, EXIT_USER = 0, 1
KEY_HOLDER = HQ_ROLES[-1]
Common = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub, common: Common, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("central", help=t("cli.central_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=parser_class)
    p = kinds.add_parser("init", help=t("cli.central_init_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    p.add_argument("--hq-name", help=t("cli.opt_hq_name"))
    p.add_argument("--hq-pin", help=t("cli.opt_hq_pin"))
    p = kinds.add_parser("add-hq-staff", help=t("cli.central_add_hq_staff_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    p.add_argument("--name", required=True, help=t("cli.opt_hq_name"))
    p.add_argument("--role", required=True, choices=HQ_ROLES, help=t("cli.opt_hq_role"))
    p.add_argument("--pin", help=t("cli.opt_hq_pin"))
    p = kinds.add_parser("edit-hq-staff", help=t("cli.central_edit_hq_staff_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    p.add_argument("--name", required=True, help=t("cli.opt_hq_name"))
    state = p.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true", help=t("cli.opt_hq_disable"))
    state.add_argument("--enable", action="store_true", help=t("cli.opt_hq_enable"))
    p.add_argument("--role", choices=HQ_ROLES, help=t("cli.opt_hq_role"))
    p.add_argument("--new-pin", nargs="?", const="", help=t("cli.opt_hq_new_pin"))
    p = kinds.add_parser("add-site", help=t("cli.central_add_site_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    p.add_argument("--site", required=True, help=t("cli.opt_site"))
    p.add_argument("--site-name", required=True, help=t("cli.opt_site_name"))
    central_key.add_parsers(kinds, common, parser_class)

    p = sub.add_parser("sync", help=t("cli.sync_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))

    p = sub.add_parser("restore", help=t("cli.restore_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    p.add_argument("--site", required=True, help=t("cli.opt_site"))
    p.add_argument("--hq-name", help=t("cli.opt_restore_hq_name"))
    p.add_argument("--hq-pin", help=t("cli.opt_hq_pin"))


def central_url(args, cfg) -> str:
    url = getattr(args, "central", None) or cfg.central_url
    if not url:
        raise UserError("sync.no_central")
    return url


def existing_central(url: str) -> str:
    """`url`, once a central store given as a SQLite file is known to exist: SQLite would
    create a missing one, so a slip in the path left an empty file behind and a puzzling
    message. Creating a central store is `central init`'s job alone."""
    if "://" in url:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if not parsed.drivername.startswith("sqlite") or not parsed.database:
            return url
        path = Path(parsed.database)
    else:
        path = Path(url)
    if not path.exists():
        raise UserError("cli.central_missing", path=str(path))
    return url


def shown(url: str) -> str:
    """A URL fit to print: the password never reaches a terminal or a log."""
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_central(args, cfg) -> int:
    kinds = {
        "init": _central_init,
        "add-site": _central_add_site,
        "add-hq-staff": _add_hq_staff,
        "edit-hq-staff": _edit_hq_staff,
        "key": lambda args, cfg: central_key.cmd_key(
            args, existing_central(central_url(args, cfg))
        ),
    }
    return kinds[args.kind](args, cfg)


def _central_init(args, cfg) -> int:
    from frontdesk.sync.admin import init_central

    url = central_url(args, cfg)
    ready = init_central(url)
    if ready.backup is not None:
        print(t("cli.central_upgraded", path=str(ready.backup)))
    print(t("cli.central_ready", url=shown(url)))
    if args.hq_name:  # the first account holds every right: it may make the keys too
        _hq_account(url, args.hq_name, KEY_HOLDER, args.hq_pin)
    elif not _has_hq_account(url):
        print(t("cli.hq_staff_none"), file=sys.stderr)
    return EXIT_OK


def _add_hq_staff(args, cfg) -> int:
    _hq_account(existing_central(central_url(args, cfg)), args.name, args.role, args.pin)
    return EXIT_OK


def _edit_hq_staff(args, cfg) -> int:
    """As the store's owner (the URL's credentials), like add-hq-staff; audited."""
    from frontdesk.cli.pin_prompt import read_pin
    from frontdesk.hq.accounts import AccountChange, change_account
    from frontdesk.sync.admin import open_central

    url = existing_central(central_url(args, cfg))
    pin = None
    if args.new_pin is not None:
        pin = read_pin(args.new_pin or None, confirm=True)
        if pin is None:
            raise UserError("cli.pin_missing", field="pin")
    active = True if args.enable else False if args.disable else None
    central = open_central(url)
    try:
        row = change_account(central, args.name, AccountChange(active, args.role, pin))
    finally:
        central.dispose()
    state = t("cli.hq_staff_active" if row.active else "cli.hq_staff_inactive")
    role = t(f"hq_account.role_{row.role}")
    print(t("cli.hq_staff_changed", name=row.name, role=role, state=state))
    return EXIT_OK


def _hq_account(url: str, name: str, role: str, given_pin: str | None) -> None:
    from frontdesk.cli.pin_prompt import read_pin
    from frontdesk.hq.accounts import add_account
    from frontdesk.sync.admin import open_central

    pin = read_pin(given_pin, confirm=True)
    if pin is None:
        raise UserError("cli.pin_missing", field="pin")
    central = open_central(url)
    try:
        row = add_account(central, name, role, pin)
    finally:
        central.dispose()
    print(t("cli.hq_staff_added", name=row.name, role=t(f"hq_account.role_{row.role}")))


def _has_hq_account(url: str) -> bool:
    from frontdesk.hq.accounts import accounts
    from frontdesk.sync.admin import open_central

    central = open_central(url)
    try:
        return bool(accounts(central))
    finally:
        central.dispose()


def _central_add_site(args, cfg) -> int:
    from frontdesk.sync.admin import add_site

    added = add_site(central_url(args, cfg), args.site, args.site_name)
    print(t("cli.site_added", site=added.site))
    # The site's own URL carries its password: printed once, for the desk's config.
    print(t("cli.site_url", url=added.url))
    return EXIT_OK


def cmd_sync(args, cfg) -> int:
    from frontdesk.services.desk import open_desk_for
    from frontdesk.sync.runner import Central, sync_with_retries

    url = existing_central(central_url(args, cfg))
    opened = open_desk_for(cfg.db, cfg.site)
    central = Central(url)
    try:
        report = sync_with_retries(opened.engine, central)
    except Exception as exc:
        from frontdesk.sync.link import SyncError, is_transient

        if isinstance(exc, SyncError):
            raise
        if is_transient(exc):
            raise UserError("sync.offline", reason=_reason(exc)) from exc
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):  # e.g. a role without the rights it needs
            raise UserError("sync.refused", reason=_reason(exc)) from exc
        raise
    finally:
        central.dispose()
        opened.engine.dispose()
    _print_report(report)
    return EXIT_OK if report.pending == 0 else EXIT_USER


def _reason(exc: BaseException) -> str:
    from frontdesk.sync.apply import reason_of

    return reason_of(exc)


def _print_report(report) -> None:
    push = report.push
    if push.recovered:
        print(t("cli.sync_recovered", count=push.recovered))
    print(
        t(
            "cli.sync_done",
            sent=push.sent,
            applied=push.applied,
            unchanged=push.unchanged,
            quarantined=push.quarantined,
            pulled=report.pull.applied,
            pending=report.pending,
        )
    )
    if report.rejects:
        print(t("cli.sync_rejects", count=report.rejects), file=sys.stderr)
    if report.clock_warning:
        print(t("cli.sync_clock", seconds=report.clock_offset_s), file=sys.stderr)


def cmd_restore(args, cfg) -> int:
    from frontdesk.config import default_db
    from frontdesk.sync.restore import restore

    url = existing_central(central_url(args, cfg))
    path = Path(cfg.db)
    if path == default_db():  # our own data folder may be made, once there is a store to read
        path.parent.mkdir(parents=True, exist_ok=True)
    holder = None
    if args.hq_name:  # a key holder present: the district's key unseals the people
        from frontdesk.cli.pin_prompt import read_pin

        pin = read_pin(args.hq_pin, confirm=False)
        if pin is None:
            raise UserError("cli.pin_missing", field="pin")
        holder = (args.hq_name, pin)
    done = restore(url, args.site, path, holder)
    print(t("cli.restore_done", rows=done.rows, path=str(path), seconds=done.seconds))
    print(t("pins.restore_note"))
    return EXIT_OK


COMMANDS = {"central": cmd_central, "sync": cmd_sync, "restore": cmd_restore}
