"""`frontdesk hq` (the head-office TUI) and `frontdesk hq report --month | --from --to`
(../shared/CLI.md)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from frontdesk.cli.dates import day
from frontdesk.cli.sync import Common, central_url, existing_central
from frontdesk.i18n import t

EXIT_OK, EXIT_USAGE = 0, 2


def add_parsers(sub, common: Common, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("hq", help=t("cli.hq_help"))
    common(p)
    p.add_argument("--central", help=t("cli.opt_central"))
    kinds = p.add_subparsers(dest="kind", parser_class=parser_class)
    r = kinds.add_parser("report", help=t("cli.hq_report_help"))
    common(r)
    r.add_argument("--central", default=argparse.SUPPRESS, help=t("cli.opt_central"))
    span = r.add_mutually_exclusive_group(required=True)
    span.add_argument("--month", type=month, metavar="YYYY-MM", help=t("cli.opt_month"))
    span.add_argument(
        "--from", dest="first", type=day, metavar="YYYY-MM-DD", help=t("cli.opt_from")
    )
    r.add_argument("--to", dest="last", type=day, metavar="YYYY-MM-DD", help=t("cli.opt_to"))
    r.add_argument(
        "--format",
        choices=("text", "json", "xlsx"),
        default="text",
        help=t("cli.opt_report_format"),
    )
    r.add_argument("-o", "--output", type=Path, help=t("cli.opt_report_output"))


def month(text: str) -> date:
    """--month: a bad one is wrong usage (exit 2), as a bad --date is. Exactly YYYY-MM:
    2026-1 may be a slip for 2026-01 or 2026-10, so it is refused, not guessed."""
    if re.fullmatch(r"\d{4}-\d{2}", text):
        from frontdesk.errors import UserError
        from frontdesk.hq.monthly import parse_month

        try:
            return parse_month(text)
        except UserError:
            pass
    raise argparse.ArgumentTypeError(t("hq.bad_month", value=text))


def cmd_hq(args, cfg) -> int:
    if getattr(args, "kind", None) == "report":
        return _report(args, cfg)
    from screens.start import hq_app, run

    return run(hq_app(cfg, central_url(args, cfg)))


def _report(args, cfg) -> int:
    if args.format == "xlsx" and args.output is None:
        print(t("cli.usage_error", reason=t("hq.xlsx_needs_output")), file=sys.stderr)
        return EXIT_USAGE
    if (args.first is None) != (args.last is None) or (args.month and args.last):
        print(t("cli.usage_error", reason=t("hq.period_needs_both")), file=sys.stderr)
        return EXIT_USAGE
    from frontdesk.cli.report_output import emit
    from frontdesk.hq.month_output import month_text, write_month_xlsx
    from frontdesk.hq.monthly import month_report, period_report, report_json
    from frontdesk.sync.admin import open_central

    engine = open_central(existing_central(central_url(args, cfg)))
    try:
        if args.month:
            report = month_report(engine, args.month)
        else:
            report = period_report(engine, args.first, args.last)
    finally:
        engine.dispose()
    shown = emit(
        report,
        args.format,
        args.output,
        as_json=report_json,
        as_text=month_text,
        as_xlsx=write_month_xlsx,
    )
    if shown:  # stdout holds the report alone
        return EXIT_OK
    if report.month:
        print(t("hq.written", month=report.month, path=str(args.output)))
    else:
        print(t("hq.written_period", first=args.first, last=args.last, path=str(args.output)))
    return EXIT_OK


COMMANDS = {"hq": cmd_hq}
