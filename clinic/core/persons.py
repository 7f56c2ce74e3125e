"""A person as the registers screen shows them: record, tags, conditions, consent, visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clinic.core.errors import NotFoundError
from clinic.core.search import PersonHit
from clinic.core.users import User, require
from clinic.i18n import _, pick
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import persons as q
from clinic.store import places as places_q
from clinic.store import visits as visits_q
from clinic.store.audit import record


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
    row = q.person(store, person_id)
    if row is None:
        return None
    codes = details_q.person_conditions(store, person_id)
    names = {r["code"]: pick(r["name_zh"], r["name_en"]) for r in catalogues_q.conditions(store)}
    return PersonDetail(
        hit=PersonHit.from_row(row, today),
        group_no=row["group_no"],
        tags=details_q.person_tags(store, person_id),
        conditions=codes,
        condition_labels=[names.get(code, code) for code in codes],
        other_conditions=[c for c in (row["other_conditions"] or "").split(";") if c],
        family_doctor=bool(row["family_doctor"]),
        consent=details_q.current_consent(store, person_id),
        visits=visits_q.visit_history(store, person_id, limit=5),
    )


def reveal_numbers(store: Store, person_id: int, *, by: User) -> dict[str, str]:
    """A person's whole ID number and phone, which screens show masked: for a
    coordinator only, and every reveal is in the audit log (who, whose numbers)."""
    require(by, "reveal_number")
    row = q.person(store, person_id)
    if row is None:
        raise NotFoundError(_("There is no person number {id}.").format(id=person_id))
    with store.transaction():
        record(store, by.name, "reveal", {"person_id": person_id})
    return {"id_number": row["id_number"] or "", "phone": row["phone"] or ""}


# -- the registers browser: villages, their households, a household's members --


def village_rows(store: Store, after: tuple[str, str] | None, limit: int) -> list[dict]:
    """Villages with household and person counts, a page at a time after (township, village)."""
    return places_q.village_rows(store, after, limit)


def household_rows(
    store: Store, village: int, after: tuple[str, int] | None, limit: int
) -> list[dict]:
    """A village's households with their size, a page at a time after (number, id)."""
    return households_q.households_of_village(store, village, after, limit)


def household_members(store: Store, household: int) -> list[dict]:
    """A household's members, the head first, then by birth date."""
    return q.household_members(store, household)
