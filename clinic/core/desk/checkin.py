"""Finding a person at the desk and checking them in to the day's queue."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import unicodedata

from clinic.core.desk.consent import Consent, has_consent, record_consent
from clinic.core.desk.days import stamp
from clinic.core.errors import (
    NotFoundError,
    RefusedError,
)
from clinic.core.search import PersonHit, find_persons
from clinic.i18n import _
from clinic.store import Store
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q

# -- search -------------------------------------------------------------------


def find(store: Store, query: str, today: dt.date, limit: int = 30) -> list[PersonHit]:
    """Persons matching what was typed in the check-in box, best first (the
    lead's search: name, pinyin initials or full pinyin, last digits of the ID
    number or phone, household number)."""
    return find_persons(store, query, limit, today=today)


def matched_number(hit: PersonHit, query: str) -> tuple[str, str]:
    """Which number a result row shows, masked: ("phone", …) when the digits typed
    are the end of the phone and not of the ID number, else ("id", …). Digits
    match the end of either; showing the ID number of a phone match left the
    volunteer unable to see why the person was found."""
    digits = unicodedata.normalize("NFKC", query or "").strip().upper()
    if re.fullmatch(r"\d{4,}", digits) and hit.phone_masked:
        tail = digits[-4:]
        if hit.phone_masked.endswith(tail) and not hit.id_masked.upper().endswith(tail):
            return "phone", hit.phone_masked
    return "id", hit.id_masked


# -- check-in -----------------------------------------------------------------


def check_in(
    store: Store,
    day: dict,
    person_id: int,
    volunteer_id: int | None,
    now: dt.datetime,
    queue: str | None = None,
    consent: Consent | None = None,
) -> tuple[int, bool]:
    """Put a person on the day's queue; returns (visit id, whether new).

    A person already checked in that day keeps their visit (checking in twice
    is a slip, not a second visit), also when two desks check the same person
    in at the same moment. Without consent on record, ``consent`` must be
    given; it is written in the same transaction.
    """
    try:
        return _check_in(store, day, person_id, volunteer_id, now, queue, consent)
    except sqlite3.IntegrityError:
        existing = visits_q.visit_for(store, day["id"], person_id)
        if existing is None:
            raise
        return existing["id"], False


def _check_in(
    store: Store,
    day: dict,
    person_id: int,
    volunteer_id: int | None,
    now: dt.datetime,
    queue: str | None,
    consent: Consent | None,
) -> tuple[int, bool]:
    with store.transaction():
        if persons_q.person(store, person_id) is None:
            raise NotFoundError(_("There is no person number {id}.").format(id=person_id))
        existing = visits_q.visit_for(store, day["id"], person_id)
        if existing:
            return existing["id"], False
        at = stamp(day, now)
        if not has_consent(store, person_id):
            if consent is None:
                raise RefusedError(
                    _("This person has no consent on record: record it before check-in."), "consent"
                )
            record_consent(store, person_id, consent, at)
        visit_id = visits_q.insert_visit(
            store,
            {
                "clinic_day_id": day["id"],
                "person_id": person_id,
                "arrived_at": at,
                "state": "waiting",
                "queue": queue or None,
                "checked_in_by": volunteer_id,
                "updated_at": at,
            },
        )
        return visit_id, True


def checked_in_among(store: Store, day_id: int, person_ids: list[int]) -> set[int]:
    """Which of these persons are checked in on the day (the ✓ beside a search hit)."""
    return visits_q.checked_in_among(store, day_id, person_ids)
