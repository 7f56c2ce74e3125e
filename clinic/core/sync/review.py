"""The review list of clashes (``clinic sync conflicts``, ``clinic sync settle``).

A laptop's change that did not fit the district's row was not applied and not
dropped: it waits here with the laptop's values and the district's. The
coordinator keeps the district's side (nothing to write) or the laptop's (its
insert, its changed fields, or its delete is written now), one transaction with
its audit row. Merging field by field and merging duplicate persons are not
here yet (issue 11, point 5).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from clinic.core.errors import InputError, NotFoundError
from clinic.core.sync.derived import rebuild_person_keys
from clinic.i18n import _
from clinic.store import Store
from clinic.store import sync as q
from clinic.store.audit import record as record_audit

SIDES = {"district": "kept_district", "laptop": "kept_laptop"}


def _decoded(row: dict) -> dict[str, Any]:
    item = dict(row)
    for name in ("row_key", "bundle_old", "bundle_new", "current"):
        item[name] = json.loads(row[name]) if row[name] is not None else None
    return item


def conflicts(store: Store) -> list[dict[str, Any]]:
    """The open clashes, oldest first."""
    return [_decoded(row) for row in q.open_conflicts(store)]


def settle(store: Store, conflict_id: int, keep: str, *, actor: str) -> dict[str, Any]:
    """Keep one side of clash ``conflict_id``: 'district' or 'laptop'."""
    if keep not in SIDES:
        raise InputError(_("Keep either district or laptop."))
    row = q.conflict(store, conflict_id)
    if row is None:
        raise NotFoundError(_("There is no conflict number {id}.").format(id=conflict_id))
    item = _decoded(row)
    if item["status"] != "open":
        raise InputError(_("Conflict {id} was settled already.").format(id=conflict_id))
    if keep == "laptop" and item["op"] == "UPDATE" and item["kind"] == "not_found":
        raise InputError(
            _(
                "Conflict {id}: the district no longer has this record, so the laptop's change cannot be kept; keep the district's side."
            ).format(id=conflict_id)
        )
    with store.transaction():
        if keep == "laptop":
            try:
                q.put_laptop_side(
                    store, item["table_name"], item["op"], item["row_key"], item["bundle_new"]
                )
                if item["table_name"] == "persons" and item["op"] != "DELETE":
                    rebuild_person_keys(store, item["row_key"]["id"])
            except sqlite3.IntegrityError as exc:
                raise InputError(
                    _(
                        "Conflict {id}: the laptop's record still clashes with the district's ({reason}); settle the other record first, or keep the district's side."
                    ).format(id=conflict_id, reason=exc)
                ) from exc
        q.set_conflict_status(store, conflict_id, SIDES[keep])
        record_audit(
            store,
            actor,
            "sync_settle",
            {"conflict": conflict_id, "table": item["table_name"], "kept": keep},
        )
    return item
