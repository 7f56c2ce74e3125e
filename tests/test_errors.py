"""One error hierarchy: every user error is defined in clinic/core/errors.py and
shown by one function per front end (clinic.cli.errors, clinic.ui.errors)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from desk_helpers import person, today_day
from planning_helpers import day as _day
from planning_helpers import village as _village
from planning_helpers import volunteer as _volunteer
from test_desk_journey import make_app, open_desk
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from clinic.cli.main import ClinicGroup
from clinic.core import desk, errors
from clinic.core import planning as p
from clinic.core import vitals as V
from clinic.core.dates import parse_date
from clinic.core.errors import ClinicError, DatabaseError, FieldError, FormError
from clinic.core.idnumbers import parse_id
from clinic.i18n import set_language
from clinic.ui.errors import show_error

from conftest import TODAY

PACKAGE = Path(errors.__file__).parent.parent  # clinic/ (a namespace package)
ERRORS_MODULE = PACKAGE / "core" / "errors.py"
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- one module -----------------------------------------------------------------------


def _exception_classes(tree: ast.AST, known: set[str]) -> list[ast.ClassDef]:
    """Classes deriving from an exception: a builtin one, or one named like an error."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            name = ast.unparse(base).rsplit(".", 1)[-1]
            if name in known or name.endswith(("Error", "Exception", "Warning")):
                found.append(node)
                break
    return found


def test_no_module_but_errors_defines_a_user_facing_exception():
    known = {"BaseException", "Exception"} | {
        name for name, obj in vars(errors).items() if isinstance(obj, type)
    }
    strays = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == ERRORS_MODULE:
            continue
        for node in _exception_classes(ast.parse(path.read_text(encoding="utf-8")), known):
            doc = ast.get_docstring(node) or ""
            bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
            # Control flow that never reaches a user may stay where it is used, saying so.
            private = bases <= {"Exception", "BaseException"} and "Not a user error" in doc
            if not private:
                strays.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    assert strays == []


def test_the_scan_finds_an_exception_class():
    tree = ast.parse(
        "class A(InputError):\n    pass\nclass B(x.FooError):\n    pass\nclass C:\n    pass\n"
    )
    assert [c.name for c in _exception_classes(tree, {"InputError"})] == ["A", "B"]


def test_every_error_class_is_a_clinic_error_with_an_exit_code():
    classes = [
        obj
        for obj in vars(errors).values()
        if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == errors.__name__
    ]
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, ClinicError), cls
        assert cls.exit_code in (1, 3), cls
        assert cls.__doc__, cls
    assert DatabaseError.exit_code == 3 and FieldError.exit_code == 1


# -- one of each kind, raised by the core ----------------------------------------------


def _raised(call) -> ClinicError:
    with pytest.raises(ClinicError) as info:
        call()
    return info.value


def _attended(store) -> int:
    day_id = _day(store, _village(store), date="2026-11-21", status="done")
    a, _w = p.assign(store, day_id, _volunteer(store, "张到"))
    p.set_assignment(store, a, status="attended")
    return a


def _second_day_in_one_village(store) -> None:
    village = _village(store)
    _day(store, village, date="2026-12-19")
    _day(store, village, date="2026-12-19")


KINDS = {
    "FieldError": lambda store: _raised(lambda: parse_date("2026-02-30")),
    "IdNumberError": lambda store: _raised(lambda: parse_id("1234")),
    "FormError": lambda store: _raised(
        lambda: desk.check_walk_in(
            store, desk.clean_walk_in(desk.WalkIn("", None, "", None, "", ""), TODAY)
        )
    ),
    "NotFoundError": lambda store: _raised(lambda: p.get_day(store, 4242)),
    "RefusedError": lambda store: _raised(lambda: _second_day_in_one_village(store)),
    "ConfirmationNeeded": lambda store: _raised(
        lambda: p.set_assignment(store, _attended(store), status="confirmed")
    ),
    "DatabaseError": lambda store: DatabaseError.from_sqlite(
        __import__("sqlite3").OperationalError("database is locked"), "clinic.db"
    ),
}


def _cli_raising(exc: ClinicError) -> click.Group:
    """A group of the same class as ``clinic``, with one command that raises ``exc``."""

    @click.group(cls=ClinicGroup)
    def group() -> None:
        pass

    @group.command()
    def act() -> None:
        raise exc

    return group


def _in_language(kind: str, lang: str, path: Path) -> ClinicError:
    """One error of ``kind`` raised by the core in ``lang``, on a fresh database."""
    from clinic.store import open_store

    set_language(lang)
    with open_store(path) as store:
        return KINDS[kind](store)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_cli_shows_each_kind_as_its_sentence_and_exit_code(kind, lang, tmp_path):
    other = _in_language(kind, "zh" if lang == "en" else "en", tmp_path / "other.db")
    exc = _in_language(kind, lang, tmp_path / "this.db")
    assert type(exc).__name__ == kind
    assert exc.message != other.message  # the sentence is translated
    result = CliRunner().invoke(_cli_raising(exc), ["act"])
    assert result.exit_code == exc.exit_code == (3 if kind == "DatabaseError" else 1)
    assert result.stdout == ""
    assert result.stderr.startswith(exc.message) and "Traceback" not in result.stderr
    assert other.message.splitlines()[0] not in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_says_how_to_confirm_a_change_of_attendance(lang, tmp_path):
    exc = _in_language("ConfirmationNeeded", lang, tmp_path / "this.db")
    result = CliRunner().invoke(_cli_raising(exc), ["act"])
    assert result.exit_code == 1
    hint = result.stderr[len(exc.message) :]
    assert "--change-attendance" in hint
    assert bool(CJK.search(hint)) == (lang == "zh"), hint


def test_a_real_command_ends_with_the_sentence_in_chinese(demo_path, capsys):
    from clinic.cli.main import main

    code = main(["--lang", "zh", "--db", str(demo_path), "day", "show", "4242"])
    err = capsys.readouterr().err
    assert code == 1
    assert CJK.search(err) and "4242" in err and "Traceback" not in err


# -- the TUI ---------------------------------------------------------------------------


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


async def test_show_error_puts_other_errors_in_the_form_box_or_a_notification():
    async with FormApp().run_test() as pilot:
        app = pilot.app
        exc = FormError({"name": "The name is required.", "sex": "Choose the sex."})
        show_error(app.screen, exc)
        await pilot.pause()
        assert str(app.query_one("#error", Static).render()) == exc.message
        assert app.focused is app.query_one("#name")
        show_error(app.screen, errors.NotFoundError("No clinic day number 9."), box=None)
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["No clinic day number 9."]


async def test_a_wrong_reading_refuses_done_beside_its_field(demo_path, demo_store):
    """Ctrl+D with a wrong glucose: the visit stays open, the core's sentence stands
    beside the glucose field and the cursor is taken there."""
    day = today_day(demo_store)
    who = person(demo_store, consent=True, not_on_day=day["id"])
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
