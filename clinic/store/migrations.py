"""Apply the numbered schema migrations in db/migrations (NNNN_name.sql).

Each file runs in its own transaction through sqlite-utils' ``Migrations``,
which records what was applied in ``_sqlite_migrations``. A migration file is
split into statements (``executescript`` would commit half-way).

Some keys the store holds are derived by rules in core (the pinyin search
keys). A migration that rebuilds them after a rule changed calls those rules
as SQL functions, registered here on the connection before the migrations run.
"""

from __future__ import annotations

import json
import re
import sqlite3

from sqlite_utils.migrations import Migrations

from clinic.store.connection import Store
from clinic.store.resources import data_root

MIGRATION_SET = "clinic"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_files() -> list[tuple[str, str]]:
    """(name, sql) of every migration shipped, in number order."""
    folder = data_root() / "migrations"
    found = [
        (entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if _NAME.match(entry.name)
    ]
    return sorted(found)


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements, the way sqlite3 itself judges them."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip() and not current.strip().startswith("--"):
        statements.append(current.strip())
    return statements


def _name_keys_json(name: str | None) -> str:
    """The pinyin search keys of a name as a JSON list (for json_each)."""
    from clinic.core.search import search_keys  # core imports the store: import late

    return json.dumps(sorted(search_keys(name or "", None, None)))


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions the migrations call: clinic_name_keys(name)."""
    conn.create_function("clinic_name_keys", 1, _name_keys_json, deterministic=True)


def build_migrations() -> Migrations:
    migrations = Migrations(MIGRATION_SET)
    for name, sql in migration_files():

        def run(db, sql=sql):
            for statement in split_statements(sql):
                db.execute(statement)

        migrations(name=name)(run)
    return migrations


def apply_migrations(store: Store) -> None:
    register_functions(store.conn)
    build_migrations().apply(store.db)


def schema_version(store: Store) -> int:
    """Number of the newest applied migration (0 for an empty file)."""
    applied = build_migrations().applied(store.db)
    return max((int(m.name[:4]) for m in applied), default=0)
