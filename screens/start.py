"""How a TUI process starts (frontdesk/cli): the process readied first, then the app.

The desk's and head office's apps are made here, not by importing their modules directly,
because what readies the process must run before Textual imports asyncio. bench/search.py
starts its TUI child this way too, so it measures what a desk PC runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.runtime import leave_out_system_openssl

if TYPE_CHECKING:
    from textual.app import App

    from frontdesk.config import Config
    from screens.desk_app import FrontdeskApp
    from screens.hq_app import HqApp


def desk_app(cfg: Config, *, blink: bool = True) -> FrontdeskApp:
    """The desk's TUI, in a process readied for it (screens/runtime.py)."""
    leave_out_system_openssl()
    from screens.desk_app import FrontdeskApp

    return FrontdeskApp(cfg, blink=blink)


def hq_app(cfg: Config, url: str) -> HqApp:
    """Head office's TUI on the central store at `url`, in a process readied for it."""
    leave_out_system_openssl()
    from screens.hq_app import HqApp

    return HqApp(cfg, url)


def run(app: App[int]) -> int:
    """Run the app until it leaves; its exit code."""
    app.run()
    return app.return_code or 0
