"""Who acts at this desk: the signed-in staff member, for the services."""

from __future__ import annotations

from typing import Any


def actor_of(app: Any):
    from frontdesk.services.acting import Actor

    return Actor(app.ensure_desk().site_code, app.staff.staff_id)
