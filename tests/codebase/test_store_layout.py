"""The store is cut by data, and no query is written twice (issue 9, "store by data").

Every SQL text in ``clinic/store`` is found by parsing the modules (string
constants and the literal parts of f-strings); two places holding the same
text, whitespace aside, mean a query exists twice: the second must call the first.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import clinic.store

STORE = Path(clinic.store.__file__).parent

# Modules named for the data they hold, and the infrastructure beside them.
DATA_MODULES = {
    "catalogues",  # specialties, organisations, conditions, prescription templates, settings
    "places",  # townships and villages
    "households",  # households and the cadres paired with them
    "persons",  # persons
    "person_keys",  # persons' search keys
    "person_details",  # persons' tags, conditions on record, consents
    "volunteers",  # volunteers, unavailability, cadres
    "days",  # clinic days, their needs and stock
    "assignments",  # who works a clinic day
    "visits",  # visits, visit conditions, handouts, queue, history
    "talks",  # health talks
    "audit",  # the audit log
    "field_changes",  # who last changed each field of a visit, person or clinic day
    "users",  # users who sign in, and their roles
    "counts",  # records of each kind
    "figures",  # aggregates over a scope
    "rules",  # what counts (held days, served, filled places, open follow-ups) and the scope
    "datasets",  # rows of the exports
    "sync",  # merging laptops: identities, changesets, bundles applied, conflicts
    "person_merges",  # duplicate persons merged: what each merge moved, to undo it
}
INFRASTRUCTURE = {"__init__", "connection", "migrations", "seeds", "resources", "backup", "bulk"}

# Words only SQL writes in capitals here (docstrings are skipped).
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|JOIN|ORDER BY|GROUP BY|PRAGMA)\b")


def _text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The text of a string expression: constants as written, a module
    constant's name as its text, other values of an f-string as ``{}``, and
    ``a + b`` joined (a query built from parts is one text)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(part.value)
            else:
                parts.append(_text(part.value, constants) or "{}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, constants), _text(node.right, constants)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return None


def _trees(folder: Path) -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.py"))
    }


def _constants(trees: dict[str, ast.Module]) -> dict[str, str]:
    """Module-level string constants of the store (DAY_SELECT, HELD_SQL...) by name."""
    constants: dict[str, str] = {}
    for _ in range(3):  # constants built from constants of other modules
        for tree in trees.values():
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Name):
                        text = _text(node.value, constants)
                        if text is not None:
                            constants[target.id] = text
    return constants


def _strings(tree: ast.Module, constants: dict[str, str]):
    """(owner, text) of every string expression: owner is the enclosing
    function, else ``<module>`` (a constant)."""

    def visit(node: ast.AST, owner: str):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from visit(child, child.name)
            elif isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant):
                continue  # a docstring
            elif isinstance(child, ast.Name):
                continue  # a constant used: its text is counted where it is written
            elif (text := _text(child, constants)) is not None:
                yield owner, text
            else:
                yield from visit(child, owner)

    yield from visit(tree, "<module>")


def sql_texts(folder: Path = STORE) -> dict[str, list[str]]:
    """Normalised SQL text → every place (module.function) holding it."""
    trees = _trees(folder)
    constants = _constants(trees)
    places: dict[str, list[str]] = defaultdict(list)
    for module, tree in trees.items():
        for owner, text in _strings(tree, constants):
            if SQL_WORDS.search(text):
                places[" ".join(text.split())].append(f"{module}.{owner}")
    return places


def test_the_store_holds_sql():
    """The collector finds the queries (a test over nothing would pass by itself)."""
    texts = sql_texts()
    assert len(texts) > 100
    owners = {place for found in texts.values() for place in found}
    assert "persons.person_id_by_number" in owners
    assert any(place.startswith("days.") for place in owners)


def test_a_query_written_twice_is_found(tmp_path):
    """The same query in two modules, spaced differently and built from a
    constant in one of them, is one text held in two places."""
    (tmp_path / "a.py").write_text(
        'COLS = "id, name"\n'
        "def one(store, i):\n"
        '    return store.one("SELECT " + COLS + " FROM persons WHERE id = ?", [i])\n',
        encoding="utf-8",
    )
    (tmp_path / "b.py").write_text(
        "def two(store, i):\n"
        '    """SELECT in a docstring is no query."""\n'
        '    return store.one(f"""SELECT id, name\n    FROM persons  WHERE id = ?""", [i])\n',
        encoding="utf-8",
    )
    twice = {text: found for text, found in sql_texts(tmp_path).items() if len(found) > 1}
    assert twice == {"SELECT id, name FROM persons WHERE id = ?": ["a.one", "b.two"]}


def test_no_query_exists_twice():
    twice = {text: found for text, found in sql_texts().items() if len(found) > 1}
    assert not twice, (
        "the same SQL in more than one place (call the one that exists):\n"
        + "\n".join(f"  {', '.join(found)}: {text[:100]}" for text, found in twice.items())
    )


def test_store_modules_are_named_for_their_data():
    """A module named for a screen (desk, planning, reports...) cannot come back."""
    modules = {path.stem for path in STORE.glob("*.py")}
    assert modules == DATA_MODULES | INFRASTRUCTURE, (
        f"unexpected: {sorted(modules - DATA_MODULES - INFRASTRUCTURE)}, "
        f"missing: {sorted(DATA_MODULES | INFRASTRUCTURE - modules)}"
    )
    assert not (STORE / "desk").exists() and not any(p.is_dir() for p in STORE.glob("[!_]*"))


def test_one_function_per_name():
    """No two store modules define a function of the same name (a second
    ``day()`` or ``specialties()`` is a duplicate query in the making)."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted(STORE.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                where[node.name].append(path.stem)
    assert {name: mods for name, mods in where.items() if len(mods) > 1} == {}
