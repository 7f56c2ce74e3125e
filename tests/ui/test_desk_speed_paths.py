"""What makes the desk's keys cheap (issue 12, point 3) keeps what they show.

The footer is composed again only when its keys change; screens are born with
the breakpoint classes Textual would give them, and dialogs without a second
styling of every widget as they first show; the visit form's panels are
updated only when what they show changes; the real app keeps its long-lived
objects out of the garbage collector's walks and collects while nobody types.
Speed itself is measured in bench/bench_desk.py, never here.
"""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from clinic.ui import memory
from clinic.ui.base import breakpoint_classes
from clinic.ui.desk.handout import HandoutDialog
from clinic.ui.desk.summary import SummaryScreen

SIZE = (120, 40)


def _footer_keys(screen) -> list:
    return list(screen.query(FooterKey))


def _footer_text(screen) -> list[tuple[str, str]]:
    return [(k.key, k.description) for k in screen.query(FooterKey)]


async def test_footer_is_not_composed_again_while_its_keys_stay(
    demo_path, today_day, a_person, make_app, open_visit_form
):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        assert type(app.screen).__name__ == "VisitScreen"
        before = _footer_keys(app.screen)
        assert "ctrl+d" in [k.key for k in before]
        await keys.type("150/95")  # complete: the focus moves on to glucose
        assert app.screen.focused.id == "glucose"
        await keys.type("6.2")  # and on to pulse
        assert app.screen.focused.id == "pulse"
        after = _footer_keys(app.screen)
        assert [id(k) for k in after] == [id(k) for k in before]  # the same widgets
        await keys.press("ctrl+r")  # another screen, other keys: its own footer
        assert type(app.screen).__name__ == "HandoutDialog"
        assert ("enter", "Hand out") in _footer_text(app.screen)


async def test_footer_changes_when_the_keys_change(demo_path, make_app, open_desk):
    """The footer shows the language switched to at once (descriptions compared too)."""
    from clinic.i18n import set_language

    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_desk(app, pilot)
        assert ("ctrl+n", "Walk-in") in _footer_text(app.screen)
        set_language("zh")
        try:
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
            shown = dict(_footer_text(app.screen))
            assert shown["ctrl+n"] not in ("", "Walk-in")
        finally:
            set_language("en")


async def test_footer_keys_styled_as_textual_styles_them(demo_path, make_app, open_desk):
    """Compact is set before mount: the keys bound to the footer are not compact, the
    palette key is, as Textual leaves them."""
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_desk(app, pilot)
        for key in _footer_keys(app.screen):
            palette = key.has_class("-command-palette")
            assert key.compact is palette
            assert key.has_class("-compact") is palette


def test_breakpoint_classes_are_textuals():
    horizontal = [(0, "-narrow"), (100, "-wide")]
    vertical = [(0, "-short"), (30, "-tall")]
    assert breakpoint_classes(80, 24, horizontal, vertical) == {"-narrow", "-short"}
    assert breakpoint_classes(100, 30, horizontal, vertical) == {"-wide", "-tall"}
    assert breakpoint_classes(120, 29, horizontal, vertical) == {"-wide", "-short"}
    assert breakpoint_classes(120, 40, None, None) == set()


async def test_screens_are_born_with_the_classes_of_the_size(demo_path, make_app, open_desk):
    """A screen opened on a small terminal has -narrow/-short from its first layout, and
    the classes Textual sets on resize are the same ones."""
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_desk(app, pilot)
        desk = app.screen
        assert {"-narrow", "-short"} <= set(desk.classes)
        assert not {"-wide", "-tall"} & set(desk.classes)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert {"-wide", "-tall"} <= set(desk.classes)
        born = []
        app.call_later(lambda: born.append(set(SummaryScreen(desk.day["id"]).classes)))
        await pilot.pause()
        assert born == [{"-wide", "-tall"}]  # before any resize or mount


async def test_flags_panel_updated_only_when_it_changes(
    demo_path, today_day, a_person, make_app, open_visit_form
):
    p = a_person(consent=True, not_on_day=today_day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        screen = app.screen
        flags = screen.query_one("#flags")
        updates = []
        original = flags.update
        flags.update = lambda *a, **k: (updates.append(a), original(*a, **k))[1]
        await keys.type("1")  # no reading yet: still "No flags"
        assert updates == []
        await keys.type("50/95")  # a raised reading: shown
        assert len(updates) == 1
        assert "raised" in str(flags.render())


def test_freeze_long_lived_leaves_full_collections_to_the_pauses():
    before = gc.get_threshold()
    try:
        memory.freeze_long_lived()
        assert gc.get_threshold()[2] >= memory.FULL_COLLECTION_EVERY
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


async def test_garbage_collected_once_per_pause_only_by_the_real_app(
    demo_path, make_app, monkeypatch
):
    collected = []
    monkeypatch.setattr(memory, "collect_garbage", lambda: collected.append(1))
    monkeypatch.setattr(memory, "freeze_long_lived", lambda: None)
    app = make_app(demo_path)
    app.freeze_gc = True  # as clinic/cli/tui.py asks for it
    now = [1000.0]
    app.clock = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        app.last_input = now[0]
        app.collect_when_idle()
        assert collected == []  # a key just now: not idle
        now[0] += memory.IDLE_S
        app.collect_when_idle()
        app.collect_when_idle()
        assert collected == [1]  # once in this pause
        await pilot.press("f1")  # a key: a new pause may collect again
        now[0] += memory.IDLE_S
        app.collect_when_idle()
        assert collected == [1, 1]
    tests_app = make_app(demo_path)
    assert tests_app.freeze_gc is False  # tests' apps never freeze the process's objects


def test_warm_up_imports_what_the_desk_keys_open(monkeypatch):
    import importlib.util

    from clinic.ui.desk import screen

    for name in screen.WARM_UP:  # a name mistyped would warm nothing, silently
        assert importlib.util.find_spec(name) is not None, name
    monkeypatch.setattr(screen, "WARM_UP", ("clinic.no_such_module", *screen.WARM_UP))
    screen.warm_up(freeze=False)  # a module that fails is left to its key: no error here


def _looks(screen) -> dict:
    """What each widget of a screen is drawn with."""
    return {
        widget: (
            str(widget.rich_style),
            *(
                str(getattr(widget.styles, rule))
                for rule in ("display", "width", "height", "padding", "border", "background")
            ),
        )
        for widget in screen.walk_children(with_self=True)
    }


def _restyles_counted(monkeypatch, screen_class) -> list:
    """The screens of ``screen_class`` that Textual restyled whole, from now on."""
    restyled: list = []
    restyle = screen_class.update_node_styles

    def counted(self, animate: bool = True) -> None:
        restyled.append(self)
        restyle(self, animate)

    monkeypatch.setattr(screen_class, "update_node_styles", counted)
    return restyled


async def _drawn_as_a_restyle_would_draw_it(pilot, screen) -> None:
    shown = _looks(screen)
    screen.update_node_styles(animate=False)  # Textual's restyle at the resume
    await pilot.pause()
    assert _looks(screen) == shown


async def test_a_dialog_opens_styled_as_textuals_restyle_would_style_it(
    demo_path, make_app, open_visit_form, today_day, a_person, monkeypatch
):
    """Dialogs go without Textual's restyle of the whole dialog when they first show
    (clinic.ui.base.Breakpoints.post_message): what one draws is what that restyle
    would give."""
    p = a_person(consent=True, not_on_day=today_day["id"])
    restyled = _restyles_counted(monkeypatch, HandoutDialog)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        keys = await open_visit_form(app, pilot, p)
        await keys.type("150/95")
        await keys.press("ctrl+r")
        assert isinstance(app.screen, HandoutDialog) and restyled == []
        await _drawn_as_a_restyle_would_draw_it(pilot, app.screen)


async def test_a_screen_opens_styled_as_textuals_restyle_would_style_it(
    demo_path, make_app, open_desk, monkeypatch
):
    """The same for a screen (F9's summary). A screen whose style sheet loads as it is
    pushed keeps Textual's restyle (the sign-in at the start: its snapshot)."""
    restyled = _restyles_counted(monkeypatch, SummaryScreen)
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_desk(app, pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and restyled == []
        await _drawn_as_a_restyle_would_draw_it(pilot, app.screen)
