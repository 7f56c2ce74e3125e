"""Conditions assessed at a visit, put on the person's record of chronic conditions.

A doctor who confirms hypertension or diabetes at a visit ticks it under
*conditions assessed*; the next clinic's suggestions (health prescriptions,
follow-up default) and the follow-up lists read the conditions *on record*
(``person_conditions``). This module is the one rule that moves the first to
the second, asked once per visit with one confirmation (the desk's visit
form, ``clinic visit record-conditions``).

What qualifies: a condition of the catalogue assessed at a **finished** visit
(not a draft) on a day **not cancelled**, and not on the person's record yet.
Writing is one transaction with one audit row (codes and uids, never names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from clinic.core.errors import NotFoundError
from clinic.i18n import _, join_list, pick
from clinic.store import Store
from clinic.store import person_details as details_q
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q
from clinic.store.audit import record as record_audit


@dataclass(frozen=True)
class Proposal:
    """What the question offers: the person and the conditions not on record."""

    visit_id: int
    person_id: int
    person_name: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]

    def question(self) -> str:
        """ "Add 高血压 to 张三's chronic conditions on record?" (plain text, not markup)."""
        return _("Add {conditions} to {name}'s chronic conditions on record?").format(
            conditions=join_list(list(self.labels)), name=self.person_name
        )


def proposal(store: Store, visit_id: int) -> Proposal | None:
    """The conditions to offer for a visit, or None when there are none."""
    visit = visits_q.visit(store, visit_id)
    if visit is None:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    rows = visits_q.assessed_not_on_record(store, visit_id)
    if not rows:
        return None
    person = persons_q.person(store, visit["person_id"]) or {}
    return Proposal(
        visit_id=visit_id,
        person_id=visit["person_id"],
        person_name=person.get("name", ""),
        codes=tuple(r["code"] for r in rows),
        labels=tuple(pick(r["name_zh"], r["name_en"]) for r in rows),
    )


def record_assessed(store: Store, visit_id: int, actor: str = "") -> list[str]:
    """Put every qualifying condition of the visit on the person's record, in one
    transaction with an audit row; the codes added (empty when none qualified)."""
    with store.transaction():
        found = proposal(store, visit_id)
        if found is None:
            return []
        visit = visits_q.visit(store, visit_id) or {}
        added = details_q.insert_person_conditions(
            store, [(found.person_id, code) for code in found.codes]
        )
        detail = {"visit": visit.get("uid"), "conditions": list(found.codes)}
        record_audit(store, actor or "desk", "conditions_recorded", json.dumps(detail), added)
    return list(found.codes)
