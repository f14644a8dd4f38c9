"""bench/district.py at three sites on the real PostgreSQL server, and how it judges."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import PG_ADMIN_URL
from tests.test_bench import load

district = load("district")


@pytest.mark.postgres
def test_three_sites_sync_with_no_error_and_no_lost_row(
    pg_url: str,  # PostgreSQL reachable (or skipped / failed as the suite says)
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--sites", "3", "--workers", "2", "--build-workers", "1", "--rounds", "1"]
    status = district.main([*argv, "--json", "--pg", PG_ADMIN_URL])
    figures = json.loads(capsys.readouterr().out)
    assert tuple(figures)[: len(district.JSON_KEYS)] == district.JSON_KEYS
    assert (figures["sites"], figures["errors"], figures["lost_rows"]) == (3, 0, 0)
    assert figures["extra_rows"] == 0 and figures["sent"] == figures["rows"] > 3 * 20
    assert figures["idle_round_p95_s"] > 0  # every desk's next round, with nothing new
    assert figures["policies_per_table"] >= 3  # one per site's role, row-level security on
    assert 1 <= figures["peak_connections"] <= 2 * 2  # the pool bounds the connections
    assert figures["month_report_s"] > 0 and status == 0


def results(errors: int, report_s: float, lost: int = 0) -> object:
    rounds = [district.Round(f"D{n:04d}", 0.5, sent=50) for n in range(1, 11)]
    for one in rounds[:errors]:
        one.error = "OperationalError: the server closed the connection"
    return district.Results(
        sites=10,
        workers=4,
        pg_server="15",
        day=date(2026, 12, 2),
        build_s=10.0,
        add_site_s=[0.2] * 10,
        reinit_s=1.5,
        rounds=rounds,
        sync_wall_s=2.0,
        idle_rounds=[district.Round(f"D{n:04d}", 0.1) for n in range(1, 11)],
        idle_wall_s=0.5,
        desk_rows=500,
        lost_rows=lost,
        extra_rows=0,
        peak_connections=4,
        max_connections=100,
        report_s=[report_s] * 3,
        policies_per_table=11,
    )


@pytest.mark.parametrize(
    ("errors", "report_s", "lost", "status"),
    [(0, 1.0, 0, 0), (0, 5.0, 0, 0), (1, 1.0, 0, 1), (0, 1.0, 3, 1), (0, 5.1, 0, 1)],
)
def test_an_error_a_lost_row_or_a_slow_report_fails_the_run(
    monkeypatch: pytest.MonkeyPatch, errors: int, report_s: float, lost: int, status: int
) -> None:
    assert district.REPORT_BUDGET_S == 5
    monkeypatch.setattr(district, "benchmark", lambda args: results(errors, report_s, lost))
    assert district.main(["--json"]) == status


def test_the_table_names_the_failed_sites(capsys: pytest.CaptureFixture[str]) -> None:
    district.print_table(results(2, 1.0))
    out = capsys.readouterr().out
    assert "D0001: OperationalError" in out and "D0002: OperationalError" in out
    assert "errors 2" in out and out.rstrip().endswith("PASS")  # the report is in budget
    assert "250 rows/s" in out  # 10 rounds x 50 rows over the phase's 2 s
