"""`frontdesk import|export employers|postings`: the seekers import's rules for the gig
market's employers and postings, through the command line as scripts call it."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, text

from frontdesk.domain.credit_code import make_code
from frontdesk.services import employment_io
from frontdesk.services.acting import cli_actor
from tests.conftest import FIXED_NOW
from tests.test_seeker_io import cli

CODE_A = make_code("91440703MA4UJ8XW2")
CODE_B = make_code("92440703MA51ABCD1")
EMPLOYERS_ZH = ["名称", "统一社会信用代码", "类型", "联系人", "联系电话", "地址", "备注"]
POSTINGS_EN = ["employer", "title", "job_type", "positions", "pay_min", "pay_max",
               "pay_unit", "place", "hours", "valid_from", "valid_until", "requirements",
               "notes"]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def employer_rows() -> list[list[str]]:
    return [
        ["江门市白沙包装有限公司", CODE_A, "公司", "李经理", "13800138000", "白沙路1号", ""],
        ["陈记五金店", CODE_B.lower(), "个体户", "陈先生", "0750-1234567", "", "老客户"],
        ["王师傅", "", "个人", "", "", "", "装修零工"],
    ]


def test_employers_import_all_or_nothing_then_export_masked(desk, tmp_path: Path) -> None:
    engine, db = desk
    rows = employer_rows()
    rows[1][1] = CODE_B[:-1] + ("0" if CODE_B[-1] != "0" else "1")  # a wrong check character
    bad = write_csv(tmp_path / "bad.csv", EMPLOYERS_ZH, rows)
    out = cli("import", "employers", str(bad), "--db", str(db))
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "第 3 行【统一社会信用代码】：统一社会信用代码校验位不对，请核对",
        "共 1 处问题（涉及 1 行），未导入任何记录",
    ]
    assert count(engine, "employers") == 0
    good = write_csv(tmp_path / "good.csv", EMPLOYERS_ZH, employer_rows())
    out = cli("import", "employers", str(good), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert count(engine, "employers") == 3
    out = cli("import", "employers", str(good), "--db", str(db), lang="en")  # again: codes taken
    assert out.returncode == 1 and "already has this credit code" in out.stderr
    exported = tmp_path / "out.csv"
    out = cli("export", "employers", "-o", str(exported), "--db", str(db))
    assert out.returncode == 0, out.stderr
    table = read_back(exported)
    assert table[0] == EMPLOYERS_ZH
    assert [
        "江门市白沙包装有限公司",
        CODE_A,
        "公司/单位",
        "李经理",
        "138****8000",
        "白沙路1号",
        "",
    ] in table


def test_postings_import_finds_employers_and_reads_back_its_export(desk, tmp_path: Path) -> None:
    engine, db = desk
    actor = cli_actor(engine, "HS01")
    employment_io.import_employers(
        engine, actor, write_csv(tmp_path / "e.csv", EMPLOYERS_ZH, employer_rows()), FIXED_NOW
    )
    rows = [
        [CODE_A, "包装工", "包装", "3", "4000", "5000", "月", "白沙", "工作日 9:00-17:00",
         "2026-11-20", "2026-12-31", "持健康证", ""],
        ["王师傅", "装修小工", "装卸", "1", "200", "", "日", "", "", "2026-11-20", "", "", ""],
        ["不认识的厂", "普工", "普工", "0", "5000", "4000", "年", "", "", "2026-12-01",
         "2026-11-01", "限男性", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "p.csv", POSTINGS_EN, rows)
    rejects = tmp_path / "rejects.csv"
    args = ("--skip-invalid", "--rejects", str(rejects))
    out = cli("import", "postings", str(path), "--db", str(db), *args, lang="en")
    assert out.returncode == 0, out.stderr
    problems = out.stderr.splitlines()
    assert [line.split(":")[0] for line in problems] == [
        "Row 4, column employer",
        "Row 4, column positions",
        "Row 4, column pay_max",
        "Row 4, column pay_unit",
        "Row 4, column valid_until",
        "Row 4, column requirements",
    ]
    assert count(engine, "job_postings") == 2 and len(read_back(rejects)) == 2
    exported = tmp_path / "postings.csv"
    out = cli("export", "postings", "-o", str(exported), "--db", str(db))
    assert out.returncode == 0, out.stderr
    table = read_back(exported)
    assert table[1][:7] == [CODE_A, "包装工", "包装", "3", "4000.00", "5000.00", "月"]
    assert table[2][0] == "王师傅" and table[2][10] == "2026-12-20"  # a month by default
    # The export imports back as it was (into a desk that knows the employers).
    result = employment_io.import_postings(engine, actor, exported, FIXED_NOW)
    assert result.imported == 2 and count(engine, "job_postings") == 4
