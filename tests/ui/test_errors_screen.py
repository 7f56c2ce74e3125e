"""One error hierarchy, the TUI's side: clinic.ui.errors.show_error puts a core
error beside its field, in the form's box or in a notification."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from clinic.core import errors
from clinic.core import vitals as V
from clinic.core.errors import ClinicError, FormError
from clinic.ui.errors import show_error


def _raised(call) -> ClinicError:
    with pytest.raises(ClinicError) as info:
        call()
    return info.value


class FormApp(App):
    """A form with a box beside one field and a box for the form."""

    def compose(self) -> ComposeResult:
        yield Input(id="bp")
        yield Static("", id="bp-error")
        yield Input(id="name")
        yield Static("", id="error")


async def test_show_error_puts_a_field_error_beside_its_field():
    async with FormApp().run_test() as pilot:
        app = pilot.app
        app.query_one("#name").focus()
        await pilot.pause()
        exc = _raised(lambda: V.parse_bp("1500/95"))
        show_error(app.screen, exc)
        await pilot.pause()
        assert str(app.query_one("#bp-error", Static).render()) == exc.message
        assert app.query_one("#bp").has_class("-invalid")
        assert app.focused is app.query_one("#bp")
        assert str(app.query_one("#error", Static).render()) == ""


async def test_show_error_puts_other_errors_in_the_form_box_or_a_notification(said):
    async with FormApp().run_test() as pilot:
        app = pilot.app
        exc = FormError({"name": "The name is required.", "sex": "Choose the sex."})
        show_error(app.screen, exc)
        await pilot.pause()
        assert str(app.query_one("#error", Static).render()) == exc.message
        assert app.focused is app.query_one("#name")
        show_error(app.screen, errors.NotFoundError("No clinic day number 9."), box=None)
        await pilot.pause()
        assert said(app) == ["No clinic day number 9."]


async def test_an_error_for_a_form_closed_meanwhile_is_shown_on_the_screen_of_the_moment(said):
    """A save that failed after its form was closed (it waited for another desk's lock):
    the sentence is still said, on the screen the user is on."""
    from textual.screen import ModalScreen

    class Form(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Static("", id="error")

    async with FormApp().run_test() as pilot:
        app = pilot.app
        form = Form()
        await app.push_screen(form)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        show_error(form, errors.NotFoundError("No clinic day number 9."))
        exc = _raised(lambda: V.parse_bp("1500/95"))  # names a field the screen shown has
        show_error(form, exc)
        await pilot.pause()
        assert said(app) == ["No clinic day number 9.", exc.message.replace("\n", "")]
        # Nothing put in the boxes of the screen shown, which are not that form's.
        assert str(app.query_one("#error", Static).render()) == ""
        assert str(app.query_one("#bp-error", Static).render()) == ""
        assert not app.query_one("#bp").has_class("-invalid")


async def test_a_wrong_reading_refuses_done_beside_its_field(
    demo_path, demo_store, today_day, a_person, make_app, open_desk
):
    """Ctrl+D with a wrong glucose: the visit stays open, the core's sentence stands
    beside the glucose field and the cursor is taken there."""
    day = today_day
    who = a_person(consent=True, not_on_day=day["id"])
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        keys = await open_desk(app, pilot)
        await keys.type(who["name"])
        await keys.press("enter", "ctrl+o")
        assert type(app.screen).__name__ == "VisitScreen"
        app.screen.query_one("#glucose").focus()
        await keys.type("99")
        app.screen.query_one("#complaint").focus()
        await keys.press("ctrl+d")
        screen = app.screen
        assert type(screen).__name__ == "VisitScreen"
        expected = _raised(lambda: V.parse_number("99", "glucose")).message
        assert str(screen.query_one("#glucose-error", Static).render()) == expected
        assert screen.focused is screen.query_one("#glucose")
    state = demo_store.scalar(
        "SELECT state FROM visits WHERE clinic_day_id = ? AND person_id = ?",
        [day["id"], who["id"]],
    )
    assert state != "done"
