"""The SQL of merging duplicate persons (migration 0051; rules in :mod:`clinic.core.merges`).

Which rows refer to a person is read from the schema's foreign keys, not listed
here: a table added later that points at ``persons`` is found by
:func:`person_references`, and :mod:`clinic.core.merges` refuses to merge until
it has a rule for it (a test checks every reference has one). A row is named by
its primary key (``rowid`` for a table without one), so an undo finds exactly
the rows a merge moved.
"""

from __future__ import annotations

import json
from typing import Any

from clinic.store.connection import Store, insert_row
from clinic.store.persons import PERSON_ANY_SELECT
from clinic.store.sync import foreign_key_list, table_info

Key = dict[str, Any]


def person_references(store: Store) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to ``persons`` in the schema, in name order."""
    tables = [
        str(r[0])
        for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    found = []
    for table in tables:
        for row in foreign_key_list(store.conn, table):
            if row[2] == "persons" and row[4] in (None, "id"):
                found.append((table, str(row[3])))
    return found


def primary_key(store: Store, table: str) -> list[str]:
    """The primary key's columns of ``table``; ``rowid`` when it declares none."""
    info = table_info(store.conn, table)
    pk = sorted((r[5], str(r[1])) for r in info if r[5])
    return [name for _n, name in pk] or ["rowid"]


def _where(key: Key) -> str:
    return " AND ".join(f"[{c}] = ?" for c in key)


def rows_of(store: Store, table: str, column: str, person_id: int) -> list[dict]:
    """Every row of ``table`` whose ``column`` is ``person_id``, whole, with ``rowid``
    where the table has one (a WITHOUT ROWID table is named by its primary key)."""
    pk = primary_key(store, table)
    extra = "rowid AS rowid, " if pk == ["rowid"] else ""
    return store.query(f"SELECT {extra}* FROM [{table}] WHERE [{column}] = ?", [person_id])


def move_row(store: Store, table: str, column: str, key: Key, to: int) -> bool:
    """Point one row at person ``to``; False (nothing changed) when it would clash with
    a unique row the other person already has (the same tag, a visit on the same day)."""
    cursor = store.conn.execute(
        f"UPDATE OR IGNORE [{table}] SET [{column}] = ? WHERE {_where(key)}",
        [to, *key.values()],
    )
    return cursor.rowcount == 1


def move_back(store: Store, table: str, column: str, key: Key, to: int, came: int) -> bool:
    """Undo one move: the row named ``key`` (after the move) points at ``to`` again, if it
    still points at ``came`` (a row deleted or changed since stays as it is)."""
    cursor = store.conn.execute(
        f"UPDATE OR IGNORE [{table}] SET [{column}] = ? WHERE {_where(key)} AND [{column}] = ?",
        [to, *key.values(), came],
    )
    return cursor.rowcount == 1


def put_row(store: Store, table: str, row: dict[str, Any]) -> None:
    """A removed row put back as it was (nothing if an equal row is there again)."""
    cols = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" for _ in row)
    store.conn.execute(
        f"INSERT OR IGNORE INTO [{table}] ({cols}) VALUES ({marks})", list(row.values())
    )


# -- the merge records ------------------------------------------------------------------


def add_merge(store: Store, values: dict[str, Any]) -> int:
    return insert_row(store.db, "person_merges", values)


def add_merge_row(
    store: Store,
    merge_id: int,
    table: str,
    column: str,
    action: str,
    key: Key,
    row: dict | None = None,
) -> None:
    store.conn.execute(
        "INSERT INTO person_merge_rows (merge_id, table_name, column_name, action, row_key, row) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            merge_id,
            table,
            column,
            action,
            json.dumps(key, ensure_ascii=False),
            json.dumps(row, ensure_ascii=False) if row is not None else None,
        ],
    )


def merge_rows(store: Store, merge_id: int) -> list[dict]:
    """What merge ``merge_id`` did, in the order it did it."""
    rows = store.query(
        "SELECT table_name, column_name, action, row_key, row FROM person_merge_rows "
        "WHERE merge_id = ? ORDER BY rowid",
        [merge_id],
    )
    for row in rows:
        row["row_key"] = json.loads(row["row_key"])
        row["row"] = json.loads(row["row"]) if row["row"] is not None else None
    return rows


_MERGES = """SELECT m.*, k.name AS kept_name, o.name AS merged_name
FROM person_merges m JOIN persons k ON k.id = m.kept_id JOIN persons o ON o.id = m.merged_id """


def merge(store: Store, merge_id: int) -> dict | None:
    return store.one(_MERGES + "WHERE m.id = ?", [merge_id])


def merges(store: Store, *, undone: bool = False) -> list[dict]:
    """Merges newest first, with how many rows each moved (``undone``: those undone too)."""
    where = "" if undone else "WHERE m.undone_at IS NULL "
    return store.query(
        _MERGES.replace(
            "SELECT m.*,",
            "SELECT m.*, (SELECT count(*) FROM person_merge_rows r "
            "WHERE r.merge_id = m.id AND r.action = 'moved') AS moved,",
        )
        + where
        + "ORDER BY m.id DESC"
    )


def merges_with_rows_left(store: Store, references: list[tuple[str, str]]) -> list[dict]:
    """Merges not undone whose merged person some row of ``references`` (table, column)
    still refers to: rows that stayed (a visit on a day the kept person was seen too) or
    came later (a laptop's bundle), oldest merge first."""
    if not references:
        return []
    refers = " OR ".join(
        f"EXISTS (SELECT 1 FROM [{table}] r WHERE r.[{column}] = m.merged_id)"
        for table, column in references
    )
    return store.query(
        "SELECT m.id, m.kept_id, m.merged_id FROM person_merges m "
        f"WHERE m.undone_at IS NULL AND ({refers}) ORDER BY m.id"
    )


def later_merges(store: Store, merge_id: int, persons: tuple[int, int]) -> list[int]:
    """Merges after ``merge_id``, not undone, that involve either person."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM person_merges WHERE id > ? AND undone_at IS NULL "
            "AND (kept_id IN (?, ?) OR merged_id IN (?, ?)) ORDER BY id DESC",
            [merge_id, *persons, *persons],
        )
    ]


def set_undone(store: Store, merge_id: int, actor: str) -> None:
    store.conn.execute(
        "UPDATE person_merges SET undone_at = datetime('now', 'localtime'), undone_by = ? "
        "WHERE id = ?",
        [actor, merge_id],
    )


def set_merged_into(store: Store, person_id: int, into: int | None) -> None:
    """Mark (or unmark) a person merged. ``updated_at`` is left alone: the person's own
    data did not change, and an undo gives the row back exactly."""
    store.conn.execute("UPDATE persons SET merged_into = ? WHERE id = ?", [into, person_id])


def clear_id_number(store: Store, person_id: int) -> None:
    store.conn.execute("UPDATE persons SET id_number = NULL WHERE id = ?", [person_id])


def person_any(store: Store, person_id: int) -> dict | None:
    """A person, merged or not (the registers' shape, plus ``merged_into``)."""
    return store.one(PERSON_ANY_SELECT + " WHERE p.id = ?", [person_id])


def merged_into_it(store: Store, person_id: int) -> list[int]:
    return [
        r[0]
        for r in store.conn.execute("SELECT id FROM persons WHERE merged_into = ?", [person_id])
    ]


def person_with_number(store: Store, number: str) -> int | None:
    """The person on the register (not merged) with this ID number."""
    return store.scalar(
        "SELECT id FROM persons WHERE id_number = ? AND merged_into IS NULL", [number]
    )


def walk_ins(store: Store) -> list[dict]:
    """Every walk-in on the register, oldest first: the persons a desk may have typed twice."""
    return store.query(
        PERSON_ANY_SELECT + " WHERE p.walk_in = 1 AND p.merged_into IS NULL ORDER BY p.id"
    )


def add_distinct(store: Store, a: int, b: int, actor: str) -> bool:
    """Mark persons ``a`` and ``b`` as two; False when they were marked already."""
    low, high = sorted((a, b))
    cursor = store.conn.execute(
        "INSERT OR IGNORE INTO person_distinct (person_id, other_id, marked_by) VALUES (?, ?, ?)",
        [low, high, actor],
    )
    return cursor.rowcount == 1


def distinct_pairs(store: Store) -> set[frozenset[int]]:
    """Every pair marked as two persons."""
    return {
        frozenset((int(a), int(b)))
        for a, b in store.conn.execute("SELECT person_id, other_id FROM person_distinct")
    }
