"""`frontdesk close`, `void` and `adjust`: the close-out screen's acts, headless (../shared/CLI.md).

Each goes through the very service the screens call (services/closeout.py, walkins.py), as
the site's first active manager (`cli_actor`); a manager named with --manager approves with
a PIN from --pin, FRONTDESK_PIN or typed unseen at a terminal. A refusal is exit 1 with the
service's reason on stderr and nothing written.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from frontdesk.errors import UserError
from frontdesk.i18n import t

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
Common = Callable[[argparse.ArgumentParser], None]
PinOf = Callable[..., str | None]


def add_parsers(
    sub, common: Common, parser_class: type[argparse.ArgumentParser], day: Callable
) -> None:
    p = sub.add_parser("close", help=t("closing.cli_close_help"))
    common(p)
    p.add_argument(
        "--date", type=day, required=True, metavar="YYYY-MM-DD", help=t("closing.opt_date")
    )
    p.add_argument(
        "--counted",
        type=counted_arg,
        required=True,
        metavar="METHOD=YUAN,…",
        help=t("closing.opt_counted"),
    )
    p.add_argument(
        "--bill", type=Path, action="append", default=[], metavar="FILE", help=t("closing.opt_bill")
    )
    _approval(p)
    p.add_argument("--note", default="", help=t("closing.opt_note"))

    p = sub.add_parser("void", help=t("closing.cli_void_help"))
    common(p)
    p.add_argument("entry", type=entry_arg, metavar="ENTRY", help=t("closing.opt_entry"))
    p.add_argument("--reason", required=True, help=t("closing.opt_reason"))
    _approval(p)

    p = sub.add_parser("adjust", help=t("closing.cli_adjust_help"))
    common(p)
    p.add_argument(
        "--day", type=day, required=True, metavar="YYYY-MM-DD", help=t("closing.opt_day")
    )
    p.add_argument("--service", required=True, help=t("closing.opt_service"))
    p.add_argument("--amount", required=True, metavar="YUAN", help=t("closing.opt_amount"))
    p.add_argument("--method", required=True, help=t("closing.opt_method"))
    p.add_argument("--reason", required=True, help=t("closing.opt_reason"))


def _approval(p: argparse.ArgumentParser) -> None:
    p.add_argument("--manager", metavar="NAME", help=t("closing.opt_manager"))
    p.add_argument("--pin", help=t("closing.opt_pin"))


def counted_arg(text: str) -> dict[str, int]:
    """`cash=123.40,wechat=58.50` -> fen by method; a method left out was not counted."""
    from frontdesk.domain.money import clean_method, parse_yuan

    counted: dict[str, int] = {}
    for part in text.replace("，", ",").split(","):
        method, sep, amount = part.partition("=")
        try:
            code = clean_method(method)
            fen = parse_yuan(amount, code)
        except UserError:
            code, fen = "", None
        if not sep or not code or fen is None or code in counted:
            raise argparse.ArgumentTypeError(t("closing.bad_counted", value=part.strip()))
        counted[code] = fen
    return counted


def entry_arg(text: str) -> uuid.UUID:
    """A walk-in's id as `export walkins` gives it (记录编号), with or without dashes."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t("closing.bad_entry", value=text)) from None


def _desk(cfg):
    from frontdesk.services.desk import open_desk_for

    return open_desk_for(cfg.db, cfg.site)


def _manager(engine, site: str, args, pin_of: PinOf) -> tuple[uuid.UUID | None, str]:
    """The approving manager and PIN, or (None, "") when none is named."""
    from frontdesk.services.acting import manager_named

    if args.manager is None:
        return None, ""
    pin = pin_of(args.pin, confirm=False)
    if pin is None:
        raise UserError("closing.pin_needed", field="pin")
    return manager_named(engine, site, args.manager), pin


def cmd_close(args, cfg, pin_of: PinOf) -> int:
    from frontdesk.domain.clock import system_clock
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.bills import read_bill
    from frontdesk.services.closeout import CloseInput, close_day

    bills = tuple(read_bill(path) for path in args.bill)  # a bad bill: refused before all
    opened = _desk(cfg)
    engine, site = opened.engine, opened.info.site_code
    try:
        manager, pin = _manager(engine, site, args, pin_of)
        raw = CloseInput(
            args.date, args.counted, note=args.note, manager_id=manager, pin=pin, bills=bills
        )
        try:
            report = close_day(
                engine,
                cli_actor(engine, site),
                raw,
                system_clock(),
                cfg.amount_ceiling_fen,
                cfg.bill_rules,
                via="cli",
            )
        except UserError as exc:
            if exc.code == "closeout.needs_manager":  # say which differences, then why
                print(_differences(engine, site, raw), file=sys.stderr)
            for line in _at_methods(exc):
                print(line, file=sys.stderr)
            return EXIT_USER
    finally:
        engine.dispose()
    for line in closed_lines(report):
        print(line)
    return EXIT_OK


def _at_methods(exc: UserError) -> list[str]:
    """Each refusal on its own line, one at a method's count named by that method."""
    from frontdesk.domain.money import METHODS
    from frontdesk.errors import describe

    return [
        t("closing.at_method", method=t(f"method.{e.field}"), reason=describe(e))
        if e.field in METHODS
        else describe(e)
        for e in getattr(exc, "errors", [exc])
    ]


def _differences(engine, site: str, raw) -> str:
    from frontdesk.domain.money import METHODS, fmt_fen
    from frontdesk.services.closeout import over_short, x_report

    found = over_short(x_report(engine, site, raw.day).expected_fen, raw.counted_fen)
    parts = [
        f"{t(f'method.{m}')} {'+' if found[m] > 0 else ''}{fmt_fen(found[m])}"
        for m in METHODS
        if found[m]
    ]
    return t("closing.differences", list="; ".join(parts))


def closed_lines(report) -> list[str]:
    """What `close` prints: the day's totals, then each mobile method against its bill."""
    from frontdesk.domain.money import fmt_fen
    from frontdesk.services.closeout_bills import MOBILE

    lines = [
        t(
            "closing.closed",
            date=report.day.isoformat(),
            income=fmt_fen(report.income_fen),
            over=fmt_fen(report.over_fen),
            short=fmt_fen(report.short_fen),
            hash=report.hash[:16],
        )
    ]
    for m in MOBILE:
        found = report.reconciled.get(m)
        if found is None:
            lines.append(t("closing.not_reconciled", method=t(f"method.{m}")))
            continue
        lines.append(
            t(
                "closing.reconciled",
                method=t(f"method.{m}"),
                bill=fmt_fen(found.bill_fen),
                matched=found.matched,
                entries=found.unmatched_entries,
                lines=found.unmatched_bill_lines,
                cash=found.keyed_as_cash,
            )
        )
    return lines


def cmd_void(args, cfg, pin_of: PinOf) -> int:
    from frontdesk.domain.clock import system_clock
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.walkins import void_walkin

    opened = _desk(cfg)
    engine, site = opened.engine, opened.info.site_code
    try:
        manager, pin = _manager(engine, site, args, pin_of)
        actor = cli_actor(engine, site)
        void_walkin(engine, actor, args.entry, args.reason, system_clock(), manager, pin, via="cli")
    finally:
        engine.dispose()
    print(t("closing.voided", entry=str(args.entry)))
    return EXIT_OK


def cmd_adjust(args, cfg) -> int:
    from frontdesk.domain.clock import system_clock
    from frontdesk.domain.money import clean_method, fmt_fen, parse_signed_yuan
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.closeout import AdjustmentInput, add_adjustment
    from frontdesk.services.service_lines import active_services
    from frontdesk.services.walkin_io import service_named

    amount = parse_signed_yuan(args.amount, "amount", cfg.amount_ceiling_fen) or 0
    method = clean_method(args.method) or args.method  # blank: the service says so
    opened = _desk(cfg)
    engine, site = opened.engine, opened.info.site_code
    try:
        service = service_named(args.service, active_services(engine))
        raw = AdjustmentInput(args.day, service.id, amount, method, args.reason)
        actor = cli_actor(engine, site)
        payment = add_adjustment(engine, actor, raw, system_clock(), via="cli")
    finally:
        engine.dispose()
    booked = payment.business_date.isoformat()
    print(t("closing.adjusted", day=args.day.isoformat(), amount=fmt_fen(amount), booked=booked))
    return EXIT_OK
