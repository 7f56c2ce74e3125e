"""The SQL side of merging laptops (issue 11, docs/sync.md): identities, changesets, bookkeeping.

Changesets come from SQLite's session extension through apsw (the standard
library's sqlite3 does not expose it). A laptop's changes since its last export
are the difference between a copy of the database taken at that export (the
*snapshot*) and a copy taken now: ``Session.diff`` compares two files that nobody
writes, while the desks go on writing to the real one through sqlite3.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import apsw

from clinic.store.connection import (
    BUSY_TIMEOUT_MS,
    DEVICE_SPAN,
    FOREIGN_KEYS_PRAGMA,
    SETTING_SQL,
    Store,
    forget_id_base,
    in_parts,
)
from clinic.store.connection import (
    DEVICE_NUMBER_KEY as DEVICE_NUMBER_KEY,
)
from clinic.store.migrations import APPLIED_SQL, MIGRATION_SET
from clinic.store.person_keys import DELETE_KEYS, INSERT_KEY

Conn = sqlite3.Connection | apsw.Connection  # the reads both libraries can run

# Tables a bundle never carries: the file's own bookkeeping, the district's
# users (the district decides who signs in), the merge records, and the
# catalogues every copy of the app seeds identically.
LOCAL_TABLES = frozenset(
    {
        "settings",
        "schema_versions",
        "_sqlite_migrations",
        "users",
        "user_roles",
        "sync_devices",
        "sync_bundles",
        "sync_conflicts",
        "sync_held",
        # the district's record of merged duplicate persons (migration 0051): the persons'
        # own rows (merged_into, the rows moved) travel; the record of what moved does not
        "person_merges",
        "person_merge_rows",
        "person_distinct",
        # who last changed a field at this file's desks (migration 0042, the desks' own
        # field-by-field merge): bookkeeping of one file; across files the changeset merges
        "field_changes",
        "specialties",
        "conditions",
        "holidays",
        "prescription_templates",
        # the search index, derived from each person's name and numbers: whoever applies
        # a changeset rebuilds it for the persons it touched (:func:`persons_changed`), so
        # no export compares its three-quarter-million rows and no bundle carries them
        "person_keys",
    }
)
# What a laptop keeps of the district's history: its audit log starts empty, and it
# holds no merge records (children before their parents: foreign keys).
CLEARED_ON_LAPTOP = (
    "audit_log",
    "person_merge_rows",
    "person_merges",
    "person_distinct",
    "sync_conflicts",
    "sync_held",
    "sync_bundles",
    "sync_devices",
)

DEVICE_NAME_KEY = "sync.device_name"
SIGNING_KEY = "sync.signing_key"
DISTRICT_KEY = "sync.district_key"
SNAPSHOT_STATE = "sync.snapshot"  # 'pending' in a new base until its first snapshot
SEQUENCE_KEY = "sync.sequence"  # in a snapshot: the export it was taken at
EXPORTED_AT_KEY = "sync.exported_at"
PENDING_BUNDLE_KEY = (
    "sync.pending_bundle"  # in a pending export's copy: its bundle or update (JSON)
)
ENROLLED_AT_KEY = "sync.enrolled_at"
DISTRICT_VERIFY_KEY = "sync.district_verify_key"  # on a laptop: who signs its updates
UPDATE_SEQUENCE_KEY = "sync.update_sequence"  # the district's last update applied here / sent
UPDATED_AT_KEY = "sync.updated_at"
# On a laptop: the district's rows its updates left out here (JSON [[table, key], ...]),
# named in every bundle's header until an update brings them in (:func:`note_left_out`).
LEFT_OUT_KEY = "sync.left_out"
# On the district: rows laptop N said it lacks, to drop from ``for-N.db`` before its next
# update is measured, so that update inserts them again (:func:`note_resend`).
RESEND_KEY = "sync.resend.{number}"
# The way back carries the district's users too (it decides who signs in), not its audit
# log (a laptop's log is its own; the district keeps everyone's).
WAY_BACK_EXTRA = ("users", "user_roles")
PUT_SETTING = "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"
DROP_SETTING = "DELETE FROM settings WHERE key = ?"


# -- which tables travel --------------------------------------------------------------


def synced_tables(conn: sqlite3.Connection | apsw.Connection, schema: str = "main") -> list[str]:
    """Tables whose rows travel in bundles, in a fixed order: every table of the app
    with a primary key, less :data:`LOCAL_TABLES` and SQLite's own."""
    rows = conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    names = [str(r[0]) for r in rows]
    return [n for n in names if n not in LOCAL_TABLES and not n.endswith("_fts")]


def way_back_tables(conn: sqlite3.Connection | apsw.Connection) -> list[str]:
    """Tables whose rows travel in the district's updates to a laptop."""
    names = [t for t in synced_tables(conn) if t != "audit_log"]
    return names + [t for t in WAY_BACK_EXTRA if table_columns(conn, t)]


def applied_migrations(conn: sqlite3.Connection | apsw.Connection) -> list[str]:
    return sorted(str(r[0]) for r in conn.execute(APPLIED_SQL, [MIGRATION_SET]).fetchall())


# -- identities -----------------------------------------------------------------------


def laptop_identity(store: Store) -> dict[str, str]:
    """The ``sync.*`` settings of this file (empty on the district)."""
    rows = store.conn.execute("SELECT key, value FROM settings WHERE key LIKE 'sync.%'")
    return dict(rows.fetchall())


def write_laptop_identity(store: Store, values: dict[str, str]) -> None:
    """Make this file a laptop: its device number, name, keys; and empty the district's
    history it must not carry."""
    with store.transaction() as db:
        for table in CLEARED_ON_LAPTOP:
            db.execute(f"DELETE FROM {table}")
        # the district's bookkeeping of rows to send its laptops again is not the laptop's
        db.execute("DELETE FROM settings WHERE key LIKE 'sync.resend.%' OR key = ?", [LEFT_OUT_KEY])
        for key, value in values.items():
            db.execute(PUT_SETTING, [key, value])
    forget_id_base(store.db)


def set_sync_setting(store: Store, key: str, value: str) -> None:
    store.conn.execute(PUT_SETTING, [key, value])


def add_device(store: Store, name: str, verify_key: str, actor: str) -> int:
    """Register a laptop on the district; its number is the next free one."""
    number = (store.scalar("SELECT max(number) FROM sync_devices") or 0) + 1
    store.conn.execute(
        "INSERT INTO sync_devices (number, name, verify_key, enrolled_by) VALUES (?, ?, ?, ?)",
        [number, name, verify_key, actor],
    )
    return number


def device_by_name(store: Store, name: str) -> dict | None:
    return store.one("SELECT * FROM sync_devices WHERE name = ?", [name])


def devices_with_bundles(store: Store) -> list[dict]:
    """Every enrolled laptop with its newest applied bundle and open conflicts."""
    return store.query(
        """SELECT d.number, d.name, d.enrolled_at,
                  b.sequence AS last_sequence, b.made_at AS last_made_at,
                  b.imported_at AS last_imported_at,
                  (SELECT count(*) FROM sync_bundles x WHERE x.device_number = d.number) AS bundles,
                  (SELECT count(*) FROM sync_conflicts c
                    WHERE c.device_number = d.number AND c.status = 'open') AS open_conflicts,
                  (SELECT group_concat(h.sequence) FROM sync_held h
                    WHERE h.device_number = d.number) AS held
           FROM sync_devices d
           LEFT JOIN sync_bundles b ON b.device_number = d.number
                AND b.sequence = (SELECT max(sequence) FROM sync_bundles
                                  WHERE device_number = d.number)
           ORDER BY d.number"""
    )


def held_bundles(store: Store) -> list[dict]:
    return store.query("SELECT * FROM sync_held ORDER BY device_number, sequence")


def hold_bundle(store: Store, device: int, sequence: int, file: str, data: bytes) -> None:
    store.conn.execute(
        "INSERT OR IGNORE INTO sync_held (device_number, sequence, file, data) VALUES (?, ?, ?, ?)",
        [device, sequence, file, data],
    )


def release_held(conn: apsw.Connection, device: int, sequence: int) -> None:
    """A held bundle applied: no longer held (inside the apply's transaction)."""
    conn.execute(
        "DELETE FROM sync_held WHERE device_number = ? AND sequence = ?", (device, sequence)
    )


_CONFLICTS = (
    "SELECT c.*, d.name AS device FROM sync_conflicts c "
    "LEFT JOIN sync_devices d ON d.number = c.device_number "
)


def open_conflicts(store: Store) -> list[dict]:
    return store.query(_CONFLICTS + "WHERE c.status = 'open' ORDER BY c.id")


def conflict(store: Store, conflict_id: int) -> dict | None:
    return store.one(_CONFLICTS + "WHERE c.id = ?", [conflict_id])


def set_conflict_status(store: Store, conflict_id: int, status: str) -> None:
    store.conn.execute("UPDATE sync_conflicts SET status = ? WHERE id = ?", [status, conflict_id])


def delete_conflicts_of_person(store: Store, person_id: int) -> int:
    """Erase every clash that holds the person's data (their row, or a row of theirs):
    a purge leaves nothing of them in the review list."""
    cursor = store.conn.execute(
        """DELETE FROM sync_conflicts
           WHERE (table_name = 'persons' AND json_extract(row_key, '$.id') = :id)
              OR json_extract(row_key, '$.person_id') = :id
              OR json_extract(bundle_old, '$.person_id') = :id
              OR json_extract(bundle_new, '$.person_id') = :id
              OR json_extract(current, '$.person_id') = :id""",
        {"id": person_id},
    )
    return cursor.rowcount


def _checked_columns(store: Store, table: str, names: list[str]) -> str:
    """``names`` quoted, after checking each is a column of ``table`` (they come from a file)."""
    known = set(table_columns(store.conn, table))
    if not known or not set(names) <= known:
        raise ValueError(f"{table}: unknown columns {sorted(set(names) - known)}")
    return ", ".join(f"[{n}]" for n in names)


def put_laptop_side(store: Store, table: str, op: str, key: dict, new: dict | None) -> None:
    """Write the laptop's side of a clash: its insert, its changed fields, or its delete."""
    _checked_columns(store, table, [*key, *(new or {})])
    kind = op.lower()  # INSERT, UPDATE or DELETE, as the changeset names them
    if kind == "insert" and new:
        cols = _checked_columns(store, table, list(new))
        marks = ", ".join("?" for _ in new)
        store.conn.execute(f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", list(new.values()))
    elif kind == "update" and new:
        store.conn.execute(_update_sql(table, key, list(new)), [*new.values(), *key.values()])
    elif kind == "delete":
        delete_by_key(store, table, key)


def delete_by_key(store: Store, table: str, key: dict) -> None:
    """Delete the row of ``table`` named by its primary key ``key`` (column → value)."""
    store.conn.execute(_delete_sql(table, key), list(key.values()))


def _delete_sql(table: str, key: dict) -> str:
    """The DELETE of one row of ``table`` by its primary key (``key``'s values bound)."""
    return f"DELETE FROM [{table}] WHERE {_key_where(key)}"


def _update_sql(table: str, key: dict, columns: list[str]) -> str:
    """The UPDATE of ``columns`` of one row of ``table`` in the main file, by its primary
    key (the new values bound, then ``key``'s)."""
    sets = ", ".join(f"[{c}] = ?" for c in columns)
    return f"UPDATE main.[{table}] SET {sets} WHERE {_key_where(key)}"


def _key_where(key: dict) -> str:
    return " AND ".join(f"[{k}] = ?" for k in key)


# -- copies and changesets ------------------------------------------------------------


def _apsw(path: Path) -> apsw.Connection:
    """An apsw connection to ``path``, which no other connection of this process may have
    open. apsw carries its own SQLite: two copies of SQLite in one process do not see each
    other's file locks, so when apsw closed its connection it believed itself the last
    user of the file and deleted the write-ahead log under the app's sqlite3 connections
    (writes after it were lost, then "disk I/O error"). Live databases are therefore
    written through apsw only in a process of their own (:mod:`clinic.core.sync.apart`);
    here apsw opens copies."""
    open_here = _open_in_this_process(path)
    if open_here:
        raise RuntimeError(f"{path} is open in this process ({open_here}): apsw must not open it")
    conn = apsw.Connection(str(path))
    conn.set_busy_timeout(BUSY_TIMEOUT_MS)
    return conn


def _open_in_this_process(path: Path) -> str:
    """The first file descriptor of this process open on ``path`` or its WAL ('' if none;
    always '' where /proc is not there to tell)."""
    target = Path(path).resolve()
    names = {str(target), f"{target}-wal", f"{target}-shm"}
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return ""
    for fd in fds.iterdir():
        try:
            if os.readlink(fd) in names:
                return f"fd {fd.name}"
        except OSError:
            continue
    return ""


def read_settings(path: Path, keys: tuple[str, ...]) -> dict[str, str]:
    """Settings of a database file nobody is writing (a snapshot)."""
    conn = _apsw(path)
    try:
        marks = ", ".join("?" for _ in keys)
        rows = conn.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", keys)
        return {k: v for k, v in rows}
    finally:
        conn.close()


def write_settings(path: Path, values: dict[str, str]) -> None:
    conn = _apsw(path)
    try:
        with conn:
            for key, value in values.items():
                conn.execute(PUT_SETTING, (key, value))
    finally:
        conn.close()


def copy_new_audit_rows(source: Path, target: Path) -> None:
    """Audit rows of the live database ``source`` newer than ``target``'s newest, copied
    into the copy ``target`` (through sqlite3, the library the app's own connections to
    ``source`` use: see :func:`_apsw`)."""
    conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("ATTACH DATABASE ? AS live", (str(source),))
        with conn:
            conn.execute(
                "INSERT INTO main.audit_log SELECT * FROM live.audit_log "
                "WHERE id > (SELECT coalesce(max(id), 0) FROM main.audit_log)"
            )
        conn.execute("DETACH DATABASE live")
    finally:
        conn.close()


def changeset_between(
    old: Path,
    new: Path,
    *,
    audit: bool | None = None,
    way_back: bool = False,
    page_copies: bool = False,
) -> bytes:
    """The changeset that turns the database ``old`` into ``new`` (both files at rest):
    of every synced table, or (``audit`` True / False) of the audit log alone / all but it;
    ``way_back``: of the tables of a district's update (:func:`way_back_tables`).
    ``page_copies``: both files are page copies of one database (a laptop's last-export
    copy and a copy taken now), so a table whose pages are the same bytes in both is
    left out without comparing its rows (:func:`tables_changed`)."""
    chosen = tables_changed(old, new, _tables_in(new, audit, way_back)) if page_copies else None
    conn = _apsw(new)
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(old),))
        session = apsw.Session(conn, "main")
        for table in _tables_of(conn, audit, way_back) if chosen is None else chosen:
            session.attach(table)
            session.diff("old", table)
        data = session.changeset()
        session.close()
        return data
    finally:
        conn.close()


def _tables_of(conn: apsw.Connection, audit: bool | None, way_back: bool) -> list[str]:
    """The tables :func:`changeset_between` compares."""
    tables = way_back_tables(conn) if way_back else synced_tables(conn)
    return [t for t in tables if audit is None or (t == "audit_log") == audit]


def _tables_in(path: Path, audit: bool | None, way_back: bool) -> list[str]:
    conn = _apsw(path)
    try:
        return _tables_of(conn, audit, way_back)
    finally:
        conn.close()


def tables_changed(old: Path, new: Path, tables: list[str]) -> list[str]:
    """Those of ``tables`` that may differ between the files ``old`` and ``new``: all but
    the tables declared alike and rooted at the same page in both whose every page in
    ``new`` (SQLite's ``dbstat``: interior, leaf and overflow pages) holds the same bytes
    in ``old``.
    Reading a b-tree depends on nothing but the bytes of its pages from its root, so
    such a table holds the same rows in both. A table that did not change since the
    last export keeps its pages in a page copy (SQLite rewrites only the pages of the
    b-trees it changes), so a day's export compares the rows of the few tables that
    changed, not the 200,000 persons (a third of a second). Anything this cannot
    vouch for is compared row by row: a table whose root moved or whose declaration
    differs, files of different page sizes, a write-ahead log that could not be emptied
    into its file."""
    pages = _table_pages(old, new, tables)
    if pages is None:
        return list(tables)
    page_size, by_table = pages
    with open(new, "rb", buffering=0) as new_file, open(old, "rb", buffering=0) as old_file:
        return [
            t
            for t in tables
            if not by_table.get(t)  # (a virtual table has no pages of its own)
            or not _same_pages(new_file, old_file, by_table[t], page_size)
        ]


def _table_pages(
    old: Path, new: Path, tables: list[str]
) -> tuple[int, dict[str, list[int]]] | None:
    """(page size, table → its pages in ``new``) for the tables rooted at the same page
    in both files; None when the files cannot be compared page by page. Both files' logs
    are checkpointed into them first, and the connection is closed before the caller
    reads the files (closing a file another SQLite holds drops that SQLite's locks)."""
    conn = _apsw(new)
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(old),))
        for schema in ("main", "old"):
            # (busy, log frames, frames checkpointed): busy means a reader holds the log
            checkpoint = conn.execute(f"PRAGMA {schema}.wal_checkpoint(TRUNCATE)").fetchall()
            if checkpoint[0][0]:
                return None
        sizes = {conn.execute(f"PRAGMA {s}.page_size").fetchall()[0][0] for s in ("main", "old")}
        # (root page, CREATE statement): the same bytes are the same rows only under the
        # same columns and defaults (ALTER TABLE ... ADD COLUMN rewrites no page)
        roots = [
            {
                name: (root, sql)
                for name, root, sql in conn.execute(
                    f"SELECT name, rootpage, sql FROM {s}.sqlite_master WHERE type = 'table'"
                )
            }
            for s in ("main", "old")
        ]
        same_root = [
            t for t in tables if roots[0].get(t, (0,))[0] and roots[0][t] == roots[1].get(t)
        ]
        by_table = {
            t: [
                p for (p,) in conn.execute("SELECT pageno FROM dbstat('main') WHERE name = ?", (t,))
            ]
            for t in same_root
        }
    finally:
        conn.close()
    if len(sizes) != 1 or any(_log_holds_pages(p) or _open_in_this_process(p) for p in (old, new)):
        return None  # (another connection of this process would lose its locks to our reads)
    return int(sizes.pop() or 0), by_table


def _log_holds_pages(path: Path) -> bool:
    """The write-ahead log beside ``path`` holds pages its file does not have yet."""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _same_pages(new: BinaryIO, old: BinaryIO, pages: list[int], page_size: int) -> bool:
    """Every page of ``pages`` holds the same bytes in both files (runs of consecutive
    pages read at once)."""
    for first, count in _runs(sorted(pages)):
        offset, size = (first - 1) * page_size, count * page_size
        new.seek(offset)
        old.seek(offset)
        if new.read(size) != old.read(size):
            return False
    return True


def _runs(pages: list[int], longest: int = 256) -> Iterator[tuple[int, int]]:
    """(first page, count) of each run of consecutive page numbers, at most ``longest``."""
    if not pages:
        return
    start = previous = pages[0]
    for page in pages[1:]:
        if page == previous + 1 and page - start < longest:
            previous = page
            continue
        yield start, previous - start + 1
        start = previous = page
    yield start, previous - start + 1


@dataclass
class Change:
    """One change of a changeset as column → value (for the review list): ``old`` and
    ``new`` hold only the columns the change carries, ``current`` the district's row."""

    table: str
    op: str
    key: dict[str, Any]
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    current: dict[str, Any] | None = None


def table_info(conn: sqlite3.Connection | apsw.Connection, table: str) -> list:
    """SQLite's ``PRAGMA table_info`` of ``table``: (cid, name, type, notnull, default, pk)."""
    return list(conn.execute(f"PRAGMA table_info([{table}])").fetchall())


def foreign_key_list(conn: sqlite3.Connection | apsw.Connection, table: str) -> list:
    """SQLite's ``PRAGMA foreign_key_list``: (id, seq, parent table, column, parent column, ...)."""
    return list(conn.execute(f"PRAGMA foreign_key_list([{table}])").fetchall())


def table_columns(conn: sqlite3.Connection | apsw.Connection, table: str) -> list[str]:
    """The columns of ``table`` in order (a changeset's values come in this order)."""
    return [str(r[1]) for r in table_info(conn, table)]


def _named(values: Any, columns: list[str]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {c: v for c, v in zip(columns, values, strict=False) if v is not apsw.no_change}


def _change(tc: apsw.TableChange, columns: list[str]) -> Change:
    row = tc.new if tc.opcode == apsw.SQLITE_INSERT else tc.old
    key = {
        columns[i]: (row or ())[i]
        for i in range(len(columns))
        if tc.pk_columns and i in tc.pk_columns
    }
    return Change(
        tc.name,
        tc.op,
        key,
        _named(tc.old, columns),
        _named(tc.new, columns),
        _named(tc.conflict, columns),
    )


def joined(first: bytes, second: bytes) -> bytes:
    """Two changesets (of different tables) as one."""
    return apsw.Changeset.concat(first, second)


def operations(changeset: bytes) -> Iterator[tuple[str, str]]:
    """(table, INSERT/UPDATE/DELETE) of every change (raises apsw.Error on a damaged one)."""
    for tc in apsw.Changeset.iter(changeset):
        yield tc.name, tc.op


def persons_changed(changeset: bytes) -> list[int]:
    """Ids of the persons a changeset inserts or updates (whose search keys may change)."""
    ids = []
    for tc in apsw.Changeset.iter(changeset):
        if tc.name == "persons" and tc.opcode != apsw.SQLITE_DELETE:
            row = tc.new if tc.opcode == apsw.SQLITE_INSERT else tc.old
            if row and isinstance(row[0], int):
                ids.append(row[0])
    return ids


def person_families(conn: Conn, ids: list[int]) -> list[tuple[int, int, str, Any, Any]]:
    """(id, kept id, name, ID number, phone) of the persons kept for ``ids`` (a person
    merged into another is kept as that one) and of every person merged into them: the
    persons whose search keys are the kept persons' (:mod:`clinic.core.sync.derived`)."""
    kept: set[int] = set()
    for chunk, marks in in_parts(ids):
        kept.update(
            r[0]
            for r in conn.execute(
                f"SELECT coalesce(merged_into, id) FROM persons WHERE id IN ({marks})", chunk
            )
        )
    found: list[Any] = []
    for chunk, marks in in_parts(sorted(kept)):
        found += conn.execute(
            f"SELECT id, id, name, id_number, phone FROM persons WHERE id IN ({marks}) "
            "UNION ALL SELECT id, merged_into, name, id_number, phone FROM persons "
            f"WHERE merged_into IS NOT NULL AND merged_into IN ({marks})",
            chunk + chunk,
        ).fetchall()
    return found


def replace_person_keys(conn: Conn, keys: dict[int, set[str]]) -> None:
    """Each person's search keys, replaced by ``keys[person]`` (in the caller's transaction)."""
    conn.executemany(DELETE_KEYS, [(p,) for p in keys])
    conn.executemany(INSERT_KEY, [(key, person) for person, found in keys.items() for key in found])


# -- applying on the district ---------------------------------------------------------

CONFLICT_KINDS = {
    apsw.SQLITE_CHANGESET_DATA: "data",
    apsw.SQLITE_CHANGESET_NOTFOUND: "not_found",
    apsw.SQLITE_CHANGESET_CONFLICT: "conflict",
    apsw.SQLITE_CHANGESET_CONSTRAINT: "constraint",
}


class ForeignKeyProblem(Exception):
    """The changeset refers to rows the district does not have. Not a user error:
    clinic.core.sync.importing turns it into one sentence naming the bundle."""


class ApplyProblem(Exception):
    """SQLite refused the changeset for another reason (a damaged changeset that passed
    every check). Not a user error: clinic.core.sync.importing says it with the reason."""


@dataclass
class Applied:
    conflicts: list[tuple[str, Change]] = field(default_factory=list)


@contextmanager
def district_transaction(
    path: Path, attached: dict[str, Path] | None = None
) -> Iterator[apsw.Connection]:
    """One write transaction on the district (or laptop) file through apsw: all of it or
    nothing; ``attached``: other files to read beside it, schema name → path."""
    conn = _apsw(path)
    try:
        for name, other in (attached or {}).items():
            conn.execute(f"ATTACH DATABASE ? AS [{name}]", (str(other),))
        conn.execute(FOREIGN_KEYS_PRAGMA)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


# A row not applied (a clash) that other rows of the bundle point at: (table, id).
Held = set[tuple[str, Any]]
ForeignKeys = dict[str, list[tuple[int, str]]]  # table -> (column index, parent table)


def foreign_keys(conn: apsw.Connection, tables: set[str]) -> ForeignKeys:
    """Each table's single-column references to another table's ``id``."""
    found: ForeignKeys = {}
    for table in tables:
        names = table_columns(conn, table)
        for row in foreign_key_list(conn, table):
            parent, column, target = str(row[2]), str(row[3]), row[4]
            if target in (None, "id") and column in names:
                found.setdefault(table, []).append((names.index(column), parent))
    return found


def _row_id(tc: apsw.TableChange, columns: list[str]) -> Any:
    row = tc.new if tc.opcode == apsw.SQLITE_INSERT else tc.old
    return row[0] if row and columns[:1] == ["id"] else None


def apply_changeset(conn: apsw.Connection, changeset: bytes) -> Applied:
    """Apply inside the caller's transaction. A clash keeps the district's row and is
    returned for the review list. Rows that point at a row held back by a clash (a visit
    of a person whose ID number the district has under another person), in this bundle
    or in an earlier one (:func:`waiting_in_review`), are held back too, and listed: the
    apply is tried again without them, in a savepoint, until it fits. A row pointing at
    a record the district does not have at all aborts it."""
    tables = set(synced_tables(conn))
    columns = {table: table_columns(conn, table) for table in tables}
    references = foreign_keys(conn, tables)
    held: Held = waiting_in_review(conn, tables)
    for _attempt in range(12):  # each round holds back one more level of dependants
        applied, newly = _apply_once(conn, changeset, tables, columns, references, held)
        if applied is not None:
            return applied
        held |= newly
    raise ApplyProblem("dependants of held rows nest too deep")


def waiting_in_review(conn: apsw.Connection, tables: set[str]) -> Held:
    """Laptops' new rows that went to the review list and are not in the district (not
    settled by keeping them): a later bundle's rows that point at one wait there too."""
    found: Held = set()
    rows = conn.execute(
        "SELECT DISTINCT table_name, json_extract(row_key, '$.id') FROM sync_conflicts "
        "WHERE op = 'INSERT' AND json_extract(row_key, '$.id') IS NOT NULL"
    ).fetchall()
    for table, row_id in rows:
        if table in tables and not _exists(conn, table, row_id):
            found.add((table, row_id))
    return found


def _exists(conn: apsw.Connection, table: str, row_id: Any) -> bool:
    return conn.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", (row_id,)).fetchone() is not None


def _apply_once(
    conn: apsw.Connection,
    changeset: bytes,
    tables: set[str],
    columns: dict[str, list[str]],
    references: ForeignKeys,
    held: Held,
) -> tuple[Applied | None, Held]:
    """One try in a savepoint: (what was applied, nothing) or (None, rows to hold back)."""
    applied = Applied()
    newly: Held = set()
    missing: list[int] = []

    def keep(tc: apsw.TableChange) -> bool:
        if tc.name not in tables:
            return False
        if tc.opcode != apsw.SQLITE_DELETE:
            row = tc.new or ()
            for index, parent in references.get(tc.name, ()):
                if (parent, row[index] if index < len(row) else None) in held:
                    applied.conflicts.append(("held", _change(tc, columns[tc.name])))
                    newly.add((tc.name, _row_id(tc, columns[tc.name])))
                    return False
        return True

    def on_conflict(reason: int, tc: apsw.TableChange) -> int:
        if reason == apsw.SQLITE_CHANGESET_FOREIGN_KEY:
            missing.append(tc.fk_conflicts or 1)
            return apsw.SQLITE_CHANGESET_ABORT
        if reason == apsw.SQLITE_CHANGESET_NOTFOUND and tc.opcode == apsw.SQLITE_DELETE:
            # Gone already (deleted here too, or with its parent by a cascade): the
            # laptop wanted it gone, and so it is; nothing to review.
            return apsw.SQLITE_CHANGESET_OMIT
        if reason in (apsw.SQLITE_CHANGESET_CONSTRAINT, apsw.SQLITE_CHANGESET_NOTFOUND):
            newly.add((tc.name, _row_id(tc, columns[tc.name])))  # not here: dependants wait
        applied.conflicts.append((CONFLICT_KINDS[reason], _change(tc, columns[tc.name])))
        return apsw.SQLITE_CHANGESET_OMIT

    conn.execute("SAVEPOINT sync_apply")
    try:
        apsw.Changeset.apply(changeset, conn, filter_change=keep, conflict=on_conflict)
    except apsw.Error as exc:
        conn.execute("ROLLBACK TO sync_apply")
        conn.execute("RELEASE sync_apply")
        newly = {key for key in newly - held if key[1] is not None}
        if missing and newly:
            return None, newly
        if missing:
            raise ForeignKeyProblem(str(exc)) from exc
        raise ApplyProblem(str(exc)) from exc
    conn.execute("RELEASE sync_apply")
    return applied, set()


def record_bundle(
    conn: apsw.Connection, header: dict, digest: str, actor: str, applied: Applied
) -> None:
    """The bookkeeping of one applied bundle, in the same transaction as its changes."""
    device, sequence = header["device_number"], header["sequence"]
    conn.execute(
        "INSERT INTO sync_bundles (device_number, sequence, digest, made_from, made_at, "
        "changes, conflicts, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            device,
            sequence,
            digest,
            header.get("from"),
            header["until"],
            header["changes"],
            len(applied.conflicts),
            actor,
        ),
    )
    for kind, change in applied.conflicts:
        conn.execute(
            "INSERT INTO sync_conflicts (device_number, sequence, table_name, kind, op, row_key, "
            "bundle_old, bundle_new, current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                device,
                sequence,
                change.table,
                kind,
                change.op,
                _json(change.key),
                _json(change.old),
                _json(change.new),
                _json(change.current),
            ),
        )
    detail = {"device": header["device"], "sequence": sequence, "changes": header["changes"]}
    # The district's own id range (clinic.store.connection.new_ids): SQLite's max + 1 would
    # continue in the range of the laptop just merged.
    conn.execute(
        "INSERT INTO audit_log (id, actor, action, detail, rows) VALUES ("
        "(SELECT coalesce(max(id), 0) + 1 FROM audit_log WHERE id < ?), ?, 'sync_import', ?, ?)",
        (DEVICE_SPAN, actor, json.dumps(detail, ensure_ascii=False), header["changes"]),
    )


def _json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(
        {k: v.hex() if isinstance(v, bytes) else v for k, v in values.items()}, ensure_ascii=False
    )


def bundle_applied(conn: Conn, device: int, sequence: int) -> str | None:
    """The digest of bundle ``sequence`` of ``device`` if it was applied, else None."""
    for (digest,) in conn.execute(
        "SELECT digest FROM sync_bundles WHERE device_number = ? AND sequence = ?",
        (device, sequence),
    ):
        return str(digest)
    return None


def last_sequences(conn: Conn) -> defaultdict[int, int]:
    """device number → its newest applied bundle (0 for none)."""
    found: defaultdict[int, int] = defaultdict(int)
    for number, top in conn.execute(
        "SELECT device_number, max(sequence) FROM sync_bundles GROUP BY device_number"
    ):
        found[int(number)] = int(top)
    return found


def device_keys(conn: Conn) -> dict[int, tuple[str, str]]:
    """number → (name, verify key) of every enrolled laptop."""
    return {
        n: (name, key)
        for n, name, key in conn.execute("SELECT number, name, verify_key FROM sync_devices")
    }


# -- the way back: the district's updates to a laptop ------------------------------------


def sent_copy_path(db_path: Path, device: int) -> Path:
    """``NAME.sync/for-N.db`` beside the district's database: the district as laptop N
    last received it (its base, then each update), which the next update is measured from."""
    db_path = Path(db_path).resolve()
    return db_path.with_name(f"{db_path.name}.sync") / f"for-{device}.db"


def pending_sent_path(db_path: Path, device: int) -> Path:
    """``NAME.sync/for-N.pending.db``: the copy an update export took, once its update is
    decided and until it is delivered; then it becomes ``for-N.db``."""
    return sent_copy_path(db_path, device).with_name(f"for-{device}.pending.db")


def keep_sent_copy(base: Path, db_path: Path, device: int) -> None:
    """At enrolment: the base as written is what laptop ``device`` has of the district."""
    from clinic.store.backup import vacuum_into

    target = sent_copy_path(db_path, device)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    vacuum_into(base, target)
    os.chmod(target, 0o600)


RowKey = tuple[str, tuple[tuple[str, Any], ...]]


def row_key(table: str, key: dict[str, Any]) -> RowKey:
    """A row named by its table and primary key (column -> value), comparable and hashable."""
    return table, tuple(sorted(key.items()))


def _key_of(change: Change) -> RowKey:
    return row_key(change.table, change.key)


def _differs(change: Change) -> bool:
    """A clash on the laptop that is the laptop's own work (not its earlier export
    coming back): its row is gone, or holds other values than the district sends."""
    if change.current is None or change.new is None:
        return True
    return any(change.current.get(c) != v for c, v in change.new.items())


@dataclass
class UpdateApplied:
    skipped: set[RowKey] = field(default_factory=set)  # not applied here: not in the copy
    kept: list[Change] = field(default_factory=list)  # the laptop's own unsent changes
    # inserts of rows the laptop has: the district's values it took, column -> value
    taken: dict[RowKey, dict[str, Any]] = field(default_factory=dict)
    # the district's rows not taken that the laptop did not change: sent again on demand
    left_out: set[RowKey] = field(default_factory=set)


def row_keys_text(keys: set[RowKey]) -> str:
    """Row keys as JSON, ``[[table, {column: value}], ...]`` in a fixed order (a bundle's
    header names them; the settings keep them)."""
    return json.dumps(
        sorted(([table, dict(key)] for table, key in keys), key=lambda r: json.dumps(r)),
        ensure_ascii=False,
    )


def row_keys_read(rows: Any) -> set[RowKey]:
    """Row keys from :func:`row_keys_text`'s form (a JSON text or the parsed list)."""
    if isinstance(rows, str):
        rows = json.loads(rows) if rows else []
    return {row_key(str(table), key) for table, key in rows or ()}


def _row(
    conn: apsw.Connection, schema: str, table: str, key: dict, columns: list[str]
) -> dict | None:
    """The row of ``schema.table`` named by ``key`` as column -> value (None: not there)."""
    for row in conn.execute(_select_sql(schema, table, key), tuple(key.values())):
        return dict(zip(columns, row, strict=False))
    return None


def _select_sql(schema: str, table: str, key: dict) -> str:
    """The SELECT of one row of ``schema.table`` by its primary key (values bound)."""
    where = " AND ".join(f"[{k}] IS ?" for k in key)
    return f"SELECT * FROM {schema}.[{table}] WHERE {where}"


def _put_values(conn: apsw.Connection, table: str, key: dict, values: dict[str, Any]) -> None:
    """Some columns of one row written (the district's values a laptop takes)."""
    if not values:
        return
    conn.execute(_update_sql(table, key, list(values)), (*values.values(), *key.values()))


def apply_update(
    conn: apsw.Connection, changeset: bytes, own_ids: range, exported: str | None = None
) -> UpdateApplied:
    """Apply a district's update to the laptop's file inside the caller's transaction.
    A clash keeps the laptop's row when the laptop changed it since its last export (that
    change goes to the district in its next bundle, where the review list shows it); a row
    the laptop left as it exported it (``exported``: the schema its last-export copy is
    attached as) takes the district's values, such as a coordinator's correction of what
    the laptop sent. An insert of a row the laptop has (its own rows coming back, which
    the district may have changed: a merge) takes the district's value of each column
    the laptop left as exported (:func:`_take`); an insert of its own row it deleted
    since is skipped. The district's rows that point at a row left out (a visit of the
    district's person whose ID number the laptop registered too), in this update or in
    an earlier one (:func:`_lacking_parents`), are left out as well: the apply is tried
    again without them, in a savepoint, until it fits. Rows left out that the laptop did
    not change are listed (``left_out``): its bundles name them, and the district sends
    them again (:func:`note_left_out`)."""
    tables = set(way_back_tables(conn))
    columns = {table: table_columns(conn, table) for table in tables}
    references = foreign_keys(conn, tables)
    held: Held = set()
    for _attempt in range(12):  # each round leaves out one more level of dependants
        done, newly = _update_once(
            conn, changeset, own_ids, tables, columns, references, held, exported
        )
        if done is not None:
            return done
        held |= newly
    raise ForeignKeyProblem("dependants of rows left out nest too deep")


def _update_once(
    conn: apsw.Connection,
    changeset: bytes,
    own_ids: range,
    tables: set[str],
    columns: dict[str, list[str]],
    references: ForeignKeys,
    held: Held,
    exported: str | None = None,
) -> tuple[UpdateApplied | None, Held]:
    """One try in a savepoint: (what was done, nothing) or (None, rows to leave out)."""
    done = UpdateApplied()
    absent: Held = set()  # rows not applied here, which may be missing
    missing: list[int] = []

    def skip(tc: apsw.TableChange, change: Change) -> None:
        """Not applied here; a row the laptop left as it exported it is the district's
        left out (its next bundle names it, and the district sends it again)."""
        done.skipped.add(_key_of(change))
        absent.add((tc.name, _row_id(tc, columns[tc.name])))
        if _as_exported(conn, exported, change):
            done.left_out.add(_key_of(change))

    def keep(tc: apsw.TableChange) -> bool:
        if tc.name not in tables:
            return False
        if tc.opcode == apsw.SQLITE_DELETE:
            return True
        change = _change(tc, columns[tc.name])
        here = None
        if tc.opcode == apsw.SQLITE_INSERT:
            here = _row(conn, "main", tc.name, change.key, columns[tc.name])
            row_id = _row_id(tc, columns[tc.name])
            # (an int test first: ``None in range(...)`` would walk the whole range)
            if here is None and isinstance(row_id, int) and row_id in own_ids:
                # the laptop's own row, deleted here since it was exported
                done.skipped.add(_key_of(change))
                absent.add((tc.name, row_id))
                return False
        row = tc.new or ()
        for index, parent in references.get(tc.name, ()):
            if (parent, row[index] if index < len(row) else None) in held:
                skip(tc, change)
                return False
        if here is not None:  # an insert of a row the laptop has: an update in disguise
            _take(conn, exported, change, here, columns[tc.name], done)
            return False
        return True

    def on_conflict(reason: int, tc: apsw.TableChange) -> int:
        if reason == apsw.SQLITE_CHANGESET_FOREIGN_KEY:
            missing.append(tc.fk_conflicts or 1)
            return apsw.SQLITE_CHANGESET_ABORT
        change = _change(tc, columns[tc.name])
        same_kind = reason in (apsw.SQLITE_CHANGESET_DATA, apsw.SQLITE_CHANGESET_CONFLICT)
        # an update of a row the laptop left as it exported it: nothing of the laptop's
        # waits here (its inserts clashing stay the laptop's, as before)
        if reason == apsw.SQLITE_CHANGESET_DATA and _as_exported(conn, exported, change):
            return apsw.SQLITE_CHANGESET_REPLACE
        if reason == apsw.SQLITE_CHANGESET_CONSTRAINT and tc.opcode == apsw.SQLITE_INSERT:
            skip(tc, change)  # the district's row clashes with one here (one ID number)
            if _key_of(change) in done.left_out:
                return apsw.SQLITE_CHANGESET_OMIT
        done.skipped.add(_key_of(change))
        absent.add((tc.name, _row_id(tc, columns[tc.name])))
        # a row gone here that the last export did not have either was never the laptop's
        # to change (an earlier update left it out): nothing of the laptop's waits
        gone = reason == apsw.SQLITE_CHANGESET_NOTFOUND
        if gone and (tc.opcode == apsw.SQLITE_DELETE or _as_exported(conn, exported, change)):
            return apsw.SQLITE_CHANGESET_OMIT
        if not same_kind or _differs(change):
            done.kept.append(change)
        return apsw.SQLITE_CHANGESET_OMIT

    conn.execute("SAVEPOINT sync_update")
    try:
        apsw.Changeset.apply(changeset, conn, filter_change=keep, conflict=on_conflict)
    except apsw.Error as exc:
        conn.execute("ROLLBACK TO sync_update")
        conn.execute("RELEASE sync_update")
        newly = {
            (table, row_id)
            for table, row_id in absent - held
            if row_id is not None and not _exists(conn, table, row_id)
        }
        if missing:
            newly |= _lacking_parents(conn, changeset, tables, columns, references) - held
        if missing and newly:
            return None, newly
        raise ForeignKeyProblem(str(exc)) from exc
    conn.execute("RELEASE sync_update")
    return done, set()


def _lacking_parents(
    conn: apsw.Connection,
    changeset: bytes,
    tables: set[str],
    columns: dict[str, list[str]],
    references: ForeignKeys,
) -> Held:
    """Rows the changeset's rows point at that this database lacks and the changeset does
    not insert: rows an earlier update left out here (the district's person whose ID
    number the laptop has, with their visit). The district's copy of what the laptop
    received holds them, so its updates never carry them again, only their new
    dependants (another prescription at that visit), which are left out in turn. (Read
    after the savepoint is rolled back: the changeset's own inserts are not there.)"""
    inserted: Held = set()
    pointed: Held = set()
    for tc in apsw.Changeset.iter(changeset):
        if tc.name not in tables or tc.opcode == apsw.SQLITE_DELETE:
            continue
        if tc.opcode == apsw.SQLITE_INSERT:
            inserted.add((tc.name, _row_id(tc, columns[tc.name])))
        row = tc.new or ()
        for index, parent in references.get(tc.name, ()):
            value = row[index] if index < len(row) else None
            if value is not None and value is not apsw.no_change:
                pointed.add((parent, value))
    return {
        (table, row_id)
        for table, row_id in pointed - inserted
        if table in tables and not _exists(conn, table, row_id)
    }


def _take(
    conn: apsw.Connection,
    exported: str | None,
    change: Change,
    here: dict[str, Any],
    columns: list[str],
    done: UpdateApplied,
) -> None:
    """The district inserts a row the laptop has: its own row coming back (the district
    may have changed it: merged the laptop's walk-in into its own person, moved their
    visits), or a row the laptop had said it lacked and took since. Each column the
    laptop left as it exported it takes the district's value; a column the laptop
    changed since stays the laptop's and goes in its next bundle. Columns, not the row:
    SQLite would replace a row by deleting it, and the delete would cascade. A row the
    laptop's last export did not have (made here since) stays the laptop's."""
    key = _key_of(change)
    before = _row(conn, exported, change.table, change.key, columns) if exported else None
    theirs = {c: v for c, v in (change.new or {}).items() if c not in change.key}
    if before is None:
        done.skipped.add(key)
        return
    differ = {c: v for c, v in theirs.items() if here.get(c) != v}
    take = {c: v for c, v in differ.items() if here.get(c) == before.get(c)}
    try:
        _put_values(conn, change.table, change.key, take)
    except apsw.ConstraintError:
        # the district's values clash here (an ID number another person of the laptop
        # has): the row stays as it is, and if the laptop left it so, it is left out
        done.skipped.add(key)
        if here == before:
            done.left_out.add(key)
        return
    done.taken[key] = take
    if any(before.get(c) != v for c, v in differ.items() if c not in take):
        done.kept.append(change)  # both changed a column: the laptop's stays, for review


def note_left_out(conn: apsw.Connection, changeset: bytes, left_out: set[RowKey]) -> int:
    """The laptop's list of the district's rows left out here, after an update (in its
    transaction): the rows it left out now, and those of before that it did not bring.
    Every bundle names them (:data:`LEFT_OUT_KEY`) until an update brings them in."""
    tables = set(way_back_tables(conn))
    columns = {table: table_columns(conn, table) for table in tables}
    brought = {
        _key_of(_change(tc, columns[tc.name]))
        for tc in apsw.Changeset.iter(changeset)
        if tc.name in tables
    }
    before = row_keys_read(_setting(conn, LEFT_OUT_KEY))
    now = left_out | (before - brought)
    if now:
        conn.execute(PUT_SETTING, (LEFT_OUT_KEY, row_keys_text(now)))
    else:
        conn.execute(DROP_SETTING, (LEFT_OUT_KEY,))
    return len(now)


def _setting(conn: Conn, key: str) -> str | None:
    for (value,) in conn.execute(SETTING_SQL, (key,)):
        return str(value) if value is not None else None
    return None


def note_resend(conn: Conn, device: int, rows: set[RowKey]) -> None:
    """On the district, in a bundle's transaction: rows laptop ``device`` says it lacks,
    to be sent again with its next update (:func:`forget_sent`)."""
    if not rows:
        return
    key = RESEND_KEY.format(number=device)
    waiting = row_keys_read(_setting(conn, key))
    conn.execute(PUT_SETTING, (key, row_keys_text(waiting | rows)))


def resend_later(store: Store, device: int, table: str, key: dict[str, Any]) -> None:
    """One row for laptop ``device``'s next update, whole (in the caller's transaction)."""
    note_resend(store.conn, device, {row_key(table, key)})


def resend_rows(store: Store, device: int) -> set[RowKey]:
    return row_keys_read(store.scalar(SETTING_SQL, [RESEND_KEY.format(number=device)]))


def forget_sent(store: Store, copy: Path, device: int, rows: set[RowKey]) -> None:
    """Rows laptop ``device`` lacks, dropped from ``copy`` (what the district counts as
    received), so the next update, measured from it, inserts them again; then no longer
    waiting on the district. In that order: stopped in between, the next export drops
    them again, which changes nothing."""
    conn = _apsw(copy)
    try:
        tables = set(way_back_tables(conn))
        with conn:
            for table, key in rows:
                named = dict(key)
                keys = [str(r[1]) for r in table_info(conn, table) if r[5]]
                if table not in tables or sorted(named) != sorted(keys):
                    continue  # not a row of an update (the laptop is of another version)
                conn.execute(_delete_sql(table, named), tuple(named.values()))
    finally:
        conn.close()
    setting = RESEND_KEY.format(number=device)
    with store.transaction():
        left = resend_rows(store, device) - rows
        if left:
            store.conn.execute(PUT_SETTING, [setting, row_keys_text(left)])
        else:
            store.conn.execute(DROP_SETTING, [setting])


def _as_exported(conn: apsw.Connection, exported: str | None, change: Change) -> bool:
    """The laptop's row of ``change`` is as its last export left it: unchanged since
    (absent from both: never there, or its delete already sent). False without the copy."""
    if not exported:
        return False
    values = tuple(change.key.values())
    rows = [
        conn.execute(_select_sql(schema, change.table, change.key), values).fetchall()
        for schema in ("main", exported)
    ]
    return rows[0] == rows[1]


def apply_to_copy(
    path: Path,
    changeset: bytes,
    skipped: set[RowKey],
    took: dict[RowKey, dict[str, Any]] | None = None,
) -> None:
    """The same update on the laptop's last-export copy, less what the laptop kept its own
    row for: that copy is what the next bundle is measured from, so the district's rows
    do not travel back as the laptop's, and a clash stays a clash at the district. An
    insert of a row the laptop had writes the columns the laptop took (``took``)."""
    took = took or {}
    conn = _apsw(path)
    try:
        tables = set(way_back_tables(conn))
        columns = {table: table_columns(conn, table) for table in tables}

        def keep(tc: apsw.TableChange) -> bool:
            if tc.name not in tables:
                return False
            change = _change(tc, columns[tc.name])
            key = _key_of(change)
            if key in took:
                _put_values(conn, tc.name, change.key, took[key])
                return False
            return key not in skipped

        def taken(reason: int, _tc: apsw.TableChange) -> int:
            # the laptop took the district's values over what it had exported: so does
            # its copy, or the next bundle would send them back as the laptop's change
            if reason == apsw.SQLITE_CHANGESET_DATA:
                return apsw.SQLITE_CHANGESET_REPLACE
            return apsw.SQLITE_CHANGESET_OMIT

        with conn:
            apsw.Changeset.apply(changeset, conn, filter_change=keep, conflict=taken)
    finally:
        conn.close()


def record_update(conn: apsw.Connection, number: int, header: dict, actor: str, kept: int) -> None:
    """On the laptop, in the update's transaction: its number, and an audit row in the
    laptop's id range (it travels to the district with the next bundle)."""
    conn.execute(PUT_SETTING, (UPDATE_SEQUENCE_KEY, str(header["sequence"])))
    conn.execute(PUT_SETTING, (UPDATED_AT_KEY, header["until"]))
    low = number * DEVICE_SPAN
    detail = {"sequence": header["sequence"], "changes": header["changes"], "kept": kept}
    conn.execute(
        "INSERT INTO audit_log (id, actor, action, detail, rows) VALUES ("
        "(SELECT coalesce(max(id), ?) + 1 FROM audit_log WHERE id > ? AND id < ?), "
        "?, 'sync_update_import', ?, ?)",
        (
            low,
            low,
            low + DEVICE_SPAN,
            actor,
            json.dumps(detail, ensure_ascii=False),
            header["changes"],
        ),
    )


# -- the snapshot of a laptop's last export ---------------------------------------------


def snapshot_path(db_path: Path) -> Path:
    """``NAME.sync/last-export.db`` beside the laptop's database."""
    db_path = Path(db_path).resolve()
    return db_path.with_name(f"{db_path.name}.sync") / "last-export.db"


def pending_export_path(db_path: Path) -> Path:
    """``NAME.sync/pending-export.db``: the copy an export took, once its bundle is decided
    and until the bundle is delivered; then it becomes the last-export copy."""
    return snapshot_path(db_path).with_name("pending-export.db")


def take_snapshot(db_path: Path, target: Path) -> None:
    """A consistent copy of the database (desks may be writing) into ``target``, replaced
    atomically: the copy is made beside it and renamed."""
    from clinic.store.backup import page_copy

    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Named for this process and thread: two desks opening a new base at once each make
    # their own copy, and the last rename wins (both are the base as it came).
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    try:
        page_copy(db_path, partial)
        os.chmod(partial, 0o600)
        write_settings(partial, {SNAPSHOT_STATE: "made"})  # a copy is never a new base
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def ensure_first_snapshot(store: Store) -> None:
    """A new laptop base is its own first snapshot: taken at its first opening, before
    anything is written to it (``sync.snapshot`` is 'pending' until then)."""
    if store.scalar(SETTING_SQL, [SNAPSHOT_STATE]) != "pending":
        return
    # Under the write lock: a second desk opening the base at the same moment waits, then
    # finds it done; nobody writes between the copy and 'made'.
    with store.transaction():
        if store.scalar(SETTING_SQL, [SNAPSHOT_STATE]) != "pending":
            return
        take_snapshot(store.path, snapshot_path(store.path))
        set_sync_setting(store, SNAPSHOT_STATE, "made")


def current_row(store: Store, table: str, key: dict) -> dict | None:
    """The district's row of ``table`` named by its primary key ``key`` (checked columns)."""
    _checked_columns(store, table, list(key))
    where = " AND ".join(f"[{k}] = ?" for k in key)
    return store.one(f"SELECT * FROM [{table}] WHERE {where}", list(key.values()))


def free_text_columns(store: Store, table: str) -> set[str]:
    """Columns of ``table`` declared TEXT that are neither its key nor a reference."""
    info = table_info(store.conn, table)
    references = {str(r[3]) for r in foreign_key_list(store.conn, table)}
    return {
        str(r[1])
        for r in info
        if str(r[2]).upper() == "TEXT" and not r[5] and str(r[1]) not in references
    }
