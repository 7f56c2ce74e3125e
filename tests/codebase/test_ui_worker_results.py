"""A worker's result reaches a screen through clinic.ui.threads.deliver (docs/decisions.md,
"Names libraries keep private": ``_pruning``): a screen's own method handed straight to
``call_from_thread`` ran on a screen closed meanwhile, and its ``query_one`` stopped the
app (CI saw it with the home screen). Only methods that check ``still_shown`` themselves,
because what they say must be said even then, are handed over directly."""

from __future__ import annotations

import ast
from pathlib import Path

import clinic.ui

UI = Path(clinic.ui.__file__).parent
# Each says its answer with app.notify when its screen has gone, and touches its
# widgets only if still_shown.
CHECK_THEMSELVES = {"apply_failed", "applied_done", "_export_done"}


def test_worker_results_for_a_screen_go_through_deliver() -> None:
    raw = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "call_from_thread"
                and node.args
            ):
                continue
            target = node.args[0]
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and target.attr not in CHECK_THEMSELVES
            ):
                raw.append(f"{path.relative_to(UI)}:{node.lineno} self.{target.attr}")
    assert not raw, raw
