"""What screens use of the App that runs them, as Protocols: a screen gets a typed app without
importing the shell (screens/desk_app.py imports the screens: that would be a circle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from frontdesk.config import Config
    from frontdesk.services.auth import SignedIn
    from screens.background_sync import BackgroundSync


@dataclass
class Desk:
    """What the shell knows once the database is open."""

    engine: Engine
    site_code: str
    site_name: str
    demo: bool


class Host(Protocol):
    """What every screen uses of its app, the desk's or head office's."""

    blink: bool  # the cursor blinks in text boxes (tests turn it off)

    def now(self) -> datetime: ...


class DeskHost(Host, Protocol):
    """What the desk's screens use of screens/desk_app.FrontdeskApp."""

    cfg: Config
    desk: Desk | None  # None until the database is open
    staff: SignedIn | None  # None until someone signs in
    sync: BackgroundSync

    def ensure_desk(self) -> Desk: ...
    def open_desk_in_background(self) -> None: ...
    def business_day_label(self) -> str: ...
    def first_screen_ready(self, *, loading: bool = False) -> bool: ...
    def first_screen_usable(self, *, ok: bool = True) -> None: ...
    def signed_in(self, staff: SignedIn) -> None: ...
