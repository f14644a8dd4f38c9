"""Head office's accounts (frontdesk/hq/accounts.py): PINs and their lock, roles checked by
the services, audit rows naming the person, and the `central` commands that make accounts.
Every test runs on a SQLite and a PostgreSQL central store (conftest's `central`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import col, select

from db.models import AuditLog, HqStaff, Service
from db.session import reading, writing
from frontdesk.cli import main as cli_main
from frontdesk.errors import UserError
from frontdesk.hq import reference
from frontdesk.hq.accounts import EDITOR, KEY_HOLDER, VIEWER, HqActor, add_account, sign_in
from frontdesk.i18n import set_language, t
from frontdesk.services.auth import LOCK_SECONDS, MAX_FAILURES, verify_pin
from tests.hq_accounts_support import EDITOR_NAME, editor, viewer

NOW = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


def price_of(central: Engine, code: str) -> int:
    with reading(central) as s:
        return s.exec(select(Service.default_price_fen).where(Service.code == code)).one()


def audit_rows(central: Engine, action: str) -> list[AuditLog]:
    with reading(central) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action == action)))


def test_an_account_signs_in_with_its_pin_and_the_check_is_audited(central) -> None:
    _, hq = central
    made = add_account(hq, "  林编辑 ", EDITOR, "246810")
    assert made.name == "林编辑" and made.role == EDITOR
    assert verify_pin("246810", made.pin_hash) and "246810" not in made.pin_hash
    who = sign_in(hq, "林编辑", "246810", NOW)
    assert who == HqActor(made.id, "林编辑", EDITOR)
    [row] = audit_rows(hq, "hq_signin")
    assert row.hq_staff_id == made.id and row.entity_id == made.id and row.staff_id is None


def test_wrong_pins_lock_the_account_as_at_the_desks(central) -> None:
    _, hq = central
    made = add_account(hq, "林编辑", EDITOR, "246810")
    for left in range(MAX_FAILURES - 1, 0, -1):
        with pytest.raises(UserError) as wrong:
            sign_in(hq, "林编辑", "111111", NOW)
        assert wrong.value.code == "signin.wrong_pin" and wrong.value.params["left"] == left
        assert wrong.value.field == "pin"
    with pytest.raises(UserError) as locked:
        sign_in(hq, "林编辑", "111111", NOW)
    assert locked.value.code == "signin.locked"
    # The right PIN does not open a locked account, and asking is not counted.
    with pytest.raises(UserError) as still:
        sign_in(hq, "林编辑", "246810", NOW + timedelta(seconds=30))
    assert still.value.code == "signin.locked" and still.value.params["seconds"] == 31
    failed = audit_rows(hq, "hq_signin_failed")
    assert len(failed) == MAX_FAILURES and {r.hq_staff_id for r in failed} == {made.id}
    assert [r.detail for r in failed].count("locked") == 1
    # Once the lock has run out the right PIN works, and the count starts again.
    later = NOW + timedelta(seconds=LOCK_SECONDS + 1)
    assert sign_in(hq, "林编辑", "246810", later).staff_id == made.id
    with reading(hq) as s:
        row = s.get(HqStaff, made.id)
        assert row is not None and row.failed_pins == 0 and row.locked_until is None


def test_an_unknown_or_switched_off_account_cannot_sign_in(central) -> None:
    _, hq = central
    made = add_account(hq, "林编辑", EDITOR, "246810")
    with pytest.raises(UserError) as unknown:
        sign_in(hq, "无此人", "246810", NOW)
    assert unknown.value.code == "hq_account.unknown" and unknown.value.field == "name"
    with writing(hq) as s:
        row = s.get(HqStaff, made.id)
        assert row is not None
        row.active = False
    with pytest.raises(UserError) as off:
        sign_in(hq, "林编辑", "246810", NOW)
    assert off.value.code == "hq_account.unknown"


def test_a_new_account_needs_a_name_a_role_and_six_digits(central) -> None:
    _, hq = central
    add_account(hq, "林编辑", EDITOR, "246810")
    refusals = [
        (("", EDITOR, "246810"), "hq_account.bad_name", "name"),
        (("王", "boss", "246810"), "hq.bad_choice", "role"),
        (("王", VIEWER, "1234"), "pin.new_format", "pin"),
        (("林编辑", VIEWER, "246810"), "hq_account.name_taken", "name"),
    ]
    for args, code, field in refusals:
        with pytest.raises(UserError) as refused:
            add_account(hq, *args)
        assert (refused.value.code, refused.value.field) == (code, field)
    with reading(hq) as s:
        assert s.exec(select(func.count()).select_from(HqStaff)).one() == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_viewer_cannot_change_reference_data(central, lang: str) -> None:
    _, hq = central
    before = price_of(hq, "JZ01")
    who = viewer(hq)
    set_language(lang)
    try:
        with pytest.raises(UserError) as refused:
            reference.set_price(hq, who, "JZ01", "99")
        assert refused.value.code == "hq_account.needs_editor"
        message = refused.value.message()
        assert who.name in message
        assert ("只读" in message) if lang == "zh" else ("may only read" in message)
    finally:
        set_language("zh")
    assert price_of(hq, "JZ01") == before
    assert audit_rows(hq, "hq_price") == []


def test_an_hq_action_without_sign_in_is_refused(central) -> None:
    _, hq = central
    before = price_of(hq, "JZ01")
    nobody = HqActor(uuid.uuid4(), "冒名", KEY_HOLDER)  # no such account in the store
    for who in (None, nobody):
        with pytest.raises(UserError) as refused:
            reference.set_price(hq, who, "JZ01", "99")
        assert refused.value.code == "hq_account.sign_in_first"
    assert price_of(hq, "JZ01") == before
    assert audit_rows(hq, "hq_price") == []


def test_an_account_switched_off_or_demoted_after_sign_in_is_refused_at_once(central) -> None:
    _, hq = central
    who = editor(hq)
    reference.set_price(hq, who, "JZ01", "50")
    with writing(hq) as s:
        row = s.get(HqStaff, who.staff_id)
        assert row is not None
        row.role = VIEWER
    with pytest.raises(UserError) as demoted:
        reference.set_price(hq, who, "JZ01", "60")
    assert demoted.value.code == "hq_account.needs_editor"
    with writing(hq) as s:
        row = s.get(HqStaff, who.staff_id)
        assert row is not None
        row.role, row.active = EDITOR, False
    with pytest.raises(UserError) as off:
        reference.set_price(hq, who, "JZ01", "60")
    assert off.value.code == "hq_account.sign_in_first"
    assert price_of(hq, "JZ01") == 5000


def test_every_audit_row_written_at_head_office_names_the_person(central) -> None:
    _, hq = central
    who = editor(hq)
    keys = add_account(hq, "赵保管", KEY_HOLDER, "975310")
    holder = HqActor(keys.id, keys.name, keys.role)
    with reading(hq) as s:
        before = set(s.exec(select(AuditLog.id)))
    reference.set_price(hq, who, "JZ01", "88")
    reference.set_service_active(hq, holder, "LG04", False)  # a key holder may edit too
    partner = reference.add_partner(hq, who, "安康护理站", "护理", "55", NOW.date())
    reference.set_share(hq, holder, partner.id, "40", NOW.date() + timedelta(days=10))
    reference.set_partner_active(hq, who, partner.id, False)
    with reading(hq) as s:
        rows = [r for r in s.exec(select(AuditLog)) if r.id not in before]
    assert len(rows) == 5
    assert {(r.action, r.hq_staff_id) for r in rows} == {
        ("hq_price", who.staff_id),
        ("hq_service", holder.staff_id),
        ("hq_partner_add", who.staff_id),
        ("hq_share", holder.staff_id),
        ("hq_partner_off", who.staff_id),
    }
    with reading(hq) as s:  # the name is one join away
        joined = select(HqStaff.name).join(AuditLog, col(AuditLog.hq_staff_id) == HqStaff.id)
        names = set(s.exec(joined))
    assert {EDITOR_NAME, "赵保管"} <= names


def test_central_init_makes_the_first_account_and_add_hq_staff_more(central, capsys) -> None:
    url, hq = central
    code = cli_main(
        ["central", "init", "--central", url, "--hq-name", "赵保管", "--hq-pin", "975310"]
    )
    assert code == 0
    assert "赵保管" in capsys.readouterr().out
    first = sign_in(hq, "赵保管", "975310", NOW)
    assert first.role == KEY_HOLDER  # the first account may do everything
    args = ["central", "add-hq-staff", "--central", url, "--name", "周查看", "--role", "viewer"]
    assert cli_main([*args, "--pin", "864200"]) == 0
    assert sign_in(hq, "周查看", "864200", NOW).role == VIEWER
    assert cli_main([*args, "--pin", "864200"]) == 1  # the name is taken
    assert t("hq_account.name_taken", name="周查看") in capsys.readouterr().err
    # `central init` as before (no account named) still upgrades the store and says nothing
    # is missing, since accounts exist; a store with none would be told to make one.
    assert cli_main(["central", "init", "--central", url]) == 0
    assert t("cli.hq_staff_none") not in capsys.readouterr().err


def test_central_init_without_an_account_says_how_to_make_one(central, capsys) -> None:
    url, _ = central
    assert cli_main(["central", "init", "--central", url]) == 0
    assert t("cli.hq_staff_none") in capsys.readouterr().err


def test_an_account_is_switched_off_demoted_and_given_a_new_pin_each_audited(central) -> None:
    from frontdesk.hq.accounts import AccountChange, change_account

    _, hq = central
    holder = add_account(hq, "赵保管", KEY_HOLDER, "975310")
    who = editor(hq)
    for _ in range(MAX_FAILURES):  # locked out by wrong PINs
        with pytest.raises(UserError):
            sign_in(hq, EDITOR_NAME, "111111", NOW)
    row = change_account(hq, EDITOR_NAME, AccountChange(pin="864200"), NOW)
    assert row.failed_pins == 0 and row.locked_until is None
    assert sign_in(hq, EDITOR_NAME, "864200", NOW).role == EDITOR  # the lock went with it
    with pytest.raises(UserError) as short:
        change_account(hq, EDITOR_NAME, AccountChange(pin="1234"), NOW)
    assert short.value.field == "pin"
    change_account(hq, EDITOR_NAME, AccountChange(role=VIEWER), NOW + timedelta(minutes=1))
    with pytest.raises(UserError) as demoted:  # at its next act, signed in or not
        reference.set_price(hq, who, "JZ01", "60")
    assert demoted.value.code == "hq_account.needs_editor"
    change_account(hq, EDITOR_NAME, AccountChange(active=False), NOW + timedelta(minutes=2))
    with pytest.raises(UserError) as off:
        sign_in(hq, EDITOR_NAME, "864200", NOW)
    assert off.value.code == "hq_account.unknown"
    both = AccountChange(active=True, role=EDITOR)
    change_account(hq, EDITOR_NAME, both, NOW + timedelta(minutes=3))
    assert sign_in(hq, EDITOR_NAME, "864200", NOW).role == EDITOR
    actions = [
        (r.action, r.detail)
        for r in audit_rows_of(hq, who.staff_id)
        if r.action.startswith("hq_account_") and r.action != "hq_account_add"
    ]
    assert actions[:3] == [
        ("hq_account_pin_reset", ""),
        ("hq_account_role", "editor->viewer"),
        ("hq_account_disable", ""),
    ]
    assert sorted(actions[3:]) == [("hq_account_enable", ""), ("hq_account_role", "viewer->editor")]
    with pytest.raises(UserError) as same:
        change_account(hq, EDITOR_NAME, AccountChange(active=True), NOW)
    assert same.value.code == "hq_account.nothing_changed"
    assert holder.role == KEY_HOLDER


def audit_rows_of(central: Engine, account_id: uuid.UUID) -> list[AuditLog]:
    with reading(central) as s:
        query = select(AuditLog).where(AuditLog.entity_id == account_id)
        return list(s.exec(query.order_by(col(AuditLog.at), col(AuditLog.id))))


def test_the_last_key_holder_is_never_switched_off_or_demoted(central) -> None:
    from frontdesk.hq.accounts import AccountChange, change_account

    _, hq = central
    add_account(hq, "赵保管", KEY_HOLDER, "975310")
    for change in (AccountChange(active=False), AccountChange(role=EDITOR)):
        with pytest.raises(UserError) as last:
            change_account(hq, "赵保管", change, NOW)
        assert last.value.code == "hq_account.last_key_holder"
    assert sign_in(hq, "赵保管", "975310", NOW).role == KEY_HOLDER
    add_account(hq, "钱保管", KEY_HOLDER, "975311")
    assert not change_account(hq, "赵保管", AccountChange(active=False), NOW).active
    with pytest.raises(UserError):  # now 钱保管 is the last one
        change_account(hq, "钱保管", AccountChange(role=VIEWER), NOW)


def test_central_edit_hq_staff_on_the_command_line(central, capsys) -> None:
    url, hq = central
    add_account(hq, "赵保管", KEY_HOLDER, "975310")
    editor(hq)
    base = ["central", "edit-hq-staff", "--central", url, "--name", EDITOR_NAME, "--lang", "en"]
    assert cli_main([*base, "--disable", "--role", "viewer"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Head-office account {EDITOR_NAME} changed: viewer, switched off"
    )
    assert cli_main([*base, "--enable", "--new-pin", "864200"]) == 0
    assert sign_in(hq, EDITOR_NAME, "864200", NOW).role == VIEWER
    assert cli_main([*base]) == 1
    assert "Nothing to change" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli_main([*base, "--disable", "--enable"])
    assert usage.value.code == 2
