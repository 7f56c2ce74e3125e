"""Shared fixtures: an empty store, and a copy of the small demo database.

The demo is built once per test session (about half a second) and copied for
each test that wants it, so tests never see each other's writes.
"""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
from pathlib import Path

import pytest

from clinic.i18n import set_language

TODAY = dt.date(2026, 11, 24)
# Copies of the synthetic sample files in ../shared/samples, kept with the
# tests so a clone alone runs every test.
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives a screen ``ui``, so ``pytest -m "not ui"``
    runs the domain tests alone: Pilot tests (coroutines), SVG snapshots and
    the real terminal (tmux)."""
    for item in items:
        function = getattr(item, "function", None)
        drives_a_screen = (
            inspect.iscoroutinefunction(function)
            or "snap_compare" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("tmux") is not None
        )
        if drives_a_screen:
            item.add_marker(pytest.mark.ui)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A text cursor that does not blink, so a snapshot does not depend on when it is taken."""
    monkeypatch.setenv("CLINIC_CURSOR_BLINK", "0")


@pytest.fixture(autouse=True)
def no_daily_backups(monkeypatch):
    """Commands take no daily backup in tests (a copy of the database on every first open of
    a test database, and a "backup" row in its audit log); tests of backups turn it on."""
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "0")


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's ``snap_compare``, made independent of timing.

    Each key waits for the work it started (database workers) before the next,
    the picture waits for the last, and toasts stay until it is taken: on a
    loaded machine a toast could otherwise expire, or a worker finish, either
    side of the moment of the screenshot.
    """

    def compare(app, *, press=(), run_before=None, **kwargs):
        app.NOTIFICATION_TIMEOUT = 3600

        async def quiet(pilot):
            """Until the key's work is done: its workers, and the screens it pushed or
            dismissed (a dialog's callback may push the next one a frame later)."""
            before = None
            for _round in range(100):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                now = (tuple(map(id, pilot.app.screen_stack)), pilot.app.screen.focused)
                if now == before:
                    return
                before = now

        async def settle(pilot):
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            for key in press:
                if key == "_":
                    await pilot.pause(0.1)
                else:
                    await pilot.press(key)
                await quiet(pilot)
            await quiet(pilot)

        return snap_compare(app, run_before=settle, **kwargs)

    return compare


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English; tests that want Chinese switch and are reset."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def store(tmp_path):
    from clinic.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory) -> Path:
    from clinic.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, size="small", seed=1, today=TODAY)
    return path


@pytest.fixture
def demo_path(_demo_master, tmp_path) -> Path:
    """A private copy of the small demo database."""
    from clinic.store import open_store

    target = tmp_path / "demo.db"
    # A checkpointed master has no -wal file; copy the main file only.
    s = open_store(_demo_master)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    shutil.copy(_demo_master, target)
    return target


@pytest.fixture
def demo_store(demo_path):
    from clinic.store import open_store

    s = open_store(demo_path)
    yield s
    s.close()


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def terminal():
    """Open real terminals (tmux) running a command; every one is closed at the end."""
    from terminal import Terminal

    opened: list[Terminal] = []

    def open_(command: str, width: int = 120, height: int = 36) -> Terminal:
        term = Terminal(command, width, height)
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()
