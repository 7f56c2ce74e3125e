"""The review list of clashes (``clinic sync conflicts``, ``clinic sync settle``).

A laptop's change that did not fit the district's row was not applied and not
dropped: it waits here with the laptop's values and the district's. The
coordinator keeps the district's side (nothing to write), the laptop's (its
insert, its changed fields, or its delete is written now), or merges them:
field by field for a record both sides changed (each field the district's, the
laptop's, or for free text a value typed now), or, for a laptop's person whose
ID number the district already has, the laptop's person and everything that
waited with it merged into the district's person (:mod:`clinic.core.merges`,
undone like any merge). Each is one transaction with its audit row.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from clinic.core import merges
from clinic.core.edits import shown_or_empty
from clinic.core.errors import InputError, NotFoundError
from clinic.core.field_values import value_texts
from clinic.core.sync.derived import rebuild_person_keys
from clinic.i18n import _
from clinic.store import Store
from clinic.store import sync as q
from clinic.store.audit import record as record_audit

SIDES = {"district": "kept_district", "laptop": "kept_laptop", "merged": "merged"}
FIELD_SIDES = ("district", "laptop")
# Free text a coordinator may type over both sides; every other column is chosen from
# one side (numbers, dates, codes and keys have their own rules at the desk).
NOT_TYPED = frozenset(
    {"uid", "id_number", "id_number_old", "phone", "sex", "flags", "ticked", "status", "state"}
    | {"category", "signed_by", "source", "role", "weekdays", "queue", "kind"}
)


@dataclass(frozen=True)
class Typed:
    """A value typed by the coordinator for one field of a merge."""

    value: str


Choice = str | Typed


def _decoded(row: dict) -> dict[str, Any]:
    item = dict(row)
    for name in ("row_key", "bundle_old", "bundle_new", "current"):
        item[name] = json.loads(row[name]) if row[name] is not None else None
    return item


MASKED = {"id_number", "id_number_old", "phone"}
# Columns that hold a number only in one table: a disability certificate's number is a
# person tag's detail (the register import masks it the same way).
MASKED_IN = {"person_tags": {"detail"}}


def masked_values(values: dict[str, Any] | None, table: str = "") -> dict[str, Any] | None:
    """A clash's values of ``table`` as shown: ID, certificate and phone numbers masked."""
    from clinic.core.privacy import mask_id, mask_phone

    if values is None:
        return None
    mask = {"phone": mask_phone}
    hidden = MASKED | MASKED_IN.get(table, set())
    return {
        k: (mask.get(k, mask_id)(str(v)) if k in hidden and v else v) for k, v in values.items()
    }


def masked_conflict(item: dict[str, Any]) -> dict[str, Any]:
    """A clash as the list and the screen show it (numbers masked)."""
    names = ("row_key", "bundle_old", "bundle_new", "current")
    return {**item, **{name: masked_values(item[name], item["table_name"]) for name in names}}


def conflicts(store: Store) -> list[dict[str, Any]]:
    """The open clashes, oldest first."""
    return [_decoded(row) for row in q.open_conflicts(store)]


def open_conflict(store: Store, conflict_id: int) -> dict[str, Any]:
    """Clash ``conflict_id``, still open (else a sentence saying why not)."""
    row = q.conflict(store, conflict_id)
    if row is None:
        raise NotFoundError(_("There is no conflict number {id}.").format(id=conflict_id))
    item = _decoded(row)
    if item["status"] != "open":
        raise InputError(_("Conflict {id} was settled already.").format(id=conflict_id))
    return item


def settle(
    store: Store,
    conflict_id: int,
    keep: str,
    *,
    actor: str,
    fields: dict[str, Choice] | None = None,
) -> dict[str, Any]:
    """Settle clash ``conflict_id``: keep 'district', 'laptop', or 'merged' (``fields``:
    each field's choice, for a record both sides changed)."""
    if keep not in SIDES:
        raise InputError(_("Keep district, laptop or merged."))
    if fields and keep != "merged":
        raise InputError(_("Fields are chosen only when merging (keep merged)."))
    item = open_conflict(store, conflict_id)
    if keep == "merged":
        return _settle_merged(store, item, fields or {}, actor)
    if keep == "laptop" and item["table_name"] == "persons" and item["op"] == "DELETE":
        return _erase_person(store, item, actor)
    if keep == "laptop" and item["op"] == "UPDATE" and item["kind"] == "not_found":
        raise InputError(
            _(
                "Conflict {id}: the district no longer has this record, so the laptop's change cannot be kept; keep the district's side."
            ).format(id=conflict_id)
        )
    with store.transaction():
        if keep == "laptop":
            _write(store, item, item["op"], item["bundle_new"])
        else:
            _send_back(store, item)
        q.set_conflict_status(store, conflict_id, SIDES[keep])
        record_audit(
            store,
            actor,
            "sync_settle",
            {"conflict": conflict_id, "table": item["table_name"], "kept": keep},
        )
    return item


def _send_back(store: Store, item: dict[str, Any]) -> None:
    """A change of the laptop's that the district did not keep whole (its side kept, or
    merged field by field): the laptop still has its own values, and the district's
    record of what the laptop received may already hold the district's, so an update
    would not carry them. The record goes with the laptop's next update whole, where
    each field the laptop left as it sent it takes the district's value."""
    if item["op"] == "UPDATE" and item["kind"] == "data" and item["device_number"] is not None:
        q.resend_later(store, int(item["device_number"]), item["table_name"], item["row_key"])


def _write(store: Store, item: dict[str, Any], op: str, values: dict | None) -> None:
    """The laptop's (or the merged) side written; a clash that remains is a sentence."""
    try:
        q.put_laptop_side(store, item["table_name"], op, item["row_key"], values)
    except sqlite3.IntegrityError as exc:
        raise InputError(
            _(
                "Conflict {id}: the laptop's record still clashes with the district's ({reason}); settle the other record first, or keep the district's side."
            ).format(id=item["id"], reason=exc)
        ) from exc
    if item["table_name"] == "persons" and op != "DELETE":
        rebuild_person_keys(store, int(item["row_key"]["id"]))  # keys do not travel


def _erase_person(store: Store, item: dict[str, Any], actor: str) -> dict[str, Any]:
    """The laptop erased this person (PIPL) and the district changed them since: keeping
    the laptop's side erases them here too, as ``clinic purge`` does (their clashes too)."""
    from clinic.core.purge import purge_person

    purge_person(store, int(item["row_key"]["id"]), actor)
    with store.transaction():
        record_audit(
            store,
            actor,
            "sync_settle",
            {"conflict": item["id"], "table": item["table_name"], "kept": "laptop"},
        )
    return item


# -- merging both sides -------------------------------------------------------------------


def merge_kind(item: dict[str, Any]) -> str | None:
    """How clash ``item`` can be merged: 'person' (a laptop's person whose ID number the
    district has), 'fields' (a record both changed), or None (keep one side)."""
    if item["table_name"] == "persons" and item["op"] == "INSERT" and item["kind"] != "held":
        return "person" if (item["bundle_new"] or {}).get("id_number") else None
    if item["op"] == "UPDATE" and item["kind"] in ("data", "conflict") and item["current"]:
        return "fields"
    return None


def typed_allowed(store: Store, table: str, column: str) -> bool:
    """Whether a value may be typed for ``column``: free text, not a key, code or number."""
    if column in NOT_TYPED or column.endswith(("_at", "_date", "_due", "_time")):
        return False
    return column in q.free_text_columns(store, table)


def merge_fields(store: Store, item: dict[str, Any]) -> list[dict[str, Any]]:
    """Each field the laptop changed: both values, and both as a user reads them
    (``district_text``, ``laptop_text``: numbers masked, a village or a status in
    words), whether the district changed it too (``clash``: a choice is needed), and
    whether a value may be typed for it."""
    old, new, current = item["bundle_old"] or {}, item["bundle_new"] or {}, item["current"] or {}
    table = item["table_name"]
    fields = []
    for name, value in new.items():
        if name in item["row_key"]:
            continue
        words = value_texts(store, table, name)
        district = (masked_values({name: current.get(name)}, table) or {})[name]
        laptop = (masked_values({name: value}, table) or {})[name]
        fields.append(
            {
                "field": name,
                "district": current.get(name),
                "laptop": value,
                "district_text": shown_or_empty(words, district),
                "laptop_text": shown_or_empty(words, laptop),
                "clash": current.get(name) not in (old.get(name), value),
                "typed": typed_allowed(store, table, name),
                "table": table,
            }
        )
    return fields


def _settle_merged(
    store: Store, item: dict[str, Any], fields: dict[str, Choice], actor: str
) -> dict[str, Any]:
    kind = merge_kind(item)
    if kind == "person":
        if fields:
            raise InputError(
                _(
                    "Conflict {id} is a person registered twice: it is merged whole, without fields."
                ).format(id=item["id"])
            )
        return _merge_person(store, item, actor)
    if kind is None:
        raise InputError(no_merge_sentence(item))
    values = _chosen(store, item, fields)
    with store.transaction():
        if q.current_row(store, item["table_name"], item["row_key"]) is None:
            raise InputError(
                _(
                    "Conflict {id}: the district no longer has this record, so nothing can be merged into it; keep the district's side."
                ).format(id=item["id"])
            )
        if values:
            _write(store, item, "UPDATE", values)
        _send_back(store, item)
        q.set_conflict_status(store, item["id"], SIDES["merged"])
        picked = {
            name: ("typed" if isinstance(c, Typed) else c)
            for name, c in _with_defaults(store, item, fields).items()
        }
        record_audit(
            store,
            actor,
            "sync_settle",
            {
                "conflict": item["id"],
                "table": item["table_name"],
                "kept": "merged",
                "fields": picked,
            },
        )
    return item


def no_merge_sentence(item: dict[str, Any]) -> str:
    if item["op"] == "DELETE":
        return _(
            "Conflict {id}: the laptop deleted this record and the district changed it; there are no fields to merge: keep the district's record or the laptop's delete."
        ).format(id=item["id"])
    if item["kind"] == "not_found":
        return _(
            "Conflict {id}: the district no longer has this record, so nothing can be merged into it; keep the district's side."
        ).format(id=item["id"])
    return _("Conflict {id} cannot be merged: keep the district's side or the laptop's.").format(
        id=item["id"]
    )


def _with_defaults(
    store: Store, item: dict[str, Any], fields: dict[str, Choice]
) -> dict[str, Choice]:
    """Every changed field's choice: as given; a field only the laptop changed, the laptop's."""
    return {
        f["field"]: fields.get(f["field"], "laptop")
        for f in merge_fields(store, item)
        if f["field"] in fields or not f["clash"]
    }


def _chosen(store: Store, item: dict[str, Any], fields: dict[str, Choice]) -> dict[str, Any]:
    """The values to write: the laptop's and typed ones (the district's are there already).
    Every field both sides changed must be chosen; unknown fields and bad choices are named."""
    known = {f["field"]: f for f in merge_fields(store, item)}
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise InputError(
            _("Conflict {id} has no field {field}; its fields: {fields}.").format(
                id=item["id"], field=", ".join(unknown), fields=", ".join(known)
            )
        )
    missing = [name for name, f in known.items() if f["clash"] and name not in fields]
    if missing:
        raise InputError(
            _(
                "Conflict {id}: choose district or laptop for {fields} (both sides changed them)."
            ).format(id=item["id"], fields=", ".join(missing))
        )
    values: dict[str, Any] = {}
    for name, choice in _with_defaults(store, item, fields).items():
        if isinstance(choice, Typed):
            if not known[name]["typed"]:
                raise InputError(
                    _(
                        "A value can be typed only for a free-text field; for {field} choose district or laptop."
                    ).format(field=name)
                )
            values[name] = choice.value.strip()
        elif choice == "laptop":
            values[name] = known[name]["laptop"]
        elif choice != "district":
            raise InputError(
                _("Choose district or laptop for {field}, not {choice}.").format(
                    field=name, choice=choice
                )
            )
    return values


def _merge_person(store: Store, item: dict[str, Any], actor: str) -> dict[str, Any]:
    """The laptop's person, and every row of the bundle that waited for them (consent,
    search keys, visits and their health prescriptions), written and merged into the
    district's person with the same ID number: nothing of the laptop's work is lost."""
    new = dict(item["bundle_new"])
    kept = merges.person_with_number(store, new["id_number"])
    if kept is None:
        raise InputError(
            _(
                "Conflict {id}: no person on the district's register has this ID number now; keep the laptop's side."
            ).format(id=item["id"])
        )
    with store.transaction():
        # The ID number is the district person's: the merged person keeps none (a number
        # is one person's on the register), and the merge records that it was cleared.
        _write(store, item, "INSERT", {**new, "id_number": None})
        settled = _put_waiting_rows(store, item)
        done = merges.merge(
            store,
            kept,
            int(new["id"]),
            actor=actor,
            reason="sync",
            conflict_id=item["id"],
            cleared_id_number=True,
        )
        for conflict_id in (item["id"], *(c["id"] for c in settled)):
            q.set_conflict_status(store, conflict_id, SIDES["merged"])
        record_audit(
            store,
            actor,
            "sync_settle",
            {
                "conflict": item["id"],
                "table": item["table_name"],
                "kept": "merged",
                "merge": done.merge_id,
                "held": len(settled),
                "later_bundles": sorted(
                    {c["sequence"] for c in settled if c["sequence"] > item["sequence"]}
                ),
            },
        )
    return {**item, "merge": done}


def _put_waiting_rows(store: Store, item: dict[str, Any]) -> list[dict[str, Any]]:
    """Write the rows held back with ``item``, of its bundle and of the laptop's later
    bundles (a visit of the same walk-in a week later waited for them too), parents
    first (a visit before its health prescriptions); the clashes they were.
    Rows waiting for another record still missing stay in the review list."""
    waiting = [
        c
        for c in conflicts(store)
        if c["kind"] == "held"
        and c["op"] == "INSERT"
        and c["device_number"] == item["device_number"]
        and c["sequence"] >= item["sequence"]
    ]
    settled: list[dict[str, Any]] = []
    progress = True
    while waiting and progress:
        progress = False
        for row in list(waiting):
            try:
                with store.transaction():
                    q.put_laptop_side(
                        store, row["table_name"], "INSERT", row["row_key"], row["bundle_new"]
                    )
            except sqlite3.IntegrityError:
                continue  # its parent is not here (yet)
            settled.append(row)
            waiting.remove(row)
            progress = True
    return settled
