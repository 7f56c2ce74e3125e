"""User data in the TUI is never markup (issue 10, #8): no screen builds markup by putting
a value into a string; markup with values goes through ``clinic.ui.text.fill`` (which
puts them in as text), values on their own through ``cell``, ``plain`` or ``sentence``.

What the screens show is tested by tests/ui/test_escaping.py; this keeps new code from
building markup the old way, where that test's data may not reach.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "clinic" / "ui"
# A markup tag as Rich and Textual read it: [b], [/], [bold red], [$accent], [#fff], [@click=…]
TAG = re.compile(r"\[/?[A-Za-z$#@][^\[\]]*\]|\[/\]")


def modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _operands(node: ast.AST) -> list[ast.AST]:
    """The strings added together in ``a + b + c``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _operands(node.left) + _operands(node.right)
    return [node]


def markup_built_from_values(tree: ast.AST) -> list[int]:
    """Lines where a string holding a markup tag is joined with a value: an f-string,
    ``"…".format(…)`` or ``"…" + value``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(
            isinstance(v, ast.FormattedValue) for v in node.values
        ):
            text = "".join(_literal(v) or "" for v in node.values)
            if TAG.search(text):
                found.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and TAG.search(_literal(node.func.value) or "")
        ):
            found.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = _operands(node)
            literals = [_literal(p) for p in parts]
            if any(t is not None and TAG.search(t) for t in literals) and None in literals:
                found.append(node.lineno)
    return sorted(set(found))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(UI)))
def test_no_markup_is_built_from_values(path):
    lines = markup_built_from_values(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{path.relative_to(UI)}: markup built from values on lines {lines}"


def test_no_screen_escapes_markup():
    """``rich.markup.escape`` is not enough for Textual's markup (``[$accent]``,
    ``[ bold ]`` and ``[B]`` vanish, backslashes double): values are never markup."""
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in (
                "rich.markup",
                "textual.markup",
            ):
                pytest.fail(f"{path.relative_to(UI)} imports {node.module}")


def test_the_check_finds_markup_built_the_old_ways():
    """The rule itself: each old way is found, the ways of clinic.ui.text are not."""
    old = ast.parse(
        'f"[b]{name}[/b]"\n'
        '"[red]{0}[/]".format(flags)\n'
        '"[reverse] " + shown + " [/reverse]"\n'
        'f"[{style}]{name}[/]"\n'
    )
    assert markup_built_from_values(old) == [1, 2, 3, 4]
    new = ast.parse(
        'fill("[b]$name[/b]", name=name)\n'
        'Content(f"[{label}] Ctrl+G")\n'
        '"[b green]✓[/]"\n'
        'sentence(_("Households of {village}"), village=v)\n'
    )
    assert markup_built_from_values(new) == []
