"""`frontdesk printer test`: a test page on the configured receipt printer (issue 20)."""

from __future__ import annotations

import argparse

from frontdesk.cli.sync import Common
from frontdesk.i18n import t

EXIT_OK = 0


def add_parsers(sub, common: Common, parser_class: type[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("printer", help=t("printer.cli_help"))
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=parser_class)
    common(kinds.add_parser("test", help=t("printer.cli_test_help")))


def cmd_printer(args, cfg) -> int:
    from datetime import datetime

    from frontdesk.printing.escpos_out import send
    from frontdesk.printing.sample_page import QR_TEXT, sample_lines

    setup = cfg.printer
    send(setup, sample_lines(setup, datetime.now()), qr=QR_TEXT)  # PrintFault: exit 1, in words
    print(t("printer.printed", where=setup.where()))
    return EXIT_OK
