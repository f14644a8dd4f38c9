"""The receipt printer: settings, the exact ESC/POS bytes, a loopback network printer, faults."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from frontdesk import i18n
from frontdesk.cli import main
from frontdesk.config import load
from frontdesk.printing import escpos_out
from frontdesk.printing.escpos_out import CHINESE_ON, RESET, PrintFault, page_bytes, send
from frontdesk.printing.sample_page import QR_TEXT, ruler, sample_lines
from frontdesk.printing.setup import PrinterSettingError, PrinterSetup, printer_setup
from frontdesk.services import closeout, day_report
from frontdesk.services.acting import Actor
from frontdesk.services.closeout import CloseInput
from tests.conftest import FIXED_NOW

CUT = b"\x1bd\x06\x1dV\x00"  # ESC d 6 (feed six lines), GS V 0 (full cut)
NOW = datetime(2026, 11, 26, 10, 30)


# --- settings ------------------------------------------------------------------------------------


def test_a_network_printer_from_the_table() -> None:
    setup = printer_setup({"kind": "network", "host": "192.168.1.50", "width_mm": 80}, None)
    assert (setup.kind, setup.host, setup.port, setup.columns) == (
        "network",
        "192.168.1.50",
        9100,
        48,
    )
    assert setup.where() == "network:192.168.1.50:9100"


def test_usb_ids_are_hex_as_lsusb_shows_them() -> None:
    setup = printer_setup({"kind": "usb", "vendor_id": "0416", "product_id": "5011"}, None)
    assert (setup.vendor_id, setup.product_id) == (0x0416, 0x5011)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ("network:10.0.0.9:9101", ("network", "10.0.0.9", 9101, "")),
        ("network:10.0.0.9", ("network", "10.0.0.9", 9100, "")),
        ("serial:/dev/ttyUSB0", ("serial", "", 9100, "/dev/ttyUSB0")),
        ("file:/dev/usb/lp0", ("file", "", 9100, "/dev/usb/lp0")),
        ("none", ("none", "", 9100, "")),
    ],
)
def test_the_environment_overrides_the_connection_and_keeps_the_paper(env, expected) -> None:
    table = {"kind": "file", "device": "/tmp/x", "width_mm": 80, "encoding": "gbk", "cut": False}
    setup = printer_setup(table, env)
    assert (setup.kind, setup.host, setup.port, setup.device) == expected
    assert (setup.width_mm, setup.encoding, setup.cut) == (80, "gbk", False)


@pytest.mark.parametrize(
    ("table", "env", "code"),
    [
        ({"kind": "bluetooth"}, None, "printer.bad_kind"),
        ({"width_mm": 76}, None, "printer.bad_width"),
        ({"encoding": "utf-8"}, None, "printer.bad_encoding"),
        ({"kind": "network"}, None, "printer.incomplete"),
        ({"kind": "usb", "vendor_id": "0416"}, None, "printer.incomplete"),
        ({"cut": "yes"}, None, "printer.bad_switch"),
        ({"port": "nine"}, None, "printer.bad_value"),
        ({"colour": "red"}, None, "printer.unknown_setting"),
        ({}, "usb:0416", "printer.bad_env"),
        ({}, "lpt1", "printer.bad_env"),
    ],
)
def test_a_setting_that_cannot_be_used_is_refused_in_words(table, env, code) -> None:
    with pytest.raises(PrinterSettingError) as caught:
        printer_setup(table, env)
    assert caught.value.code == code
    from frontdesk.errors import describe

    assert describe(caught.value) != code  # said in words, not by its code


def test_the_config_files_printer_table_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[printer]\nkind = "network"\nhost = "p1"\nwidth_mm = 80\n', encoding="utf-8")
    env = {"FRONTDESK_CONFIG": str(config)}
    assert load({}, env=env).printer.where() == "network:p1:9100"
    env["FRONTDESK_PRINTER"] = "file:/tmp/receipts.bin"
    assert (load({}, env=env).printer.kind, load({}, env=env).printer.columns) == ("file", 48)
    assert load({}, env={"FRONTDESK_CONFIG": str(tmp_path / "none.toml")}).printer.kind == "none"


# --- the bytes -----------------------------------------------------------------------------------


def as_printed(line: str) -> str:
    """¥ goes out as the full-width ￥ (two bytes in GBK and GB18030), in the space before
    it: the printer's GBK font has no ¥, and the line keeps its columns."""
    return line.replace(" ¥", "￥").replace("¥", "￥")


def expected_bytes(lines: list[str], setup: PrinterSetup) -> bytes:
    text = b"".join(as_printed(line).encode(setup.encoding) + b"\n" for line in lines)
    mode = CHINESE_ON if setup.chinese_mode else b""
    return RESET + mode + text + (CUT if setup.cut else b"\n" * 4)


def z_report_lines(desk, width: int) -> list[str]:
    from sqlmodel import select

    from db.models import Staff
    from db.session import reading

    engine, _ = desk
    with reading(engine) as s:
        clerk = s.exec(select(Staff.id).where(Staff.role == "clerk")).one()
    day = FIXED_NOW.date()
    closeout.close_day(engine, Actor("HS01", clerk), CloseInput(day, {}), FIXED_NOW)
    report = closeout.day_report(engine, "HS01", day)
    return day_report.receipt_text(report, width).splitlines()


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize("chinese_mode", [True, False])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_a_z_report_goes_out_as_exactly_these_bytes(
    desk, width_mm: int, chinese_mode: bool, encoding: str
) -> None:
    setup = PrinterSetup(width_mm=width_mm, chinese_mode=chinese_mode, encoding=encoding)
    lines = z_report_lines(desk, setup.columns)
    assert "Z 日结报表" in "".join(lines)
    assert max(cell_len(line) for line in lines) == setup.columns  # the rules fill the paper
    data = page_bytes(lines, setup)
    assert data == expected_bytes(lines, setup)
    assert data.startswith(RESET + (CHINESE_ON if chinese_mode else b"")) and data.endswith(CUT)
    assert "报表".encode(encoding) in data


def test_full_width_punctuation_alone_still_goes_out_in_gb18030() -> None:
    setup = PrinterSetup()
    data = page_bytes(["，。￥"], setup)
    assert "，。￥".encode("gb18030") + b"\n" in data  # not a Latin code page's guess


def test_gbk_cannot_print_what_only_gb18030_has() -> None:
    rare = "𠮷"  # outside GBK: GB18030's four-byte range
    assert rare.encode("gb18030") in page_bytes([rare], PrinterSetup(encoding="gb18030"))
    assert b"?\n" in page_bytes([rare], PrinterSetup(encoding="gbk"))


def test_the_test_page_has_its_title_a_ruler_to_the_last_column_and_a_qr_code() -> None:
    for width_mm, columns in ((58, 32), (80, 48)):
        setup = PrinterSetup(width_mm=width_mm)
        lines = sample_lines(setup, NOW)
        assert lines[0].strip() == "打印测试" and ruler(columns) in lines
        data = page_bytes(lines, setup, qr=QR_TEXT)
        assert b"\x1d(k" in data and QR_TEXT.encode() in data  # GS ( k: the printer's own QR


# --- sending -------------------------------------------------------------------------------------


class Recorder:
    """A network printer on the loopback: records every byte of each connection."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        chunks = []
        with conn:
            while data := conn.recv(65536):
                chunks.append(data)
        self.received.append(b"".join(chunks))

    def close(self) -> None:
        self.thread.join(5)
        self.server.close()


def test_a_network_printer_receives_exactly_the_page() -> None:
    printer = Recorder()
    setup = PrinterSetup(kind="network", host="127.0.0.1", port=printer.port)
    lines = sample_lines(setup, NOW)
    send(setup, lines, qr=QR_TEXT)
    printer.close()
    assert printer.received == [page_bytes(lines, setup, qr=QR_TEXT)]


def test_a_network_printer_that_never_answers_is_given_up_on(monkeypatch) -> None:
    # A listener whose one-place queue is taken: the next connection is never answered.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    blockers = []
    while len(blockers) < 8:  # fill the queue until a connection goes unanswered
        try:
            blockers.append(socket.create_connection(("127.0.0.1", port), timeout=0.5))
        except TimeoutError:
            break
    monkeypatch.setattr(escpos_out, "TIMEOUT_S", 0.5)
    setup = PrinterSetup(kind="network", host="127.0.0.1", port=port)
    started = time.monotonic()
    with pytest.raises(PrintFault) as caught:
        send(setup, ["打印测试"])
    assert time.monotonic() - started < 10
    assert f"127.0.0.1:{port}" in caught.value.message()
    for blocker in blockers:
        blocker.close()
    server.close()


def test_a_printer_that_is_not_there(tmp_path: Path) -> None:
    i18n.set_language("en")
    setup = PrinterSetup(kind="file", device=str(tmp_path / "no-such-dir" / "lp0"))
    with pytest.raises(PrintFault) as caught:
        send(setup, ["test"])
    assert "cannot print" in caught.value.message() and caught.value.field == "printer"


def test_no_printer_set_up_says_how_to_set_one() -> None:
    with pytest.raises(PrintFault) as caught:
        send(PrinterSetup(), ["test"])
    assert "[printer]" in caught.value.message()


# --- the command ---------------------------------------------------------------------------------


def test_printer_test_on_a_file_printer(tmp_path: Path, monkeypatch, capsys) -> None:
    out = tmp_path / "lp0"
    monkeypatch.setenv("FRONTDESK_PRINTER", f"file:{out}")
    assert main(["printer", "test"]) == 0
    assert f"file:{out}" in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(RESET + CHINESE_ON) and "打印测试".encode("gb18030") in data


def test_printer_test_without_a_printer_exits_1_with_words(monkeypatch, capsys) -> None:
    monkeypatch.delenv("FRONTDESK_PRINTER", raising=False)
    assert main(["printer", "test"]) == 1
    assert "未设置打印机" in capsys.readouterr().err
