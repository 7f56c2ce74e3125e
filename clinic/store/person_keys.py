"""Search keys of persons (``person_keys``): pinyin ``y:``, reversed ID number
``i:`` and reversed phone ``p:`` prefixes, made by :mod:`clinic.core.search`.

The table is in (person_id, key) order, so that an import appends the keys of new
persons; a lookup by key prefix reads the index ``person_keys_key``, which holds
(key, person_id): persons in the order of their keys, then of id (migration 0012)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clinic.store.connection import Store
from clinic.store.persons import persons_by_ids, prefix_upper

_KEY_RANGE = "SELECT DISTINCT person_id FROM person_keys WHERE key >= ? AND key < ? LIMIT ?"
_HOUSEHOLD_NUMBER = (
    "SELECT p.id FROM households h JOIN persons p ON p.household_id = h.id "
    "WHERE h.number = ? LIMIT ?"
)
_NAME_PREFIX = "SELECT id FROM persons WHERE name >= ? AND name < ? LIMIT ?"


def _key_ids(store: Store, key: str, limit: int) -> list[int]:
    """Ids of persons with a search key starting with ``key`` (an indexed range scan)."""
    return [r[0] for r in store.conn.execute(_KEY_RANGE, [key, prefix_upper(key), limit])]


def persons_by_key_prefix(store: Store, keys: Sequence[str], limit: int) -> list[dict]:
    """Persons with a search key starting with any of ``keys`` (indexed range scans)."""
    ids: list[int] = []
    seen: set[int] = set()
    for key in keys:
        for pid in _key_ids(store, key, limit):
            if pid not in seen:
                seen.add(pid)
                ids.append(pid)
        if len(ids) >= limit:
            break
    return persons_by_ids(store, ids[:limit])


def names_by_key_prefix(store: Store, key: str, limit: int) -> list[dict]:
    """Id and name of the first ``limit`` persons with a search key starting with ``key``,
    in key order: enough to rank them before their whole rows are read."""
    ids = _key_ids(store, key, limit)
    if not ids:
        return []
    names = dict(
        store.conn.execute(
            f"SELECT id, name FROM persons WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
    )
    return [{"id": pid, "name": names[pid]} for pid in ids if pid in names]


def simple_find_ids(store: Store, query: str, limit: int) -> list[int]:
    """A plain indexed lookup, the check-in benchmark's baseline (bench/bench_checkin.py):
    name prefix, household number, and the person_keys prefixes (pinyin 'y:',
    reversed ID 'i:', reversed phone 'p:')."""
    q = query.strip()
    if not q:
        return []
    found: list[int] = []
    conn = store.conn
    if q.isdigit():
        rev = q[::-1]
        for prefix in ("i:", "p:"):
            found += _key_ids(store, prefix + rev, limit)
        found += [r[0] for r in conn.execute(_HOUSEHOLD_NUMBER, [q, limit])]
    elif q.isascii():
        found += _key_ids(store, "y:" + q.lower().replace(" ", ""), limit)
        found += [r[0] for r in conn.execute(_HOUSEHOLD_NUMBER, [q, limit])]
    else:
        found += [r[0] for r in conn.execute(_NAME_PREFIX, [q, prefix_upper(q), limit])]
    return list(dict.fromkeys(found))[:limit]


INSERT_KEY = "INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?, ?)"
DELETE_KEYS = "DELETE FROM person_keys WHERE person_id = ?"


def insert_person_keys(store: Store, rows: Iterable[tuple[str, int]]) -> None:
    """(key, person id) pairs; a pair already there is left alone."""
    store.conn.executemany(INSERT_KEY, list(rows))


def replace_keys(store: Store, person_id: int, keys: Iterable[str]) -> None:
    store.conn.execute(DELETE_KEYS, [person_id])
    insert_person_keys(store, [(key, person_id) for key in keys])
