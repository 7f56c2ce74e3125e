"""Who last changed each field of a record, and when (migration 0042).

Read when two desks changed one field, so the second is told who did it
(clinic.core.edits). Written in the transaction of the save itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic.store.connection import Store


def mark_changed(
    store: Store, kind: str, record_id: int, fields: Iterable[str], actor: str, at: str
) -> None:
    """Mark ``fields`` of one record as changed by ``actor`` at ``at``."""
    store.conn.executemany(
        "INSERT INTO field_changes (kind, record_id, field, actor, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (kind, record_id, field) DO UPDATE SET actor = excluded.actor, at = excluded.at",
        [(kind, record_id, name, actor or "unknown", at) for name in fields],
    )


def last_changes(store: Store, kind: str, record_id: int) -> dict[str, dict]:
    """Field → {"actor", "at"} of its last change, for the fields ever changed by a form."""
    rows = store.query(
        "SELECT field, actor, at FROM field_changes WHERE kind = ? AND record_id = ?",
        [kind, record_id],
    )
    return {r["field"]: {"actor": r["actor"], "at": r["at"]} for r in rows}


def forget_person(store: Store, person_id: int) -> None:
    """A purged person leaves no row here: neither theirs nor their visits'."""
    store.conn.execute(
        "DELETE FROM field_changes WHERE (kind = 'person' AND record_id = ?) "
        "OR (kind = 'visit' AND record_id IN (SELECT id FROM visits WHERE person_id = ?))",
        [person_id, person_id],
    )
