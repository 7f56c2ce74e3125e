"""PIPL: erase one person's data on request (their record, visits, handouts, consents).

The household stays (other members may be in it). The audit log records that
a purge happened, by whom and the record's uid — never the name or numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from clinic.core.errors import InputError, NotFoundError
from clinic.core.idnumbers import normalise_id
from clinic.i18n import _
from clinic.store import Store
from clinic.store import persons as q
from clinic.store.registers import record_audit


@dataclass
class PurgeResult:
    person_id: int
    name: str
    removed: dict[str, int]


def find_one(store: Store, who: str) -> dict:
    """A person by ``#id`` (as `clinic find --json` shows it) or by whole ID number."""
    who = who.strip()
    if who.startswith("#") and who[1:].isdigit():
        row = q.person_row(store, int(who[1:]))
    else:
        number = normalise_id(who)
        if len(number) not in (15, 18):
            raise InputError(
                _("Name the person by #number (from clinic find --json) or by the whole ID number.")
            )
        found = q.person_id_by_number(store, number)
        row = q.person_row(store, found) if found else None
    if row is None:
        raise NotFoundError(
            _("No person {who} in this database.").format(who=who if who.startswith("#") else "…")
        )
    return row


def purge_person(store: Store, person_id: int, actor: str) -> PurgeResult:
    with store.transaction():
        row = q.person_row(store, person_id)
        if row is None:
            raise NotFoundError(_("No person {who} in this database.").format(who=f"#{person_id}"))
        removed = q.delete_person(store, person_id)
        record_audit(
            store, actor, "purge_person", json.dumps({"person_uid": row["uid"], **removed}), 1
        )
    return PurgeResult(person_id, row["name"], removed)
