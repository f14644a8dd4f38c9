"""Keys both apps (the desk and head office) handle alike: F1 help, the quit hint and a
command palette with a translated placeholder."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette

from frontdesk.i18n import t
from screens.common.keys import key_display, screen_keys

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    _App = App[Any]  # what the mixin is mixed into, for the type checker
else:
    _App = object


# Both apps' own keys, handled below (F9 by the idle lock).
APP_KEYS: list[BindingType] = [
    Binding("f1", "help", "help", id="help", priority=True),
    Binding("ctrl+q", "quit", "quit", id="quit", priority=True),
    Binding("ctrl+p", "command_palette", "palette", id="palette"),
    # F9 locks from any screen (shown on home's key bar): a reveal must not wait for home.
    Binding("f9", "lock", "lock", id="lock", show=False),
    Binding("ctrl+c", "help_quit", show=False, system=True),
]


class SharedKeys(_App):
    """Mixed into an App before `App` itself."""

    def action_help(self) -> None:
        from screens.common.help import HelpScreen

        # F1 is a priority key (it works over dialogs too), so it also closes the help.
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_help_quit(self) -> None:
        self.notify(t("app.quit_hint"))

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=t("palette.placeholder"))
            )

    def screen_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The screen's own palette commands, then each of its keys not among them, by the
        key's name: a key the key bar had no room for is found in the palette too."""
        own = list(getattr(screen, "palette_commands", lambda: ())())
        yield from own
        titles = {command.title for command in own}
        for binding, name in screen_keys(screen):
            if name not in titles:
                titles.add(name)
                run = partial(screen.run_action, binding.action)
                yield SystemCommand(name, key_display(binding), run)
