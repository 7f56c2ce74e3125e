"""One error hierarchy: every user error is defined in clinic/core/errors.py
(shown by one function per front end: tests/domain/test_errors_cli.py and
tests/ui/test_errors_screen.py)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from clinic.core import errors
from clinic.core.errors import ClinicError, DatabaseError, FieldError

PACKAGE = Path(errors.__file__).parent.parent  # clinic/ (a namespace package)
ERRORS_MODULE = PACKAGE / "core" / "errors.py"


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
