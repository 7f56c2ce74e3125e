"""PIPL: erase one person's data on request, leaving no trace in the database file.

Their record, visits, health prescriptions, consents and search keys are
deleted with ``secure_delete`` on (SQLite overwrites the deleted bytes and
freed pages with zeros), the WAL is checkpointed and truncated (it held the
old pages), their printed sheets are deleted from sheets/, and the audit log's
details keep no name or number of theirs. The household stays (other members
may be in it); when the person was its head, the head's name passes to the
spouse or else the eldest other member, or is cleared when no one is left.
What the database cannot erase is named instead: the exports that may hold
the person (from the audit log) and the backups taken before the purge.

The audit log records that a purge happened, by whom and the record's uid —
never the name or numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from clinic.core.errors import InputError, NotFoundError
from clinic.core.idnumbers import normalise_id
from clinic.i18n import _
from clinic.store import Store
from clinic.store import audit as audit_q
from clinic.store import connection as connection
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import person_merges as merges_q
from clinic.store import persons as persons_q
from clinic.store import persons as q
from clinic.store import sync as sync_q
from clinic.store import visits as visits_q
from clinic.store.audit import record as record_audit

# Datasets whose rows are persons (or name them); the others are counts.
PERSONAL_DATASETS = ("persons", "households", "visits", "handouts", "follow-ups", "pack")
SPOUSE = ("配偶", "之妻", "之夫", "妻子", "丈夫", "妻", "夫")
ERASED = "…"


@dataclass
class HeadChange:
    """A purged head of household: who the household's head is now ('' when no one is left)."""

    household_number: str | None
    new_head: str
    relation: str | None = None


@dataclass
class PurgeResult:
    person_id: int
    name: str
    removed: dict[str, int]
    head: HeadChange | None = None
    sheets: list[Path] = field(default_factory=list)
    exports: list[dict] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)
    wal_cleared: bool = True


def find_one(store: Store, who: str) -> dict:
    """A person by ``#id`` (as `clinic find --json` shows it) or by whole ID number."""
    who = who.strip()
    if who.startswith("#") and who[1:].isdigit():
        row = q.person(store, int(who[1:]))
    else:
        number = normalise_id(who)
        if len(number) not in (15, 18):
            raise InputError(
                _("Name the person by #number (from clinic find --json) or by the whole ID number.")
            )
        found = q.person_id_by_number(store, number)
        row = q.person(store, found) if found else None
    if row is None:
        raise NotFoundError(
            _("No person {who} in this database.").format(who=who if who.startswith("#") else "…")
        )
    return row


def purge_person(store: Store, person_id: int, actor: str) -> PurgeResult:
    """Erase the person in one transaction, then their sheets and the WAL's old pages."""
    connection.set_secure_delete(store, "ON")
    try:
        with store.transaction():
            row = q.person(store, person_id)
            if row is None:
                raise NotFoundError(
                    _("No person {who} in this database.").format(who=f"#{person_id}")
                )
            # Their duplicates merged into them are the same person: erased with them.
            twins = merges_q.merged_into_it(store, person_id)
            visits = [v for pid in (person_id, *twins) for v in visits_q.visit_ids(store, pid)]
            since = persons_q.person_created_at(store, person_id) or ""
            head = _hand_over_head(store, row)
            details_q.clear_proxy_name(store, row["name"], row["household_id"])
            for twin in twins:
                q.delete_person(store, twin)
                sync_q.delete_conflicts_of_person(store, twin)
            removed = q.delete_person(store, person_id)
            sync_q.delete_conflicts_of_person(store, person_id)  # the review list holds them too
            _anonymise_audit(store, row)
            exports = _exports_holding(store, row, since)
            replicas = audit_q.replica_folders(store)
            record_audit(
                store, actor, "purge_person", json.dumps({"person_uid": row["uid"], **removed}), 1
            )
    finally:
        connection.set_secure_delete(store, "FAST")
    return PurgeResult(
        person_id,
        row["name"],
        removed,
        head=head,
        sheets=delete_sheets(store.path, visits),
        exports=exports,
        backups=_backups_before(store.path),
        replicas=replicas,
        wal_cleared=connection.checkpoint_truncate(store),
    )


def _hand_over_head(store: Store, row: dict) -> HeadChange | None:
    """The household keeps a head: the spouse, else the eldest other member, else no name."""
    household = row["household_id"]
    if household is None or households_q.household_head(store, household) != row["name"]:
        return None
    others = [
        m for m in persons_q.other_members(store, household, row["id"]) if m["name"] != row["name"]
    ]
    chosen = next((m for m in others if m["relation"] in SPOUSE), None) or (
        others[0] if others else None
    )
    households_q.set_head_name(store, household, chosen["name"] if chosen else "")
    return HeadChange(
        household_number=row["household_number"],
        new_head=chosen["name"] if chosen else "",
        relation=chosen["relation"] if chosen else None,
    )


def _anonymise_audit(store: Store, row: dict) -> None:
    """No audit detail keeps the name or a number (as typed, or JSON-escaped)."""
    for text in (row["name"], row["id_number"], row.get("id_number_old"), row["phone"]):
        if not text or len(text) < 2:
            continue
        for form in {text, json.dumps(text)[1:-1]}:
            audit_q.replace_in_audit(store, form, ERASED)


def _exports_holding(store: Store, row: dict, since: str) -> list[dict]:
    """Exports of person-level data made since the person was on record, in their village if narrowed."""
    found = []
    for entry in audit_q.exports_since(store, since):
        try:
            detail = json.loads(entry["detail"])
        except ValueError:
            continue
        if detail.get("dataset") not in PERSONAL_DATASETS:
            continue
        villages = (detail.get("filters") or {}).get("villages") or []
        village = row["village"] or ""
        if villages and not any(v in village or village in v for v in villages):
            continue
        found.append(
            {
                "dataset": detail["dataset"],
                "date": entry["at"][:10],
                "file": detail.get("file") or "",
                "unmasked": bool(detail.get("unmasked")),
            }
        )
    return found


def delete_sheets(db_path: Path, visit_ids: list[int]) -> list[Path]:
    """Delete the printed sheets of these visits (sheets/<date>/<date>_<visit>_<name>.*)."""
    from clinic.core.desk.sheets import sheets_folder

    folder = sheets_folder(db_path)
    if not visit_ids or not folder.is_dir():
        return []
    ids = "|".join(str(v) for v in visit_ids)
    pattern = re.compile(rf"^\.?\d{{4}}-\d{{2}}-\d{{2}}_({ids})_")
    deleted = []
    for path in sorted(folder.glob("*/*")):
        if path.is_file() and pattern.match(path.name):
            path.unlink()
            deleted.append(path)
    return deleted


def _backups_before(db_path: Path) -> list[Path]:
    """Backups taken before the purge: they still hold the person."""
    from clinic.core.backup import backups_folder

    folder = backups_folder(db_path)
    return sorted(folder.glob("clinic-*.db")) if folder.is_dir() else []
