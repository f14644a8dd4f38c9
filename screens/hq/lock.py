"""Head office's lock: the desk's lock screen, checking the signed-in head-office account
(same count of wrong PINs and the same lock as the sign-in)."""

from __future__ import annotations

from typing import cast

from frontdesk.errors import describe
from screens.common.lock import LockScreen
from screens.hq.common import HqHost


class HqLockScreen(LockScreen):
    TITLE_KEY = "hq_account.lock_title"

    @property
    def hq(self) -> HqHost:
        return cast("HqHost", self.app)

    def person_name(self) -> str:
        actor = self.hq.actor
        return actor.name if actor else ""

    def check_pin(self, pin: str) -> None:
        from frontdesk.hq.accounts import unlock

        actor = self.hq.actor
        if actor is None:
            return
        self.run_service(
            lambda: unlock(self.hq.ensure_central(), actor, pin, self.hq.now()),
            lambda _who: self.dismiss(True),
            group="lock",
            refused=lambda exc: self._rejected(describe(exc)),
        )
