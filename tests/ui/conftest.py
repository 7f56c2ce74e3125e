"""Fixtures for the screen tests: the app on a database, and the ways tests drive it
(counted keys, the desk opened, a key pressed and its work waited for, the report
opened). They are fixtures, not imports, so a test module never imports another."""

from __future__ import annotations

import pytest

from clinic.i18n import set_language

from support.users import PIN, ensure_user


class Keys:
    """Presses keys and counts the ones that are not part of a typed value."""

    def __init__(self, app, pilot):
        self.app, self.pilot, self.count = app, pilot, 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            if len(key) != 1:
                self.count += 1
            await self.pilot.press(key)
            await self.pilot.pause()
        await _settle(self.pilot, self.app)

    async def type(self, text: str) -> None:
        """A value, typed as fast as a pilot can (its characters are not counted)."""
        await self.pilot.press(*text)
        await _settle(self.pilot, self.app)


@pytest.fixture
def counted_keys():
    """``counted_keys(app, pilot)``: a Keys that presses and counts keys."""
    return Keys


@pytest.fixture
def app_user():
    """``app_user(path, name="tester", roles=ROLES, volunteer_id=None)``: that user of the
    database (added the first time, with every role by default), for a signed-in app.
    Every test user's PIN is ``test_pin``; its hash is computed once per session."""
    return ensure_user


@pytest.fixture
def test_pin() -> str:
    return PIN


@pytest.fixture
def make_app(today):
    """``make_app(path, lang="en", user="tester")``: the TUI on ``path`` on the tests'
    fixed day, in ``lang`` (``None`` keeps the language already set), signed in as
    ``user`` (a name: added with every role the first time; a User; or None: the app
    starts with its sign-in)."""
    from clinic.ui.app import ClinicApp

    def make(path, lang: str | None = "en", user="tester") -> ClinicApp:
        if lang is not None:
            set_language(lang)
        if isinstance(user, str):
            user = ensure_user(path, user)
        return ClinicApp(path, user=user, today=today)

    return make


@pytest.fixture
def open_desk(today):
    """``await open_desk(app, pilot)``: F4, today's clinic day, "that's me"; checks the
    desk is open on today's day with a volunteer, and returns Keys counting from zero."""

    async def open_(app, pilot) -> Keys:
        keys = Keys(app, pilot)
        await keys.press("f4", "enter", "enter")
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.day["date"] == today.isoformat()
        assert app.screen.volunteer_ids
        keys.count = 0
        return keys

    return open_


@pytest.fixture
def open_visit_form(open_desk):
    """``await open_visit_form(app, pilot, person)``: the desk open (``open_desk``), the
    person's name typed, Enter (checked in) and Ctrl+O; checks the visit form is open
    and returns the Keys."""

    async def open_(app, pilot, person) -> Keys:
        keys = await open_desk(app, pilot)
        await keys.type(person["name"])
        await keys.press("enter", "ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        return keys

    return open_


async def _settle(pilot, app) -> None:
    """Workers done, every write asked for written, their callbacks run, screen drawn."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await app.flush_writes()
    await pilot.pause()
    await app.workers.wait_for_complete()  # a write's callback may start a worker
    await pilot.pause()


@pytest.fixture
def settle():
    """``await settle(pilot, app)``: until the app's workers and writes are done and the
    screen drawn."""
    return _settle


@pytest.fixture
def go():
    """``await go(pilot, app, *keys)``: press the keys, then wait until the screen and
    its workers have settled."""

    async def go_(pilot, app, *keys: str) -> None:
        await pilot.press(*keys)
        await _settle(pilot, app)

    return go_


@pytest.fixture
def open_report():
    """``await open_report(app, pilot)``: press F8 and wait for the report to be
    computed; returns the report screen."""

    async def open_(app, pilot):
        await pilot.press("f8")
        await _settle(pilot, app)
        return app.screen

    return open_


@pytest.fixture
def sync_pair(demo_path, tmp_path):
    """``(district, laptop)``: the small demo as the district database (with the test
    user "tester") and laptop "甲[b]队" enrolled from it (clinic sync base), opened once as
    the laptop opens it first (that takes its first snapshot)."""
    from clinic.core.sync.enrol import make_base
    from clinic.store import open_store

    ensure_user(demo_path, "tester")
    laptop = tmp_path / "laptop" / "jia.db"
    with open_store(demo_path) as store:
        make_base(store, "甲[b]队", laptop, actor="tester")
    open_store(laptop).close()
    return demo_path, laptop


@pytest.fixture
def said():
    """``said(app)``: the app's notifications, oldest first, each as said (the app breaks
    their lines as Chinese is typeset and adds nothing but the line breaks)."""
    from support.notices import said as said_by

    return said_by
