"""Writes of the register import: households and persons, matched so that a
second import of the same file changes nothing."""

from __future__ import annotations

import json
from typing import Any

from clinic.store.audit import record as record_audit  # noqa: F401 - the one audit writer
from clinic.store.connection import Store, new_uid

HOUSEHOLD_FIELDS = ("head_name", "group_no", "category")
PERSON_FIELDS = (
    "household_id",
    "village_id",
    "name",
    "relation",
    "sex",
    "birth_date",
    "id_number",
    "id_number_old",
    "phone",
    "group_no",
    "other_conditions",
    "family_doctor",
)


def find_household(
    store: Store, village_id: int, number: str | None, head_name: str
) -> dict | None:
    if number:
        return store.one(
            "SELECT * FROM households WHERE village_id = ? AND number = ?", [village_id, number]
        )
    return store.one(
        "SELECT * FROM households WHERE village_id = ? AND number IS NULL AND head_name = ?",
        [village_id, head_name],
    )


def save_household(
    store: Store, village_id: int, number: str | None, values: dict[str, Any]
) -> tuple[int, str]:
    """Insert or update a household; returns (id, 'created' | 'updated' | 'unchanged')."""
    existing = find_household(store, village_id, number, values["head_name"])
    if existing is None:
        row = {"uid": new_uid(), "village_id": village_id, "number": number, **values}
        return store.db["households"].insert(row).last_pk, "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return existing["id"], "unchanged"
    store.db["households"].update(existing["id"], changes)
    return existing["id"], "updated"


def find_person(
    store: Store, id_number: str | None, household_id: int | None, name: str, birth_date: str | None
) -> dict | None:
    """Match on ID number, else household + name + birth date."""
    if id_number:
        row = store.one("SELECT * FROM persons WHERE id_number = ?", [id_number])
        if row:
            return row
    if household_id is None:
        return None
    return store.one(
        "SELECT * FROM persons WHERE household_id = ? AND name = ? AND birth_date IS ? "
        "AND (id_number IS NULL OR ? IS NULL)",
        [household_id, name, birth_date, id_number],
    )


def save_person(store: Store, existing: dict | None, values: dict[str, Any]) -> tuple[int, str]:
    if existing is None:
        row = {"uid": new_uid(), **values}
        return store.db["persons"].insert(row).last_pk, "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return existing["id"], "unchanged"
    store.db["persons"].update(
        existing["id"],
        {**changes, "updated_at": store.scalar("SELECT datetime('now','localtime')")},
    )
    return existing["id"], "updated"


def condition_lookup(store: Store) -> dict[str, str]:
    """Every spelling of a catalogued condition (name, aliases, code) → its code."""
    table: dict[str, str] = {}
    for row in store.query("SELECT code, name_zh, name_en, aliases FROM conditions"):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word.strip():
                table[word.strip().lower()] = row["code"]
    return table


def tags_and_conditions(store: Store, person_id: int) -> tuple[set[str], set[str]]:
    tags = {
        r[0]
        for r in store.conn.execute("SELECT tag FROM person_tags WHERE person_id = ?", [person_id])
    }
    conds = {
        r[0]
        for r in store.conn.execute(
            "SELECT condition_code FROM person_conditions WHERE person_id = ?", [person_id]
        )
    }
    return tags, conds


# -- bulk reads and writes of the register import ------------------------------
# The import works a batch of households at a time: one query fetches what
# the batch may match, and new rows go in with executemany (ids assigned by
# the caller inside its write transaction).

PERSON_COLUMNS = ("id", *PERSON_FIELDS)


def households_by_number(store: Store, keys: list[tuple[int, str]]) -> list[dict]:
    """Households of (village id, household number) pairs."""
    return store.query(
        "SELECT h.id, h.village_id, h.number, h.head_name, h.group_no, h.category "
        "FROM json_each(?) j CROSS JOIN households h "
        "ON h.village_id = json_extract(j.value, '$[0]') AND h.number = json_extract(j.value, '$[1]')",
        [json.dumps(keys, ensure_ascii=False)],
    )


def households_by_head(store: Store, keys: list[tuple[int, str]]) -> list[dict]:
    """Households without a number, of (village id, head name) pairs, oldest first."""
    return store.query(
        "SELECT h.id, h.village_id, h.number, h.head_name, h.group_no, h.category "
        "FROM json_each(?) j CROSS JOIN households h "
        "ON h.village_id = json_extract(j.value, '$[0]') "
        "AND h.head_name = json_extract(j.value, '$[1]') AND +h.number IS NULL ORDER BY h.id",
        [json.dumps(keys, ensure_ascii=False)],
    )


def persons_matching(store: Store, id_numbers: list[str], household_ids: list[int]) -> list[dict]:
    """Persons with one of ``id_numbers`` or in one of ``household_ids``, by
    id, as tuples of PERSON_COLUMNS."""
    cols = ", ".join(PERSON_COLUMNS)
    return store.conn.execute(
        f"SELECT {cols} FROM persons WHERE id_number IN (SELECT value FROM json_each(?)) "
        f"UNION SELECT {cols} FROM persons WHERE household_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY id",
        [json.dumps(id_numbers), json.dumps(household_ids)],
    ).fetchall()


def tags_and_conditions_of(
    store: Store, person_ids: list[int]
) -> tuple[dict[int, dict[str, str | None]], dict[int, set[str]]]:
    """Tags (with their detail) and condition codes of each of ``person_ids``."""
    ids = json.dumps(person_ids)
    tags: dict[int, dict[str, str | None]] = {}
    for pid, tag, detail in store.conn.execute(
        "SELECT person_id, tag, detail FROM person_tags "
        "WHERE person_id IN (SELECT value FROM json_each(?))",
        [ids],
    ):
        tags.setdefault(pid, {})[tag] = detail
    conds: dict[int, set[str]] = {}
    for pid, code in store.conn.execute(
        "SELECT person_id, condition_code FROM person_conditions "
        "WHERE person_id IN (SELECT value FROM json_each(?))",
        [ids],
    ):
        conds.setdefault(pid, set()).add(code)
    return tags, conds


def insert_households(store: Store, rows: list[tuple]) -> None:
    """Rows of (id, village_id, number, head_name, group_no, category); uids made here."""
    store.conn.executemany(
        "INSERT INTO households (id, uid, village_id, number, head_name, group_no, category) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(row[0], new_uid(), *row[1:]) for row in rows],
    )


def update_household(store: Store, household_id: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.conn.execute(
        f"UPDATE households SET {sets} WHERE id = ?", [*changes.values(), household_id]
    )


def insert_persons(store: Store, rows: list[tuple]) -> None:
    """Tuples of the values of PERSON_COLUMNS; uids made here."""
    cols = ", ".join(("uid", *PERSON_COLUMNS))
    marks = ", ".join("?" * (len(PERSON_COLUMNS) + 1))
    store.conn.executemany(
        f"INSERT INTO persons ({cols}) VALUES ({marks})", [(new_uid(), *row) for row in rows]
    )


def update_person(store: Store, person_id: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.conn.execute(
        f"UPDATE persons SET {sets}, updated_at = datetime('now', 'localtime') WHERE id = ?",
        [*changes.values(), person_id],
    )


def insert_person_tags(store: Store, rows: list[tuple[int, str, str | None]]) -> None:
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_tags (person_id, tag, detail) VALUES (?, ?, ?)", rows
    )


def insert_person_conditions(store: Store, rows: list[tuple[int, str]]) -> None:
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_conditions (person_id, condition_code) VALUES (?, ?)", rows
    )


def insert_person_keys(store: Store, rows: list[tuple[str, int]]) -> None:
    store.conn.executemany("INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?, ?)", rows)


def delete_tags_and_conditions(store: Store, person_id: int) -> None:
    store.conn.execute("DELETE FROM person_tags WHERE person_id = ?", [person_id])
    store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [person_id])
