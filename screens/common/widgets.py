"""Widgets every screen shares: the status bar, the key bar and per-field error lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from frontdesk.domain.clock import local_time
from frontdesk.domain.pin_rules import CODE_DIGITS, PIN_MAX
from frontdesk.i18n import t
from screens.common.keys import binding_label, key_display

if TYPE_CHECKING:
    from textual.screen import Screen

    from screens.background_sync import BackgroundSync
    from screens.common.host import DeskHost

# What a PIN box accepts: ASCII digits, and the full-width ones a Chinese IME types.
PIN_CHARS = r"[0-9０-９]*"
PIN_LEN = PIN_MAX  # a PIN prompt
SIGN_IN_LEN = CODE_DIGITS  # the sign-in and unlock prompts also take a one-time code


class StatusBar(Static):
    """Site, staff member, business date and sync state."""

    DEFAULT_CSS = "StatusBar { dock: top; height: 1; }"

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(30, self.refresh_status)  # the business date turns at midnight

    def refresh_status(self) -> None:
        host = cast("DeskHost", self.app)
        desk, staff = host.desk, host.staff
        site = f"{desk.site_name} {desk.site_code}" if desk else t("status.no_site")
        who = f"{staff.name}（{t('role.' + staff.role)}）" if staff else t("status.not_signed_in")
        sync = t("status.sync", state=sync_state(host.sync))
        parts = [site, who, host.business_day_label(), sync]
        self.update(" │ ".join(parts))


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
    """The screen's active keys with their translated names (Textual's Footer is English-only)."""

    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._render_keys()

    def _changed(self, _screen: Screen) -> None:
        self._render_keys()

    def _render_keys(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            label = binding_label(active.binding)
            if not active.binding.show or label is None or key in seen:
                continue
            seen.add(key)
            text.append(f" {key_display(active.binding)} ", style="reverse")
            text.append(f" {label}  ")
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

    def show(self, message: str) -> None:
        self.update(message)
        self.display = bool(message)
