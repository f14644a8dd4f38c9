"""Widgets every screen shares: the status bar, the key bar and per-field error lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from frontdesk.domain.clock import business_date, local_time
from frontdesk.domain.pin_rules import CODE_DIGITS, PIN_MAX
from frontdesk.i18n import t
from screens.common.dates import day_label, short_day_label
from screens.common.keys import key_display, working_keys

if TYPE_CHECKING:
    from textual.screen import Screen

    from screens.background_sync import BackgroundSync
    from screens.common.host import DeskHost

# What a PIN box accepts: ASCII digits, and the full-width ones a Chinese IME types.
PIN_CHARS = r"[0-9０-９]*"
PIN_LEN = PIN_MAX  # a PIN prompt
SIGN_IN_LEN = CODE_DIGITS  # the sign-in and unlock prompts also take a one-time code


class StatusBar(Static):
    """Site, staff member, business date and sync state, in as few cells as the width needs."""

    DEFAULT_CSS = "StatusBar { dock: top; height: 1; }"

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(30, self.refresh_status)  # the business date turns at midnight

    def on_resize(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        host = cast("DeskHost", self.app)
        self.update(fitted_line(status_parts(host), self.content_region.width))


def status_parts(host: DeskHost) -> list[list[str]]:
    """Each part of the status line in its forms, longest first (see fitted_line)."""
    desk, staff = host.desk, host.staff
    day = business_date(host.now())
    state = sync_state(host.sync)
    site = [f"{desk.site_name} {desk.site_code}", desk.site_name] if desk else [t("status.no_site")]
    if staff:
        who = [f"{staff.name}（{t('role.' + staff.role)}）", staff.name]
    else:  # the sign-in screen says so itself: a narrow status line may leave it out
        who = [t("status.not_signed_in"), ""]
    return [
        site,
        who,
        [day_label(day), short_day_label(day)],
        [t("status.sync", state=state), state],
    ]


def fitted_line(parts: Sequence[Sequence[str]], room: int) -> Text:
    """Parts joined by │, each given as its forms from longest to shortest: the first parts
    are shortened first, so the last (the sync state) keeps its words longest. Cut with an
    ellipsis only when even the shortest forms do not fit (or before the first layout)."""
    chosen = [forms[0] for forms in parts]

    def line() -> str:
        return SEPARATOR.join(part for part in chosen if part)  # an empty form leaves it out

    for i, forms in enumerate(parts):
        for form in forms:
            if cell_len(line()) <= room or room <= 0:
                break
            chosen[i] = form
    return Text(line(), no_wrap=True, overflow="ellipsis")


SEPARATOR = " │ "


def sync_state(sync: BackgroundSync | None) -> str:
    """Online/offline, pending, failed and the last success, in a few characters."""
    if sync is None or not sync.configured:
        return t("sync.not_configured")
    if sync.running:
        return t("sync.running")
    status = sync.status
    if status is None or status.last_attempt_at is None:
        return t("sync.state_never")
    parts = [t("sync.state_online" if status.online else "sync.state_offline")]
    parts.append(t("sync.pending", count=status.pending))
    if status.failed:
        parts.append(t("sync.failed", count=status.failed))
    if status.last_success_at is not None:
        parts.append(t("sync.last_at", time=local_time(status.last_success_at).strftime("%H:%M")))
    return " · ".join(parts)


class KeyBar(Static):
    """The screen's working keys with their translated names (Textual's Footer is English-only).

    F1 comes first and always stays; what does not fit the width is left to F1's list and
    the palette, dropped from the least used end rather than cut at the edge."""

    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._render_keys()

    def on_resize(self) -> None:
        self._render_keys()

    def _changed(self, _screen: Screen) -> None:
        self._render_keys()

    def _render_keys(self) -> None:
        shown = [(key_display(b), name) for b, name, _ in working_keys(self.screen) if b.show]
        room = self.content_region.width or self.app.size.width
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, label in shown:
            item = key_item(key, label)
            if text.cell_len + item.cell_len > room:
                break
            text.append_text(item)
        self.update(text)


def key_item(key: str, label: str) -> Text:
    text = Text()
    text.append(f" {key} ", style="reverse")
    text.append(f" {label} ")
    return text


class KeyLegend(Static):
    """Keys with what they choose, laid out over as many lines as the width needs, never
    breaking an item: a key and its name always stay together."""

    DEFAULT_CSS = "KeyLegend { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.title = ""
        self.items: list[tuple[str, str]] = []

    def show(self, title: str, items: list[tuple[str, str]]) -> None:
        self.title, self.items = title, items
        self._lay_out()

    def on_resize(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        room = self.content_region.width or self.app.size.width
        text = Text(self.title, style="bold")
        line = text.cell_len
        for key, name in self.items:
            item = Text("  ")
            item.append_text(key_item(key, name))
            if line + item.cell_len > room:
                text.append("\n")
                item, line = key_item(key, name), 0
            text.append_text(item)
            line += item.cell_len
        self.update(text)


def clear_errors(screen: Screen) -> None:
    for error in screen.query(FieldError):
        error.show("")


class FieldError(Static):
    """The message under a form field; empty when the field is fine."""

    DEFAULT_CSS = "FieldError { height: auto; color: $error; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # Shown as written, never read as markup: a message may hold a path with [brackets].
        super().__init__(id=id, classes=classes, markup=False)

    def hidden(self) -> FieldError:
        """Made hidden (nothing to say yet), so no screen must find it on mount to hide
        it: the lock screen's did while the app was leaving, and found nothing."""
        self.display = False
        return self

    def show(self, message: str) -> None:
        self.update(message)
        self.display = bool(message)


def pin_box(box_id: str, max_length: int = PIN_LEN, **options: Any) -> Input:
    """A box a PIN (or, up to SIGN_IN_LEN, a one-time code) is typed in, its digits hidden."""
    return Input(id=box_id, password=True, restrict=PIN_CHARS, max_length=max_length, **options)


def field_errors(*names: str) -> ComposeResult:
    """The (hidden) error line under each named field: `#<name>-error`, where refusals of
    that field are shown (screens/common/base.py)."""
    for name in names:
        yield FieldError(id=f"{name}-error", classes="form-error").hidden()


def form_row(name: str, label: str, field: Widget) -> ComposeResult:
    """A form's row: the label beside its field, the field's error line under them."""
    with Horizontal(classes="form-row"):
        yield Label(label)
        yield field
    yield from field_errors(name)
