"""A worker's result reaches a screen only while the screen is shown (clinic.ui.threads).

CI once failed on the home screen's counts arriving as the app shut down: its
widgets were already removed and ``show`` raised NoMatches in the worker.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.widgets import Static

from clinic.ui.base import ClinicScreen
from clinic.ui.home import HomeScreen
from clinic.ui.threads import deliver, still_shown


class _Probe(ClinicScreen):
    """A screen whose widget notes, as it is removed, whether the screen still counts
    as shown: Textual removes the widgets first, with the screen still attached."""

    def __init__(self, seen: list[bool]) -> None:
        super().__init__()
        self.seen = seen

    def compose(self) -> ComposeResult:
        screen, seen = self, self.seen

        class Body(Static):
            def on_unmount(self) -> None:
                seen.append(screen.is_attached)
                seen.append(still_shown(screen))

        yield Body("body", id="body")


async def test_a_result_reaches_the_screen_shown(demo_path, make_app):
    app = make_app(demo_path, "en")
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        got = await asyncio.to_thread(deliver, screen, lambda n: n + 1, 41)
        assert got == 42


async def test_a_result_for_a_screen_closed_is_dropped(demo_path, make_app):
    app = make_app(demo_path, "en")
    async with app.run_test() as pilot:
        await pilot.pause()
        home = HomeScreen()
        await app.push_screen(home)
        await pilot.pause()
        await app.pop_screen()
        await pilot.pause()
        assert not still_shown(home)
        calls: list[tuple] = []
        got = await asyncio.to_thread(deliver, home, lambda *a: calls.append(a) or "ran", 1)
        assert got is None and calls == []


async def test_a_screen_being_removed_is_no_longer_shown(demo_path, make_app):
    """The state CI met: the screen's widgets going, the screen itself still attached."""
    app = make_app(demo_path, "en")
    seen: list[bool] = []
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.push_screen(_Probe(seen))
        await pilot.pause()
        await app.pop_screen()
        await pilot.pause()
    assert seen == [True, False]


async def test_a_kept_screen_left_is_no_longer_shown(demo_path, make_app):
    """A screen kept for later (as the desk keeps its visit form) stays attached once
    left: its results are not for the screen shown, and show_error does not write into
    its boxes (tests/ui/test_errors_screen.py)."""
    app = make_app(demo_path, "en")
    async with app.run_test() as pilot:
        await pilot.pause()
        kept = _Probe([])
        app.install_screen(kept, name="kept")
        await app.push_screen("kept")
        await pilot.pause()
        assert still_shown(kept) and still_shown(kept.query_one("#body"))
        await app.pop_screen()
        await pilot.pause()
        assert kept.is_attached and not still_shown(kept)
        assert not still_shown(kept.query_one("#body"))
        calls: list[int] = []
        assert await asyncio.to_thread(deliver, kept, calls.append, 1) is None
        assert calls == []
