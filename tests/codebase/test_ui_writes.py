"""Issue 10, "never frozen": no screen writes on the UI thread's connection.

A screen's ``self.app.store`` (``app.store``, a screen's ``self.store``) is the
UI thread's connection: a write through it waits on the UI thread for another
desk's lock. Writes go through ``self.app.write(job)`` (the job gets the
writer's own connection) or a thread worker that opens its own
(``self.app.open_store()``). This test finds, by reading the code, every core
or store function that writes (it opens a transaction, or runs INSERT, UPDATE,
DELETE through sqlite-utils or SQL; and every function calling one of those),
then every call in clinic/ui that hands one of them the UI thread's connection.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import clinic.core

PACKAGE = Path(clinic.core.__file__).parent.parent  # clinic/
WRITING_METHODS = {"transaction", "insert", "insert_all", "upsert", "upsert_all", "delete_where"}
WRITING_SQL = ("INSERT ", "UPDATE ", "DELETE ", "REPLACE ", "INSERT\n", "UPDATE\n", "DELETE\n")
CONNECTION = re.compile(r"\b(store|db|conn)\b")
# Names of the UI thread's connection as screens spell it.
UI_STORES = {"self.app.store", "app.store", "self.store"}


def _functions(folder: str) -> dict[str, list[ast.FunctionDef]]:
    """Every module-level or method function of clinic/<folder>, by name."""
    found: dict[str, list[ast.FunctionDef]] = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                found.setdefault(node.name, []).append(node)
    return found


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _sql(node: ast.AST) -> str:
    """The text an SQL argument starts with (a string, or an f-string's first part)."""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lstrip()
    return ""


def _writes_itself(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in WRITING_METHODS:
            return True
        if node.args and _sql(node.args[0]).startswith(WRITING_SQL):
            return True
    return False


def _given_a_connection(call: ast.Call) -> bool:
    """A write needs a connection: a call passes one on (``store``, ``db``, ``conn``, or
    something of theirs); a call without one (``fill(text)``) does not write, whatever
    other function shares its name."""
    args = [*call.args, *(k.value for k in call.keywords)]
    return any(CONNECTION.search(ast.unparse(arg)) for arg in args)


def writing_functions() -> set[str]:
    """Names of the core and store functions that write, directly or through another
    (a name defined twice counts as writing if either definition writes)."""
    functions = _functions("core")
    for name, defs in _functions("store").items():
        functions[name] = functions.get(name, []) + defs
    writing = {name for name, defs in functions.items() if any(map(_writes_itself, defs))}
    while True:
        more = {
            name
            for name, defs in functions.items()
            if name not in writing
            and any(
                isinstance(n, ast.Call) and _called_name(n) in writing and _given_a_connection(n)
                for fn in defs
                for n in ast.walk(fn)
            )
        }
        if not more:
            return writing
        writing |= more


def _params(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    a = node.args
    return {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x}


def _ui_store_aliases(body: list[ast.stmt]) -> set[str]:
    """Names a function binds to the UI thread's connection (``store = self.app.store``)."""
    return {
        target.id
        for stmt in body
        for node in ast.walk(stmt)
        if isinstance(node, ast.Assign) and ast.unparse(node.value) in UI_STORES
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _passes_ui_store(call: ast.Call, aliases: set[str]) -> bool:
    args = [*call.args, *(k.value for k in call.keywords)]
    return any(
        ast.unparse(arg) in UI_STORES or (isinstance(arg, ast.Name) and arg.id in aliases)
        for arg in args
    )


def writes_on_the_ui_connection(tree: ast.AST, writing: set[str]) -> list[ast.Call]:
    """Calls in ``tree`` that hand a writing function the UI thread's connection. A
    job's own ``store`` parameter (``lambda store: ...``, ``def write(store)``) is the
    writer's connection, even inside a function that also names the UI's ``store``."""
    found: list[ast.Call] = []

    def visit(node: ast.AST, aliases: set[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            aliases = (aliases - _params(node)) | _ui_store_aliases(node.body)
        elif isinstance(node, ast.Lambda):
            aliases = aliases - _params(node)
        elif (
            isinstance(node, ast.Call)
            and _called_name(node) in writing
            and _passes_ui_store(node, aliases)
        ):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child, aliases)

    visit(tree, set())
    return found


def test_the_writing_functions_are_found():
    """The finder itself: services known to write are found, reads are not."""
    writing = writing_functions()
    assert {"set_hours", "add_talk", "save_volunteer", "set_stock", "fill_hours", "check_in"} <= (
        writing
    )
    assert not {"team_of_day", "talks_of_day", "get_day", "summary"} & writing


def test_the_check_sees_a_write_on_the_ui_connection():
    """A screen written the old way (a service handed ``self.app.store``, directly or
    by a local name) is found; the same service in a job given to app.write is not."""
    tree = ast.parse(
        "def save(self):\n"
        "    p.set_hours(self.app.store, 1, None)\n"
        "    store = self.app.store\n"
        "    T.add_talk(store, 1, None)\n"
        "    self.app.write(lambda store: p.remove_assignment(store, 1))\n"
        "    p.team_of_day(self.app.store, 1)\n"
    )
    found = writes_on_the_ui_connection(tree, writing_functions())
    assert [ast.unparse(c) for c in found] == [
        "p.set_hours(self.app.store, 1, None)",
        "T.add_talk(store, 1, None)",
    ]


def test_no_screen_writes_on_the_ui_threads_connection():
    writing = writing_functions()
    found = [
        f"{path.relative_to(PACKAGE)}:{call.lineno} {ast.unparse(call)}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for call in writes_on_the_ui_connection(ast.parse(path.read_text("utf-8")), writing)
    ]
    assert sorted(set(found)) == []
