"""Seeker import benchmark: N realistic rows from CSV and from XLSX, rate and peak memory.

1. Rows: N job seekers made as bench/search.py makes them (valid ID numbers, unique
   mobiles, polyphonic surnames), written the way an office's sheet holds them: Chinese
   headers, education by name, skills joined with "；". One CSV (UTF-8 with BOM) and one
   XLSX (openpyxl, write-only) of the same rows.
2. Import: each file into a fresh desk through `import_seekers`, the command's own code
   path (the file streamed, its rows checked and written a batch at a time inside one
   all-or-nothing transaction), in a child process, so its peak resident memory
   (`ru_maxrss` from `os.wait4`) is the import's alone.
3. Baseline, in the same run: the same rows inserted with the standard library's sqlite3
   into a copy of the desk's own `people` table (same DDL and indexes, no triggers), one
   `executemany` in one transaction, WAL and synchronous=FULL as the desk has them.

    .venv/bin/python bench/imports.py                # 100,000 rows, readable lines
    .venv/bin/python bench/imports.py --rows 20000   # smaller
    .venv/bin/python bench/imports.py --json         # one JSON object on stdout

JSON keys: rows, rows_per_s (the slower format), peak_rss_mib and peak_pss_mib (the
larger), and per format csv/xlsx {seconds, rows_per_s, peak_rss_mib, own_rss_mib,
checker_rss_mib, peak_pss_mib, cpu_seconds, own_cpu_seconds, checker_cpu_seconds,
rows_per_cpu_s, busiest_cpu_seconds, rows_per_busiest_cpu_s}, raw_insert_rows_per_s,
ratio (rows_per_s over the raw rate), load_average (1 minute, at the end: the machine may
be shared).

A large file's rows are checked in a forked child of the import's process
(services/ahead.py). peak_rss_mib adds the two processes' peaks: an upper bound, as the
child shares the pages it inherited and both count them. peak_pss_mib is the two
processes' proportional set size sampled together every 0.2 s by this script (so the
sampling costs the import nothing), each page counted once:
the memory the import really holds, and what the memory budget is judged on. cpu_seconds
adds both processes' (own_ and checker_cpu_seconds apart); busiest_cpu_seconds is the
busier one's, what the wall time comes to when each has a core of its own. The CPU
seconds include the start-up (imports of the package), about a second.
Budgets (issue 16): >= 5,000 rows/s and <= 200 MiB.
Exit status 0 within them, 1 over, 2 when a part fails. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RATE_BUDGET = 5000
RSS_BUDGET_MIB = 200
PSS_EVERY_S = 0.2  # how often the import's memory is sampled
TODAY = date(2026, 11, 26)
HEADER = ["姓名", "身份证号", "手机号", "学历", "技能", "求职意向", "登记日期"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_rows(count: int) -> list[list[str]]:
    from search import PeopleMaker

    from frontdesk.i18n.strings import CATALOGUE

    maker = PeopleMaker(random.Random(20261126), TODAY)
    rows = []
    for _ in range(count):
        p = maker.next()
        rows.append(
            [
                p.name,
                p.id_number or "",
                p.phone or "",
                CATALOGUE[f"edu.{p.education}"][0] if p.education else "",
                "；".join(p.skills),
                "；".join(job for job, _, _ in p.desired_jobs),
                TODAY.isoformat(),
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("求职登记")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def fresh_desk(root: Path, name: str) -> Path:
    from frontdesk.services.desk import DeskSetup, init_desk

    path = root / f"{name}.sqlite3"
    init_desk(path, DeskSetup("HS01", "石冲社区", "陈主任", "246813")).dispose()
    return path


# --- the import, in a child -------------------------------------------------------------


def child(db: Path, source: Path) -> int:
    from datetime import UTC, datetime

    from sqlmodel import select

    from db.engine import make_engine
    from db.models import Staff
    from db.session import reading
    from frontdesk.services.acting import Actor
    from frontdesk.services.seeker_io import import_seekers

    engine = make_engine(db)
    with reading(engine) as s:
        manager = s.exec(select(Staff.id).where(Staff.role == "manager")).one()
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    started = time.perf_counter()
    result = import_seekers(engine, Actor("HS01", manager), source, now, via="bench")
    seconds = time.perf_counter() - started
    # A large file's rows are checked in a forked child of this process (services/ahead.py):
    # the peaks of both, in KiB on Linux.
    own, checker = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    found = {
        "seconds": seconds,
        "imported": result.imported,
        "own": own.ru_maxrss,
        "checker": checker.ru_maxrss,
        # CPU of the busier of the two processes: what the wall time comes to when each has
        # a core of its own, whatever else the machine is doing.
        "own_cpu": own.ru_utime + own.ru_stime,
        "checker_cpu": checker.ru_utime + checker.ru_stime,
        "busiest_cpu": max(own.ru_utime + own.ru_stime, checker.ru_utime + checker.ru_stime),
    }
    print(json.dumps(found))
    return 0


def _pss_of_tree(pid: int) -> int:
    """The proportional set size of a process and its children, KiB (0 where /proc has no
    smaps_rollup): each page they share counted once."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return sum(_pss(p) for p in [str(pid), *kids])


def _pss(pid: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:  # gone meanwhile, or no such file on this system
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("Pss:")), 0)


def run_child(db: Path, source: Path) -> dict:
    command = [sys.executable, __file__, "--child", str(db), str(source)]
    # Output to files, not pipes: this process samples the import's memory while it runs
    # (from here, so reading /proc, a few ms each time, costs the import nothing).
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(command, stdout=out_file, stderr=err_file)
        pss = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            pss = max(pss, _pss_of_tree(proc.pid))
            time.sleep(PSS_EVERY_S)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read().decode(), err_file.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"import of {source.name} failed:\n{err[-2000:]}")
    found = json.loads(out.strip().splitlines()[-1])
    # The import's process and the child checking its rows, added up: an upper bound, as the
    # forked child shares the pages it has not written to (counted in both).
    found["peak_rss_mib"] = (found["own"] + found["checker"]) / 1024
    found["own_rss_mib"], found["checker_rss_mib"] = found["own"] / 1024, found["checker"] / 1024
    found["peak_pss_mib"] = pss / 1024 or found["peak_rss_mib"]  # no smaps_rollup here
    # The CPU the import took: on a machine shared with other work, its rows per CPU second
    # move far less than its wall-clock rate (which counts time spent waiting for a core).
    found["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return found


# --- the baseline -----------------------------------------------------------------------


def raw_insert_rate(db: Path, rows: list[list[str]]) -> float:
    """Rows a second into a copy of the desk's people table, straight through sqlite3."""
    import uuid

    source = sqlite3.connect(db)
    ddl = [
        sql
        for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'people' AND sql IS NOT NULL"
            " AND type IN ('table', 'index')"
        )
    ]
    columns = [r[1] for r in source.execute("PRAGMA table_info(people)")]
    source.close()
    target = db.with_name("raw.sqlite3")
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=OFF")  # the rows' staff ids point nowhere here
    for sql in ddl:
        conn.execute(sql)
    values = [_raw_row(columns, row, uuid.uuid4().hex) for row in rows]
    marks = ", ".join("?" for _ in columns)
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO people ({', '.join(columns)}) VALUES ({marks})", values)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return len(rows) / seconds


def _raw_row(columns: list[str], row: list[str], key: str) -> tuple:
    """The row's cells where the table has them, plain defaults elsewhere."""
    name, id_number, phone = row[0], row[1], row[2]
    known = {
        "id": key,
        "site_code": "HS01",
        "name": name,
        "id_number": id_number,
        "id_hash": key * 2,
        "id_tail": id_number[-4:],
        "gender": "M",
        "birth_date": "1990-01-01",
        "phone": phone,
        "phone_tail": phone[-4:],
        "skills": json.dumps(row[4].split("；"), ensure_ascii=False),
        "desired_jobs": "[]",
        "categories": "[]",
        "registered_on": row[6],
        "created_at": "2026-11-26 02:00:00",
        "updated_at": "2026-11-26 02:00:00",
        "row_version": 1,
        "status": "active",
        "reliability": 100,
    }
    return tuple(known.get(c, "") if c not in ("deleted_at",) else None for c in columns)


# --- main -------------------------------------------------------------------------------


def measure(count: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="fd-imports-"))
    try:
        log(f"making {count:,} rows")
        rows = make_rows(count)
        files = {"csv": root / "seekers.csv", "xlsx": root / "seekers.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        figures: dict = {"rows": count}
        for kind, path in files.items():
            log(f"importing {kind} ({path.stat().st_size / 2**20:.1f} MiB)")
            found = run_child(fresh_desk(root, kind), path)
            if found["imported"] != count:
                raise RuntimeError(f"{kind}: imported {found['imported']} of {count}")
            figures[kind] = {
                "seconds": round(found["seconds"], 2),
                "rows_per_s": round(count / found["seconds"]),
                "peak_rss_mib": round(found["peak_rss_mib"], 1),
                "own_rss_mib": round(found["own_rss_mib"], 1),
                "checker_rss_mib": round(found["checker_rss_mib"], 1),
                "peak_pss_mib": round(found["peak_pss_mib"], 1),
                "cpu_seconds": round(found["cpu_seconds"], 2),
                "rows_per_cpu_s": round(count / found["cpu_seconds"]),
                "own_cpu_seconds": round(found["own_cpu"], 2),
                "checker_cpu_seconds": round(found["checker_cpu"], 2),
                "busiest_cpu_seconds": round(found["busiest_cpu"], 2),
                "rows_per_busiest_cpu_s": round(count / found["busiest_cpu"]),
            }
        log("baseline: raw sqlite3 insert")
        raw = raw_insert_rate(fresh_desk(root, "raw-source"), rows)
        figures["rows_per_s"] = min(figures[k]["rows_per_s"] for k in files)
        figures["peak_rss_mib"] = max(figures[k]["peak_rss_mib"] for k in files)
        figures["peak_pss_mib"] = max(figures[k]["peak_pss_mib"] for k in files)
        figures["raw_insert_rows_per_s"] = round(raw)
        figures["ratio"] = round(figures["rows_per_s"] / raw, 4)
        figures["load_average"] = round(os.getloadavg()[0], 2)
        return figures
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), Path(args.child[1]))
    try:
        figures = measure(args.rows)
    except Exception as exc:  # a part failed to run: say so, exit 2
        log(f"failed: {exc}")
        return 2
    within = figures["rows_per_s"] >= RATE_BUDGET and figures["peak_pss_mib"] <= RSS_BUDGET_MIB
    if args.json:
        print(json.dumps(figures))
    else:
        for kind in ("csv", "xlsx"):
            f = figures[kind]
            print(
                f"{kind:5} {f['seconds']:8.2f} s  {f['rows_per_s']:8,} rows/s"
                f"  peak {f['peak_rss_mib']:6.1f} MiB"
                f" ({f['own_rss_mib']:.1f} + checking child {f['checker_rss_mib']:.1f};"
                f" both by PSS {f['peak_pss_mib']:.1f})"
                f"  cpu {f['cpu_seconds']:7.2f} s ({f['rows_per_cpu_s']:,} rows per cpu s;"
                f" busier process {f['busiest_cpu_seconds']:.2f} s,"
                f" {f['rows_per_busiest_cpu_s']:,} rows per its cpu s)"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        print(f"raw sqlite3 insert  {figures['raw_insert_rows_per_s']:,} rows/s (baseline)")
        print(
            f"import/raw ratio {figures['ratio']:.4f};"
            f" budgets >= {RATE_BUDGET:,} rows/s, <= {RSS_BUDGET_MIB} MiB:"
            f" {'within' if within else 'OVER'}"
        )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
