"""Keys typed in one burst, as an old PC's keyboard buffer sends them, land where they belong."""

from __future__ import annotations

from tests.test_closeout_screens import ctx, log_day, open_closeout  # noqa: F401 - fixture
from tests.tui_support import burst, make_app, settle

SIZE = (80, 24)


async def test_closeout_counts_typed_at_once(ctx) -> None:  # noqa: F811
    _, path, _, _, _ = ctx
    log_day(ctx)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_closeout(pilot)
        screen.query_one("#float").focus()
        await settle(pilot)
        await burst(pilot, *"500", "enter", *"630", "enter", *"68", "enter")
        values = {
            n: screen.query_one(f"#{n}").value for n in ("float", "count-cash", "count-wechat")
        }
        assert values == {"float": "500", "count-cash": "630", "count-wechat": "68"}
