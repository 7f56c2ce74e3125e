"""Queries over persons, households, villages and their search keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clinic.store.connection import Store

# What a search hit or a person list row carries; one SELECT for every list.
PERSON_COLUMNS = """
    p.id, p.uid, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.relation,
    p.household_id, p.walk_in,
    h.number AS household_number, h.head_name, h.category,
    v.id AS village_id, v.name AS village, t.name AS township
"""

PERSON_FROM = """
    FROM persons p
    LEFT JOIN households h ON h.id = p.household_id
    LEFT JOIN villages v ON v.id = p.village_id
    LEFT JOIN townships t ON t.id = v.township_id
"""


def prefix_upper(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix + "\U0010ffff"


def persons_by_key_prefix(store: Store, keys: Sequence[str], limit: int) -> list[dict]:
    """Persons with a search key starting with any of ``keys`` (indexed range scans)."""
    ids: list[int] = []
    seen: set[int] = set()
    for key in keys:
        rows = store.conn.execute(
            "SELECT DISTINCT person_id FROM person_keys WHERE key >= ? AND key < ? LIMIT ?",
            [key, prefix_upper(key), limit],
        ).fetchall()
        for (pid,) in rows:
            if pid not in seen:
                seen.add(pid)
                ids.append(pid)
        if len(ids) >= limit:
            break
    return persons_by_ids(store, ids[:limit])


def persons_by_name(store: Store, text: str, limit: int) -> list[dict]:
    """Names starting with ``text`` first (index), then names containing it (scan)."""
    found = store.query(
        f"SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE p.name >= ? AND p.name < ? "
        "ORDER BY p.name, p.id LIMIT ?",
        [text, prefix_upper(text), limit],
    )
    if len(found) < limit:
        have = [row["id"] for row in found] or [0]
        marks = ",".join("?" * len(have))
        found += store.query(
            f"SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE p.name LIKE ? ESCAPE '\\' "
            f"AND p.id NOT IN ({marks}) ORDER BY p.name, p.id LIMIT ?",
            ["%" + escape_like(text) + "%", *have, limit - len(found)],
        )
    return found


def persons_by_household_number(store: Store, number: str, limit: int) -> list[dict]:
    return store.query(
        f"SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE h.number >= ? AND h.number < ? "
        "ORDER BY h.number, p.relation != '户主', p.id LIMIT ?",
        [number, prefix_upper(number), limit],
    )


def persons_by_ids(store: Store, ids: Sequence[int]) -> list[dict]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(f"SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE p.id IN ({marks})", list(ids))
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(rows, key=lambda row: order[row["id"]])


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def replace_keys(store: Store, person_id: int, keys: Iterable[str]) -> None:
    store.conn.execute("DELETE FROM person_keys WHERE person_id = ?", [person_id])
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?, ?)",
        [(key, person_id) for key in keys],
    )


def person_tags(store: Store, person_id: int) -> list[str]:
    return [
        r["tag"]
        for r in store.query(
            "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", [person_id]
        )
    ]


def person_conditions(store: Store, person_id: int) -> list[str]:
    return [
        r["condition_code"]
        for r in store.query(
            "SELECT condition_code FROM person_conditions WHERE person_id = ? ORDER BY condition_code",
            [person_id],
        )
    ]


def set_person_tags(store: Store, person_id: int, tags: Iterable[str]) -> None:
    store.conn.execute("DELETE FROM person_tags WHERE person_id = ?", [person_id])
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_tags (person_id, tag) VALUES (?, ?)",
        [(person_id, tag) for tag in tags],
    )


def set_person_conditions(store: Store, person_id: int, codes: Iterable[str]) -> None:
    store.conn.execute("DELETE FROM person_conditions WHERE person_id = ?", [person_id])
    store.conn.executemany(
        "INSERT OR IGNORE INTO person_conditions (person_id, condition_code) VALUES (?, ?)",
        [(person_id, code) for code in codes],
    )


# -- places -----------------------------------------------------------------


def township_id(store: Store, name: str, create: bool = True) -> int | None:
    row = store.one("SELECT id FROM townships WHERE name = ?", [name])
    if row:
        return row["id"]
    if not create:
        return None
    kind = "subdistrict" if name.endswith("街道") else "town"
    return store.db["townships"].insert({"name": name, "kind": kind}).last_pk


def village_id(store: Store, township: str, village: str, create: bool = True) -> int | None:
    tid = township_id(store, township, create)
    if tid is None:
        return None
    row = store.one("SELECT id FROM villages WHERE township_id = ? AND name = ?", [tid, village])
    if row:
        return row["id"]
    if not create:
        return None
    return store.db["villages"].insert({"township_id": tid, "name": village}).last_pk


def find_villages(store: Store, name: str) -> list[dict]:
    """Villages called ``name`` (or "township village" / "township/village")."""
    for sep in ("/", " ", "·"):
        if sep in name:
            town, _, vil = name.partition(sep)
            return store.query(
                "SELECT v.id, v.name, t.name AS township FROM villages v JOIN townships t ON t.id = v.township_id "
                "WHERE v.name = ? AND t.name = ?",
                [vil.strip(), town.strip()],
            )
    return store.query(
        "SELECT v.id, v.name, t.name AS township FROM villages v JOIN townships t ON t.id = v.township_id "
        "WHERE v.name = ?",
        [name],
    )


def village_rows(store: Store, after: tuple[str, str] | None, limit: int) -> list[dict]:
    """Villages with household and person counts, keyset-paged by (township, village)."""
    where, params = "", []
    if after:
        where = "WHERE (t.name, v.name) > (?, ?)"
        params = list(after)
    return store.query(
        f"""
        SELECT v.id, v.name, t.name AS township,
               (SELECT count(*) FROM households h WHERE h.village_id = v.id) AS households,
               (SELECT count(*) FROM persons p WHERE p.village_id = v.id) AS persons
        FROM villages v JOIN townships t ON t.id = v.township_id
        {where}
        ORDER BY t.name, v.name LIMIT ?
        """,
        [*params, limit],
    )


def household_rows(
    store: Store, village: int, after: tuple[str, int] | None, limit: int
) -> list[dict]:
    """Households of a village, keyset-paged by (number, id)."""
    where, params = "", []
    if after:
        where = "AND (COALESCE(h.number, ''), h.id) > (?, ?)"
        params = list(after)
    return store.query(
        f"""
        SELECT h.id, h.number, h.head_name, h.group_no, h.category,
               (SELECT count(*) FROM persons p WHERE p.household_id = h.id) AS persons
        FROM households h WHERE h.village_id = ? {where}
        ORDER BY COALESCE(h.number, ''), h.id LIMIT ?
        """,
        [village, *params, limit],
    )


def household_members(store: Store, household: int) -> list[dict]:
    return store.query(
        f"SELECT {PERSON_COLUMNS} {PERSON_FROM} WHERE p.household_id = ? "
        "ORDER BY p.relation != '户主', p.birth_date, p.id",
        [household],
    )


def person_row(store: Store, person_id: int) -> dict | None:
    return store.one(
        f"SELECT {PERSON_COLUMNS}, p.group_no, p.other_conditions, p.family_doctor {PERSON_FROM} WHERE p.id = ?",
        [person_id],
    )


def latest_consent(store: Store, person_id: int) -> dict | None:
    return store.one(
        "SELECT given_at, signed_by, proxy_name FROM consents WHERE person_id = ? AND withdrawn_at IS NULL "
        "ORDER BY given_at DESC LIMIT 1",
        [person_id],
    )


def visit_history(store: Store, person_id: int, limit: int = 5) -> list[dict]:
    return store.query(
        "SELECT d.date, vi.sbp, vi.dbp, vi.glucose, vi.glucose_fasting, vi.flags, vi.follow_up_due "
        "FROM visits vi JOIN clinic_days d ON d.id = vi.clinic_day_id WHERE vi.person_id = ? "
        "ORDER BY d.date DESC LIMIT ?",
        [person_id, limit],
    )


def condition_names(store: Store) -> list[dict]:
    return store.query("SELECT code, name_zh, name_en FROM conditions ORDER BY sort_order")


def delete_person(store: Store, person_id: int) -> dict[str, int]:
    """Remove a person and everything recorded about them; returns rows removed per table.

    Visits cascade to their handouts and assessed conditions; tags, conditions,
    search keys and consents cascade from the person.
    """
    removed = {
        "visits": store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [person_id]),
        "handouts": store.scalar(
            "SELECT count(*) FROM handouts h JOIN visits v ON v.id = h.visit_id WHERE v.person_id = ?",
            [person_id],
        ),
        "consents": store.scalar("SELECT count(*) FROM consents WHERE person_id = ?", [person_id]),
    }
    store.conn.execute("DELETE FROM persons WHERE id = ?", [person_id])
    return removed


def person_id_by_number(store: Store, number: str) -> int | None:
    return store.scalar(
        "SELECT id FROM persons WHERE id_number = ? OR id_number_old = ?", [number, number]
    )


def set_disability_detail(store: Store, person_id: int, certificate: str) -> None:
    store.conn.execute(
        "UPDATE person_tags SET detail = ? WHERE person_id = ? AND tag = 'disabled'",
        [certificate, person_id],
    )
