"""The layering: core, store and the CLI run without the UI (coordinators' scripts)."""

from __future__ import annotations

import subprocess
import sys


def test_core_store_cli_do_not_import_textual():
    code = (
        "import sys, pkgutil, importlib\n"
        "import clinic.core, clinic.store, clinic.cli\n"
        "for pkg in (clinic.core, clinic.store, clinic.cli):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        if pkg.__name__ == 'clinic.cli' and m.name == 'tui':\n"
        "            continue\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "import clinic.cli.main\n"
        "assert 'textual' not in sys.modules, [k for k in sys.modules if k.startswith('textual')]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_sql_in_screens():
    from pathlib import Path

    ui = Path(__file__).resolve().parents[1] / "clinic" / "ui"
    for path in ui.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert word not in text, f"{path.name} holds SQL ({word.strip()})"
