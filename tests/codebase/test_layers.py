"""The layering (docs/decisions.md, "Layers enforced"): screens and commands call
clinic.core, core calls clinic.store, SQL lives in the store only, and core, store
and the CLI run without the UI (coordinators' scripts).

The import rules are import-linter contracts in pyproject.toml; these tests run
them, so ``pytest`` alone catches a breach, and check that they would catch one.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLINIC = ROOT / "clinic"
ABOVE_THE_STORE = ("core", "ui", "cli")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """import-linter on ``project`` (its pyproject.toml, its clinic package), in this venv."""
    # clinic is installed editable: its import hook is dropped so that the package
    # analysed is the one in ``project`` (the working directory, first on the path).
    code = (
        "import sys\n"
        "sys.meta_path = [f for f in sys.meta_path if 'editable' not in repr(f)]\n"
        "sys.path = [p for p in sys.path if '__editable__' not in p]\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        capture_output=True,
        text=True,
    )


def test_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BREACHES = {
    "a screen imports the store": ("ui/home.py", "import clinic.store.counts"),
    "a screen types with the store's Store": (
        "ui/widgets/paged_table.py",
        "from clinic.store import Store",
    ),
    "a command imports the store": ("cli/talks.py", "from clinic.store import talks"),
    "core imports a screen": ("core/desk/queue.py", "import clinic.ui.labels"),
    "the store imports a core service": ("store/visits.py", "import clinic.core.planning"),
    "a screen imports a command": ("ui/planning/days_screen.py", "import clinic.cli.context"),
    "core imports Textual": ("core/reports/text.py", "import textual.widgets"),
    "a command imports Textual": ("cli/reports.py", "import textual"),
}


@pytest.mark.parametrize("module, line", BREACHES.values(), ids=list(BREACHES))
def test_import_contracts_catch_a_breach(tmp_path, module, line):
    """A copy of the package with one import added against the layers fails the contracts."""
    shutil.copytree(CLINIC, tmp_path / "clinic", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "clinic" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def test_core_store_cli_do_not_import_textual():
    """At run time too: importing every core, store and CLI module loads no Textual."""
    code = (
        "import sys, pkgutil, importlib\n"
        "import clinic.core, clinic.store, clinic.cli\n"
        "for pkg in (clinic.core, clinic.store, clinic.cli):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if m.name == 'clinic.cli.tui':\n"
        "            continue\n"
        "        importlib.import_module(m.name)\n"
        "import clinic.cli.main\n"
        "assert 'textual' not in sys.modules, [k for k in sys.modules if k.startswith('textual')]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- SQL only in the store ----------------------------------------------------------

_SQL = re.compile(
    r"""^\s*(
        SELECT\s.+?\sFROM\s | SELECT\s+(\d|\*|COUNT\s*\() |
        INSERT\s+(OR\s+\w+\s+)?INTO\s | REPLACE\s+INTO\s |
        UPDATE\s+\S+\s+SET\s | DELETE\s+FROM\s |
        CREATE\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|VIEW|TRIGGER)\s |
        DROP\s+(TABLE|INDEX|VIEW|TRIGGER)\s | ALTER\s+TABLE\s |
        PRAGMA\s+\w+ | WITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\s*\( |
        BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?\s*;?\s*$ |
        (COMMIT|ROLLBACK|VACUUM)\b\s*;?\s*$ | ATTACH\s+DATABASE\s
    )""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# Methods that run SQL: sqlite3's and sqlite-utils' on any object, and the Store's
# own (query/one/scalar) on anything that looks like a connection (a screen's
# ``self.query(...)`` is Textual's DOM query, not SQL).
_RUNS_SQL = {"execute", "executemany", "executescript"}
_STORE_SQL = {"query", "one", "scalar"}
_CONNECTION_NAMES = {"store", "db", "conn", "connection", "database", "cursor", "cur"}
_MESSAGES = {"_", "N_", "ngettext", "pgettext"}  # the catalogue's English text, not SQL


def _is_connection(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _CONNECTION_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in _CONNECTION_NAMES
    if isinstance(node, ast.Call):  # open_store(path).query(...)
        return _is_connection(node.func) or getattr(node.func, "id", "") == "open_store"
    return False


def _skipped(tree: ast.AST) -> set[int]:
    """The ids of string nodes that are docstrings or messages of the catalogue."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in _MESSAGES:
            skip.update(id(a) for a in node.args)
    return skip


def _text_of(node: ast.expr) -> str | None:
    """A string constant, or an f-string's literal parts with ``?`` for each value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?"
            for v in node.values
        )
    return None


def sql_in(source: str) -> list[tuple[int, str]]:
    """Where ``source`` writes SQL or runs it on a connection: (line, what)."""
    tree = ast.parse(source)
    skip = _skipped(tree)
    inside_fstring = {
        id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values
    }
    found = []
    for node in ast.walk(tree):
        text = _text_of(node) if id(node) not in skip | inside_fstring else None
        if text is not None and _SQL.match(text):
            found.append((node.lineno, f"SQL text {text.strip()[:40]!r}"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            if method in _RUNS_SQL or (method in _STORE_SQL and _is_connection(receiver)):
                found.append((node.lineno, f".{method}() on {ast.unparse(receiver)}"))
    return found


@pytest.mark.parametrize(
    "source",
    [
        'rows = store.query("SELECT id FROM persons")',
        'ROWS = """\n  select name\n  from villages"""',
        'def f(store, t):\n    return f"SELECT count(*) FROM {t}"',
        'store.conn.execute("PRAGMA user_version")',
        'SQL = "with recursive up(id) as (select 1) select * from up"',
        'x = "INSERT OR IGNORE INTO tags (code) VALUES (?)"',
        'x = "update persons set name = ? where id = ?"',
        'x = "DELETE FROM visits WHERE id = ?"',
        'x = "CREATE INDEX i ON t(c)"',
        "store.db.executescript(script)",
        "rows = open_store(path).one(sql, [1])",
        "def f(self):\n    return self.app.store.scalar(text)",
    ],
)
def test_the_sql_check_finds_sql(source):
    assert sql_in(source)


@pytest.mark.parametrize(
    "source",
    [
        'self.query("#filters > *")',
        "for field in self.query(Input): pass",
        'x = _("Select a village from the list.")',
        'x = _("Update the file with the new rows?")',
        'def f():\n    """SELECT rows FROM the store: described, not run."""',
        'x = "With a doctor"',
        'x = "Created the table of contents"',
    ],
)
def test_the_sql_check_passes_plain_text(source):
    assert sql_in(source) == []


@pytest.mark.parametrize("layer", ABOVE_THE_STORE)
def test_sql_only_in_the_store(layer):
    """No SQL text and no statement run on a connection in core, the screens or the commands."""
    breaches = [
        f"{path.relative_to(CLINIC)}:{line}: {what}"
        for path in sorted((CLINIC / layer).rglob("*.py"))
        for line, what in sql_in(path.read_text(encoding="utf-8"))
    ]
    assert breaches == []
