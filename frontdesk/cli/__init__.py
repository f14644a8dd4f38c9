"""The `frontdesk` console script (../shared/CLI.md).

Heavy imports wait until a command needs them, so `--help` and `--version` stay instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from frontdesk import __version__
from frontdesk.cli import argparse_words
from frontdesk.cli import closing as cli_closing
from frontdesk.cli import hq as cli_hq
from frontdesk.cli import printer as cli_printer
from frontdesk.cli import sync as cli_sync
from frontdesk.cli.pin_prompt import read_pin
from frontdesk.i18n import set_language, t

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
MAKES_THE_DESK = frozenset({"tui", "init", "demo"})  # restore: once the central store is found


# argparse's own messages (English, from Python), said again in the user's language.
_ARGPARSE_SAYS = (
    (r"the following arguments are required: (?P<names>.+)", "cli.arg_required"),
    (r"unrecognized arguments: (?P<names>.+)", "cli.arg_unknown"),
    (
        r"argument (?P<name>[^:]+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
        "cli.arg_choice",
    ),
    (r"argument (?P<name>[^:]+): expected one argument", "cli.arg_value_missing"),
    (r"argument (?P<name>[^:]+): invalid \w+ value: (?P<value>.+)", "cli.arg_invalid"),
    (r"argument (?P<name>[^:]+): (?P<reason>.+)", "cli.arg_reason"),  # our own words inside
)


def usage_reason(message: str) -> str:
    """argparse's message in the user's language where it is one of the usual ones."""
    import re

    for pattern, key in _ARGPARSE_SAYS:
        found = re.fullmatch(pattern, message)
        if found:
            return t(key, **found.groupdict())
    return message  # ours already (a type check's words), or one argparse rarely says


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with a one-line reason, as CLI.md says
        self.print_usage(sys.stderr)
        print(t("cli.usage_error", reason=usage_reason(message)), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _common(p: argparse.ArgumentParser, top: bool = False) -> None:
    # SUPPRESS on subcommands so `frontdesk --lang en init` keeps the top-level value.
    default = None if top else argparse.SUPPRESS
    p.add_argument("--db", type=Path, default=default, help=t("cli.opt_db"))
    p.add_argument("--lang", choices=("zh", "en"), default=default, help=t("cli.opt_lang"))


def build_parser() -> argparse.ArgumentParser:
    argparse_words.install()  # argparse's own words too in the user's language
    parser = _Parser(prog="frontdesk", description=t("cli.description"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"frontdesk {__version__}",
        help=t("cli.opt_version"),  # argparse's own is English, and not asked of gettext
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("init", help=t("cli.init_help"))
    _common(p)
    p.add_argument("--site", required=True, help=t("cli.opt_site"))
    p.add_argument("--site-name", required=True, help=t("cli.opt_site_name"))
    p.add_argument("--manager", required=True, help=t("cli.opt_manager"))
    p.add_argument("--pin", help=t("cli.opt_pin"))

    p = sub.add_parser("demo", help=t("cli.demo_help"))
    _common(p)
    p.add_argument("--no-tui", action="store_true", help=t("cli.opt_no_tui"))
    p.add_argument("--seed", type=int, default=2026, help=t("cli.opt_seed"))

    p = sub.add_parser("backup", help=t("cli.backup_help"))
    _common(p)
    p.add_argument("-o", "--output", type=Path, required=True, help=t("cli.opt_output"))

    p = sub.add_parser("check", help=t("cli.check_help"))
    _common(p)

    p = sub.add_parser("import", help=t("seeker_io.cli_import_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    _import_options(kinds.add_parser("seekers", help=t("seeker_io.cli_import_seekers_help")))
    p = kinds.add_parser("walkins", help=t("walkin_io.cli_import_walkins_help"))
    _import_options(p)
    p.add_argument("--again", action="store_true", help=t("walkin_io.cli_opt_again"))
    for kind in ("employers", "postings"):
        _import_options(kinds.add_parser(kind, help=t(f"employment_io.cli_import_{kind}_help")))

    p = sub.add_parser("export", help=t("seeker_io.cli_export_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    p = kinds.add_parser("seekers", help=t("seeker_io.cli_export_seekers_help"))
    _common(p)
    p.add_argument("-o", "--output", type=Path, required=True, help=t("seeker_io.cli_opt_output"))
    p.add_argument("--manager", help=t("seeker_io.cli_opt_manager"))
    p.add_argument("--pin", help=t("seeker_io.cli_opt_pin"))
    _export_days_options(kinds.add_parser("walkins", help=t("walkin_io.cli_export_walkins_help")))
    _export_days_options(kinds.add_parser("payments", help=t("walkin_io.cli_export_payments_help")))
    for kind in ("employers", "postings"):
        p = kinds.add_parser(kind, help=t(f"employment_io.cli_export_{kind}_help"))
        _common(p)
        p.add_argument(
            "-o", "--output", type=Path, required=True, help=t("seeker_io.cli_opt_output")
        )
    p = kinds.add_parser("board", help=t("notice.cli_help"))
    _common(p)
    p.add_argument("-o", "--output", type=Path, help=t("seeker_io.cli_opt_output"))
    p.add_argument("--chat", action="store_true", help=t("notice.cli_opt_chat"))

    p = sub.add_parser("report", help=t("day_report.cli_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    p = kinds.add_parser("day", help=t("day_report.cli_day_help"))
    _common(p)
    p.add_argument(
        "--date", type=_day, required=True, metavar="YYYY-MM-DD", help=t("day_report.cli_opt_date")
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "xlsx"),
        default="text",
        help=t("day_report.cli_opt_format"),
    )
    p.add_argument("-o", "--output", type=Path, help=t("day_report.cli_opt_output"))

    cli_closing.add_parsers(sub, _common, _Parser, _day)
    cli_sync.add_parsers(sub, _common, _Parser)
    cli_hq.add_parsers(sub, _common, _Parser)
    cli_printer.add_parsers(sub, _common, _Parser)
    return parser


def _import_options(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("file", type=Path, help=t("seeker_io.cli_opt_file"))
    p.add_argument("--skip-invalid", action="store_true", help=t("seeker_io.cli_opt_skip_invalid"))
    p.add_argument("--rejects", type=Path, help=t("seeker_io.cli_opt_rejects"))
    p.add_argument("--sheet", metavar="NAME", help=t("seeker_io.cli_opt_sheet"))


def _export_days_options(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("-o", "--output", type=Path, required=True, help=t("seeker_io.cli_opt_output"))
    day = "YYYY-MM-DD"
    p.add_argument(
        "--from", dest="date_from", type=_day, metavar=day, help=t("walkin_io.cli_opt_from")
    )
    p.add_argument("--to", dest="date_to", type=_day, metavar=day, help=t("walkin_io.cli_opt_to"))


def _day(text: str) -> date:
    """A --date/--from/--to value (frontdesk/cli/dates.py holds the rule)."""
    from frontdesk.cli.dates import day

    return day(text)


def _early_language(argv: Sequence[str]) -> str:
    """The language for --help and errors, before the full config is read."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    env = os.environ.get("FRONTDESK_LANG", "")
    if env:
        return env
    try:
        from frontdesk.config import load

        return load().lang
    except Exception:  # a broken config is reported properly once the command runs
        return "zh"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _early_language(argv)
    set_language(lang if lang in ("zh", "en") else "zh")
    args = build_parser().parse_args(argv)
    store = ""  # the central store's URL, for a refusal that names no path
    try:
        from frontdesk.config import default_db, load

        cfg = load({"db": getattr(args, "db", None), "lang": getattr(args, "lang", None)})
        set_language(cfg.lang)
        store = getattr(args, "central", None) or cfg.central_url
        command = args.command or "tui"
        # Our own data folder is made for a command that makes the database in it; any other
        # folder must exist, and no command that only reads makes anything.
        if command in MAKES_THE_DESK and cfg.db == default_db():
            cfg.db.parent.mkdir(parents=True, exist_ok=True)
        return COMMANDS[command](args, cfg)
    except KeyboardInterrupt:
        return EXIT_USER
    except Exception as exc:  # every error a person can act on has a code and words
        print(_said(exc, store), file=sys.stderr)
        return EXIT_USER


def _said(exc: Exception, store: str) -> str:
    """The one line for an error a person can act on; anything else is a bug: raised."""
    from frontdesk.cli.driver_words import driver_message, is_driver_error, tidy_refusal
    from frontdesk.errors import describe, is_database_error

    if getattr(exc, "translatable", False):
        tidy_refusal(exc, cli_sync.shown(store) if store else "")
        return describe(exc)
    if is_database_error(exc):
        return describe(exc)
    if is_driver_error(exc):  # e.g. PostgreSQL down, or a login without a database
        return driver_message(exc)
    raise exc


def _cmd_tui(args, cfg) -> int:
    from screens.start import desk_app, run

    return run(desk_app(cfg))


def _cmd_init(args, cfg) -> int:
    from frontdesk.services.desk import DeskSetup, set_up_desk

    pin = read_pin(args.pin, confirm=True)
    if pin is None:
        print(t("cli.usage_error", reason=t("cli.pin_missing")), file=sys.stderr)
        return EXIT_USAGE
    setup = DeskSetup(args.site, args.site_name, args.manager, pin)
    set_up_desk(cfg.db, setup).dispose()
    print(t("cli.init_done", path=str(cfg.db), site=setup.validated().site_code))
    return EXIT_OK


def _cmd_demo(args, cfg) -> int:
    if not args.no_tui:  # the TUI follows: ready the process before the demo loads anything
        from screens.runtime import leave_out_system_openssl

        leave_out_system_openssl()
    from frontdesk.services.demo import ensure_demo

    built = ensure_demo(cfg.db, seed=args.seed)
    if built is None:
        print(t("cli.demo_exists", path=str(cfg.db)))
    else:
        print(t("cli.demo_done", path=str(cfg.db), people=built.people, walkins=built.walkins))
    print(t("cli.demo_pins"))
    if args.no_tui:
        return EXIT_OK
    return _cmd_tui(args, cfg)


def _cmd_backup(args, cfg) -> int:
    from frontdesk.services.maintenance import backup

    backup(cfg.db, args.output)
    print(t("cli.backup_done", path=str(args.output)))
    return EXIT_OK


def _cmd_check(args, cfg) -> int:
    from frontdesk.services.maintenance import check

    problems = check(cfg.db)
    if not problems:
        print(t("cli.check_ok", path=str(cfg.db)))
        return EXIT_OK
    for problem in problems:
        print(problem, file=sys.stderr)
    print(t("cli.check_failed", count=len(problems)), file=sys.stderr)
    return EXIT_USER


def _cmd_import(args, cfg) -> int:
    return {
        "seekers": _cmd_import_seekers,
        "walkins": _cmd_import_walkins,
        "employers": _cmd_import_employment,
        "postings": _cmd_import_employment,
    }[args.kind](args, cfg)


def _cmd_import_employment(args, cfg) -> int:
    from frontdesk.services import employment_io

    run = getattr(employment_io, f"import_{args.kind}")
    return _run_import(args, cfg, run, "employment_io")


def _cmd_import_seekers(args, cfg) -> int:
    from functools import partial

    from frontdesk.cli.imports import watched
    from frontdesk.services.seeker_io import import_seekers

    try:
        with watched() as progress:  # a bar on a terminal; Ctrl+C cancels, nothing written
            return _run_import(args, cfg, partial(import_seekers, progress=progress), "seeker_io")
    except KeyboardInterrupt:  # pressed twice: stopped where it was, rolled back all the same
        print(t("seeker_io.cancelled"), file=sys.stderr)
        return EXIT_USER


def _cmd_import_walkins(args, cfg) -> int:
    from functools import partial

    from frontdesk.services.walkin_io import import_walkins

    ceiling = cfg.amount_ceiling_fen
    run = partial(import_walkins, ceiling_fen=ceiling, again=args.again)
    return _run_import(args, cfg, run, "walkin_io")


def _run_import(args, cfg, run: Callable, messages: str) -> int:
    """Both imports: the same flags, the same all-or-nothing report, the same exit codes."""
    if args.skip_invalid != (args.rejects is not None):
        print(t("cli.usage_error", reason=t("seeker_io.cli_rejects_needed")), file=sys.stderr)
        return EXIT_USAGE
    from frontdesk.domain.clock import system_clock
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.desk import open_desk_for
    from frontdesk.services.spreadsheets import ImportRejected, problem_lines

    opened = open_desk_for(cfg.db, cfg.site)
    try:
        actor = cli_actor(opened.engine, opened.info.site_code)
        result = run(
            opened.engine,
            actor,
            args.file,
            system_clock(),
            skip_invalid=args.skip_invalid,
            rejects=args.rejects,
            via="cli",
            sheet=args.sheet,
        )
    except ImportRejected as exc:  # the row/column/reason report, one line per problem
        for line in exc.report():
            print(line, file=sys.stderr)
        return EXIT_USER
    finally:
        opened.engine.dispose()
    for line in problem_lines(result.problems):
        print(line, file=sys.stderr)
    if result.rejects is None:
        print(t(f"{messages}.imported", count=result.imported))
    else:
        counts = {"count": result.imported, "rejected": result.rejected}
        print(t(f"{messages}.imported_with_rejects", path=str(result.rejects), **counts))
    return EXIT_OK


def _cmd_export(args, cfg) -> int:
    return {
        "seekers": _cmd_export_seekers,
        "walkins": _cmd_export_days,
        "payments": _cmd_export_days,
        "employers": _cmd_export_employment,
        "postings": _cmd_export_employment,
        "board": _cmd_export_board,
    }[args.kind](args, cfg)


def _cmd_export_board(args, cfg) -> int:
    """The open postings as a notice board (-o FILE) or a chat-group message (--chat)."""
    if args.output is None and not args.chat:
        print(t("cli.usage_error", reason=t("notice.cli_output_needed")), file=sys.stderr)
        return EXIT_USAGE
    from frontdesk.domain.clock import business_date, system_clock
    from frontdesk.services import notice_board
    from frontdesk.services.desk import open_desk_for

    today = business_date(system_clock())
    opened = open_desk_for(cfg.db, cfg.site)
    try:
        lines = notice_board.open_postings(opened.engine, opened.info.site_code, today)
    finally:
        opened.engine.dispose()
    if args.chat:
        print(notice_board.chat_block(lines, today), end="")
    if args.output is not None:
        count = notice_board.write_board(lines, args.output, today)
        print(t("notice.exported", count=count, path=str(args.output)))
    return EXIT_OK


def _cmd_export_employment(args, cfg) -> int:
    """Employers or postings of the desk's site, as its first manager; phones masked."""
    from frontdesk.domain.clock import system_clock
    from frontdesk.services import employment_io
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.desk import open_desk_for

    opened = open_desk_for(cfg.db, cfg.site)
    try:
        actor = cli_actor(opened.engine, opened.info.site_code)
        export = getattr(employment_io, f"export_{args.kind}")
        count = export(opened.engine, actor, args.output, system_clock(), via="cli")
    finally:
        opened.engine.dispose()
    print(t("employment_io.exported", count=count, path=str(args.output)))
    return EXIT_OK


def _cmd_export_seekers(args, cfg) -> int:
    if args.manager is not None:
        args.pin = read_pin(args.pin, confirm=False)
    if (args.manager is None) != (args.pin is None):
        print(t("cli.usage_error", reason=t("seeker_io.cli_pin_needed")), file=sys.stderr)
        return EXIT_USAGE
    from frontdesk.domain.clock import system_clock
    from frontdesk.services.acting import cli_actor, confirm_manager, manager_named
    from frontdesk.services.desk import open_desk_for
    from frontdesk.services.seeker_io import export_seekers

    opened = open_desk_for(cfg.db, cfg.site)
    engine, site, now = opened.engine, opened.info.site_code, system_clock()
    try:
        reveal = None
        if args.manager is not None:  # the PIN is checked before anything is written
            reveal = confirm_manager(
                engine, site, manager_named(engine, site, args.manager), args.pin, now
            )
        actor = reveal or cli_actor(engine, site)
        count = export_seekers(
            engine, site, args.output, reveal_by=reveal, actor=actor, now=now, via="cli"
        )
    finally:
        engine.dispose()
    done = "seeker_io.exported_unmasked" if reveal else "seeker_io.exported"
    print(t(done, count=count, path=str(args.output)))
    return EXIT_OK


def _cmd_export_days(args, cfg) -> int:
    """Walk-ins or payments of a range of business days (today only by default)."""
    from functools import partial

    from frontdesk.services.walkin_io import export_days

    count, start, end = _export_days(args, cfg, partial(export_days, kind=args.kind))
    done = f"walkin_io.exported_{args.kind}"
    print(t(done, count=count, path=str(args.output), start=start, end=end))
    return EXIT_OK


def _export_days(args, cfg, export: Callable[..., int]) -> tuple[int, date, date]:
    """Run a by-days export as the site's first manager; the days default to today only."""
    from frontdesk.domain.clock import business_date, system_clock
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.desk import open_desk_for

    now = system_clock()
    end = args.date_to or business_date(now)
    start = args.date_from or end
    opened = open_desk_for(cfg.db, cfg.site)
    engine, site = opened.engine, opened.info.site_code
    try:
        actor = cli_actor(engine, site)
        count = export(
            engine, site, args.output, date_from=start, date_to=end, actor=actor, now=now, via="cli"
        )
    finally:
        engine.dispose()
    return count, start, end


def _cmd_report(args, cfg) -> int:
    return {"day": _cmd_report_day}[args.kind](args, cfg)


def _cmd_report_day(args, cfg) -> int:
    """X report of an open day, Z report of a closed one; a day with no data reports zeros."""
    if args.format == "xlsx" and args.output is None:
        print(t("cli.usage_error", reason=t("day_report.cli_xlsx_needs_output")), file=sys.stderr)
        return EXIT_USAGE
    from frontdesk.cli.report_output import emit
    from frontdesk.domain.clock import business_date, system_clock
    from frontdesk.services.closeout import day_report, report_json
    from frontdesk.services.day_report import receipt_text, write_xlsx
    from frontdesk.services.desk import open_desk_for

    today = business_date(system_clock())
    if args.date > today:  # zeros for a day still to come would read as a day with nothing
        print(t("cli.report_future", date=args.date.isoformat(), today=today), file=sys.stderr)
        return EXIT_USER
    opened = open_desk_for(cfg.db, cfg.site)
    try:
        report = day_report(opened.engine, opened.info.site_code, args.date)
    finally:
        opened.engine.dispose()
    shown = emit(
        report,
        args.format,
        args.output,
        as_json=report_json,
        as_text=receipt_text,
        as_xlsx=write_xlsx,
    )
    if shown:  # stdout holds the report alone
        return EXIT_OK
    print(t("day_report.written", date=args.date.isoformat(), path=str(args.output)))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, object], int]] = {
    "tui": _cmd_tui,
    "init": _cmd_init,
    "demo": _cmd_demo,
    "backup": _cmd_backup,
    "check": _cmd_check,
    "import": _cmd_import,
    "export": _cmd_export,
    "report": _cmd_report,
    "close": lambda args, cfg: cli_closing.cmd_close(args, cfg, read_pin),
    "void": lambda args, cfg: cli_closing.cmd_void(args, cfg, read_pin),
    "adjust": cli_closing.cmd_adjust,
    **cli_sync.COMMANDS,
    **cli_hq.COMMANDS,
    "printer": cli_printer.cmd_printer,
}
