"""Push to a central SQLite file, this tree's code against another's, alternating.

Needs a master desk kept by `bench/sync.py --keep DIR` (its `desk.sqlite3`, never synced).
Each run, in a process of its own with one tree first on the path: the master copied by
the SQLite backup API, a new central file (`init_central`, `add_site`), the district key
adopted (as `bench/sync.py` does, outside the clock), then `sync_once` timed by wall clock
and by the CPU time of the process (every thread), then `bench/sync.py`'s raw executemany
of the same rows in the same process, so each run has its own baseline and ratio. On a
machine shared with other work the CPU seconds and the ratios of runs side by side are
what to compare.

    .venv/bin/python bench/push_ab.py /tmp/sync-keep --other /tmp/main-tree --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def one(keep: Path, work: Path, tag: str) -> dict:
    from bench import sync as b
    from db.migrate import backup_sqlite
    from frontdesk.services.desk import open_desk_for
    from frontdesk.sync.admin import add_site, init_central
    from frontdesk.sync.runner import Central, sync_once

    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob(f"{tag}-*"):
        old.unlink()
    desk_path = backup_sqlite(keep / "desk.sqlite3", work / f"{tag}-desk.sqlite3")
    central_path = work / f"{tag}-central.sqlite3"
    init_central(str(central_path))
    add_site(str(central_path), b.SITE, b.SITE_NAME)
    engine = open_desk_for(desk_path, b.SITE).engine
    central = Central(str(central_path))
    try:
        b.adopt_district_key(engine, central)
        watch = b.Stopwatch()
        cpu, wall = time.process_time(), time.perf_counter()
        report = sync_once(engine, central, hook=watch)
        wall_end, cpu_end = time.perf_counter(), time.process_time()
    finally:
        central.dispose()
        engine.dispose()
    push = report.push
    if push.quarantined or report.pending:
        raise SystemExit(f"{tag}: {push.quarantined} quarantined, {report.pending} pending")
    rows, entries = b.outgoing(keep / "desk.sqlite3")
    master = b.Master(keep / "desk.sqlite3", rows, entries, 0, 0.0)
    raw_s, stored = b.raw_sqlite(master, central_path, work / f"{tag}-raw.sqlite3")
    if stored != master.total or push.sent != master.total:
        raise SystemExit(f"{tag}: sent {push.sent}, raw stored {stored} of {master.total}")
    seconds = wall_end - wall
    return {
        "tag": tag,
        "wall_s": round(seconds, 3),
        "cpu_s": round(cpu_end - cpu, 3),
        "rows_per_s": round(push.sent / seconds),
        "raw_rows_per_s": round(master.total / raw_s),
        "ratio": round(raw_s / seconds, 3),
        "load": round(os.getloadavg()[0], 1),
        "phases": {k: round(v, 3) for k, v in watch.phases(wall, wall_end).items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keep", type=Path, help="a directory kept by bench/sync.py --keep")
    parser.add_argument("--other", type=Path, required=True, help="the other tree's root")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/push-ab"))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a run in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.keep, args.work, args.one)))
        return 0
    trees = {"other": args.other.resolve(), "this": HERE}
    for _ in range(args.rounds):
        for tag, tree in trees.items():
            env = dict(os.environ, PYTHONPATH=str(tree))
            command = [sys.executable, __file__, str(args.keep), "--other", str(tree)]
            command += ["--work", str(args.work), "--one", tag]
            out = subprocess.run(command, env=env, cwd=tree, check=True, capture_output=True)
            print(out.stdout.decode().strip().splitlines()[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
