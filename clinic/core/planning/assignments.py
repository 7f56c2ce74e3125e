"""Who serves on a clinic day: assigning, the status and hours of an assignment, the team.

A manual assignment is judged by :func:`clinic.core.planning.roster_rules.blocker`, the
same rule the optimiser applies, so a refusal on screen and an unfilled place
in a roster always agree.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from clinic.core import holidays as public_holidays
from clinic.core.errors import (
    ConfirmationNeeded,
    FieldError,
    InputError,
    NotFoundError,
    RefusedError,
)
from clinic.core.planning import roster_rules
from clinic.core.planning.labels import ASSIGNMENT_STATUSES, assignment_label
from clinic.core.planning.lookups import get_day
from clinic.core.planning.needs import day_needs, specialty_label
from clinic.i18n import _, ngettext
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import volunteers as volunteers_q


def as_rvolunteer(
    v: dict, *, unavailable=(), busy=(), loads=None, period_load: int = 0
) -> roster_rules.RVolunteer:
    """A volunteer row as the roster rules see it."""
    return roster_rules.RVolunteer(
        id=v["id"],
        name=v["name"],
        specialty=v["specialty_code"],
        organisation_id=v["organisation_id"],
        weekdays=v["weekdays"],
        holidays=bool(v["holidays"]),
        max_per_month=v["max_days_per_month"],
        active=bool(v["active"]),
        unavailable=frozenset(unavailable),
        busy_dates=set(busy),
        month_load=Counter(loads or {}),
        period_load=period_load,
    )


def roster_volunteer(store: Store, vol: dict, months: set[str]) -> roster_rules.RVolunteer:
    """The volunteer as the rules see them, with their load in ``months`` from the database."""
    loads = assignments_q.month_loads(store, min(months), max(months)).get(vol["id"], {})
    return as_rvolunteer(
        vol, unavailable=volunteers_q.unavailable_dates(store, vol["id"]), loads=loads
    )


def roster_day(
    store: Store, day: dict, *, exclude_assignment: int | None = None
) -> roster_rules.RDay:
    """The clinic day as the rules see it (``exclude_assignment``: judge that one as if absent)."""
    rows = [
        a
        for a in assignments_q.assignments_of_day(store, day["id"])
        if a["id"] != exclude_assignment
    ]
    return roster_rules.RDay(
        id=day["id"],
        date=day["date"],
        organisation_id=day["organisation_id"],
        holiday=public_holidays.is_holiday(day["date"]),
        cancelled=day["status"] == "cancelled",
        on_day=frozenset(a["volunteer_id"] for a in rows if a["status"] != "declined"),
        declined=frozenset(a["volunteer_id"] for a in rows if a["status"] == "declined"),
    )


@dataclass
class AssignmentCheck:
    refusal: str | None = None  # reason code
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def check_assignment(
    store: Store, day_id: int, volunteer_id: int, role: str | None
) -> AssignmentCheck:
    """Would this assignment be accepted? The refusal (a hard rule) or warnings."""
    day = get_day(store, day_id)
    vol = volunteers_q.volunteer(store, volunteer_id)
    if vol is None:
        raise NotFoundError(_("No volunteer with number {value}.").format(value=volunteer_id))
    role = role or vol["specialty_code"]
    rv = roster_volunteer(store, vol, {day["date"][:7]})
    rv.busy_dates = {
        b["date"]
        for b in assignments_q.busy_dates(store, volunteer_id, day["date"], exclude_day=day_id)
    }
    rd = roster_day(store, day)
    code = roster_rules.blocker(rv, rd, role, check_specialty=False)
    check = AssignmentCheck()
    if code is not None:
        check.refusal = code
        check.message = refusal_message(store, code, vol, day)
        return check
    if role and vol["specialty_code"] != role:
        check.warnings.append(
            _("{name}'s specialty is {has}, not {role}.").format(
                name=vol["name"],
                has=specialty_label(store, vol["specialty_code"]) or _("none"),
                role=specialty_label(store, role),
            )
        )
    needs = {line.role: line for line in day_needs(store, day_id)}
    line = needs.get(role)
    if line is None or line.needed == 0:
        check.warnings.append(
            _("This clinic day does not ask for {role}.").format(role=specialty_label(store, role))
        )
    elif line.open == 0:
        check.warnings.append(
            _("All {n} places for {role} are already taken.").format(
                n=line.needed, role=specialty_label(store, role)
            )
        )
    return check


def refusal_message(store: Store, code: str, vol: dict, day: dict) -> str:
    """Why a rule keeps ``vol`` off ``day``, in a sentence naming both."""
    from clinic.core.planning.availability import describe

    name, date = vol["name"], day["date"]
    if code == "busy":
        other = assignments_q.busy_dates(store, vol["id"], date, exclude_day=day["id"])
        where = other[0]["village"] if other else "?"
        return _("{name} is already on the clinic day in {village} on {date}.").format(
            name=name, village=where, date=date
        )
    if code == "weekday":
        return _("{name} does not serve on {weekday}s (serves: {when}).").format(
            name=name,
            weekday=weekday_name(date),
            when=describe(vol["weekdays"], bool(vol["holidays"])),
        )
    if code == "limit":
        return ngettext(
            "{name} has reached the limit of {n} clinic day in {month}.",
            "{name} has reached the limit of {n} clinic days in {month}.",
            vol["max_days_per_month"] or 0,
        ).format(name=name, n=vol["max_days_per_month"], month=date[:7])
    return _("{name} cannot be put on the clinic day of {date}: {reason}.").format(
        name=name, date=date, reason=roster_rules.reason_text(code)
    )


def weekday_name(date: str) -> str:
    """The weekday of an ISO date, in the user's language."""
    return _(roster_rules.WEEKDAY_NAMES[dt.date.fromisoformat(date).weekday()])


def assign(
    store: Store, day_id: int, volunteer_id: int, role: str | None = None, status: str = "invited"
) -> tuple[int, list[str]]:
    """Put a volunteer on a clinic day; refused (RefusedError) when a hard rule forbids it."""
    if status not in ASSIGNMENT_STATUSES:
        raise InputError(_("Unknown status {value}.").format(value=status))
    vol = volunteers_q.volunteer(store, volunteer_id)
    if vol is None:
        raise NotFoundError(_("No volunteer with number {value}.").format(value=volunteer_id))
    role = role or vol["specialty_code"]
    if not role:
        raise InputError(
            _("{name} has no specialty on record: say which role.").format(name=vol["name"])
        )
    with store.transaction():
        check = check_assignment(store, day_id, volunteer_id, role)
        if check.refusal:
            raise RefusedError(check.message, check.refusal)
        new_id = assignments_q.insert_assignment(store, day_id, volunteer_id, role, status=status)
    return new_id, check.warnings


def set_assignment(
    store: Store,
    assignment_id: int,
    *,
    status: str | None = None,
    hours: float | None = None,
    change_attendance: bool = False,
) -> None:
    """Set an assignment's state or hours. Changing a recorded attendance (attended / no-show) to
    another state raises ConfirmationNeeded unless ``change_attendance`` (the user confirmed)."""
    row = assignments_q.assignment(store, assignment_id)
    if row is None:
        raise NotFoundError(_("No assignment number {value}.").format(value=assignment_id))
    values: dict = {}
    if status is not None:
        if status not in ASSIGNMENT_STATUSES:
            raise InputError(_("Unknown status {value}.").format(value=status))
        if (
            row["status"] in ("attended", "no_show")
            and status != row["status"]
            and not change_attendance
        ):
            vol = volunteers_q.volunteer(store, row["volunteer_id"])
            day = get_day(store, row["clinic_day_id"])
            raise ConfirmationNeeded(
                _(
                    "{name} is recorded as {old} on the clinic day of {date}; change it to {new}?"
                ).format(
                    name=vol["name"] if vol else "?",
                    old=assignment_label(row["status"]),
                    date=day["date"],
                    new=assignment_label(status),
                ),
                "attendance",
            )
        values["status"] = status
        # Marking attended types no hours: until someone does, the figures count the day's
        # planned length and say so (docs/figures.md).
        if status in ("declined", "no_show", "invited"):
            values["hours"] = None
    if hours is not None:
        if not 0 <= hours <= 24:
            raise InputError(_("Hours must be between 0 and 24."))
        values["hours"] = hours
    with store.transaction():
        assignments_q.update_assignment(store, assignment_id, values)


def parse_hours(text: str) -> float | None:
    """Hours as typed ("3", "3.5", "3,5", full-width digits); empty means not typed."""
    value = unicodedata.normalize("NFKC", text or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        hours = float(value)
    except ValueError:
        raise FieldError(
            _("Hours must be a number such as 3.5, not {value}.").format(value=text.strip())
        ) from None
    if not 0 <= hours <= 24:
        raise FieldError(_("Hours must be between 0 and 24."))
    return hours


def set_hours(store: Store, assignment_id: int, hours: float | None) -> None:
    """Type (or, with None, clear) the hours of a volunteer marked attended.
    Cleared hours count the day's planned length again (docs/figures.md)."""
    row = assignments_q.assignment(store, assignment_id)
    if row is None:
        raise NotFoundError(_("No assignment number {value}.").format(value=assignment_id))
    if row["status"] != "attended":
        vol = volunteers_q.volunteer(store, row["volunteer_id"])
        raise InputError(
            _("{name} is not marked attended: mark attendance first (t), then the hours.").format(
                name=vol["name"] if vol else "?"
            )
        )
    if hours is not None and not 0 <= hours <= 24:
        raise InputError(_("Hours must be between 0 and 24."))
    with store.transaction():
        assignments_q.update_assignment(store, assignment_id, {"hours": hours})


def remove_assignment(store: Store, assignment_id: int) -> None:
    row = assignments_q.assignment(store, assignment_id)
    if row is None:
        raise NotFoundError(_("No assignment number {value}.").format(value=assignment_id))
    if row["status"] in ("attended", "no_show"):
        raise InputError(_("Attendance is recorded for this assignment; it stays on record."))
    with store.transaction():
        assignments_q.delete_assignments(store, [assignment_id])


def attendance(store: Store, day_id: int) -> dict[str, list[dict]]:
    """Who signed up and who came: names by outcome (no-shows first to see)."""
    out: dict[str, list[dict]] = {s: [] for s in ASSIGNMENT_STATUSES}
    for a in assignments_q.assignments_of_day(store, day_id):
        out[a["status"]].append(a)
    return out


SIGNED_UP = ("invited", "confirmed", "attended", "no_show")  # declined did not sign up


def signed_up(seen: dict[str, list[dict]]) -> int:
    """How many volunteers signed up for the day (``attendance``'s groups): everyone
    assigned except those who declined, whether they came or not."""
    return sum(len(seen[s]) for s in SIGNED_UP)


def team_of_day(store: Store, day_id: int) -> list[dict]:
    """The day's assignments with volunteer names, as the team table and roster show them."""
    return assignments_q.assignments_of_day(store, day_id)
