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


def test_sql_only_in_the_store():
    from pathlib import Path

    clinic = Path(__file__).resolve().parents[2] / "clinic"
    for path in [*clinic.glob("ui/*.py"), *clinic.glob("core/*.py"), *clinic.glob("cli/*.py")]:
        text = path.read_text(encoding="utf-8")
        for word in ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"):
            assert word not in text, f"{path.relative_to(clinic)} holds SQL ({word.strip()})"
