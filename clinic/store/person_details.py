"""What is recorded about a person beside their row: tags (贫困户, 残疾...),
chronic conditions on record, and consents."""

from __future__ import annotations

import json

from clinic.store.connection import Store, insert_row, new_uid

# -- tags ------------------------------------------------------------------------


def person_tags(store: Store, person_id: int) -> list[str]:
    return [
        r["tag"]
        for r in store.query(
            "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", [person_id]
        )
    ]


def insert_person_tags(store: Store, rows: list[tuple[int, str, str | None]]) -> None:
    """(person id, tag, detail) rows; a tag already there is left alone."""
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_tags (person_id, tag, detail) VALUES (?, ?, ?)", rows
    )


def delete_person_tags(store: Store, person_id: int) -> None:
    store.conn.execute("DELETE FROM person_tags WHERE person_id = ?", [person_id])


def set_disability_detail(store: Store, person_id: int, certificate: str) -> None:
    store.conn.execute(
        "UPDATE person_tags SET detail = ? WHERE person_id = ? AND tag = 'disabled'",
        [certificate, person_id],
    )


# -- conditions on record ----------------------------------------------------------


def person_conditions(store: Store, person_id: int) -> list[str]:
    return [
        r["condition_code"]
        for r in store.query(
            "SELECT condition_code FROM person_conditions WHERE person_id = ? ORDER BY condition_code",
            [person_id],
        )
    ]


def insert_person_conditions(store: Store, rows: list[tuple[int, str]]) -> int:
    """(person id, condition code) rows; those already on record are left
    alone. Returns how many were new."""
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_conditions (person_id, condition_code) VALUES (?, ?)", rows
    )
    return store.conn.total_changes - before


def delete_person_conditions(store: Store, person_id: int) -> None:
    store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [person_id])


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


# -- consents ----------------------------------------------------------------------


def current_consent(store: Store, person_id: int) -> dict | None:
    """The person's newest consent not withdrawn."""
    return store.one(
        """SELECT * FROM consents WHERE person_id = ? AND withdrawn_at IS NULL
           ORDER BY given_at DESC LIMIT 1""",
        [person_id],
    )


def insert_consent(store: Store, row: dict) -> int:
    return insert_row(store.db, "consents", {"uid": new_uid(), **row})


def clear_proxy_name(store: Store, name: str, household_id: int | None) -> int:
    """A household member who signed others' consents as their proxy: keep the relation, drop the name."""
    cursor = store.conn.execute(
        "UPDATE consents SET proxy_name = NULL WHERE proxy_name = ? AND person_id IN "
        "(SELECT id FROM persons WHERE household_id IS ?)",
        [name, household_id],
    )
    return cursor.rowcount
