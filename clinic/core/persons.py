"""A person as the registers screen shows them: record, tags, conditions, consent, visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clinic.core.search import PersonHit
from clinic.i18n import pick
from clinic.store import Store
from clinic.store import persons as q


@dataclass
class PersonDetail:
    hit: PersonHit
    group_no: int | None
    tags: list[str]
    conditions: list[str]
    condition_labels: list[str]
    other_conditions: list[str]
    family_doctor: bool
    consent: dict | None
    visits: list[dict] = field(default_factory=list)


def person_detail(store: Store, person_id: int, today: dt.date) -> PersonDetail | None:
    row = q.person_row(store, person_id)
    if row is None:
        return None
    codes = q.person_conditions(store, person_id)
    names = {r["code"]: pick(r["name_zh"], r["name_en"]) for r in q.condition_names(store)}
    return PersonDetail(
        hit=PersonHit.from_row(row, today),
        group_no=row["group_no"],
        tags=q.person_tags(store, person_id),
        conditions=codes,
        condition_labels=[names.get(code, code) for code in codes],
        other_conditions=[c for c in (row["other_conditions"] or "").split(";") if c],
        family_doctor=bool(row["family_doctor"]),
        consent=q.latest_consent(store, person_id),
        visits=q.visit_history(store, person_id),
    )
