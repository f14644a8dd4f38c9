"""The demo's staff accounts and their PINs.

Outside frontdesk.services (whose import loads the ORM): the demo builder makes these
accounts, and a demo desk's sign-in screen names the PINs before the ORM has loaded.
"""

from __future__ import annotations

DEMO_STAFF = (
    ("梁丽芬", "manager", "1234"),
    ("黄嘉敏", "clerk", "1111"),
    ("谭志明", "clerk", "2222"),
)
