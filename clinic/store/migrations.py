"""Apply the numbered schema migrations in db/migrations (NNNN_name.sql).

Each file runs in its own transaction through sqlite-utils' ``Migrations``,
which records what was applied in ``_sqlite_migrations``. A migration file is
split into statements (``executescript`` would commit half-way).

Some keys the store holds are derived by rules in core (the pinyin search
keys). A migration that rebuilds them after a rule changed calls those rules
as SQL functions, registered here on the connection before the migrations run.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from typing import TYPE_CHECKING

from clinic.core.errors import DatabaseError
from clinic.i18n import _
from clinic.store.connection import Store
from clinic.store.resources import data_root

if TYPE_CHECKING:  # imported where migrations run (the apart child runs none)
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "clinic"
APPLIED_SQL = "SELECT name FROM _sqlite_migrations WHERE migration_set = ?"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@functools.cache
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
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, sql in migration_files():

        def run(db, sql=sql):
            for statement in split_statements(sql):
                db.execute(statement)

        migrations(name=name)(run)
    return migrations


def apply_migrations(store: Store) -> None:
    """Refuse a database from a newer app, then bring an older one up to date.

    The guard runs before anything is written, so a newer database is left
    exactly as it was. After migrating, the app's version is recorded against
    each migration it applied: that is what an older app quotes when it
    refuses this file.
    """
    check_not_newer(store)
    migrations = build_migrations()
    if not migrations.pending(store.db):
        return
    register_functions(store.conn)
    migrations.apply(store.db)
    with store.transaction() as db:
        for applied in migrations.applied(store.db):
            db.execute(
                "INSERT OR IGNORE INTO schema_versions (migration, app_version) VALUES (?, ?)",
                [applied.name, app_version()],
            )


def app_version() -> str:
    """This app's version, as pip knows it (pyproject's ``version``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clinic")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "0+unknown"


def known_names() -> set[str]:
    return {name for name, _sql in migration_files()}


def _version_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", text))


def newer_schema_message(path: object, applied: list[str], versions: dict[str, str]) -> str | None:
    """The sentence refusing a database some of whose migrations this app does not know, else None.

    ``versions`` maps a migration's name to the app version that applied it
    (the ``schema_versions`` table); the newest among the unknown ones is the
    version needed.
    """
    unknown = sorted(name for name in applied if name not in known_names())
    if not unknown:
        return None
    needed = max(
        (versions[name] for name in unknown if name in versions), key=_version_key, default=None
    )
    if needed:
        text = _(
            "{path} was written by a newer version of clinic (schema change {names}, unknown to clinic {current}). Install clinic {version} or newer to open it; nothing was changed."
        )
    else:
        text = _(
            "{path} was written by a newer version of clinic (schema change {names}, unknown to clinic {current}). Install the newest clinic to open it; nothing was changed."
        )
    return text.format(path=path, names=", ".join(unknown), current=app_version(), version=needed)


def applied_in_file(path: object) -> list[str]:
    """Names of the migrations applied to the database at ``path``, read without writing."""
    from pathlib import Path

    uri = f"{Path(str(path)).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        if not found:
            return []
        return [r[0] for r in conn.execute(APPLIED_SQL, [MIGRATION_SET])]
    finally:
        conn.close()


def check_not_newer(store: Store) -> None:
    """Raise DatabaseError (exit 3) for a database written by a newer app; read only."""
    applied = [m.name for m in build_migrations().applied(store.db)]
    message = newer_schema_message(store.path, applied, recorded_versions(store.conn))
    if message:
        raise DatabaseError(message)


def recorded_versions(conn: sqlite3.Connection) -> dict[str, str]:
    """migration → app version from ``schema_versions``; empty when the table is missing or
    has another shape (a newer app may have changed it: the refusal must still read)."""
    try:
        return dict(conn.execute("SELECT migration, app_version FROM schema_versions"))
    except sqlite3.DatabaseError:
        return {}


def schema_version(store: Store) -> int:
    """Number of the newest applied migration (0 for an empty file)."""
    applied = build_migrations().applied(store.db)
    return max((int(m.name[:4]) for m in applied), default=0)
