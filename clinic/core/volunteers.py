"""The volunteers register as the screens read it: the list, one record, their days.

Saving a volunteer and its rules live in ``clinic.core.planning.save_volunteer``;
these are the reads the volunteers screen and the clinic-day forms need.
"""

from __future__ import annotations

from clinic.store import Store
from clinic.store import assignments as _assignments
from clinic.store import volunteers as _q


def volunteers(
    store: Store,
    *,
    organisation_id: int | None = None,
    specialty: str | None = None,
    active: bool | None = None,
    name: str | None = None,
    cadres: bool = False,
) -> list[dict]:
    """The volunteers matching every filter given (an organisation includes its
    sub-organisations; ``name`` matches part of the name), by name."""
    return _q.volunteers(
        store,
        organisation_id=organisation_id,
        specialty=specialty,
        active=active,
        name=name,
        cadres=cadres,
    )


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    """One volunteer with organisation and specialty names, or None."""
    return _q.volunteer(store, volunteer_id)


def unavailable_dates(store: Store, volunteer_id: int) -> list[str]:
    """The dates (ISO) the volunteer said they cannot come, in order."""
    return _q.unavailable_dates(store, volunteer_id)


def schedule(store: Store, volunteer_id: int) -> list[dict]:
    """Every clinic day the volunteer is assigned to, oldest first."""
    return _assignments.schedule(store, volunteer_id)
