"""The one doorway of a screen to its app and to the services.

Every screen and dialog derives from these. They give:

- `host`: the app, typed by a Protocol (screens/common/host.py), so no screen imports the shell;
  the desk's screens also get `desk` (the open database) and `actor` (who acts at this desk);
- the cursor blink of every text box as the app says (tests turn it off), set here once;
- `run_service`: a service call in a thread worker, its result handed to the screen on the
  UI thread, or what it raised shown by `show_refusal`; nothing arrives once the worker was
  cancelled (a newer one of its group started) or the screen has gone;
- `run_for_app`: the same for work whose outcome matters after the screen has gone (a
  print): the app's worker, its outcome handed to the app, never dropped;
- `show_refusal`: a refused action (frontdesk.errors.UserError, every error of a FormErrors)
  under the field it names, the cursor there; else under the screen's own error line, else
  as a notice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from frontdesk.errors import describe
from screens.common.widgets import FieldError, clear_errors

if TYPE_CHECKING:
    from frontdesk.services.acting import Actor
    from screens.common.host import Desk, DeskHost, Host

ResultT = TypeVar("ResultT")  # what a screen is dismissed with
Returned = TypeVar("Returned")  # what a service call returns
Delivered = TypeVar("Delivered")


def save_or_cancel(action: str = "submit", label: str = "save") -> list[BindingType]:
    """A dialog's keys: Ctrl+S runs `action` (named `label` in the key bar), Esc cancels."""
    return [
        Binding("ctrl+s", action, label, id=label),
        Binding("escape", "cancel", "cancel", id="cancel"),
    ]


SAVE_OR_CANCEL = save_or_cancel()


class BaseScreen(Screen[ResultT]):
    # A service's field name -> the id of this screen's widget for it, where they differ;
    # None: not a field of this screen (shown under REFUSAL_AT). The widget's error line is
    # "#<id>-error".
    FIELD_AT: ClassVar[Mapping[str, str | None]] = {}
    # The id of the line (a FieldError or a Static) for refusals of no field of this screen;
    # None: they are a notice.
    REFUSAL_AT: ClassVar[str | None] = None
    # Boxes emptied when a refusal shows at them: a wrong PIN is typed again from scratch.
    RETYPED: ClassVar[Collection[str]] = ()
    # What Esc dismisses a dialog with: None, or False where the caller asks "was it done?".
    CANCELLED: ClassVar[Any] = None
    busy = False  # a write of this screen is on its way: one submission at a time

    @property
    def host(self) -> Host:
        return cast("Host", self.app)

    @on(events.Mount)
    def _blink_as_the_host_says(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self.host.blink

    # --- services in a worker ----------------------------------------------------------------
    def run_service(
        self,
        call: Callable[[], Returned],
        done: Callable[[Returned], object],
        *,
        group: str,
        refused: Callable[[Exception], object] | None = None,
        exclusive: bool = True,
    ) -> Worker[None]:
        """Run `call` (blocking: a service) in a thread worker, then `done(result)` on the UI
        thread, or `refused(error)` (by default `show_refusal`) if it raised. `exclusive`: a
        new call of the group cancels the one before, whose result is then dropped."""
        app = self.app

        def work() -> None:
            worker = get_current_worker()
            try:
                result = call()
            except Exception as exc:  # said on the screen: an escaped error would end the app
                self._deliver(app, worker, refused or self.show_refusal, exc)
            else:
                self._deliver(app, worker, done, result)

        return self.run_worker(work, name=group, group=group, thread=True, exclusive=exclusive)

    def _deliver(
        self,
        app: App[Any],
        worker: Worker[Any],
        callback: Callable[[Delivered], object],
        value: Delivered,
    ) -> None:
        def on_ui_thread() -> None:
            # Looked at again here: the screen may have closed while this was on its way.
            if not worker.is_cancelled and self.is_attached:
                callback(value)

        if not worker.is_cancelled:
            app.call_from_thread(on_ui_thread)

    def run_for_app(
        self,
        call: Callable[[], Returned],
        done: Callable[[Returned], object],
        refused: Callable[[Exception], object],
        *,
        group: str,
    ) -> None:
        """As `run_service`, but the worker is the app's and `done` / `refused` run on the UI
        thread whether or not this screen is still there (they must use the app, not it).
        Workers of a group run side by side: none cancels another."""
        app = self.app

        def work() -> None:
            outcome: partial[object]
            try:
                outcome = partial(done, call())
            except Exception as exc:  # handed on: an escaped error would end the app
                outcome = partial(refused, exc)
            with suppress(RuntimeError):  # the app has ended meanwhile: nobody to tell
                app.call_from_thread(outcome)

        app.run_worker(work, name=group, group=group, thread=True, exclusive=False)

    def from_worker(self, callback: Callable[..., object], *args: object) -> None:
        """Called in a service's worker thread (its progress): `callback(*args)` on the UI
        thread, if the screen is still there."""

        def on_ui_thread() -> None:
            if self.is_attached:
                callback(*args)

        self.app.call_from_thread(on_ui_thread)

    # --- writes, one at a time -------------------------------------------------------------
    def begin_write(self) -> bool:
        """A submission starts: False while a write is already on its way (do nothing); else
        the form's error lines are emptied and the screen is busy until the write is done or
        refused (`refused_write`)."""
        if self.busy:
            return False
        clear_errors(self)
        self.busy = True
        return True

    def refused_write(self, exc: Exception) -> None:
        """A write was refused: the form is free again and says why."""
        self.busy = False
        self.show_refusal(exc)

    def action_cancel(self) -> None:
        """Esc, but not while a write is on its way: the dialog would close on something that
        was done after all. Typing not saved yet is thrown away only once the person says so."""
        if self.busy:
            return
        if not self.unsaved_typing():
            self.dismiss(self.CANCELLED)
            return
        from screens.common.discard import DiscardDialog

        self.app.push_screen(DiscardDialog(), callback=self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(self.CANCELLED)

    # --- typing not saved yet ------------------------------------------------------------------
    @on(events.Mount)
    def _typing_from_here(self) -> None:
        self.call_after_refresh(self.remember_typing)  # after the screen's own on_mount fills it

    def remember_typing(self) -> None:
        """What the text boxes hold now counts as nothing typed: called once the screen is
        filled in."""
        self._typed_from = {box: box.value for box in self._text_boxes()}

    def filled_in(self, box: Input) -> None:
        """`box` was filled by the screen itself (from a worker, after mount): not typing."""
        if not hasattr(self, "_typed_from"):
            self._typed_from = {}
        self._typed_from[box] = box.value

    def unsaved_typing(self) -> bool:
        """A text box holds what the person typed since the screen was filled in. PIN boxes
        do not count: a PIN is typed again in a moment, never worth a question."""
        before: dict[Input, str] = getattr(self, "_typed_from", {})
        return any(box.value != before.get(box, "") for box in self._text_boxes())

    def _text_boxes(self) -> list[Input]:
        return [box for box in self.query(Input) if not box.password]

    # --- refusals ----------------------------------------------------------------------------
    def show_refusal(self, exc: BaseException, focus: bool = True) -> str | None:
        """Say why an action was refused: each error (all those of a FormErrors) under the
        field it names (a wrong PIN there emptied: RETYPED); the cursor goes to the first such
        field, whose id is returned (None when none was named)."""
        from frontdesk.domain.forms import FormErrors

        errors: list[BaseException] = list(exc.errors) if isinstance(exc, FormErrors) else [exc]
        first: str | None = None
        for error in errors:
            name = self.refusal_field(error)
            self.say_refusal(name, describe(error))
            first = first or name
        if focus and first is not None:
            found = self.query(f"#{first}")
            if found:
                found.first().focus()
        return first

    def refusal_field(self, error: BaseException) -> str | None:
        """The id of this screen's field `error` names, if it has one with an error line."""
        field = getattr(error, "field", None)
        if not field:
            return None
        name = self.FIELD_AT.get(field, field)
        return name if name is not None and self.query(f"#{name}-error") else None

    def refusal_home(self) -> str | None:
        """The id of the line for refusals of no field here (REFUSAL_AT by default)."""
        return self.REFUSAL_AT

    def say_refusal(self, name: str | None, message: str) -> None:
        """Show `message` under field `name`, or where refusals of no field go."""
        if name is not None:
            self.query_one(f"#{name}-error", FieldError).show(message)
            if name in self.RETYPED:
                self.query_one(f"#{name}", Input).value = ""
            return
        home = self.refusal_home()
        if home is None:
            self.notify(message, severity="error")
            return
        line = self.query_one(f"#{home}", Static)
        if isinstance(line, FieldError):
            line.show(message)
        else:
            line.update(message)


# --- the desk's screens ------------------------------------------------------------------------
class DeskScreen(BaseScreen[ResultT]):
    @property
    def host(self) -> DeskHost:
        return cast("DeskHost", self.app)

    @property
    def desk(self) -> Desk:
        """The open desk; the first use opens the database (blocking: in a service call)."""
        return self.host.ensure_desk()

    @property
    def actor(self) -> Actor:
        """Who acts: the signed-in staff member at this desk (blocking, as `desk`)."""
        from frontdesk.services.acting import Actor

        staff = self.host.staff
        if staff is None:  # screens that act are only shown to someone signed in
            raise RuntimeError("no one is signed in")
        return Actor(self.desk.site_code, staff.staff_id)


class DeskModal(ModalScreen[ResultT], DeskScreen[ResultT]):
    """A dialog of the desk. ModalScreen comes first: Textual takes a widget's stylesheet and
    type names along its first bases only."""
