"""The audit log: who did what (imports, exports, purges, walk-ins) and to how many rows.

One writer for every part of the app. ``detail`` never holds ID or phone
numbers, nor names: callers pass counts, file names, filters and uids.
"""

from __future__ import annotations

import json
from typing import Any

from clinic.store.connection import Store, insert_row

EXPORT_ACTIONS = ("export", "export_unmasked")


def record(
    store: Store, actor: str, action: str, detail: dict[str, Any] | str, rows: int | None = None
) -> None:
    """Add one row, inside the caller's transaction when there is one."""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    with store.transaction() as db:
        insert_row(
            db,
            "audit_log",
            {"actor": actor or "unknown", "action": action, "detail": text, "rows": rows},
        )


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


def _where(
    date_from: str | None, date_to: str | None, actor: str | None, action: str | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of the audit viewer's filters (dates as YYYY-MM-DD, inclusive)."""
    parts: list[str] = []
    args: list[Any] = []
    if date_from:
        parts.append("at >= ?")
        args.append(date_from)
    if date_to:
        parts.append("at < date(?, '+1 day')")
        args.append(date_to)
    if actor:
        parts.append("actor = ? COLLATE NOCASE")
        args.append(actor)
    if action:
        parts.append("action = ?")
        args.append(action)
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


def audit_rows(
    store: Store,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict]:
    """Rows of the audit log matching the filters, newest first, one page."""
    where, args = _where(date_from, date_to, actor, action)
    return store.query(
        f"SELECT id, at, actor, action, detail, rows FROM audit_log{where} "
        "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )


def count_audit_rows(
    store: Store,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    actor: str | None = None,
    action: str | None = None,
) -> int:
    """How many rows of the audit log match the filters."""
    where, args = _where(date_from, date_to, actor, action)
    return store.scalar(f"SELECT count(*) FROM audit_log{where}", args) or 0


def audit_actions(store: Store) -> list[str]:
    """The actions the audit log holds, for the viewer's filter."""
    return [r["action"] for r in store.query("SELECT DISTINCT action FROM audit_log ORDER BY 1")]
