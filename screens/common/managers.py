"""The manager picker of dialogs that need a manager's PIN: who is offered and who is
preselected. A dialog mixes in `LoadsManagers`, has a `Select` with id "manager", and calls
`load_managers()` when it mounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Select
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from frontdesk.services.auth import SignedIn

Options = list[tuple[str, str]]  # (name, staff id) of each active manager


def preselected_manager(options: Options, me: SignedIn | None) -> str | None:
    """The signed-in staff member when a manager; the only manager when there is one."""
    values = [value for _, value in options]
    if me is not None and str(me.staff_id) in values:
        return str(me.staff_id)
    return values[0] if len(values) == 1 else None


def fill_managers(select: Select, options: Options, me: SignedIn | None) -> None:
    select.set_options(options)
    chosen = preselected_manager(options, me)
    if chosen is not None:
        select.value = chosen


class LoadsManagers:
    """Reads the active managers in a thread worker and fills the "#manager" Select."""

    @work(thread=True, group="managers")
    def load_managers(self) -> None:
        from frontdesk.services.auth import active_staff

        staff = active_staff(self.app.ensure_desk().engine)
        options = [(s.name, str(s.id)) for s in staff if s.role == "manager"]
        if not get_current_worker().is_cancelled:  # else the dialog was closed meanwhile
            self.app.call_from_thread(self._managers, options)

    def _managers(self, options: Options) -> None:
        fill_managers(self.query_one("#manager", Select), options, self.app.staff)
