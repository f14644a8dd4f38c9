"""Keys both apps (the desk and head office) handle alike: F1 help, the quit hint and a
command palette with a translated placeholder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.command import CommandPalette

from frontdesk.i18n import t

if TYPE_CHECKING:
    from textual.app import App

    _App = App[Any]  # what the mixin is mixed into, for the type checker
else:
    _App = object


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
