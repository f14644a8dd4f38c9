"""`frontdesk printer test` (a test page on the configured receipt printer),
`frontdesk printer reprint NUMBER|DATE` (a receipt or a day's report, again) and
`frontdesk printer notice` (the postings open today, for the notice board) (issue 20)."""

from __future__ import annotations

import argparse

from frontdesk.cli.sync import Common
from frontdesk.i18n import t

EXIT_OK = 0


def add_parsers(sub, common: Common, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("printer", help=t("printer.cli_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=parser_class)
    common(kinds.add_parser("test", help=t("printer.cli_test_help")))
    reprint = kinds.add_parser("reprint", help=t("printer.cli_reprint_help"))
    reprint.add_argument("what", metavar="NUMBER|DATE", help=t("printer.cli_what_help"))
    common(reprint)
    common(kinds.add_parser("notice", help=t("printer.cli_notice_help")))


def cmd_printer(args, cfg) -> int:
    if args.kind in ("reprint", "notice"):
        return _desk_document(args, cfg)
    from datetime import datetime

    from frontdesk.printing.escpos_out import send
    from frontdesk.printing.sample_page import QR_TEXT, sample_lines

    setup = cfg.printer
    send(setup, sample_lines(setup, datetime.now()), qr=QR_TEXT)  # PrintFault: exit 1, in words
    print(t("printer.printed", where=setup.where()))
    return EXIT_OK


def _desk_document(args, cfg) -> int:
    """A receipt by its number or a day's report by its date, as the site's first manager
    (audited like every print; 重印 when it was printed before), or today's job notices."""
    from frontdesk.domain.clock import system_clock
    from frontdesk.printing.jobs import print_named, print_notices
    from frontdesk.services.acting import cli_actor
    from frontdesk.services.desk import open_desk_for

    opened = open_desk_for(cfg.db, cfg.site)
    try:
        actor = cli_actor(opened.engine, opened.info.site_code)
        if args.kind == "notice":
            done = print_notices(opened.engine, actor, cfg.printer, system_clock())
        else:
            done = print_named(opened.engine, actor, cfg.printer, args.what, system_clock())
    finally:
        opened.engine.dispose()
    print(done.message())
    return EXIT_OK
