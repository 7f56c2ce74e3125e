"""Townships and villages: finding them by name, making them on import, and
the lists that choose one."""

from __future__ import annotations

import hashlib

from clinic.store.connection import Store, insert_row

# A village with its township, as every picker and lookup shows it.
_VILLAGE_SELECT = (
    "SELECT v.id, v.name, t.name AS township FROM villages v "
    "JOIN townships t ON t.id = v.township_id "
)


def township_id(store: Store, name: str) -> int:
    """The township's id, made when missing (an import names new places)."""
    row = store.one("SELECT id FROM townships WHERE name = ?", [name])
    if row:
        return row["id"]
    return insert_row(store.db, "townships", {"name": name, "kind": _township_kind(name)})


def _township_kind(name: str) -> str:
    return "subdistrict" if name.endswith("街道") else "town"


def village_id(store: Store, township: str, village: str) -> int:
    """The village's id, made (with its township) when missing."""
    tid = township_id(store, township)
    row = store.one("SELECT id FROM villages WHERE township_id = ? AND name = ?", [tid, village])
    if row:
        return row["id"]
    return insert_row(store.db, "villages", {"township_id": tid, "name": village})


def place_ids(store: Store) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Every township's id by name and every village's by (township, village): what an
    import whose writes another process makes looks places up in (clinic.core.imports)."""
    townships = {r[1]: r[0] for r in store.conn.execute("SELECT id, name FROM townships")}
    villages = {
        (r[0], r[1]): r[2]
        for r in store.conn.execute(
            "SELECT t.name, v.name, v.id FROM villages v JOIN townships t ON t.id = v.township_id"
        )
    }
    return townships, villages


def places_digest(store: Store) -> str:
    """A digest of every township and village (ids, names): whether they changed since it
    was taken, whatever changed them (an import, a merge of laptops, a rename)."""
    digest = hashlib.sha256()
    for sql in (
        "SELECT id, name, kind FROM townships ORDER BY id",
        "SELECT id, township_id, name FROM villages ORDER BY id",
    ):
        for row in store.conn.execute(sql):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def add_township(store: Store, township_id: int, name: str) -> None:
    """A township with the id it was given (see :func:`place_ids`)."""
    store.conn.execute(
        "INSERT INTO townships (id, name, kind) VALUES (?, ?, ?)",
        [township_id, name, _township_kind(name)],
    )


def add_village(store: Store, village_id: int, township_id: int, name: str) -> None:
    """A village with the id it was given (see :func:`place_ids`)."""
    store.conn.execute(
        "INSERT INTO villages (id, township_id, name) VALUES (?, ?, ?)",
        [village_id, township_id, name],
    )


def villages(store: Store) -> list[dict]:
    """Every village with its township, by township then village."""
    return store.query(_VILLAGE_SELECT + "ORDER BY t.name, v.name")


def villages_named(store: Store, name: str) -> list[dict]:
    """The villages a user means by ``name``: a village ("龙山村"), a township
    and village ("中峰镇 龙山村", "中峰镇/龙山村") or a whole township."""
    name = name.strip()
    for sep in ("/", " ", "·"):
        if sep in name:
            town, _, village = name.partition(sep)
            return store.query(
                _VILLAGE_SELECT + "WHERE v.name = ? AND t.name = ?",
                [village.strip(), town.strip()],
            )
    found = store.query(_VILLAGE_SELECT + "WHERE v.name = ?", [name])
    if found:
        return found
    return store.query(_VILLAGE_SELECT + "WHERE t.name = ?", [name])


def village_choices(store: Store) -> list[dict]:
    """Villages where a clinic day was planned or held (the report's filter)."""
    return store.query(
        _VILLAGE_SELECT + "WHERE EXISTS (SELECT 1 FROM clinic_days d WHERE d.village_id = v.id) "
        "ORDER BY t.name, v.name"
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
               (SELECT count(*) FROM persons p WHERE p.village_id = v.id AND p.merged_into IS NULL) AS persons
        FROM villages v JOIN townships t ON t.id = v.township_id
        {where}
        ORDER BY t.name, v.name LIMIT ?
        """,
        [*params, limit],
    )


def village_overview(store: Store, today: str) -> list[dict]:
    """Per village: households, persons, the last clinic day (today's or earlier: a day that has
    happened or is happening) and the next one (after today). Served households and follow-ups
    are figures (clinic.core.figures)."""
    return store.query(
        """SELECT v.id, v.name, t.name AS township,
              (SELECT COUNT(*) FROM households h WHERE h.village_id = v.id) AS households,
              (SELECT COUNT(*) FROM persons p WHERE p.village_id = v.id AND p.merged_into IS NULL) AS persons,
              (SELECT MAX(d.date) FROM clinic_days d WHERE d.village_id = v.id AND d.status != 'cancelled'
                 AND (d.date <= ? OR EXISTS (SELECT 1 FROM visits x WHERE x.clinic_day_id = d.id))) AS last_day,
              (SELECT MIN(d.date) FROM clinic_days d WHERE d.village_id = v.id AND d.date > ?
                 AND d.status != 'cancelled'
                 AND NOT EXISTS (SELECT 1 FROM visits x WHERE x.clinic_day_id = d.id)) AS next_day
           FROM villages v JOIN townships t ON t.id = v.township_id
           ORDER BY t.name, v.name""",
        [today, today],
    )
