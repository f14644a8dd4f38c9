"""The benchmark scripts' verdicts, JSON objects and exit statuses, from made-up figures.

The benchmarks themselves are run by hand (bench/README.md); these check only how they
judge and report what they measured.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


search = load("search")
startup = load("startup")
check = load("check")
jobs = load("jobs")

SEARCH_KEYS = {
    "people",
    "name_p50_ms",
    "name_p95_ms",
    "initials_p50_ms",
    "initials_p95_ms",
    "phone_tail_p50_ms",
    "phone_tail_p95_ms",
    "id_tail_p50_ms",
    "id_tail_p95_ms",
    "keystroke_p95_ms",
    "save_p95_ms",
    "tui_rss_mib",
}


def search_results(keystroke_ms: float | None) -> object:
    tui = (
        {"skipped": "--no-tui"}
        if keystroke_ms is None
        else {
            "keystrokes": 60,
            "rows_by": "key",
            "direct_p50_ms": keystroke_ms / 2,
            "direct_p95_ms": keystroke_ms,
            "pilot_p50_ms": 45.0,
            "pilot_p95_ms": 60.0,
            "rss_list_mib": 70.0,
            "rss_after_mib": 72.0,
        }
    )
    return search.Results(
        people=100_000,
        fill_s=300.0,
        queries={kind: [1.0, 2.0, 3.0] for kind in search.KINDS},
        saves=[4.0, 5.0],
        raw_saves=[1.0, 1.5],
        tui=tui,
    )


@pytest.mark.parametrize(("keystroke_ms", "ok"), [(30.0, True), (50.0, True), (51.0, False)])
def test_search_judges_the_keystroke_against_50_ms(keystroke_ms: float, ok: bool) -> None:
    assert search.KEYSTROKE_BUDGET_MS == 50
    assert search_results(keystroke_ms).verdicts()["keystroke"] is ok


def test_search_json_keeps_its_keys_and_counts_people_as_an_integer() -> None:
    summary = search_results(30.0).summary()
    assert set(summary) >= SEARCH_KEYS
    assert type(summary["people"]) is int and json.dumps(summary).startswith('{"people": 100000,')
    skipped = search_results(None)
    assert skipped.summary()["keystroke_p95_ms"] is None
    assert skipped.verdicts()["keystroke"] is None  # not judged, not failed


def test_search_table_shows_the_keystroke_budget(capsys: pytest.CaptureFixture[str]) -> None:
    search.print_table(search_results(80.0))
    line = next(x for x in capsys.readouterr().out.splitlines() if "keystroke ->" in x)
    assert "p95 <= 50 ms" in line and line.endswith("FAIL")


@pytest.mark.parametrize(("keystroke_ms", "status"), [(30.0, 0), (80.0, 1), (None, 0)])
def test_search_exit_status_counts_the_keystroke_budget(
    monkeypatch: pytest.MonkeyPatch, keystroke_ms: float | None, status: int
) -> None:
    monkeypatch.setattr(search, "benchmark", lambda args: search_results(keystroke_ms))
    assert search.main(["--json"]) == status


def test_startup_reports_first_paint_and_usable() -> None:
    run = startup.Run
    runs = {
        "app": [run(0.50, 35.0), run(0.60, 36.0), run(0.55, 35.5)],
        "usable": [run(1.20, 70.0), run(1.40, 76.0), run(1.30, 75.0)],
        "bare": [run(0.45, 34.0), run(0.50, 34.5), run(0.40, 34.1)],
    }
    result = startup.summary(runs)
    assert {"app_s", "bare_s", "ratio", "app_peak_mib", "bare_peak_mib"} <= set(result)
    assert (result["app_s"], result["bare_s"], result["ratio"]) == (0.55, 0.45, 1.222)
    assert (result["usable_s"], result["usable_peak_mib"]) == (1.3, 76.0)
    assert result["usable_ratio"] == round(1.3 / 0.45, 3)
    assert startup.EXIT_MODES == {"app": "1", "usable": "usable", "bare": "1"}


def check_results(check_s: float, pruned_s: float = 3.0) -> object:
    return check.Results(
        people=100_000,
        fill_s=330.0,
        closeouts=250,
        outbox_entries=414_000,
        outbox_after_prune=214_000,
        mib=400.0,
        checks=[check_s, check_s + 0.5, check_s - 0.5],
        baselines=[2.0, 2.2, 2.4],
        pruned=[pruned_s] * 3,
        prune_s=2.4,
    )


def test_check_json_has_people_check_s_and_the_baseline_beside_it() -> None:
    summary = check_results(4.0).summary()
    assert tuple(summary) == check.JSON_KEYS
    assert summary["people"] == 100_000 and type(summary["people"]) is int
    assert (summary["check_s"], summary["baseline_s"], summary["ratio"]) == (4.0, 2.2, 1.82)
    assert json.dumps(summary).startswith('{"people": 100000, "check_s": 4.0,')


@pytest.mark.parametrize(
    ("check_s", "pruned_s", "status"),
    [(4.0, 3.0, 0), (10.0, 9.0, 0), (11.0, 3.0, 1), (4.0, 10.5, 1)],
)
def test_check_judges_both_checks_against_10_s(
    monkeypatch: pytest.MonkeyPatch, check_s: float, pruned_s: float, status: int
) -> None:
    assert check.BUDGET_S == 10
    monkeypatch.setattr(check, "benchmark", lambda args: check_results(check_s, pruned_s))
    assert check.main(["--json"]) == status


def test_check_table_shows_the_budget_and_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    check.print_table(check_results(12.0))
    lines = capsys.readouterr().out.splitlines()
    judged = [x for x in lines if "<= 10 s" in x]
    assert len(judged) == 2 and all(x.endswith("FAIL") for x in judged)
    assert any("integrity_check" in x for x in lines)


reconcile_bench = load("reconcile")


def test_reconcile_json_keeps_its_keys_and_accounts_for_every_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = reconcile_bench.main(["--lines", "300", "--rounds", "1", "--json"])
    figures = json.loads(capsys.readouterr().out)
    assert {"entries", "bill_lines", "reconcile_ms", "baseline_ms", "ratio"} <= set(figures)
    assert figures["correct"] is True and status in (0, 1)  # 1: over budget on a loaded PC
    found = figures["found"]
    assert found["matched"] + found["unmatched_lines"] == figures["bill_lines"]


# --- jobs.py: matching for job referral both ways -----------------------------------------


def jobs_results(candidates_ms: float, seeker_ms: float) -> object:
    return jobs.Results(
        100_000, 10_000, 900, 60.0, [candidates_ms], [seeker_ms], [0.1], [0.5], [20.0]
    )


@pytest.mark.parametrize(
    ("candidates_ms", "seeker_ms", "status"), [(30.0, 40.0, 0), (30.0, 60.0, 1), (51.0, 1.0, 1)]
)
def test_jobs_judges_both_directions_against_50_ms(
    monkeypatch: pytest.MonkeyPatch, candidates_ms: float, seeker_ms: float, status: int
) -> None:
    monkeypatch.setattr(jobs, "benchmark", lambda args: jobs_results(candidates_ms, seeker_ms))
    assert jobs.main(["--json"]) == status


def test_jobs_json_has_the_issue_keys_and_the_baseline_beside_them() -> None:
    summary = jobs_results(30.0, 40.0).summary()  # type: ignore[attr-defined]
    assert summary == {
        "people": 100_000,
        "postings": 10_000,
        "candidates_p95_ms": 30.0,
        "postings_for_seeker_p95_ms": 40.0,
        "baseline_candidates_p95_ms": 0.1,
        "baseline_postings_for_seeker_p95_ms": 0.5,
        "baseline_dispatch_p95_ms": 20.0,
    }


# --- job_screens.py: the reads behind the employment screens ------------------------------
job_screens = load("job_screens")


def screen_reads(slowest_ms: float) -> list[tuple[str, list[float], str, list[float]]]:
    return [
        ("a posting's record", [10.0, slowest_ms], "candidates_for_posting alone", [8.0]),
        ("postings list: open, one job type", [2.0], "the page's rows, raw", [0.5]),
    ]


@pytest.mark.parametrize(("slowest_ms", "status"), [(50.0, 0), (50.5, 1)])
def test_job_screens_judges_every_read_against_50_ms(
    monkeypatch: pytest.MonkeyPatch, slowest_ms: float, status: int
) -> None:
    monkeypatch.setattr(job_screens, "measure", lambda args: screen_reads(slowest_ms))
    assert job_screens.main(["--json"]) == status


def test_job_screens_json_puts_the_baseline_and_ratio_beside_each_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(job_screens, "measure", lambda args: screen_reads(40.0))
    job_screens.main(["--json", "--people", "2000", "--postings", "200"])
    found = json.loads(capsys.readouterr().out)
    assert found["people"] == 2000 and found["postings"] == 200
    assert found["a posting's record"] == {
        "p95_ms": 40.0,
        "baseline": "candidates_for_posting alone",
        "baseline_p95_ms": 8.0,
        "ratio": 5.0,
    }


def test_sealing_json_keeps_its_keys_with_the_plain_baseline_beside_them() -> None:
    figures = load("sealing").measure(50)
    assert set(figures) == {
        "rows",
        "plain_us",
        "import_us",
        "save_us",
        "open_us",
        "slot_ms",
        "import_ratio",
        "import_added_us",
        "save_added_us",
        "address_plain_us",
        "address_us",
        "address_added_us",
        "fd2_import_us",
        "fd2_save_us",
        "fd2_open_us",
        "fd2_import_ratio_fd1",
        "fd2_save_ratio_fd1",
        "fd1_bytes",
        "fd2_bytes",
    }
    assert figures["rows"] == 50 and figures["slot_ms"] > 0
    assert figures["fd2_bytes"] > figures["fd1_bytes"]
    assert json.loads(json.dumps(figures)) == figures
