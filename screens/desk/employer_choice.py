"""The employer box of the forms that take one (a gig order, a job posting): the site's
employers under their short names (the shared 江门市蓬江区 left out), the one chosen kept
across a reload, and F2 to add an employer there and then, chosen at once."""

from __future__ import annotations

import uuid
from typing import Any

from textual.widgets import Select

from frontdesk.domain.org_names import short_names
from screens.common.base import DeskModal
from screens.common.widgets import FieldError

Options = list[tuple[str, str]]  # (shown name, employer id)


def load_employers(form: DeskModal[Any], chosen: uuid.UUID | None, group: str) -> None:
    """Fill the form's #employer box, choosing `chosen` if given, else keeping its choice."""
    form.run_service(lambda: _options(form), lambda found: _show(form, found, chosen), group=group)


def _options(form: DeskModal[Any]) -> Options:
    from frontdesk.services.employers import list_employers

    employers = list_employers(form.desk.engine, form.desk.site_code)
    shown = short_names([e.name for e in employers])
    return [(name, str(e.id)) for name, e in zip(shown, employers, strict=True)]


def _show(form: DeskModal[Any], options: Options, chosen: uuid.UUID | None) -> None:
    select = form.query_one("#employer", Select)
    kept = select.value
    select.set_options(options)
    values = [v for _, v in options]
    if chosen is not None and str(chosen) in values:
        select.value = str(chosen)
        for line in form.query("#employer-error").results(FieldError):
            line.show("")  # a refusal of the box before is answered
    elif kept in values:
        select.value = kept


def add_employer(form: DeskModal[Any], group: str) -> None:
    """F2: a new employer, then the box lists it and has it chosen."""
    from screens.desk.employer_dialog import EmployerDialog

    def added(employer_id: uuid.UUID | None) -> None:
        if employer_id is not None:
            load_employers(form, employer_id, group)
            form.query_one("#employer", Select).focus()

    form.app.push_screen(EmployerDialog(), callback=added)
