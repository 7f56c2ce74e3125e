"""Clinic days: the form's checks, adding and editing a day, its status, the day lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from clinic.core.edits import Edit, Saved
from clinic.core.errors import (
    FieldError,
    InputError,
    NotFoundError,
    RefusedError,
)
from clinic.core.planning import roster_rules
from clinic.core.planning.assignments import refusal_message, roster_day, roster_volunteer
from clinic.core.planning.labels import DAY_STATUSES, ENDED_DAY_STATUSES, day_status_label
from clinic.core.planning.lookups import get_day
from clinic.i18n import _, current_language
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import days as days_q
from clinic.store import volunteers as volunteers_q


@dataclass
class DayInput:
    date: str
    village_id: int
    organisation_id: int | None
    needs: dict[str, int]
    start_time: str = "08:30"
    end_time: str = "12:00"
    venue: str = ""
    status: str = "planned"
    notes: str = ""


def check_day(
    day: DayInput, today: dt.date, *, old_date: str | None = None, old_needs: int = 1
) -> None:
    """The rules every clinic day meets, from the form and from ``clinic day add`` alike.

    A day to plan needs at least one place (one already held or cancelled need not say, and nor
    need an edit of a day that never asked for anyone: a walk-in day the desk made on the spot,
    ``old_needs`` 0). A date before today can only be recorded as held (status
    done: a clinic day written on paper first); planned or confirmed it could never happen. A day
    to come cannot be done yet. An edit that keeps the date of a day gone by (still planned, say)
    is not refused, so it can be closed as done or cancelled.
    """
    if day.status not in DAY_STATUSES:
        raise FieldError(_("Unknown status {value}.").format(value=day.status), "status")
    if day.end_time <= day.start_time:
        raise FieldError(
            _("The clinic day must end after it starts ({start}–{end}).").format(
                start=day.start_time, end=day.end_time
            ),
            "end",
        )
    if sum(day.needs.values()) <= 0 and old_needs and day.status in ("planned", "confirmed"):
        raise FieldError(
            _("A clinic day needs at least one place, e.g. {example}.").format(
                example="全科=2,护士=1" if current_language() == "zh" else "gp=2,nurse=1"
            ),
            "needs",
        )
    when = dt.date.fromisoformat(day.date)
    if when < today and day.status in ("planned", "confirmed") and day.date != old_date:
        raise FieldError(
            _(
                "{date} is in the past: a clinic day planned for it cannot take place. "
                "To record a clinic day already held, set its status to done."
            ).format(date=day.date),
            "date",
        )
    if when > today and day.status == "done":
        raise FieldError(
            _("{date} is still to come: a clinic day can be done only on the day or after.").format(
                date=day.date
            ),
            "date",
        )


def check_duplicate(
    store: Store, village_id: int, date: str, *, exclude_day: int | None = None
) -> None:
    """Refuse a second clinic day (not cancelled) in one village on one date, naming the first."""
    if date_status := days_q.days_at(store, village_id, date, exclude_day=exclude_day):
        d = date_status[0]
        raise RefusedError(
            _(
                "There is already a clinic day in {village} on {date} (number {id}, {start}–{end}, {status}); "
                "edit that day instead of adding another."
            ).format(
                village=d["village"],
                date=d["date"],
                id=d["id"],
                start=d["start_time"],
                end=d["end_time"],
                status=day_status_label(d["status"]),
            ),
            "same_village_date",
        )


def _day_row(day: DayInput) -> dict:
    """The clinic_days columns of a checked day, for a new day and an edit alike."""
    return {
        "date": day.date,
        "start_time": day.start_time,
        "end_time": day.end_time,
        "village_id": day.village_id,
        "venue": day.venue,
        "organisation_id": day.organisation_id,
        "status": day.status,
        "notes": day.notes,
    }


def add_day(store: Store, day: DayInput, *, today: dt.date) -> int:
    check_day(day, today)
    if day.status != "cancelled":
        check_duplicate(store, day.village_id, day.date)
    values = _day_row(day)
    with store.transaction():
        return days_q.insert_day(store, values, day.needs)


def edit_day(store: Store, day_id: int, day: DayInput, *, today: dt.date) -> list[str]:
    """Save the changes; return what they break for the team already on the day (a new date
    a volunteer cannot serve, say). The team stays: the coordinator decides."""
    before = days_q.day(store, day_id)
    if before is None:
        raise NotFoundError(_("No clinic day number {value}.").format(value=day_id))
    had = sum(days_q.needs_of(store, [day_id])[day_id].values())
    check_day(day, today, old_date=before["date"], old_needs=had)
    if day.status != "cancelled":
        check_duplicate(store, day.village_id, day.date, exclude_day=day_id)
    values = _day_row(day)
    with store.transaction():
        days_q.update_day(store, day_id, values)
        days_q.replace_needs(store, day_id, day.needs)
    return team_problems(store, day_id)


# What the clinic-day form edits (its notes are not on it: an edit keeps them).
DAY_FORM_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "village_id",
    "venue",
    "organisation_id",
    "needs",
    "status",
)


def day_fields(store: Store, day_id: int) -> dict[str, Any]:
    """The day as the form and the merge see it: one value per field, notes too."""
    row = get_day(store, day_id)
    fields = {name: row[name] for name in (*DAY_FORM_FIELDS[:-2], "status", "notes")}
    fields["needs"] = days_q.needs_of(store, [day_id])[day_id]
    return fields


def day_edit(store: Store, day_id: int) -> tuple[dict[str, Any], Edit]:
    """The day as the form is filled with it, and the edit that saves it without
    undoing another desk's change of another field (clinic.core.edits)."""
    fields = day_fields(store, day_id)
    return fields, Edit("clinic_day", day_id, fields)


def save_day_edit(
    store: Store,
    edit: Edit,
    day: DayInput,
    *,
    today: dt.date,
    actor: str,
    at: str,
    keep_mine: tuple[str, ...] = (),
) -> tuple[Saved, list[str]]:
    """``edit_day`` merged field by field with what another desk saved since the form
    was filled; returns the save (its clashes not written) and the team's problems."""
    problems: list[str] = []

    def write(store: Store, merged: dict[str, Any], _clean: bool) -> None:
        problems[:] = edit_day(store, edit.record_id, DayInput(**merged), today=today)

    mine = {name: getattr(day, name) for name in DAY_FORM_FIELDS}
    saved = edit.save(
        store,
        mine,
        fields=DAY_FORM_FIELDS,
        read=lambda store: day_fields(store, edit.record_id),
        write=write,
        actor=actor,
        at=at,
        keep_mine=keep_mine,
    )
    return saved, problems


def team_problems(store: Store, day_id: int) -> list[str]:
    """Each assignment on the day that a hard rule would now refuse, in words."""
    day = get_day(store, day_id)
    if day["status"] in ENDED_DAY_STATUSES:
        return []
    problems = []
    for a in assignments_q.assignments_of_day(store, day_id):
        if a["status"] == "declined":
            continue
        vol = volunteers_q.volunteer(store, a["volunteer_id"])
        if vol is None:  # the assignment's volunteer is gone: no rule can refuse them
            continue
        rv = roster_volunteer(store, vol, {day["date"][:7]})
        rv.month_load[day["date"][:7]] -= 1  # this assignment itself
        rv.busy_dates = {
            b["date"]
            for b in assignments_q.busy_dates(store, vol["id"], day["date"], exclude_day=day_id)
        }
        code = roster_rules.blocker(
            rv, roster_day(store, day, exclude_assignment=a["id"]), a["role"], check_specialty=False
        )
        if code is not None:
            problems.append(refusal_message(store, code, vol, day))
    return problems


def set_day_status(store: Store, day_id: int, status: str) -> None:
    if status not in DAY_STATUSES:
        raise InputError(_("Unknown status {value}.").format(value=status))
    get_day(store, day_id)
    with store.transaction():
        days_q.update_day(store, day_id, {"status": status})


def upcoming_days(store: Store, today: dt.date, limit: int = 8) -> list[dict]:
    """The next clinic days from today on (not cancelled), with their places
    (``needed``, ``filled``: the same figures as F5 and ``day list``)."""
    return days_q.days_between(
        store, today.isoformat(), "9999-12-31", include_cancelled=False, limit=limit
    )


def list_days(store: Store, date_from: str, date_to: str) -> list[dict]:
    rows = days_q.days_between(store, date_from, date_to)
    needs = days_q.needs_of(store, [r["id"] for r in rows])
    for r in rows:
        r["needs"] = needs[r["id"]]
    return rows
