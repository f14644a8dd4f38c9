"""Start-up benchmark: the real `frontdesk` program against a bare Textual app.

Each run is a new process, timed from launch, through the first interactive screen being
painted, to process exit. The same run gives the peak RSS of that child alone. Runs are
interleaved (app, usable, bare, app, usable, bare, ...), and the medians of app and bare
are compared with the budget: frontdesk may take at most 1.25 times as long as the bare app.
"usable" is frontdesk again, timed until the sign-in screen can be used: its staff list
read from the database and shown (with sqlite3 alone, db/peek.py: the ORM loads while the
PIN is typed). Its budget is 1.5 times the bare app (`usable_s`, `usable_ratio`).

    .venv/bin/python bench/startup.py               # 7 rounds, readable table
    .venv/bin/python bench/startup.py --rounds 15 --json
    .venv/bin/python bench/startup.py --importtime  # the 15 slowest imports of `frontdesk`

Exit status: 0 within budget, 1 over budget, 2 when a run fails. POSIX only (os.wait4).

How the children run headless. Textual 8.2 has no TEXTUAL_HEADLESS variable. The `TEXTUAL`
feature flag accepts "headless" but nothing reads it. `App.run(headless=True)` would need a code
change in screens/desk_app.py or a launcher. Instead, `App.get_driver_class()` honours
TEXTUAL_DRIVER="module:Class" (textual/constants.py), and it is given Textual's own
HeadlessDriver, the driver `run(headless=True)` uses. That needs no terminal and no pty, and
it does not change the code path: the real `frontdesk` console script and `bare_app.py` start
unmodified, with exactly the imports a desk PC would do. Headless still composes, applies
the CSS, lays out and renders every widget to strips; it skips only the final ANSI encoding
and the write to a tty, and skips it for both sides. COLUMNS/LINES fix the screen size,
because HeadlessDriver asks shutil.get_terminal_size.

Both programs leave as soon as their first screen has painted: FRONTDESK_EXIT_ON_READY=1
makes them call app.exit(0) through call_after_refresh. The sign-in screen checks that before
it starts its thread worker (`load_staff`: import SQLModel, open the database, read the
staff), so the first-paint figure does not include that work. FRONTDESK_EXIT_ON_READY=usable
makes frontdesk leave only once that worker's staff list is on the screen (exit code 1 if
the screen shows an error instead): the "usable" figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BARE_APP = BENCH / "bare_app.py"
BUDGET = 1.25
USABLE_BUDGET = 1.5
HEADLESS_DRIVER = "textual.drivers.headless_driver:HeadlessDriver"
SIZE = {"COLUMNS": "100", "LINES": "30"}
TIMEOUT_S = 60.0
# Modules that must not load before the first paint (the database side of the app).
HEAVY = re.compile(
    r"^(sqlalchemy|sqlmodel|alembic|pypinyin|openpyxl|psycopg|db|frontdesk\.services)(\.|$)"
)


class BenchError(Exception):
    pass


@dataclass
class Run:
    seconds: float
    peak_mib: float


# What each side runs and when it leaves (FRONTDESK_EXIT_ON_READY).
EXIT_MODES = {"app": "1", "usable": "usable", "bare": "1"}


def frontdesk_script() -> Path:
    """The `frontdesk` console script of the interpreter running this file (the project venv)."""
    script = Path(sys.executable).parent / "frontdesk"
    if not script.exists():
        raise BenchError(f"{script} not found: run this with the project's .venv/bin/python")
    return script


def child_env(tmp: Path) -> dict[str, str]:
    """The environment of every child: isolated from the user's settings, headless, fixed size."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FRONTDESK_", "TEXTUAL")) and k != "PYTHONPROFILEIMPORTTIME"
    }
    env.update(SIZE)
    env["FRONTDESK_CONFIG"] = str(tmp / "config.toml")  # absent: defaults only
    env["FRONTDESK_DATA_DIR"] = str(tmp)
    env["FRONTDESK_EXIT_ON_READY"] = "1"
    env["TEXTUAL_DRIVER"] = HEADLESS_DRIVER
    return env


def run_once(cmd: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Launch, wait for exit; wall time and this child's own peak RSS (os.wait4)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=err, stderr=err
        )
        # os.kill, not proc.kill: Popen.kill polls, which would reap the child in this thread.
        watchdog = threading.Timer(TIMEOUT_S, os.kill, (proc.pid, signal.SIGKILL))
        watchdog.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if seconds >= TIMEOUT_S:
            raise BenchError(f"{' '.join(cmd)} never reached its first screen ({TIMEOUT_S:.0f} s)")
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode}\n{tail}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Run(seconds, kib / 1024)


def make_desk(script: Path, env: dict[str, str], tmp: Path) -> Path:
    db = tmp / "desk.sqlite3"
    init = [str(script), "init", "--db", str(db), "--site", "HS01", "--site-name", "测试"]
    init += ["--manager", "陈", "--pin", "246810"]
    done = subprocess.run(init, env=env, cwd=tmp, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not db.exists():
        raise BenchError(f"frontdesk init failed ({done.returncode}):\n{done.stderr}")
    return db


def benchmark(rounds: int, warmup: int) -> dict[str, list[Run]]:
    script = frontdesk_script()
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as name:
        tmp = Path(name)
        env = child_env(tmp)
        db = make_desk(script, env, tmp)  # it exists, so the app opens the sign-in screen
        commands = {
            "app": [str(script), "--db", str(db)],
            "usable": [str(script), "--db", str(db)],
            "bare": [sys.executable, str(BARE_APP)],
        }
        envs = {side: {**env, "FRONTDESK_EXIT_ON_READY": EXIT_MODES[side]} for side in commands}
        for _ in range(warmup):  # untimed: page cache and __pycache__ are warm afterwards
            for side, cmd in commands.items():
                run_once(cmd, envs[side], tmp)
        runs: dict[str, list[Run]] = {side: [] for side in commands}
        for _ in range(rounds):
            for side, cmd in commands.items():
                runs[side].append(run_once(cmd, envs[side], tmp))
    return runs


def summary(runs: dict[str, list[Run]]) -> dict[str, float]:
    def median(side: str) -> float:
        return statistics.median(r.seconds for r in runs[side])

    def peak(side: str) -> float:
        return max(r.peak_mib for r in runs[side])

    return {
        "app_s": round(median("app"), 4),
        "bare_s": round(median("bare"), 4),
        "ratio": round(median("app") / median("bare"), 3),
        "app_peak_mib": round(peak("app"), 1),
        "bare_peak_mib": round(peak("bare"), 1),
        "rounds": float(len(runs["app"])),
        "usable_s": round(median("usable"), 4),
        "usable_ratio": round(median("usable") / median("bare"), 3),
        "usable_peak_mib": round(peak("usable"), 1),
    }


def print_table(runs: dict[str, list[Run]], result: dict[str, float]) -> None:
    import textual

    verdict = "PASS" if result["ratio"] <= BUDGET else "FAIL"
    rounds = len(runs["app"])
    print(f"Start-up: launch -> first screen painted (or usable) -> exit, {rounds} rounds")
    print(
        f"(headless {SIZE['COLUMNS']}x{SIZE['LINES']}, Python {sys.version.split()[0]}, "
        f"Textual {textual.__version__})"
    )
    print(f"{'':26}{'median s':>10}{'min s':>9}{'max s':>9}{'peak MiB':>10}")
    names = {
        "app": "frontdesk (sign-in)",
        "bare": "bare Textual (bare_app)",
        "usable": "frontdesk (staff shown)",
    }
    for side, name in names.items():
        times = [r.seconds for r in runs[side]]
        print(
            f"{name:26}{statistics.median(times):>10.3f}{min(times):>9.3f}"
            f"{max(times):>9.3f}{max(r.peak_mib for r in runs[side]):>10.1f}"
        )
    print(f"ratio app/bare (medians): {result['ratio']:.2f}   budget <= {BUDGET}   {verdict}")
    usable = "PASS" if result["usable_ratio"] <= USABLE_BUDGET else "FAIL"
    print(
        f"ratio usable/bare (staff list shown): {result['usable_ratio']:.2f}   "
        f"budget <= {USABLE_BUDGET}   {usable}"
    )


IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


@dataclass
class Imp:
    module: str
    own_us: int
    cumulative_us: int
    depth: int
    parent: Imp | None = None


def parse_importtime(stderr: str) -> list[Imp]:
    """-X importtime lines, in print order (a module comes after everything it imports)."""
    rows: list[Imp] = []
    for line in stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            rows.append(Imp(m[4], int(m[1]), int(m[2]), len(m[3]) // 2))
    pending: list[Imp] = []  # rows still waiting for the module that imported them
    for row in rows:
        while pending and pending[-1].depth > row.depth:
            pending.pop().parent = row
        pending.append(row)
    return rows


def import_profile(top: int = 15) -> int:
    """`frontdesk` under -X importtime: the slowest imports, and how heavy modules got in."""
    script = frontdesk_script()
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as name:
        tmp = Path(name)
        env = child_env(tmp)
        db = make_desk(script, env, tmp)
        cmd = [sys.executable, "-X", "importtime", str(script), "--db", str(db)]
        done = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited with {done.returncode}\n{done.stderr[-2000:]}")
    rows = parse_importtime(done.stderr)
    total = sum(r.cumulative_us for r in rows if r.depth == 0) / 1000
    print(f"`frontdesk` -X importtime, launch to exit: {len(rows)} modules, {total:.0f} ms")
    print(f"Slowest {top} (ms; indent = import depth):")
    print(f"{'cumulative':>10}{'self':>8}  module")
    for r in sorted(rows, key=lambda r: r.cumulative_us, reverse=True)[:top]:
        print(f"{r.cumulative_us / 1000:>10.1f}{r.own_us / 1000:>8.1f}  {'  ' * r.depth}{r.module}")

    def heavy(r: Imp | None) -> bool:
        return r is not None and bool(HEAVY.match(r.module))

    # Where the heavy side comes in: heavy modules whose importers are not heavy themselves.
    entries = [r for r in rows if heavy(r) and not heavy(r.parent)]
    if not entries:
        print("No heavy import (SQLAlchemy, sqlmodel, alembic, pypinyin, openpyxl, db.*).")
        return 0
    # -X importtime names no thread: a thread worker that ran before exit shows up here too.
    print("HEAVY imports before exit, where they enter (module <- its importer <- ...; a chain")
    print("of one is a top-level import: done by a function at run time, e.g. in a worker):")
    for r in entries:
        chain, up = [r.module], r.parent
        while up is not None:
            chain.append(up.module)
            up = up.parent
        print(f"  {r.cumulative_us / 1000:7.1f} ms  {' <- '.join(chain)}")
        children = [c for c in rows if c.parent is r]
        for c in sorted(children, key=lambda c: c.cumulative_us, reverse=True)[:6]:
            print(f"  {c.cumulative_us / 1000:7.1f} ms      {c.module}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON object only")
    mode.add_argument(
        "--importtime", action="store_true", help="show the 15 slowest imports of `frontdesk`"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.warmup < 0:
        parser.error("--rounds must be at least 1 and --warmup at least 0")
    try:
        if args.importtime:
            return import_profile()
        runs = benchmark(args.rounds, args.warmup)
    except BenchError as exc:
        print(f"startup.py: {exc}", file=sys.stderr)
        return 2
    result = summary(runs)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(runs, result)
    within = result["ratio"] <= BUDGET and result["usable_ratio"] <= USABLE_BUDGET
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
