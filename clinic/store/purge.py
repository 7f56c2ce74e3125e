"""Queries for erasing a person completely (clinic.core.purge).

``secure_delete`` makes SQLite overwrite deleted content with zeros instead of
leaving it in free space; a TRUNCATE checkpoint then copies the zeroed pages
into the database file and empties the -wal file, which held the old pages.
"""

from __future__ import annotations

from clinic.store.connection import Store

EXPORT_ACTIONS = ("export", "export_unmasked")


def set_secure_delete(store: Store, mode: str) -> None:
    """``ON`` (every freed byte and page zeroed) or ``FAST`` (the app's default)."""
    assert mode in ("ON", "FAST", "OFF")
    store.conn.execute(f"PRAGMA secure_delete = {mode}")


def visit_ids(store: Store, person_id: int) -> list[int]:
    return [r["id"] for r in store.query("SELECT id FROM visits WHERE person_id = ?", [person_id])]


def other_members(store: Store, household_id: int, person_id: int) -> list[dict]:
    """The household's other members, eldest first (no birth date last)."""
    return store.query(
        "SELECT id, name, relation, birth_date FROM persons WHERE household_id = ? AND id != ? "
        "ORDER BY birth_date IS NULL, birth_date, id",
        [household_id, person_id],
    )


def set_head_name(store: Store, household_id: int, name: str) -> None:
    store.conn.execute("UPDATE households SET head_name = ? WHERE id = ?", [name, household_id])


def household_head(store: Store, household_id: int) -> str | None:
    return store.scalar("SELECT head_name FROM households WHERE id = ?", [household_id])


def clear_proxy_name(store: Store, name: str, household_id: int | None) -> int:
    """A household member who signed others' consents as their proxy: keep the relation, drop the name."""
    cursor = store.conn.execute(
        "UPDATE consents SET proxy_name = NULL WHERE proxy_name = ? AND person_id IN "
        "(SELECT id FROM persons WHERE household_id IS ?)",
        [name, household_id],
    )
    return cursor.rowcount


def replace_in_audit(store: Store, text: str, replacement: str) -> int:
    """Replace ``text`` wherever an audit detail holds it; returns rows changed."""
    cursor = store.conn.execute(
        "UPDATE audit_log SET detail = replace(detail, ?, ?) WHERE instr(detail, ?) > 0",
        [text, replacement, text],
    )
    return cursor.rowcount


def exports_since(store: Store, since: str) -> list[dict]:
    """Export rows of the audit log from ``since`` (a local date-time) on, oldest first."""
    marks = ", ".join("?" for _ in EXPORT_ACTIONS)
    return store.query(
        f"SELECT at, action, detail FROM audit_log WHERE action IN ({marks}) AND at >= ? "
        "ORDER BY at, id",
        [*EXPORT_ACTIONS, since],
    )


def person_created_at(store: Store, person_id: int) -> str | None:
    return store.scalar("SELECT created_at FROM persons WHERE id = ?", [person_id])


def checkpoint_truncate(store: Store) -> bool:
    """Copy every page into the database file and empty the -wal; False while a reader holds old pages."""
    busy, _log, _done = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def replica_folders(store: Store) -> list[str]:
    """Folders ``clinic replicate`` has copied this database into (from the audit log)."""
    return [
        r["folder"]
        for r in store.query(
            "SELECT DISTINCT json_extract(detail, '$.folder') AS folder FROM audit_log "
            "WHERE action = 'replicate' AND json_valid(detail) ORDER BY folder"
        )
        if r["folder"]
    ]
