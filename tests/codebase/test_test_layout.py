"""The tests follow the code (issue 9, #8): every test module sits in the folder of
what it drives, and what tests share are fixtures, never imports.

- ``domain/``: core, store, CLI, importers, figures and exports, without a screen
  (no Textual, no ``clinic.ui``, no Pilot, snapshot or terminal);
- ``ui/``: the screens, by Pilot and SVG snapshots;
- ``e2e/``: the installed app in a real terminal (tmux) and the built wheel;
- ``codebase/``: the code itself (layers, translations, library hooks, bench scripts,
  this layout).

A test module imports no other test module, no conftest and no helper module: what
it shares comes as a fixture from a conftest.py. Only conftest.py files import
``tests/support`` (code a fixture cannot be: the tmux terminal, the writer processes
of the backup tests, the data builders).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
FOLDERS = ("domain", "ui", "e2e", "codebase")
SUPPORT = TESTS / "support"


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__snapshots__" not in p.parts)


def local_modules() -> set[str]:
    """The names a file under tests/ could be imported by (module names, and the
    support package)."""
    return {p.stem for p in python_files()} | {"support", "tests"}


def imported(path: Path) -> set[str]:
    """The top-level names of every module ``path`` imports, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            names.add(".")  # a relative import: tests/ holds no packages to import from
    return names


def module_files() -> list[Path]:
    return [p for p in python_files() if p.name.startswith("test_")]


@pytest.mark.parametrize("path", module_files(), ids=lambda p: str(p.relative_to(TESTS)))
def test_a_test_module_imports_no_test_module_nor_helper(path):
    wrong = imported(path) & (local_modules() | {"."})
    assert not wrong, f"{path.relative_to(TESTS)} imports {sorted(wrong)}: use a fixture"


def test_conftest_files_import_only_the_support_package():
    for path in TESTS.rglob("conftest.py"):
        wrong = imported(path) & (local_modules() - {"support"} | {"."})
        assert not wrong, f"{path.relative_to(TESTS)} imports {sorted(wrong)}"


def test_every_test_module_is_in_the_folder_of_what_it_drives():
    for path in module_files():
        assert path.relative_to(TESTS).parts[0] in FOLDERS, path


def test_no_helper_modules_beside_the_tests():
    """Outside tests/support, a Python file is a test module or a conftest.py."""
    for path in python_files():
        if SUPPORT in path.parents:
            continue
        assert path.name.startswith("test_") or path.name == "conftest.py", path


def test_test_module_names_are_unique():
    """Test folders are not packages, so pytest needs every module name once."""
    stems = [p.stem for p in module_files()]
    assert len(stems) == len(set(stems)), sorted(s for s in stems if stems.count(s) > 1)


@pytest.mark.parametrize("path", sorted((TESTS / "domain").glob("test_*.py")), ids=lambda p: p.name)
def test_domain_tests_drive_no_screen(path):
    """No Textual, no clinic.ui, no Pilot (async) test, no snapshot, no terminal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert not {m for m in modules if m.split(".")[0] == "textual" or m.startswith("clinic.ui")}
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef):
            assert not node.name.startswith("test_"), node.name
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            params = {a.arg for a in node.args.args}
            assert not params & {"snap_compare", "terminal"}, node.name
    assert "pytest.mark.tmux" not in path.read_text(encoding="utf-8")


def test_property_tests_have_no_deadline() -> None:
    """Hypothesis's per-example deadline is a timing check, flaky on a loaded machine:
    the suite's profile turns it off and no test turns it back on."""
    from hypothesis import settings

    assert settings.default.deadline is None
    set_again = [
        f"{path.relative_to(TESTS)}:{node.lineno}"
        for path in python_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func).endswith("settings")
        and any(
            kw.arg == "deadline"
            and not (isinstance(kw.value, ast.Constant) and kw.value.value is None)
            for kw in node.keywords
        )
    ]
    assert not set_again, set_again


def test_keys_in_one_press_wait_for_idle_in_short_steps() -> None:
    """tests/conftest.py shortens the idle wait Pilot.press makes after each key (the
    name ``wait_for_idle`` that textual.app calls in ``App._press_keys``): a Textual
    release that waits otherwise must fail here, not make the suite slow again unseen."""
    import inspect

    from textual import app as textual_app
    from textual._wait import wait_for_idle

    assert "await wait_for_idle(0)" in inspect.getsource(textual_app.App._press_keys)
    assert textual_app.wait_for_idle is not wait_for_idle
    assert textual_app.wait_for_idle.__module__ == "conftest"
