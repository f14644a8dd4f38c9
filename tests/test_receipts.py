"""Receipts: numbered per desk across restarts and restores, laid out in columns, printed
(and reprinted as 重印) without a printing fault ever touching the sale."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlmodel import select

from db.migrate import open_store
from db.models import AuditLog, Payment, Receipt, Service, Staff, SyncSite, WalkIn
from db.session import reading, writing
from frontdesk import i18n
from frontdesk.errors import UserError
from frontdesk.printing.escpos_out import PrintFault
from frontdesk.printing.jobs import print_receipt
from frontdesk.printing.setup import PrinterSetup
from frontdesk.services.acting import Actor
from frontdesk.services.receipts import issue_receipt, receipt_text
from frontdesk.services.walkins import WalkInInput, log_walkin, void_walkin
from tests.conftest import FIXED_NOW, MANAGER_PIN

CEILING = 10_000_000


def clerk(engine) -> Actor:
    with reading(engine) as s:
        staff = s.exec(select(Staff).where(Staff.role == "clerk")).one()
    return Actor("HS01", staff.id)


def paid_walkin(engine, actor: Actor, amount: str = "35.00", minutes: int = 0) -> Payment:
    with reading(engine) as s:
        service = s.exec(select(Service).where(Service.code == "JZ01")).one()
    raw = WalkInInput(service_id=service.id, amount=amount, method="wechat")
    logged = log_walkin(engine, actor, raw, FIXED_NOW + timedelta(minutes=minutes), CEILING)
    assert logged.payment is not None
    return logged.payment


def test_receipts_are_numbered_one_after_another_and_issued_once(desk) -> None:
    engine, _ = desk
    actor = clerk(engine)
    first, second = paid_walkin(engine, actor), paid_walkin(engine, actor, "58.50", 1)
    a = issue_receipt(engine, actor, first.id, FIXED_NOW)
    b = issue_receipt(engine, actor, second.id, FIXED_NOW)
    assert (a.number_text, b.number_text) == ("HS01-1-000001", "HS01-1-000002")
    again = issue_receipt(engine, actor, first.id, FIXED_NOW + timedelta(hours=1))
    assert again == a  # the same receipt, not a new number
    with reading(engine) as s:
        assert len(s.exec(select(Receipt)).all()) == 2


def test_the_number_sequence_survives_a_restart(desk) -> None:
    engine, path = desk
    actor = clerk(engine)
    issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    engine.dispose()  # the desk closes; the program starts again on the same file
    reopened, _ = open_store(path)
    try:
        later = issue_receipt(reopened, actor, paid_walkin(reopened, actor).id, FIXED_NOW)
        assert later.number_text == "HS01-1-000002"
    finally:
        reopened.dispose()


def test_a_reversal_has_no_receipt(desk) -> None:
    engine, _ = desk
    actor = clerk(engine)
    pay = paid_walkin(engine, actor)
    manager = manager_of(engine)
    assert pay.walkin_id is not None
    void_walkin(
        engine, actor, pay.walkin_id, "typed twice", FIXED_NOW, manager.staff_id, MANAGER_PIN
    )
    with reading(engine) as s:
        reversal = s.exec(select(Payment).where(Payment.reverses_id == pay.id)).one()
    with pytest.raises(UserError) as caught:
        issue_receipt(engine, actor, reversal.id, FIXED_NOW)
    assert caught.value.code == "receipt.not_income"


def manager_of(engine) -> Actor:
    with reading(engine) as s:
        staff = s.exec(select(Staff).where(Staff.role == "manager")).one()
    return Actor("HS01", staff.id)


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_receipt_fills_the_paper_in_columns(desk, width: int, lang: str) -> None:
    i18n.set_language(lang)
    engine, _ = desk
    actor = clerk(engine)
    receipt = issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    lines = receipt_text(receipt, width).splitlines()
    assert max(cell_len(line) for line in lines) == width  # the rules; nothing wider
    amount = next(line for line in lines if "¥35.00" in line)
    assert amount.endswith("¥35.00") and cell_len(amount) == width  # right-aligned
    assert any(line.endswith("HS01-1-000001") for line in lines)
    assert "白沙社区" in lines[1]


def test_a_long_service_name_is_wrapped_never_cut(desk) -> None:
    engine, _ = desk
    actor = clerk(engine)
    receipt = issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    long_name = "嵌入式居家康养中心中医理疗推拿艾灸套餐（六十分钟）"
    from dataclasses import replace

    lines = receipt_text(replace(receipt, service_zh=long_name), 32).splitlines()
    assert all(cell_len(line) <= 32 for line in lines)
    assert long_name in "".join(line.strip() for line in lines)
    assert "…" not in "".join(lines)


def test_a_reprint_is_marked_and_says_what_the_first_print_said(desk) -> None:
    engine, _ = desk
    actor = clerk(engine)
    receipt = issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    with writing(engine) as s:  # the catalogue changes later: the receipt does not
        service = s.exec(select(Service).where(Service.code == "JZ01")).one()
        service.name_zh, service.row_version = "改了名的服务", service.row_version + 1
    first = receipt_text(receipt, 32)
    again = receipt_text(issue_receipt(engine, actor, receipt.payment_id, FIXED_NOW), 32, FIXED_NOW)
    assert "重印" not in first and "** 重印 2026-11-26 10:30 **" in again
    assert [line for line in again.splitlines() if "重印" not in line] == first.splitlines()


def test_print_then_reprint_on_a_file_printer(desk, tmp_path: Path) -> None:
    engine, _ = desk
    actor = clerk(engine)
    pay = paid_walkin(engine, actor)
    out = tmp_path / "lp0"
    setup = PrinterSetup(kind="file", device=str(out))
    done = print_receipt(engine, actor, setup, pay.id, FIXED_NOW)
    assert not done.reprint and "HS01-1-000001" in done.message()
    assert "重印".encode("gb18030") not in out.read_bytes()
    out.unlink()
    again = print_receipt(engine, actor, setup, pay.id, FIXED_NOW + timedelta(minutes=5))
    assert again.reprint and "重印".encode("gb18030") in out.read_bytes()
    with reading(engine) as s:
        prints = s.exec(select(AuditLog.detail).where(AuditLog.action == "print")).all()
    assert prints == ["", "reprint"]


def test_a_printer_fault_keeps_the_sale_and_the_receipt(desk, tmp_path: Path) -> None:
    i18n.set_language("zh")
    engine, _ = desk
    actor = clerk(engine)
    pay = paid_walkin(engine, actor)
    broken = PrinterSetup(kind="file", device=str(tmp_path / "unplugged" / "lp0"))
    with pytest.raises(PrintFault) as caught:
        print_receipt(engine, actor, broken, pay.id, FIXED_NOW)
    message = caught.value.message()
    assert "无法打印" in message and "HS01-1-000001 已保存" in message
    with reading(engine) as s:  # the sale and its receipt stay; nothing says it was printed
        assert s.get(WalkIn, pay.walkin_id) is not None and s.get(Payment, pay.id) is not None
        assert len(s.exec(select(Receipt)).all()) == 1
        assert s.exec(select(AuditLog).where(AuditLog.action == "print")).first() is None
    out = tmp_path / "lp0"
    done = print_receipt(
        engine, actor, PrinterSetup(kind="file", device=str(out)), pay.id, FIXED_NOW
    )
    assert not done.reprint  # the first time it came out of a printer
    assert b"HS01-1-000001" in out.read_bytes()


def test_no_printer_issues_no_receipt(desk) -> None:
    engine, _ = desk
    actor = clerk(engine)
    pay = paid_walkin(engine, actor)
    with pytest.raises(PrintFault):
        print_receipt(engine, actor, PrinterSetup(), pay.id, FIXED_NOW)
    with reading(engine) as s:
        assert s.exec(select(Receipt)).first() is None


def test_a_restored_desk_numbers_in_a_new_series(central, tmp_path: Path) -> None:
    from frontdesk.services.desk import open_desk
    from frontdesk.sync.restore import restore
    from tests.sync_support import actor_of, new_desk, sync

    url, hq = central
    engine, site_url = new_desk(tmp_path, "HS01", url)
    actor = actor_of(engine, "HS01")
    synced = issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    sync(engine, site_url)
    # Issued after the last sync: the desk dies with it, the central store never sees it.
    lost = issue_receipt(engine, actor, paid_walkin(engine, actor, "12.00", 1).id, FIXED_NOW)
    assert (synced.number_text, lost.number_text) == ("HS01-1-000001", "HS01-1-000002")
    engine.dispose()
    rebuilt = tmp_path / "rebuilt.sqlite3"
    restore(site_url, "HS01", rebuilt)
    new = open_desk(rebuilt)
    try:
        with reading(new) as s:  # the synced receipt came back, to be reprinted
            assert [r.number for r in s.exec(select(Receipt)).all()] == [1]
        fresh = issue_receipt(new, actor, paid_walkin(new, actor, "20.00", 2).id, FIXED_NOW)
        assert fresh.number_text == "HS01-2-000001"  # never the lost HS01-1-000002 again
    finally:
        new.dispose()
    with hq.connect() as conn:
        assert conn.execute(select(SyncSite.receipt_series)).scalar_one() == 2


# --- an earlier document, by its number or date ------------------------------------------------


def test_a_receipt_is_found_by_the_number_printed_on_it(desk) -> None:
    from frontdesk.services.receipts import find_receipt

    engine, _ = desk
    actor = clerk(engine)
    issued = issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    for typed in ("HS01-1-000001", "hs01-1-1", "1-000001", "1", " 1 "):
        assert find_receipt(engine, "HS01", typed) == issued, typed
    for typed in ("HS02-1-000001", "2", "1-2", "收据"):
        with pytest.raises(UserError) as caught:
            find_receipt(engine, "HS01", typed)
        assert caught.value.code == "receipt.unknown" and caught.value.field == "document"


def test_a_past_days_z_report_is_printed_then_reprinted(desk, tmp_path: Path) -> None:
    from frontdesk.printing.jobs import print_named
    from frontdesk.services.closeout import CloseInput, close_day

    engine, _ = desk
    actor = clerk(engine)
    paid_walkin(engine, actor)
    day = FIXED_NOW.date()
    close_day(engine, actor, CloseInput(day, {"wechat": 3500}), FIXED_NOW)
    out = tmp_path / "lp0"
    setup = PrinterSetup(kind="file", device=str(out), encoding="gbk")
    first = print_named(engine, actor, setup, day.isoformat(), FIXED_NOW)
    assert not first.reprint
    data = out.read_bytes()
    assert "收银员签字".encode("gbk") in data and "重印".encode("gbk") not in data
    out.unlink()
    later = FIXED_NOW + timedelta(days=3)
    again = print_named(engine, actor, setup, day.isoformat(), later)
    assert again.reprint and "** 重印 2026-11-29 10:30 **".encode("gbk") in out.read_bytes()


def test_reprint_from_the_command_line(desk, tmp_path: Path, monkeypatch, capsys) -> None:
    from frontdesk.cli import main

    engine, path = desk
    actor = clerk(engine)
    issue_receipt(engine, actor, paid_walkin(engine, actor).id, FIXED_NOW)
    out = tmp_path / "lp0"
    monkeypatch.setenv("FRONTDESK_PRINTER", f"file:{out}")
    assert main(["printer", "reprint", "HS01-1-000001", "--db", str(path)]) == 0
    assert "HS01-1-000001" in capsys.readouterr().out
    assert b"HS01-1-000001" in out.read_bytes()
    assert main(["printer", "reprint", "HS01-1-000009", "--db", str(path)]) == 1
    assert "没有收据号 HS01-1-000009" in capsys.readouterr().err


def test_a_settled_workers_pay_slip_prints_at_the_papers_width(desk, tmp_path: Path) -> None:
    from frontdesk.printing.jobs import print_pay_slip
    from frontdesk.services import settlement
    from frontdesk.services.pay_slip import pay_slip, slip_text
    from tests.gig_support import at, gig_desk
    from tests.test_settlement import worked

    engine, _ = desk
    d = gig_desk(engine)
    aid, _ = worked(d, accepted=100)
    settlement.settle(engine, d.manager, aid, "wechat", "WX123", at(15))
    out = tmp_path / "lp0"
    setup = PrinterSetup(kind="file", device=str(out), width_mm=80, encoding="gbk")
    done = print_pay_slip(engine, d.manager, setup, aid, FIXED_NOW)
    assert "工资条" in done.message()
    lines = slip_text(pay_slip(engine, "HS01", aid), 48).splitlines()
    data = out.read_bytes()
    wage = next(line for line in lines if "实发工资" in line)
    assert wage.replace(" ¥", "￥").encode("gbk") + b"\n" in data  # the 48-column slip
    out.unlink()
    again = print_pay_slip(engine, d.manager, setup, aid, FIXED_NOW + timedelta(minutes=3))
    assert again.reprint and "重印".encode("gbk") in out.read_bytes()
    assert slip_text(pay_slip(engine, "HS01", aid), 48, FIXED_NOW).splitlines()[2].strip() == (
        "** 重印 2026-11-26 10:30 **"
    )
