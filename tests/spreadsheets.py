"""Writing import files for tests: CSV in any encoding, and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl


def write_csv(path: Path, header: list[str], rows: list[list[object]], encoding="utf-8") -> Path:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer)
    out.writerow(header)
    out.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
