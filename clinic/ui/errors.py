"""The one place the TUI turns a user error into what the user sees.

A screen that catches :class:`clinic.core.errors.ClinicError` hands it to
:func:`show_error` and nothing else. Where the sentence goes:

1. beside the field it names (a FieldError's ``field``, each field of a
   FormError): into the form's ``#<field>-error`` box, the field marked
   ``-invalid``, and the first such field focused;
2. else into the form's message box (``box``, by default ``#error``), with the
   named field focused when the form has it;
3. else a notification.

Sentences are user data as much as text (a name in them may hold ``[``), so
they are never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from clinic.core.errors import ClinicError, ConfirmationNeeded, FieldError, FormError
from clinic.ui.text import sentence
from clinic.ui.threads import still_shown


def _named_fields(exc: ClinicError) -> dict[str, str]:
    """Field → sentence for the fields ``exc`` names; empty when it names none."""
    if isinstance(exc, FormError):
        return exc.problems
    if isinstance(exc, FieldError) and exc.field:
        return {exc.field: exc.message}
    return {}


def _one(screen: Screen, selector: str) -> Widget | None:
    found = screen.query(selector)
    return found.first() if found else None


def show_error(
    where: Widget,
    exc: ClinicError,
    *,
    box: Static | str | None = "#error",
    template: str = "",
    severity: str = "error",
    style: str = "",
    timeout: float | None = None,
) -> None:
    """Show ``exc`` on the screen of ``where`` (a screen or any widget on it). When
    that screen has gone meanwhile (a form closed while its save waited for the
    lock, the desk's kept visit form left), all of it in a notification on the
    screen of the moment: a failure is never dropped, nor put in another screen's
    boxes.

    ``box`` is the form's message box (a widget or a selector; None: always a
    notification for what no field takes). ``template`` puts the sentence into
    a larger one (``{reason}``), e.g. "The sheet could not be saved: {reason}";
    ``style`` colours it in the box; ``timeout`` keeps a notification longer.
    """
    named = _named_fields(exc)
    if not still_shown(where):
        _notify(where, list(named.values()) or [exc.message], template, severity, timeout)
        return
    screen = where if isinstance(where, Screen) else where.screen
    beside: list[Widget] = []
    rest: list[str] = []
    for name, message in named.items():
        slot = _one(screen, f"#{name}-error")
        if isinstance(slot, Static):
            slot.update(sentence(message))
            slot.add_class("-shown")
            field = _one(screen, f"#{name}")
            if isinstance(field, Input):
                field.add_class("-invalid")
            beside.append(field or slot)
        else:
            rest.append(message)
    if not named:
        rest.append(exc.message)
    if rest:
        target = _one(screen, box) if isinstance(box, str) else box
        if isinstance(target, Static):
            target.update(sentence(_joined(rest, template), style))
            target.call_after_refresh(target.scroll_visible)  # a long form scrolls at 80×24
        else:
            _notify(screen, rest, template, severity, timeout)
    _focus_first(screen, beside, named)
    first = next(
        (slot for name in named if isinstance(slot := _one(screen, f"#{name}-error"), Static)),
        None,
    )
    if first is not None:
        # The sentence under the field, in view too: at 80x24 the field came into view
        # with its message below the screen's edge, and Ctrl+D seemed to do nothing.
        first.call_after_refresh(first.scroll_visible)


def _joined(messages: list[str], template: str) -> str:
    text = "\n".join(messages)
    return template.format(reason=text) if template else text


def _notify(
    where: Widget, messages: list[str], template: str, severity: str, timeout: float | None
) -> None:
    text = _joined(messages, template)
    where.app.notify(text, severity=severity, markup=False, timeout=timeout)  # type: ignore[arg-type]


def _focus_first(screen: Screen, beside: list[Widget], named: dict[str, str]) -> None:
    """The first wrong field gets the focus: the user fixes it there. Its value is
    selected (a reading typed again replaces it) unless the screen mends values instead
    (``WRONG_VALUE_SELECTED = False``: the cursor at the end of its text)."""
    from clinic.ui.desk.fields import move_focus

    target = beside[0] if beside else None
    if target is None:
        for name in named:
            target = _one(screen, f"#{name}")
            if target is not None:
                break
    if target is not None and target.focusable:
        move_focus(target, select=getattr(screen, "WRONG_VALUE_SELECTED", True))


def ask_or_show(
    where: Widget, yes: str, no: str, again: Callable[[], None]
) -> Callable[[ClinicError], None]:
    """The failure handler of a write the core answers with ConfirmationNeeded when it
    would change something recorded (an attendance, a finished visit): the question is
    asked, and yes runs ``again``, the write with the confirmation given; any other
    failure is shown (:func:`show_error`)."""
    from clinic.ui.widgets.confirm import ConfirmDialog

    def failed(exc: ClinicError) -> None:
        if not isinstance(exc, ConfirmationNeeded):
            show_error(where, exc)
            return

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                again()

        where.app.push_screen(ConfirmDialog(exc.message, yes, no), answer)

    return failed
