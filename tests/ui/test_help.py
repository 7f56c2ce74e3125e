"""F1 help on every screen: keys shown as typed, no markup tags leaking into the text."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Static

from clinic.i18n import _, set_language
from clinic.ui import registry
from clinic.ui.app import ClinicApp
from clinic.ui.help import HelpScreen

TAG = re.compile(r"\[/?[a-z#@]")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_of_every_screen_shows_keys_without_markup(demo_path, lang, today, app_user):
    set_language(lang)
    app = ClinicApp(demo_path, user=app_user(demo_path), today=today)
    async with app.run_test(size=(120, 36)) as pilot:
        for entry in registry.available():
            await pilot.press(entry.key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            for _step in range(3):  # the desk asks for the clinic day and the volunteer first
                if isinstance(app.screen, ModalScreen):
                    await pilot.press("enter")
                    await pilot.pause()
                    await app.workers.wait_for_complete()
            below = app.screen
            assert not isinstance(below, ModalScreen), entry.name
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), entry.name
            shown = str(app.screen.query_one("#help Static", Static).render())
            assert not TAG.search(shown), (entry.name, TAG.findall(shown))
            lines = [line for line in shown.splitlines() if line.startswith("  ")]
            assert len(lines) == len(set(lines)), entry.name  # "[ Previous month" listed once
            assert_keys_listed(below, shown, entry.name)
            await pilot.press("escape")
            await pilot.pause()


def assert_keys_listed(below, shown: str, where: str) -> None:
    """Each action of the screen below, translated, with its key written as the README
    writes keys (Ctrl+D, Esc; not Textual's ctrl+d, escape); Textual's Tab and
    Shift+Tab ("Focus Next") once, under "Everywhere", in words of ours; every
    screen with a function key, the coordinators' audit log (F11) too."""
    textual = {_("Focus Next"), _("Focus Previous")}
    for item in below.active_bindings.values():
        binding = item.binding
        if item.node is below and binding.description and binding.description not in textual:
            assert f" {binding.description}\n" in shown, (where, binding)
    assert not textual & set(re.findall(r"\S.*", shown)), where
    keys = [line[2:12].strip() for line in shown.splitlines() if line.startswith("  ")]
    raw = [key for key in keys if re.search(r"ctrl\+|shift\+|escape|^f\d|^enter$", key)]
    assert not raw, (where, raw)
    for entry in registry.available():
        if entry.key:
            assert entry.key.upper() in keys, (where, entry.name)
    assert {"Tab", "Shift+Tab", "F1", "F12", "Ctrl+P", "Ctrl+Q"} <= set(keys), where


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_of_the_visit_form(
    demo_path, today_day, a_person, lang, make_app, open_visit_form
):
    """The form the desk opens (not in the registry): the tester's en F1 showed Textual's
    "Focus Next", "Focus Previous" and "escape"."""
    person = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_visit_form(app, pilot, person)
        below = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help Static", Static).render())
        assert_keys_listed(below, shown, "visit form")
        assert "Ctrl+D" in shown and "Esc" in shown


async def test_help_fits_an_80_column_terminal(demo_path, today, app_user):
    app = ClinicApp(demo_path, user=app_user(demo_path), today=today)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#help")
        assert box.region.right <= 80 and box.region.x >= 0


async def test_a_confirmation_shows_a_name_as_typed(demo_path, today, app_user):
    """A question naming a person is never read as markup: `[/]` in a name crashed it."""
    from clinic.ui.widgets.confirm import ConfirmDialog

    app = ClinicApp(demo_path, user=app_user(demo_path), today=today)
    async with app.run_test(size=(120, 36)) as pilot:
        question = "The visit of 张[/]三 [bold]x is done. Change it?"
        app.push_screen(ConfirmDialog(question, "Change it", "Leave it"))
        await pilot.pause()
        shown = str(app.screen.query_one("#confirm-question", Static).render())
        assert shown == question


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_long_words_wrap_under_themselves_at_80_columns(demo_path, lang, make_app):
    """80 columns: the audit log's line ("F11  审计日志 — 谁在何时导入…") went on at the
    left edge, under the keys."""
    app = make_app(demo_path, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("#help Static", Static)
        size = box.content_region.size
        painted = [s.text.rstrip() for s in box.render_lines(Region(0, 0, size.width, 200))]
        rows = [row for row in painted if row.strip()]
        headings = {_("Keys"), _("Everywhere"), _("Press Esc to close.")}
        stray = [row for row in rows if not row.startswith(" ") and row not in headings]
        assert not stray, stray
        audit = next(i for i, row in enumerate(rows) if row.strip().startswith("F11"))
        assert rows[audit + 1].startswith(" " * 13), rows[audit : audit + 2]
