"""What each database derives for itself instead of receiving it in a bundle.

Persons' search keys (``person_keys``: pinyin, reversed ID number and phone)
follow from each person's name and numbers. Shipping them would make every
export compare the whole index (about 3.7 rows a person) and every bundle
carry a walk-in's keys; instead the side that applies a changeset rebuilds the
keys of the persons it inserted or changed, in the same transaction.
"""

from __future__ import annotations

import apsw

from clinic.core.search import search_keys
from clinic.store import Store
from clinic.store import sync as q
from clinic.store.person_keys import replace_keys
from clinic.store.persons import person


def rebuild_search_keys(conn: apsw.Connection, changeset: bytes) -> int:
    """Rebuild the search keys of every person ``changeset`` inserts or updates and this
    database now has (held or refused rows are not here); the number rebuilt."""
    rows = q.person_numbers(conn, q.persons_changed(changeset))
    q.replace_person_keys(
        conn, {pid: search_keys(name, id_number, phone) for pid, name, id_number, phone in rows}
    )
    return len(rows)


def rebuild_person_keys(store: Store, person_id: int) -> None:
    """One person's search keys, rebuilt after the review list put a laptop's row in
    (in the caller's transaction; nothing to do if the person is not here)."""
    row = person(store, person_id)
    if row is not None:
        replace_keys(store, person_id, search_keys(row["name"], row["id_number"], row["phone"]))
