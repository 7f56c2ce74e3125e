"""What each database derives for itself instead of receiving it in a bundle.

Persons' search keys (``person_keys``: pinyin, reversed ID number and phone)
follow from each person's name and numbers. Shipping them would make every
export compare the whole index (about 3.7 rows a person) and every bundle
carry a walk-in's keys; instead the side that applies a changeset rebuilds the
keys of the persons it inserted or changed, in the same transaction.
"""

from __future__ import annotations

from typing import Any

import apsw

from clinic.core.search import search_keys
from clinic.store import Store
from clinic.store import sync as q


def rebuild_search_keys(conn: apsw.Connection, changeset: bytes) -> int:
    """Rebuild the search keys of every person ``changeset`` inserts or updates and this
    database now has (held or refused rows are not here); the number of persons kept
    whose keys were rebuilt."""
    keys = family_keys(q.person_families(conn, q.persons_changed(changeset)))
    q.replace_person_keys(conn, keys)
    return sum(1 for found in keys.values() if found)


def rebuild_person_keys(store: Store, person_id: int) -> None:
    """One person's search keys, rebuilt after the review list put a laptop's row in
    (in the caller's transaction; nothing to do if the person is not here)."""
    q.replace_person_keys(store.conn, family_keys(q.person_families(store.conn, [person_id])))


def family_keys(rows: list[tuple[int, int, str, Any, Any]]) -> dict[int, set[str]]:
    """Each kept person's keys: their own and those of every person merged into them, as
    a merge leaves them (clinic.core.merges: a duplicate's name, phone or ID number
    finds the person kept); a merged person keeps none of their own."""
    keys: dict[int, set[str]] = {}
    for person_id, kept_id, name, id_number, phone in rows:
        keys.setdefault(kept_id, set()).update(search_keys(name, id_number, phone))
        if person_id != kept_id:
            keys.setdefault(person_id, set())
    return keys
