"""The screens' one doorway (screens/common/base.py): a service call in a worker, its result
on the UI thread or dropped, a refusal at its field, the cursor blink as the app says."""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from frontdesk import i18n
from frontdesk.domain.forms import FormErrors
from frontdesk.errors import UserError
from frontdesk.i18n import t
from screens.common.base import BaseScreen
from screens.common.widgets import FieldError
from tests.conftest import FIXED_NOW

WAIT_S = 5.0


class Form(BaseScreen[None]):
    FIELD_AT = {"amount_fen": "amount", "elsewhere": None}
    REFUSAL_AT = "form-error"
    RETYPED = ("pin",)

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def compose(self) -> ComposeResult:
        for name in ("amount", "reason"):
            yield Input(id=name)
            yield FieldError(id=f"{name}-error")
        yield Input(id="pin", password=True)
        yield FieldError(id="pin-error")
        yield FieldError(id="form-error")


class Host(App[None]):
    blink = False

    def now(self) -> datetime:
        return FIXED_NOW

    def on_mount(self) -> None:
        self.push_screen(Form())


def shown(form: Form, line: str) -> str:
    return str(form.query_one(f"#{line}", FieldError).content)


def refused(code: str, field: str | None = None) -> UserError:
    return UserError(code, field=field)


async def happened(pilot: Pilot[None], check: Callable[[], bool]) -> bool:
    """Wait for `check`, letting the app run (its workers start from its event loop)."""
    for _ in range(int(WAIT_S / 0.02)):
        if check():
            return True
        await pilot.pause(0.02)
    return check()


async def test_the_result_reaches_the_screen_on_its_thread() -> None:
    app = Host()
    async with app.run_test() as pilot:
        form = app.screen
        assert isinstance(form, Form)
        got: list[tuple[int, int]] = []
        worker_thread = threading.get_ident  # called in the worker, then on the UI thread
        form.run_service(
            worker_thread,
            lambda there: got.append((there, threading.get_ident())),
            group="probe",
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        [(there, here)] = got
        assert there != here == threading.get_ident()


async def test_a_refusal_shows_at_the_field_it_names_and_the_cursor_goes_there() -> None:
    i18n.set_language("en")
    app = Host()
    async with app.run_test() as pilot:
        form = app.screen
        assert isinstance(form, Form)

        def call() -> None:
            raise refused("pin.mismatch", field="amount_fen")

        form.run_service(call, form.got.append, group="probe")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert form.got == []  # nothing done
        assert shown(form, "amount-error") == t("pin.mismatch")
        assert shown(form, "form-error") == ""
        assert form.focused is form.query_one("#amount")


async def test_a_refusal_of_no_field_here_goes_under_the_form() -> None:
    i18n.set_language("en")
    app = Host()
    async with app.run_test() as pilot:
        form = app.screen
        assert isinstance(form, Form)
        for field in (None, "elsewhere", "not_on_this_form"):
            form.query_one("#form-error", FieldError).show("")
            form.show_refusal(refused("pin.mismatch", field=field))
            assert shown(form, "form-error") == t("pin.mismatch"), field
        await pilot.pause()


async def test_every_error_of_a_form_shows_the_cursor_at_the_first() -> None:
    i18n.set_language("en")
    app = Host()
    async with app.run_test() as pilot:
        form = app.screen
        assert isinstance(form, Form)
        form.query_one("#pin", Input).value = "1234"
        errors = [refused("pin.mismatch", "reason"), refused("pin.mismatch", "pin")]
        assert form.show_refusal(FormErrors(errors)) == "reason"
        await pilot.pause()
        assert shown(form, "reason-error") == shown(form, "pin-error") == t("pin.mismatch")
        assert form.query_one("#pin", Input).value == ""  # a wrong PIN is typed again
        assert form.focused is form.query_one("#reason")


async def test_a_cancelled_call_delivers_nothing() -> None:
    app = Host()
    async with app.run_test() as pilot:
        form = app.screen
        assert isinstance(form, Form)
        started, gate, finished = threading.Event(), threading.Event(), threading.Event()

        def slow() -> str:
            started.set()
            gate.wait(WAIT_S)
            finished.set()
            return "old"

        form.run_service(slow, form.got.append, group="probe")
        assert await happened(pilot, started.is_set)
        form.run_service(lambda: "new", form.got.append, group="probe")  # cancels the first
        assert await happened(pilot, lambda: bool(form.got))  # while the old one still runs
        gate.set()
        assert finished.wait(WAIT_S)
        await pilot.pause(0.1)
        assert form.got == ["new"]


async def test_nothing_reaches_a_screen_that_has_gone() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        first = app.screen
        gone = Form()
        await app.push_screen(gone)
        started, gate, finished = threading.Event(), threading.Event(), threading.Event()

        def slow() -> str:
            started.set()
            gate.wait(WAIT_S)
            finished.set()
            return "late"

        gone.run_service(slow, gone.got.append, group="probe", exclusive=False)
        assert await happened(pilot, started.is_set)
        await app.pop_screen()
        gate.set()
        assert finished.wait(WAIT_S)
        await pilot.pause(0.1)
        assert app.screen is first and gone.got == []


async def test_the_cursor_blinks_as_the_app_says() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert [box.cursor_blink for box in app.screen.query(Input)] == [False] * 3


# --- one doorway: every screen on the base, no other way to a worker -------------------------
ROOT = Path(__file__).resolve().parent.parent
# Screens that use nothing of the app, run no service and have no text box.
# Help lists the keys of the screen under it; the discard question is opened by the base
# itself (as a BaseScreen it would import it back) and has no field or service.
OFF_THE_BASE = {"screens.common.help.HelpScreen", "screens.common.discard.DiscardDialog"}
# Where workers are made other than run_service: the desk's background sync and its shell.
OWN_WORKERS = {"screens/common/base.py", "screens/background_sync.py", "screens/desk_app.py"}


def test_every_screen_derives_from_the_base() -> None:
    for info in pkgutil.walk_packages([str(ROOT / "screens")], prefix="screens."):
        importlib.import_module(info.name)
    found = {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in all_subclasses(Screen)
        if cls.__module__.startswith("screens.")
    }
    off = {name for name, cls in found.items() if not issubclass(cls, BaseScreen)}
    assert off == OFF_THE_BASE


def test_workers_are_run_one_way() -> None:
    ways = re.compile(r"@work\b|get_current_worker|call_from_thread|run_worker\(")
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "screens").rglob("*.py")
        if ways.search(path.read_text(encoding="utf-8"))
    ]
    assert set(elsewhere) <= OWN_WORKERS, sorted(set(elsewhere) - OWN_WORKERS)


def all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= all_subclasses(sub)
    return found
