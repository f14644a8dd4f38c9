"""The printer settings screen's two needs: its boxes checked into a PrinterSetup (each
refusal at its box), and the `[printer]` table written into the config file.

The file keeps everything else it says: the old `[printer]` table (up to the next table
header) is taken out and the new one added at the end, where a table may always go. The
result is read back with tomllib before it replaces the file (written beside it, then
moved), so a file the program could not start with is never left behind.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from frontdesk.errors import UserError
from frontdesk.printing.setup import PrinterSettingError, PrinterSetup, from_table

HEADER = "[printer]"
# The box of each setting a refusal names; `incomplete` points at the kind's first box.
NEEDED_BOX = {"network": "host", "serial": "device", "file": "device", "usb": "vendor_id"}
CODE_BOX = {
    "printer.bad_kind": "kind",
    "printer.bad_width": "width_mm",
    "printer.bad_encoding": "encoding",
}


def form_setup(form: Mapping[str, object]) -> PrinterSetup:
    """The settings as the screen holds them (blank boxes left out), checked as the config
    file's are, or a UserError naming the box to correct."""
    table = {k: v.strip() if isinstance(v, str) else v for k, v in form.items()}
    table = {k: v for k, v in table.items() if v != ""}
    try:
        return from_table(table)
    except PrinterSettingError as exc:
        raise UserError(
            exc.code, field=_box(exc, str(table.get("kind", ""))), **exc.params
        ) from None


def _box(exc: PrinterSettingError, kind: str) -> str:
    if exc.code == "printer.incomplete":
        return NEEDED_BOX.get(kind, "kind")
    key = str(exc.params.get("key", ""))
    return key.removeprefix("printer.") or CODE_BOX.get(exc.code, "kind")


def table_lines(setup: PrinterSetup) -> list[str]:
    """The `[printer]` table for this setup: only the connection its kind uses."""
    values: dict[str, object] = {"kind": setup.kind}
    if setup.kind == "network":
        values.update(host=setup.host, port=setup.port)
    elif setup.kind in ("serial", "file"):
        values["device"] = setup.device
    elif setup.kind == "usb":
        values.update(vendor_id=f"{setup.vendor_id:04x}", product_id=f"{setup.product_id:04x}")
    values.update(
        width_mm=setup.width_mm,
        encoding=setup.encoding,
        chinese_mode=setup.chinese_mode,
        cut=setup.cut,
    )
    return [HEADER, *(f"{key} = {_toml(value)}" for key, value in values.items())]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string, escapes alike


def save_printer(path: Path, setup: PrinterSetup) -> None:
    """Write the setup as the config file's `[printer]` table; the rest of the file stays."""
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise UserError(
            "printer.cannot_save", field="kind", path=str(path), reason=exc.strerror
        ) from exc
    text = "\n".join([*_without_table(old.splitlines()), *table_lines(setup)]) + "\n"
    tomllib.loads(text)  # what the program reads at its next start
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(
            "printer.cannot_save", field="kind", path=str(path), reason=exc.strerror
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _without_table(lines: list[str]) -> list[str]:
    kept: list[str] = []
    inside = False
    for line in lines:
        header = line.strip()
        if header.startswith("["):
            inside = header.split("#")[0].strip() == HEADER
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return [*kept, ""] if kept else []
