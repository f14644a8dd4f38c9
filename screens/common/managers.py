"""The manager picker of dialogs that need a manager's PIN: who is offered and who is
preselected. Such a dialog derives from `LoadsManagers`, has a `Select` with id "manager",
and calls `load_managers()` when it mounts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Input, Select

from screens.common.base import DeskModal, ResultT

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn

Options = list[tuple[str, str]]  # (name, staff id) of each active manager


def preselected_manager(options: Options, me: SignedIn | None) -> str | None:
    """The signed-in staff member when a manager; the only manager when there is one."""
    values = [value for _, value in options]
    if me is not None and str(me.staff_id) in values:
        return str(me.staff_id)
    return values[0] if len(values) == 1 else None


def fill_managers(select: Select[str], options: Options, me: SignedIn | None) -> None:
    select.set_options(options)
    chosen = preselected_manager(options, me)
    if chosen is not None:
        select.value = chosen


def approval(screen: Screen) -> tuple[uuid.UUID | None, str]:
    """The manager chosen in "#manager" (None: nobody yet) and the PIN typed in "#pin"."""
    value = screen.query_one("#manager", Select).value
    manager_id = None if value is Select.NULL else uuid.UUID(str(value))
    return manager_id, screen.query_one("#pin", Input).value


def focus_approval(screen: Screen) -> None:
    """Straight to the PIN when a manager is already chosen (the usual case), else to the
    manager."""
    chosen = screen.query_one("#manager", Select).value is not Select.NULL
    screen.query_one("#pin" if chosen else "#manager").focus()


class LoadsManagers(DeskModal[ResultT]):
    """Reads the active managers in a thread worker and fills the "#manager" Select."""

    def load_managers(self) -> None:
        self.run_service(self._read_managers, self._managers, group="managers", exclusive=False)

    def _read_managers(self) -> Options:
        from frontdesk.services.auth import active_staff

        staff = active_staff(self.desk.engine)
        return [(s.name, str(s.id)) for s in staff if s.role == "manager"]

    def _managers(self, options: Options) -> None:
        fill_managers(self.query_one("#manager", Select), options, self.host.staff)
