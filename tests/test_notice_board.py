"""Publishing the open postings: the notice board (XLSX, text) and the chat-group message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from frontdesk.domain.job_rules import PostingInput
from frontdesk.services import notice_board, postings, referrals
from frontdesk.services.employers import EmployerInput, add_employer
from tests.conftest import FIXED_NOW
from tests.gig_support import TODAY, gig_desk, person


def _desk(engine):
    d = gig_desk(engine)
    agreed = EmployerInput(
        name="白沙物业", contact_name="林姐", phone="13800138000", publish_phone=True
    )
    private = EmployerInput(name="陈记五金店", contact_name="陈生", phone="13900139000")
    ids = [add_employer(engine, d.clerk, raw, FIXED_NOW).id for raw in (agreed, private)]
    posts = []
    for employer_id, title, until in (
        (ids[0], "保洁员", "2026-12-31"),
        (ids[1], "五金包装工", "2026-12-10"),
        (ids[1], "过期的岗位", "2026-11-25"),
    ):
        raw = PostingInput(
            title=title, job_type="包装", positions="2", pay_min="150", pay_max="180",
            pay_unit="日", place="白沙社区", hours="工作日 9:00-17:00", age_min="18",
            age_max="55", requirements="持健康证", valid_from="2026-11-01", valid_until=until,
        )  # fmt: skip
        posts.append(postings.add_posting(engine, d.clerk, employer_id, raw, FIXED_NOW).id)
    ref = referrals.refer(engine, d.clerk, posts[0], person(d), FIXED_NOW)
    referrals.record_outcome(engine, d.clerk, ref.id, "placed", FIXED_NOW)
    return d


def test_only_open_postings_with_phones_as_agreed(desk, tmp_path: Path) -> None:
    engine, _ = desk
    _desk(engine)
    lines = notice_board.open_postings(engine, "HS01", TODAY)
    assert [(x.title, x.free, x.phone) for x in lines] == [
        ("五金包装工", 2, "139****9000"),  # ends soonest; the employer kept the phone private
        ("保洁员", 1, "13800138000"),  # one place taken; the employer agreed
    ]
    assert lines[0].pay == "150-180 元/日" and lines[0].requirements == "年龄 18-55 岁；持健康证"
    text = notice_board.board_text(lines, TODAY)
    assert "1. 五金包装工（陈记五金店）" in text and "联系：陈生 139****9000" in text
    chat = notice_board.chat_block(lines, date(2026, 11, 26)).splitlines()
    assert chat[0] == "【11/26 招聘信息】" and "【保洁员】1人" in chat
    assert all(len(line) <= 20 for line in chat)  # a phone's line
    sheet = tmp_path / "board.xlsx"
    assert notice_board.write_board(lines, sheet, TODAY) == 2
    from openpyxl import load_workbook

    rows = [[c.value for c in r] for r in load_workbook(sheet).active.iter_rows()]
    assert rows[0][:4] == ["岗位", "用工单位", "招聘人数", "薪酬"]
    assert rows[2][7] == "林姐 13800138000"
    plain = tmp_path / "board.txt"
    notice_board.write_board(lines, plain, TODAY)
    assert plain.read_text(encoding="utf-8") == text


def test_the_chat_message_names_what_it_leaves_out(desk) -> None:
    engine, _ = desk
    _desk(engine)
    lines = notice_board.open_postings(engine, "HS01", TODAY) * 9
    chat = notice_board.chat_block(lines, TODAY)
    assert chat.count("【") == 1 + notice_board.CHAT_MAX
    assert chat.rstrip().endswith("另有 3 个岗位，详见社区服务中心公告栏")


def test_the_command_line_publishes_the_board(desk, tmp_path: Path) -> None:
    from tests.test_seeker_io import cli

    engine, db = desk
    _desk(engine)
    out = cli("export", "board", "--db", str(db))
    assert out.returncode == 2  # neither a file nor --chat
    out = cli("export", "board", "--chat", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "【保洁员】1人" in out.stdout  # the real clock: open until 2026-12-31
    target = tmp_path / "board.txt"
    out = cli("export", "board", "-o", str(target), "--db", str(db), lang="en")
    assert out.returncode == 0 and target.exists() and "published to" in out.stdout


def posting_ids(engine) -> dict[str, object]:
    from sqlmodel import select

    from db.models import JobPosting
    from db.session import reading

    with reading(engine) as s:
        return {p.title: p.id for p in s.exec(select(JobPosting))}


def test_a_printed_notice_fills_the_paper_and_cuts_nothing(desk) -> None:
    """A posting's notice at 32 and 48 cells (58 / 80 mm paper): every line fits, the
    employer's name and the requirements are whole, the private phone stays masked."""
    from rich.cells import cell_len

    engine, _ = desk
    _desk(engine)
    wanted = posting_ids(engine)["五金包装工"]
    for width in (32, 48):
        text = notice_board.notices_to_print(engine, "HS01", TODAY, width, wanted)
        lines = text.splitlines()
        assert max(cell_len(line) for line in lines) == width
        assert lines[0] == lines[-1] == "=" * width
        assert "招聘信息" in lines[2] and "2026-11-26" in lines[3]
        joined = "".join(line.strip() for line in lines)
        for whole in ("五金包装工", "陈记五金店", "150-180 元/日", "年龄 18-55 岁；持健康证"):
            assert whole in joined
        assert "139****9000" in joined and "13900139000" not in joined
        assert "…" not in text


def test_every_open_posting_prints_and_a_closed_one_is_refused(desk, tmp_path: Path) -> None:
    import pytest

    from frontdesk.errors import UserError
    from frontdesk.printing.jobs import print_notices
    from frontdesk.printing.setup import PrinterSetup

    engine, _ = desk
    d = _desk(engine)
    out = tmp_path / "lp0"
    setup = PrinterSetup(kind="file", device=str(out), width_mm=80)
    done = print_notices(engine, d.clerk, setup, FIXED_NOW)
    assert not done.reprint and "2026-11-26" in done.message()
    data = out.read_bytes().decode("gb18030")
    assert data.count("截止日期") == 2 and "过期的岗位" not in data  # the open ones only
    with pytest.raises(UserError) as err:
        print_notices(engine, d.clerk, setup, FIXED_NOW, posting_ids(engine)["过期的岗位"])
    assert err.value.code == "notice.not_open" and err.value.field == "posting"
    out.unlink()
    print_notices(engine, d.clerk, setup, FIXED_NOW)  # printed again: a copy, not 重印
    assert "重印" not in out.read_bytes().decode("gb18030")


def test_printer_notice_on_the_command_line(desk, tmp_path: Path, monkeypatch) -> None:
    from tests.test_seeker_io import cli

    engine, db = desk
    _desk(engine)
    out = tmp_path / "lp0"
    monkeypatch.setenv("FRONTDESK_PRINTER", f"file:{out}")
    done = cli("printer", "notice", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "保洁员".encode("gb18030") in out.read_bytes()  # the real clock: still open
