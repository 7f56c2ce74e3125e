"""The volunteers register: saving a volunteer and its rules, a volunteer's record,
and the reads the volunteers screen and the clinic-day forms need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clinic.core.errors import InputError
from clinic.core.planning.labels import iso, norm_text
from clinic.i18n import _, ngettext
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import volunteers as volunteers_q


def volunteer_record(summary: VolunteerSummary) -> str:
    """ "1 clinic day, 1 attended, 0 no-shows, 3.5 hours served" with singular and plural right."""
    hours = summary.hours
    return _(", ").join(
        [
            ngettext("{n} clinic day", "{n} clinic days", summary.days).format(n=summary.days),
            _("{n} attended").format(n=summary.attended),
            ngettext("{n} no-show", "{n} no-shows", summary.no_shows).format(n=summary.no_shows),
            ngettext("{n} hour served", "{n} hours served", 1 if hours == 1 else 2).format(
                n=f"{hours:g}"
            ),
        ]
    )


@dataclass
class VolunteerInput:
    name: str
    phone: str | None = None
    organisation_id: int | None = None
    specialty_code: str | None = None
    licence_no: str | None = None
    weekdays: str = "0123456"
    holidays: bool = True
    max_days_per_month: int | None = None
    active: bool = True
    is_cadre: bool = False
    notes: str = ""
    unavailable: list[str] = field(default_factory=list)


def save_volunteer(store: Store, vol: VolunteerInput, volunteer_id: int | None = None) -> int:
    from clinic.core.phones import normalise_phone

    name = norm_text(vol.name)
    if not name:
        raise InputError(_("A volunteer needs a name."))
    phone = normalise_phone(vol.phone) if vol.phone and norm_text(vol.phone) else None
    weekdays = "".join(sorted(set(vol.weekdays)))
    if any(c not in "0123456" for c in weekdays):
        raise InputError(_("Weekdays are digits 0 (Monday) to 6 (Sunday)."))
    if vol.max_days_per_month is not None and not 0 <= vol.max_days_per_month <= 31:
        raise InputError(_("The most clinic days a month must be between 0 and 31."))
    values = {
        "name": name,
        "phone": phone,
        "organisation_id": vol.organisation_id,
        "specialty_code": vol.specialty_code,
        "licence_no": norm_text(vol.licence_no or "") or None,
        "weekdays": weekdays,
        "holidays": int(vol.holidays),
        "max_days_per_month": vol.max_days_per_month,
        "active": int(vol.active),
        "is_cadre": int(vol.is_cadre),
        "notes": vol.notes,
    }
    from clinic.store.volunteers import find_volunteer

    other = find_volunteer(store, name, phone, other_than=volunteer_id)
    if other:
        raise InputError(
            _("A volunteer called {name} with this phone is already on the list.").format(name=name)
        )
    with store.transaction():
        if volunteer_id is None:
            volunteer_id = volunteers_q.insert_volunteer(store, values)
        else:
            volunteers_q.update_volunteer(store, volunteer_id, values)
        volunteers_q.replace_unavailable(
            store, volunteer_id, sorted({iso(d) for d in vol.unavailable})
        )
    return volunteer_id


@dataclass
class VolunteerSummary:
    days: int
    attended: int
    no_shows: int
    hours: float
    upcoming: list[dict]


def volunteer_summary(store: Store, volunteer_id: int, today: str) -> VolunteerSummary:
    rows = assignments_q.schedule(store, volunteer_id)
    return VolunteerSummary(
        days=sum(1 for r in rows if r["status"] != "declined"),
        # Served = attended on a day not cancelled (a held day): as hours and every report count.
        attended=sum(
            1 for r in rows if r["status"] == "attended" and r["day_status"] != "cancelled"
        ),
        no_shows=sum(1 for r in rows if r["status"] == "no_show"),
        hours=(volunteers_q.volunteer(store, volunteer_id) or {}).get("hours") or 0.0,
        upcoming=[r for r in rows if r["date"] >= today and r["status"] != "declined"],
    )


# -- reads for the volunteers screen and the clinic-day forms -------------------
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
    return volunteers_q.volunteers(
        store,
        organisation_id=organisation_id,
        specialty=specialty,
        active=active,
        name=name,
        cadres=cadres,
    )


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    """One volunteer with organisation and specialty names, or None."""
    return volunteers_q.volunteer(store, volunteer_id)


def unavailable_dates(store: Store, volunteer_id: int) -> list[str]:
    """The dates (ISO) the volunteer said they cannot come, in order."""
    return volunteers_q.unavailable_dates(store, volunteer_id)


def schedule(store: Store, volunteer_id: int) -> list[dict]:
    """Every clinic day the volunteer is assigned to, oldest first."""
    return assignments_q.schedule(store, volunteer_id)
