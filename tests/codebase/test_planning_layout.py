"""The planning area is laid out along the layers (issue 9, #7): a package per layer,
small modules, one screen or dialog per screen module, and one entry point for callers.

- ``clinic.core.planning``: every module at most about 400 lines; the package
  re-exports the services callers use (``from clinic.core import planning as p``)
  and its docstring names every module;
- ``clinic.ui.planning``: one Screen or ModalScreen per module, stylesheets beside
  the screens that name them;
- ``clinic.cli.planning``: one module per command family, the same size limit.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import clinic.core

CLINIC = Path(clinic.core.__file__).parents[1]
PACKAGES = [CLINIC / layer / "planning" for layer in ("core", "ui", "cli")]
MAX_LINES = 400


def modules(package: Path) -> list[Path]:
    return sorted(package.glob("*.py"))


@pytest.mark.parametrize(
    "path",
    [p for package in PACKAGES for p in modules(package)],
    ids=lambda p: str(p.relative_to(CLINIC)),
)
def test_no_planning_module_is_over_the_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines; cut it along a concern"


def test_the_core_package_docstring_maps_every_module():
    package = CLINIC / "core" / "planning"
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    missing = [
        p.stem for p in modules(package) if p.stem != "__init__" and f"``{p.stem}``" not in doc
    ]
    assert not missing, f"not in clinic.core.planning's docstring: {missing}"


# Helpers the service modules share among themselves (private before the package).
INTERNAL = {"norm_text", "roster_volunteer", "roster_day", "refusal_message", "weekday_name"}
SERVICE_MODULES = ("labels", "needs", "lookups", "days", "assignments", "roster_plan")
SERVICE_MODULES += ("schedules", "villages", "pairing", "season")


@pytest.mark.parametrize("stem", SERVICE_MODULES)
def test_callers_reach_every_public_service_through_the_package(stem):
    """``p.assign(...)`` and the like keep working: each public function or class of a
    service module is the very object the package exposes."""
    from clinic.core import planning

    module = importlib.import_module(f"clinic.core.planning.{stem}")
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    public = [
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.ClassDef)
        and not n.name.startswith("_")
        and n.name not in INTERNAL
    ]
    assert public
    for name in public:
        assert name in planning.__all__, f"{stem}.{name} is not re-exported"
        assert getattr(planning, name) is getattr(module, name)


def screen_classes(path: Path) -> list[str]:
    """Classes in ``path`` that subclass a screen base (ClinicScreen, ClinicModal, Screen...)."""
    bases = {"ClinicScreen", "ClinicModal", "Screen", "ModalScreen"}
    return [
        n.name
        for n in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(n, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in bases for b in n.bases)
    ]


@pytest.mark.parametrize("path", modules(CLINIC / "ui" / "planning"), ids=lambda p: p.name)
def test_one_screen_or_dialog_per_ui_module(path):
    assert len(screen_classes(path)) <= 1, screen_classes(path)


def test_every_stylesheet_a_planning_screen_names_sits_beside_it():
    package = CLINIC / "ui" / "planning"
    for path in modules(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "CSS_PATH" for t in node.targets
            ):
                value = ast.literal_eval(node.value)
                for name in [value] if isinstance(value, str) else value:
                    assert (package / name).is_file(), f"{path.name}: {name} missing"
