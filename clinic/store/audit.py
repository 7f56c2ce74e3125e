"""The audit log: who did what (imports, exports, purges, walk-ins) and to how many rows.

One writer for every part of the app. ``detail`` never holds ID or phone
numbers, nor names: callers pass counts, file names, filters and uids.
"""

from __future__ import annotations

import json
from typing import Any

from clinic.store.connection import Store


def record(
    store: Store, actor: str, action: str, detail: dict[str, Any] | str, rows: int | None = None
) -> None:
    """Add one row, inside the caller's transaction when there is one."""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    with store.transaction() as db:
        db["audit_log"].insert(
            {"actor": actor or "unknown", "action": action, "detail": text, "rows": rows}
        )
