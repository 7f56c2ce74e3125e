"""bench/bench_desk.py's own wait is as strict as Pilot's: its figures stop only when
the key's messages have all run and the screen is painted (a wait that returned
early would make every key look faster than it is)."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static


@pytest.fixture
def bench(bench_script):
    return bench_script("bench_desk")


class Relay(Static):
    """Passes a message on to the next relay (after some turns of the loop); the last
    one writes what it got."""

    class Hop(Message):
        def __init__(self, left: int) -> None:
            super().__init__()
            self.left = left

    async def on_relay_hop(self, message: Relay.Hop) -> None:
        for _turn in range(20):  # work that gives the loop a turn, as a query in a worker does
            await asyncio.sleep(0)
        if message.left:
            self.app.query_one(f"#r{message.left - 1}", Relay).post_message(
                Relay.Hop(message.left - 1)
            )
        else:
            self.update("arrived")


class Chain(App):
    HOPS = 2

    def compose(self) -> ComposeResult:
        for index in range(self.HOPS + 1):
            yield Relay(id=f"r{index}")

    def key_x(self) -> None:
        self.query_one(f"#r{self.HOPS}", Relay).post_message(Relay.Hop(self.HOPS))


async def test_one_pause_runs_what_every_widget_was_sent(bench):
    app = Chain()
    async with app.run_test():
        last = app.query_one("#r0", Relay)
        last.post_message(Relay.Hop(0))
        await bench._pause(app)
        assert str(last.render()) == "arrived"


async def test_the_settle_after_a_key_waits_for_the_messages_it_started_and_the_paint(bench):
    app = Chain()
    async with app.run_test() as pilot:
        await bench._settle(app, pilot)
        bench._send_key(app, "x")
        await bench._settle(app, pilot)
        assert str(app.query_one("#r0", Relay).render()) == "arrived"
        assert "arrived" in app.export_screenshot()  # painted, not only updated


async def test_the_measure_without_a_key_is_the_settle_alone(bench):
    app = Chain()
    async with app.run_test() as pilot:
        took = await bench._timed(app, pilot, None, "harness alone")
        assert took > 0 and len(bench.CPU["harness alone"]) == 1
        assert str(app.query_one("#r0", Relay).render()) == ""
