"""Baseline for bench/startup.py: a bare Textual app drawing the widgets of the sign-in screen.

Same widget tree, same stylesheet (screens/frontdesk.tcss) and same class names (so the type
selectors match), but nothing of frontdesk: no config, translations, clock, services or
database. With FRONTDESK_EXIT_ON_READY=1 it exits (code 0) right after its first paint, through
call_after_refresh, exactly like the real sign-in screen; without it, it stays up (Ctrl+Q quits).

    .venv/bin/python bench/bare_app.py
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

CSS = Path(__file__).resolve().parent.parent / "screens" / "frontdesk.tcss"
EXIT_ON_READY = "FRONTDESK_EXIT_ON_READY"
LABELS = {"help": "帮助", "quit": "退出", "palette": "命令", "sign_in": "登录"}


class StatusBar(Static):
    DEFAULT_CSS = "StatusBar { dock: top; height: 1; }"

    def on_mount(self) -> None:
        self.update("未设置站点 │ 未登录 │ 2026-01-05 星期一 │ 同步：未配置")


class KeyBar(Static):
    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self._render_keys())
        self._render_keys()

    def _render_keys(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, active in self.screen.active_bindings.items():
            label = LABELS.get(active.binding.id or "")
            if active.binding.show and label:
                parts = key.split("+")
                shown = "+".join(p.upper() if p[:1] == "f" else p.capitalize() for p in parts)
                text.append(f" {shown} ", style="reverse")
                text.append(f" {label}  ")
        self.update(text)


class FieldError(Static):
    DEFAULT_CSS = "FieldError { height: auto; color: $error; }"

    def show(self, message: str) -> None:
        self.update(message)
        self.display = bool(message)


class SignInScreen(Screen[None]):
    AUTO_FOCUS = "#pin"
    BINDINGS = [Binding("enter", "sign_in", "sign_in", id="sign_in", show=True)]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Vertical(id="signin-box", classes="box"):
            yield Static("社区党群服务中心前台", id="signin-title", classes="title")
            yield Label("选择员工")
            yield OptionList(Option("正在读取员工名单…", disabled=True), id="staff")
            yield Label("PIN 码")
            yield Input(
                id="pin",
                password=True,
                restrict=r"\d*",
                max_length=8,
                placeholder="输入 PIN 后按回车",
            )
            yield FieldError(id="pin-error")
            yield Static("", id="signin-note", classes="note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pin-error", FieldError).show("")
        self.call_after_refresh(self.app.first_screen_ready)

    def action_sign_in(self) -> None:
        self.query_one("#pin-error", FieldError).show("请先选择员工")


class BareApp(App[int]):
    CSS_PATH = str(CSS)
    TITLE = "frontdesk"
    BINDINGS = [
        Binding("f1", "help", "help", id="help"),
        Binding("ctrl+q", "quit", "quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "palette", id="palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def on_mount(self) -> None:
        self.push_screen(SignInScreen())

    def first_screen_ready(self) -> None:
        if os.environ.get(EXIT_ON_READY):
            self.exit(0)

    def action_help(self) -> None:
        self.notify("帮助")

    def action_help_quit(self) -> None:
        self.notify("按 Ctrl+Q 退出")


if __name__ == "__main__":
    app = BareApp()
    app.run()
    raise SystemExit(app.return_code or 0)
