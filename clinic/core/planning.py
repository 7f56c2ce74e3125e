"""The coordinator's planning desk: clinic days, assignments, the roster, villages, pairing.

Rules live here, shared by the TUI and the CLI. A manual assignment and the
optimiser are judged by the same function (:func:`clinic.core.roster.blocker`),
so a refusal on screen and an unfilled place in a roster always agree.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from clinic.core import holidays as public_holidays
from clinic.core import roster as rostering
from clinic.core.errors import (
    ConfirmationNeeded,
    FieldError,
    InputError,
    NotFoundError,
    RefusedError,
)
from clinic.i18n import N_, _, current_language, ngettext, pick
from clinic.store import Store, figures
from clinic.store import assignments as assignments_q
from clinic.store import catalogues as catalogues_q
from clinic.store import datasets as datasets_q
from clinic.store import days as days_q
from clinic.store import households as households_q
from clinic.store import places as places_q
from clinic.store import volunteers as volunteers_q
from clinic.store.rules import FILLS_PLACE

DAY_STATUSES = ("planned", "confirmed", "done", "cancelled")
ASSIGNMENT_STATUSES = ("invited", "confirmed", "declined", "attended", "no_show")
ASSIGNMENT_LABELS = {
    "invited": N_("invited"),
    "confirmed": N_("confirmed"),
    "declined": N_("declined"),
    "attended": N_("attended"),
    "no_show": N_("no-show"),
}
DAY_LABELS = {
    "planned": N_("planned"),
    "confirmed": N_("confirmed"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def assignment_label(code: str) -> str:
    return _(ASSIGNMENT_LABELS.get(code, code))


def day_status_label(code: str) -> str:
    return _(DAY_LABELS.get(code, code))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def iso(value: str | dt.date) -> str:
    from clinic.core.dates import parse_date

    return value.isoformat() if isinstance(value, dt.date) else parse_date(value).isoformat()


# -- names -> ids ---------------------------------------------------------------
def specialty_index(store: Store) -> dict[str, str]:
    """Every spelling of a specialty (code, 全科, General practice, aliases) → code."""
    index: dict[str, str] = {}
    for row in catalogues_q.specialties(store):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word:
                index[_norm(word).lower()] = row["code"]
    return index


def specialty_label(store: Store, code: str | None) -> str:
    if not code:
        return ""
    from clinic.store.catalogues import specialty_names

    return pick(*specialty_names(store).get(code, (code, code)))


def parse_specialty(store: Store, text: str) -> str:
    code = specialty_index(store).get(_norm(text).lower())
    if code is None:
        names = "、".join(pick(r["name_zh"], r["name_en"]) for r in catalogues_q.specialties(store))
        raise FieldError(
            _("Unknown specialty {value}; known: {names}.").format(value=text, names=names)
        )
    return code


def parse_needs(store: Store, text: str) -> dict[str, int]:
    """ "全科=2,中医1,护士=2,药师" → {"gp": 2, "tcm": 1, "nurse": 2, "pharmacist": 1}."""
    needs: dict[str, int] = {}
    text = _norm(text)
    if not text:
        return needs
    index = specialty_index(store)

    def split(part: str) -> tuple[str, int]:
        m = re.match(r"^(.*?)\s*(?:[=:：*x×])?\s*(-?\d+)$", part)
        return (m.group(1), int(m.group(2))) if m and m.group(1) else (part, 1)

    for chunk in re.split(r"[,;，；、]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        bad = re.match(r"^(.*?)\s*[=:：]\s*(.*)$", chunk)
        if bad and not re.fullmatch(r"-?\d+(\s.*)?", bad.group(2)):
            parse_specialty(store, bad.group(1))  # an unknown name is the first problem
            raise FieldError(
                _("{value}: the number of places must be a whole number, e.g. {name}=2.").format(
                    value=chunk, name=bad.group(1)
                )
            )
        # "General practice=2" has a space in the name; "全科2 护士1" uses spaces between needs.
        name, count = split(chunk)
        if _norm(name).lower() in index:
            parts = [(name, count)]
        else:
            parts = [split(word) for word in chunk.split()]
        for name, count in parts:
            code = parse_specialty(store, name)
            if not 0 <= count <= 50:
                raise FieldError(
                    _("{value}: a clinic day needs between 0 and 50 of a specialty.").format(
                        value=chunk
                    )
                )
            needs[code] = needs.get(code, 0) + count
    return {k: v for k, v in needs.items() if v > 0}


DEFAULT_NEEDS = {"gp": 2, "tcm": 1, "nurse": 2, "pharmacist": 1}


def default_needs(store: Store) -> dict[str, int]:
    """The usual team of a clinic day (of the specialties the database knows): what a new day
    asks for when nobody said otherwise."""
    known = {r["code"] for r in catalogues_q.specialties(store)}
    return {k: n for k, n in DEFAULT_NEEDS.items() if k in known}


def default_needs_text(store: Store) -> str:
    """The usual team of a clinic day, in the user's language ("General practice=2, TCM=1, ...")."""
    return format_needs(store, default_needs(store))


def format_needs(store: Store, needs: dict[str, int]) -> str:
    return ", ".join(f"{specialty_label(store, code)}={n}" for code, n in needs.items())


def find_village(store: Store, text: str) -> int:
    text = _norm(text)
    rows = places_q.villages(store)
    if text.isdigit() and any(r["id"] == int(text) for r in rows):
        return int(text)
    hits = [
        r
        for r in rows
        if text in (r["name"], f"{r['township']}{r['name']}", f"{r['township']} {r['name']}")
    ]
    if not hits:
        hits = [r for r in rows if r["name"].startswith(text) or r["name"].rstrip("村社区") == text]
    if len(hits) == 1:
        return hits[0]["id"]
    if not hits:
        raise NotFoundError(_("No village called {value}.").format(value=text))
    names = "、".join(f"{r['township']}{r['name']}" for r in hits[:10])
    raise InputError(
        _("{value} could be several villages: {names}. Give the township too.").format(
            value=text, names=names
        )
    )


def find_organisation(store: Store, text: str | None) -> int | None:
    text = _norm(text or "")
    if not text:
        return None
    rows = catalogues_q.organisations(store)
    for r in rows:
        if text in (r["short_name"], r["name_zh"], r["name_en"]) or text == str(r["id"]):
            return r["id"]
    hits = [r for r in rows if r["short_name"].startswith(text)]
    if len(hits) == 1:
        return hits[0]["id"]
    raise NotFoundError(_("No organisation called {value}.").format(value=text))


def find_volunteer(store: Store, text: str) -> dict:
    """A volunteer by name (or #id when two share a name)."""
    from clinic.core.privacy import mask_phone

    text = _norm(text)
    if text.startswith("#") and text[1:].isdigit():
        row = volunteers_q.volunteer(store, int(text[1:]))
        if row:
            return row
        raise NotFoundError(_("No volunteer with number {value}.").format(value=text))
    rows = volunteers_q.volunteers_named(store, text)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(_("No volunteer called {value}.").format(value=text))
    names = "; ".join(
        f"#{r['id']} {r['name']} {mask_phone(r['phone'])} {r['organisation'] or ''}" for r in rows
    )
    raise InputError(
        _("Several volunteers are called {value}: {names}. Give the number, e.g. #{id}.").format(
            value=text, names=names, id=rows[0]["id"]
        )
    )


def parse_time(text: str) -> str:
    m = _TIME.match(_norm(text))
    if not m:
        raise FieldError(_("{value} is not a time; write HH:MM, e.g. 08:30.").format(value=text))
    return f"{int(m.group(1)):02d}:{m.group(2)}"


# -- clinic days ----------------------------------------------------------------
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


def add_day(store: Store, day: DayInput, *, today: dt.date) -> int:
    check_day(day, today)
    if day.status != "cancelled":
        check_duplicate(store, day.village_id, day.date)
    values = {
        "date": day.date,
        "start_time": day.start_time,
        "end_time": day.end_time,
        "village_id": day.village_id,
        "venue": day.venue,
        "organisation_id": day.organisation_id,
        "status": day.status,
        "notes": day.notes,
    }
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
    values = {
        "date": day.date,
        "start_time": day.start_time,
        "end_time": day.end_time,
        "village_id": day.village_id,
        "venue": day.venue,
        "organisation_id": day.organisation_id,
        "status": day.status,
        "notes": day.notes,
    }
    with store.transaction():
        days_q.update_day(store, day_id, values)
        days_q.replace_needs(store, day_id, day.needs)
    return team_problems(store, day_id)


def team_problems(store: Store, day_id: int) -> list[str]:
    """Each assignment on the day that a hard rule would now refuse, in words."""
    day = get_day(store, day_id)
    if day["status"] in ("done", "cancelled"):
        return []
    problems = []
    for a in assignments_q.assignments_of_day(store, day_id):
        if a["status"] == "declined":
            continue
        vol = volunteers_q.volunteer(store, a["volunteer_id"])
        rv = _rvolunteer(store, vol, {day["date"][:7]})
        rv.month_load[day["date"][:7]] -= 1  # this assignment itself
        rv.busy_dates = {
            b["date"]
            for b in assignments_q.busy_dates(store, vol["id"], day["date"], exclude_day=day_id)
        }
        code = rostering.blocker(
            rv, _rday(store, day, exclude_assignment=a["id"]), a["role"], check_specialty=False
        )
        if code is not None:
            problems.append(_refusal_message(store, code, vol, day))
    return problems


def set_day_status(store: Store, day_id: int, status: str) -> None:
    if status not in DAY_STATUSES:
        raise InputError(_("Unknown status {value}.").format(value=status))
    get_day(store, day_id)
    with store.transaction():
        days_q.update_day(store, day_id, {"status": status})


def get_day(store: Store, day_id: int) -> dict:
    row = days_q.day(store, day_id)
    if row is None:
        raise NotFoundError(_("No clinic day number {value}.").format(value=day_id))
    return row


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


@dataclass
class NeedLine:
    role: str
    needed: int
    assigned: int  # invited, confirmed or attended (clinic.store.rules.FILLS_PLACE)

    @property
    def open(self) -> int:
        return max(0, self.needed - self.assigned)

    @property
    def filled(self) -> int:
        """Places of this role filled: at most the places needed."""
        return min(self.needed, self.assigned)


def day_needs(store: Store, day_id: int) -> list[NeedLine]:
    """Places per role (clinic.store.figures.role_places: the one rule of filled places)."""
    return [
        NeedLine(r["role"], r["needed"], r["assigned"]) for r in figures.role_places(store, day_id)
    ]


# -- assignments ----------------------------------------------------------------
def as_rvolunteer(
    v: dict, *, unavailable=(), busy=(), loads=None, period_load: int = 0
) -> rostering.RVolunteer:
    """A volunteer row as the roster rules see it."""
    return rostering.RVolunteer(
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


def _rvolunteer(store: Store, vol: dict, months: set[str]) -> rostering.RVolunteer:
    loads = assignments_q.month_loads(store, min(months), max(months)).get(vol["id"], {})
    return as_rvolunteer(
        vol, unavailable=volunteers_q.unavailable_dates(store, vol["id"]), loads=loads
    )


def _rday(store: Store, day: dict, *, exclude_assignment: int | None = None) -> rostering.RDay:
    rows = [
        a
        for a in assignments_q.assignments_of_day(store, day["id"])
        if a["id"] != exclude_assignment
    ]
    return rostering.RDay(
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
    rv = _rvolunteer(store, vol, {day["date"][:7]})
    rv.busy_dates = {
        b["date"]
        for b in assignments_q.busy_dates(store, volunteer_id, day["date"], exclude_day=day_id)
    }
    rd = _rday(store, day)
    code = rostering.blocker(rv, rd, role, check_specialty=False)
    check = AssignmentCheck()
    if code is not None:
        check.refusal = code
        check.message = _refusal_message(store, code, vol, day)
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


def _refusal_message(store: Store, code: str, vol: dict, day: dict) -> str:
    from clinic.core.availability import describe

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
            weekday=_weekday_name(date),
            when=describe(vol["weekdays"], bool(vol["holidays"])),
        )
    if code == "limit":
        return ngettext(
            "{name} has reached the limit of {n} clinic day in {month}.",
            "{name} has reached the limit of {n} clinic days in {month}.",
            vol["max_days_per_month"] or 0,
        ).format(name=name, n=vol["max_days_per_month"], month=date[:7])
    return _("{name} cannot be put on the clinic day of {date}: {reason}.").format(
        name=name, date=date, reason=rostering.reason_text(code)
    )


def _weekday_name(date: str) -> str:
    return _(rostering.WEEKDAY_NAMES[dt.date.fromisoformat(date).weekday()])


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


def needs_of_day(store: Store, day_id: int) -> dict[str, int]:
    """The places the day needs, by specialty code (what ``format_needs`` writes out)."""
    return days_q.needs_of(store, [day_id])[day_id]


# -- roster -----------------------------------------------------------------------
@dataclass
class RosterPlan:
    date_from: str
    date_to: str
    result: rostering.RosterResult
    days: dict[int, dict]  # day rows by id
    volunteers: dict[int, dict]
    released: list[int]  # unconfirmed roster assignments to be replaced (--replan)
    loads_before: Counter = field(default_factory=Counter)  # days in the period already held

    def loads_after(self) -> dict[int, int]:
        """Days in the period of every active volunteer once the plan is applied (existing
        assignments included): the fairness figures speak of everyone, not only of those
        who could fill an open place."""
        after = {
            v["id"]: self.loads_before[v["id"]] for v in self.volunteers.values() if v["active"]
        }
        for proposal in self.result.proposals:
            after[proposal.volunteer_id] = after.get(proposal.volunteer_id, 0) + 1
        return after

    def to_json(self, store: Store) -> dict:
        r = self.result
        after = self.loads_after()
        most = max(after.values(), default=0)
        labels = volunteer_labels(list(self.volunteers.values()))
        return {
            "from": self.date_from,
            "to": self.date_to,
            "optimal": r.optimal,
            "open_places": r.open_places,
            "filled": r.filled,
            "max_days_per_volunteer": r.max_load,
            "sum_of_squares": r.sum_squares,
            "organising_members": r.preferred,
            "seconds": round(r.seconds, 3),
            "replaced": len(self.released),
            # How many active volunteers serve 0, 1, 2 ... days in the period (existing included).
            "days_per_volunteer": {str(k): n for k, n in sorted(Counter(after.values()).items())},
            "volunteers_counted": len(after),
            "most_days": most,
            "most_days_volunteers": sorted(labels[i] for i, n in after.items() if n == most)
            if most
            else [],
            "warnings": [w]
            if (w := public_holidays.coverage_warning(self.date_from, self.date_to))
            else [],
            "assignments": [
                {
                    "day_id": p.day_id,
                    "date": self.days[p.day_id]["date"],
                    "village": self.days[p.day_id]["village"],
                    "role": p.role,
                    "role_name": specialty_label(store, p.role),
                    "volunteer_id": p.volunteer_id,
                    "volunteer": self.volunteers[p.volunteer_id]["name"],
                    # Namesakes told apart (organisation, specialty or masked phone).
                    "volunteer_label": labels[p.volunteer_id],
                    "organising_member": p.preferred,
                }
                for p in r.proposals
            ],
            "unfilled": [
                {
                    "day_id": u.day_id,
                    "date": u.date,
                    "village": self.days[u.day_id]["village"],
                    "role": u.role,
                    "role_name": specialty_label(store, u.role),
                    "places": u.count,
                    "candidates": u.candidates,
                    "reasons": u.reasons,
                    "why": u.explain(specialty_label(store, u.role)),
                }
                for u in r.unfilled
            ],
        }


def plan_roster(
    store: Store,
    date_from: str,
    date_to: str,
    *,
    replan: bool = False,
    time_limit: float | None = 60.0,
) -> RosterPlan:
    """The optimal roster for the open places of the clinic days in the period (nothing written).

    Existing assignments are never moved; with ``replan`` the unconfirmed
    invitations an earlier roster made (status invited, source roster) are
    planned again. Done and cancelled days are left alone.
    """
    if date_to < date_from:
        raise InputError(
            _("The period ends before it starts ({start} to {end}).").format(
                start=date_from, end=date_to
            )
        )
    day_rows = [
        d
        for d in days_q.days_between(store, date_from, date_to)
        if d["status"] in ("planned", "confirmed")
    ]
    needs = days_q.needs_of(store, [d["id"] for d in day_rows])
    existing = assignments_q.assignments_between(store, date_from, date_to)
    released = [
        a["id"]
        for a in existing
        if replan
        and a["status"] == "invited"
        and a["source"] == "roster"
        and a["clinic_day_id"] in needs
    ]
    released_set = set(released)
    kept = [a for a in existing if a["id"] not in released_set]
    holidays = public_holidays.holidays_between(date_from, date_to)
    month_from, month_to = date_from[:7], date_to[:7]
    loads = assignments_q.month_loads(store, month_from, month_to)
    for a in existing:  # released invitations do not count against the monthly limit
        if a["id"] in released_set:
            loads[a["volunteer_id"]][a["date"][:7]] -= 1
    unavailable = volunteers_q.all_unavailable(store, date_from, date_to)
    vol_rows = {v["id"]: v for v in volunteers_q.volunteers(store)}
    busy: dict[int, set[str]] = {}
    period_load: Counter = Counter()
    for a in kept:
        if a["status"] != "declined":
            busy.setdefault(a["volunteer_id"], set()).add(a["date"])
            period_load[a["volunteer_id"]] += 1
    vols = [
        as_rvolunteer(
            v,
            unavailable=unavailable.get(v["id"], ()),
            busy=busy.get(v["id"], ()),
            loads=loads.get(v["id"]),
            period_load=period_load[v["id"]],
        )
        for v in vol_rows.values()
    ]
    by_day: dict[int, list[dict]] = {}
    for a in kept:
        by_day.setdefault(a["clinic_day_id"], []).append(a)
    days = []
    for d in day_rows:
        rows = by_day.get(d["id"], [])
        taken = Counter(a["role"] for a in rows if a["status"] in FILLS_PLACE)
        days.append(
            rostering.RDay(
                id=d["id"],
                date=d["date"],
                organisation_id=d["organisation_id"],
                holiday=d["date"] in holidays,
                open={
                    role: n - taken[role]
                    for role, n in needs[d["id"]].items()
                    if n - taken[role] > 0
                },
                on_day=frozenset(a["volunteer_id"] for a in rows if a["status"] != "declined"),
                declined=frozenset(a["volunteer_id"] for a in rows if a["status"] == "declined"),
            )
        )
    result = rostering.solve(vols, days, time_limit=time_limit)
    return RosterPlan(
        date_from, date_to, result, {d["id"]: d for d in day_rows}, vol_rows, released, period_load
    )


def roster_summary(data: dict) -> str:
    """ "5 of 7 open places filled; at most 2 days per volunteer; 2 places to members of the
    organising organisation (0.1 s)." with singular and plural right; with no open place, or
    none that can be filled, it says so instead of "at most 0 days"."""
    if not data["open_places"]:
        return _("No open places in this period: every clinic day has the team it asks for.")
    parts = [
        _("{filled} of {open} open places filled").format(
            filled=data["filled"], open=data["open_places"]
        )
    ]
    if data["filled"]:
        mx, pref = data.get("most_days", data["max_days_per_volunteer"]), data["organising_members"]
        parts += [
            ngettext(
                "at most {max} day per volunteer", "at most {max} days per volunteer", mx
            ).format(max=mx),
            ngettext(
                "{pref} place to members of the organising organisation",
                "{pref} places to members of the organising organisation",
                pref,
            ).format(pref=pref),
        ]
    else:
        parts.append(_("nobody can fill them (why below)"))
    return _("; ").join(parts) + _(" ({seconds} s).").format(seconds=data["seconds"])


def roster_spread(data: dict) -> str:
    """Who the days per volunteer are about (every active volunteer, days already assigned
    included) and who serves the most: "Days per volunteer in the period (all 16 active
    volunteers, days already assigned included): 5 × 0, 8 × 1, 2 × 2; most: 张华, 李明, 2 days." """
    if not data["days_per_volunteer"]:
        return ""
    spread = _(", ").join(
        _("{n} × {days}").format(n=n, days=k) for k, n in data["days_per_volunteer"].items()
    )
    most = data["most_days_volunteers"]
    if most and len(most) <= 5:
        spread += ngettext(
            "; most: {names}, {n} day", "; most: {names}, {n} days", data["most_days"]
        ).format(
            names=("、" if current_language() == "zh" else ", ").join(most), n=data["most_days"]
        )
    return ngettext(
        "Days per volunteer in the period (the {n} active volunteer, days already assigned "
        "included): {spread}.",
        "Days per volunteer in the period (all {n} active volunteers, days already assigned "
        "included): {spread}.",
        data["volunteers_counted"],
    ).format(n=data["volunteers_counted"], spread=spread)


def volunteer_labels(rows: list[dict]) -> dict[int, str]:
    """Volunteer id → the name to show, namesakes told apart as a coordinator would: by
    organisation or specialty where those differ, else by masked phone (138****5678), else by
    number (#12): "王芳 (民进, General practice)". A name nobody shares is shown alone."""
    from clinic.core.privacy import mask_phone

    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    labels: dict[int, str] = {}
    for name, group in by_name.items():
        if len(group) == 1:
            labels[group[0]["id"]] = name
            continue
        pickers = [
            lambda r: r.get("organisation") or "",
            lambda r: specialty_name(r),
        ]
        varying = [f for f in pickers if len({f(r) for r in group}) > 1]
        details = {r["id"]: [f(r) for f in varying if f(r)] for r in group}
        seen = Counter(tuple(d) for d in details.values())
        for r in group:
            extra = details[r["id"]]
            if seen[tuple(extra)] > 1 or not extra:
                extra = [*extra, mask_phone(r.get("phone")) or f"#{r['id']}"]
            labels[r["id"]] = _("{name} ({details})").format(name=name, details=_(", ").join(extra))
    return labels


def specialty_name(row: dict) -> str:
    """A volunteer row's specialty in the user's language ("" when none)."""
    if row.get("specialty_zh") or row.get("specialty_en"):
        return pick(row.get("specialty_zh") or "", row.get("specialty_en") or "")
    return row.get("specialty_code") or ""


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


def apply_roster(
    store: Store,
    date_from: str,
    date_to: str,
    *,
    replan: bool = False,
    time_limit: float | None = 60.0,
) -> RosterPlan:
    """Plan, then write in one transaction that matches the database as it is now.

    The solve runs outside the write lock (desks keep working meanwhile); if
    anyone committed during it, the plan is made again inside the transaction.
    """
    version = store.data_version()
    plan = plan_roster(store, date_from, date_to, replan=replan, time_limit=time_limit)
    with store.transaction():
        if store.data_version() != version:
            plan = plan_roster(store, date_from, date_to, replan=replan, time_limit=time_limit)
        assignments_q.delete_assignments(store, plan.released)
        for p in plan.result.proposals:
            assignments_q.insert_assignment(
                store, p.day_id, p.volunteer_id, p.role, status="invited", source="roster"
            )
    return plan


# -- volunteers ---------------------------------------------------------------------
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

    name = _norm(vol.name)
    if not name:
        raise InputError(_("A volunteer needs a name."))
    phone = normalise_phone(vol.phone) if vol.phone and _norm(vol.phone) else None
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
        "licence_no": _norm(vol.licence_no or "") or None,
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


def parse_dates(text: str) -> list[str]:
    """ "2026-12-05, 2026/12/12" → ISO dates (for the unavailable field)."""
    return [iso(part) for part in re.split(r"[,;，；、\s]+", _norm(text)) if part]


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


# -- villages -----------------------------------------------------------------------
@dataclass
class VillageRank:
    row: dict
    score: float
    reasons: list[str]


def village_overview(store: Store, today: dt.date) -> list[dict]:
    """Per village: households, persons, households served this year and
    coverage, last and next clinic day, and open follow-ups due (within
    FOLLOW_UP_WINDOW_DAYS, overdue included) and overdue: the same figures
    as the report and home (clinic.core.figures)."""
    from clinic.core.figures import follow_ups_by_village
    from clinic.core.reports import percent
    from clinic.store.rules import Scope

    rows = places_q.village_overview(store, today.isoformat())
    year = Scope(date_from=f"{today.year}-01-01", date_to=today.isoformat(), all_villages=True)
    served = {r["village_id"]: r["served"] for r in figures.coverage_rows(store, year)}
    follow_ups = follow_ups_by_village(store, today)
    for r in rows:
        r["served"] = served.get(r["id"], 0)
        r["coverage"] = percent(r["served"], r["households"]) or 0.0
        due = follow_ups.get(r["id"], {})
        r["follow_ups_due"] = due.get("due", 0)
        r["follow_ups_overdue"] = due.get("overdue", 0)
    return rows


def where_next(store: Store, today: dt.date) -> list[VillageRank]:
    """Villages ranked by unmet need, each with the reasons in words.

    Score: one point per registered household not yet served this year,
    three per overdue follow-up, one per month since the last clinic day
    (a village never visited counts as twelve months); halved when a clinic
    day there is already planned.
    """
    ranks = []
    for r in village_overview(store, today):
        unserved = r["households"] - r["served"]
        months = (
            12.0
            if r["last_day"] is None
            else max(0, (today - dt.date.fromisoformat(r["last_day"])).days) / 30.4
        )
        score = unserved + 3 * r["follow_ups_due"] + months
        reasons = []
        if unserved:
            reasons.append(
                _("{n} of {total} households not served this year").format(
                    n=unserved, total=r["households"]
                )
            )
        if r["follow_ups_due"]:
            reason = ngettext(
                "{n} follow-up due within 14 days",
                "{n} follow-ups due within 14 days",
                r["follow_ups_due"],
            ).format(n=r["follow_ups_due"])
            if r["follow_ups_overdue"]:
                reason += _(" ({n} overdue)").format(n=r["follow_ups_overdue"])
            reasons.append(reason)
        if r["last_day"] is None:
            reasons.append(_("no clinic day yet"))
        else:
            ago = (today - dt.date.fromisoformat(r["last_day"])).days
            if ago <= 0:
                reasons.append(_("clinic day today ({date})").format(date=r["last_day"]))
            else:
                reasons.append(
                    ngettext(
                        "last clinic day {date}, {n} day ago",
                        "last clinic day {date}, {n} days ago",
                        ago,
                    ).format(date=r["last_day"], n=ago)
                )
        if r["next_day"]:
            score /= 2
            reasons.append(
                _("next clinic day already planned on {date}").format(date=r["next_day"])
            )
        ranks.append(VillageRank(r, round(score, 1), reasons))
    ranks.sort(key=lambda v: (-v.score, v.row["township"], v.row["name"]))
    return ranks


# -- pairing (结对帮扶) ----------------------------------------------------------------
def find_household(store: Store, text: str) -> dict:
    rows = households_q.households_matching(store, _norm(text))
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(_("No household with number or head {value}.").format(value=text))
    raise InputError(
        _("{value} matches {n} households; give the household number.").format(
            value=text, n=len(rows)
        )
    )


def pair(store: Store, household_id: int, cadre_id: int | None) -> None:
    """Make a volunteer the household's paired cadre (帮扶责任人); None unpairs."""
    with store.transaction():
        if cadre_id is not None:
            from clinic.store.volunteers import mark_cadre

            mark_cadre(store, cadre_id)
        households_q.set_cadre(store, household_id, cadre_id)


def log_pairing_visit(
    store: Store, household_id: int, cadre_id: int, date: str, notes: str = ""
) -> int:
    with store.transaction():
        return households_q.insert_pairing_visit(store, household_id, cadre_id, date, _norm(notes))


def weekend_list(store: Store, cadre_id: int, today: dt.date) -> list[dict]:
    """A cadre's households, most urgent first: follow-ups due, flags, longest since a visit."""
    rows = households_q.cadre_households(store, cadre_id, today.isoformat())
    for r in rows:
        r["flags"] = sorted(
            {f for part in (r["flags"] or "").split(",") for f in part.split(";") if f}
        )
        # Overdue: the follow-up's date has passed (docs/figures.md; due today is not overdue yet).
        r["overdue"] = bool(r["follow_up_due"] and r["follow_up_due"] < today.isoformat())
    rows.sort(key=lambda r: (not r["overdue"], not r["flags"], r["last_visit"] or ""))
    return rows


def follow_up_text(row: dict) -> str:
    """A weekend-list row's follow-up date, with "overdue" in words when it is
    (a red colour alone is lost on a monochrome screen and in a copy)."""
    if not row["follow_up_due"]:
        return ""
    if row["overdue"]:
        return _("{date} (overdue)").format(date=row["follow_up_due"])
    return row["follow_up_due"]


def next_weekend(today: dt.date) -> tuple[dt.date, dt.date]:
    sat = today + dt.timedelta(days=(5 - today.weekday()) % 7)
    return sat, sat + dt.timedelta(days=1)


def flag_label(code: str) -> str:
    from clinic.core.vitals import flag_label as label

    return label(code)


# -- schedules out -------------------------------------------------------------------
ROSTER_HEADERS = (
    N_("Date"),
    N_("Start"),
    N_("End"),
    N_("Township"),
    N_("Village"),
    N_("Venue"),
    N_("Organising organisation"),
    N_("Role"),
    N_("Volunteer"),
    N_("Phone"),
    N_("Volunteer's organisation"),
    N_("Status"),
    N_("Hours"),
    N_("Clinic day"),
)
ROSTER_TEXT_COLUMNS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}


def roster_table(
    store: Store, date_from: str, date_to: str, *, by: str = "day", unmasked: bool = False
) -> tuple[list[str], list[list]]:
    """The roster as rows for :func:`clinic.core.tabular.write_table`, by day or by volunteer."""
    from clinic.core.privacy import mask_phone

    rows = datasets_q.roster_rows(store, date_from, date_to)
    if by == "volunteer":
        rows.sort(key=lambda r: (r["volunteer"], r["volunteer_id"], r["date"], r["start_time"]))
    out = [
        [
            r["date"],
            r["start_time"],
            r["end_time"],
            r["township"],
            r["village"],
            r["venue"],
            r["organisation"] or "",
            pick(r["role_zh"], r["role_en"]) or r["role"],
            r["volunteer"],
            (r["phone"] or "") if unmasked else mask_phone(r["phone"]),
            r["volunteer_org"] or "",
            assignment_label(r["status"]),
            r["hours"] if r["hours"] is not None else "",
            r["day_id"],
        ]
        for r in rows
    ]
    headers = [_(h) for h in ROSTER_HEADERS]
    if by == "volunteer":
        order = [8, 10, 0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13]
        headers = [headers[i] for i in order]
        out = [[row[i] for i in order] for row in out]
    return headers, out


def volunteers_with_days(store: Store, date_from: str, date_to: str) -> list[dict]:
    ids = {r["volunteer_id"] for r in datasets_q.roster_rows(store, date_from, date_to)}
    return [v for v in volunteers_q.volunteers(store) if v["id"] in ids]


def volunteer_ics(
    store: Store, volunteer_id: int, date_from: str, date_to: str, now: dt.datetime | None = None
) -> tuple[str, int]:
    """The volunteer's clinic days as an iCalendar text; cancelled days stay in as CANCELLED."""
    from clinic.core import ics

    vol = volunteers_q.volunteer(store, volunteer_id)
    if vol is None:
        raise NotFoundError(_("No volunteer with number {value}.").format(value=volunteer_id))
    events = []
    for r in assignments_q.schedule(store, volunteer_id, date_from, date_to):
        if r["status"] == "declined":
            continue
        role = specialty_label(store, r["role"])
        status = (
            "CANCELLED"
            if r["day_status"] == "cancelled"
            else ("CONFIRMED" if r["status"] in ("confirmed", "attended") else "TENTATIVE")
        )
        events.append(
            ics.Event(
                uid=f"{r['uid']}@clinic",
                date=r["date"],
                start=r["start_time"],
                end=r["end_time"],
                summary=_("Free clinic {village}: {role}").format(village=r["village"], role=role),
                location=f"{r['township']}{r['village']} {r['venue']}".strip(),
                description=_("Organised by {org}. Your role: {role}. Status: {status}.").format(
                    org=r["organisation"] or "-", role=role, status=assignment_label(r["status"])
                ),
                status=status,
            )
        )
    name = _("Free clinics: {name}").format(name=vol["name"])
    return ics.calendar(events, name=name, now=now), len(events)


@dataclass
class Candidate:
    volunteer: dict
    refusal: str | None  # reason code, None when free
    reason: str  # the refusal in words, or ""
    matches: bool  # the volunteer's specialty is the role


def candidates(
    store: Store, day_id: int, role: str | None, name: str = "", limit: int = 200
) -> list[Candidate]:
    """Every volunteer judged for one clinic day: free ones with the role's specialty first."""
    day = get_day(store, day_id)
    rd = _rday(store, day)
    loads = assignments_q.month_loads(store, day["date"][:7], day["date"][:7])
    unavailable = volunteers_q.all_unavailable(store, day["date"], day["date"])
    busy = {
        a["volunteer_id"]
        for a in assignments_q.assignments_between(store, day["date"], day["date"])
        if a["status"] != "declined" and a["clinic_day_id"] != day_id
    }
    out = []
    for v in volunteers_q.volunteers(store, name=name or None):
        rv = as_rvolunteer(
            v,
            unavailable=unavailable.get(v["id"], ()),
            busy=[day["date"]] if v["id"] in busy else (),
            loads=loads.get(v["id"]),
        )
        code = rostering.blocker(rv, rd, role, check_specialty=False)
        reason = rostering.reason_text(code) if code else ""
        if code == "weekday":
            reason = _("does not serve on {weekday}s").format(weekday=_weekday_name(day["date"]))
        out.append(Candidate(v, code, reason, role is None or v["specialty_code"] == role))
    out.sort(
        key=lambda c: (
            c.refusal is not None,
            not c.matches,
            c.volunteer["days"],
            c.volunteer["name"],
        )
    )
    return out[:limit]


# -- a season at a glance ---------------------------------------------------------------
@dataclass
class SeasonDay:
    date: str
    village_id: int
    village: str
    township: str
    score: float
    reasons: list[str]


@dataclass
class SeasonPlan:
    """What a season proposal found: the days, and why it could not plan more."""

    days: list[SeasonDay]
    date_from: str
    date_to: str
    weekdays: str
    per_day: int
    skipped: dict[str, str] = field(default_factory=dict)  # date → why (春节, 调休 …)
    full_dates: int = 0  # chosen weekdays already holding per_day clinic days
    waiting: int = 0  # villages still without a clinic day in the period after this plan
    warning: str | None = None  # the holiday arrangement of a year is not known

    def explain(self) -> str:
        """One line for the screen and the command line: how many days, or why none (more)."""
        n = len(self.days)
        said = ngettext("{n} clinic day proposed.", "{n} clinic days proposed.", n).format(n=n)
        if not self.waiting:
            if n:
                return said
            return _("No village left to plan: every village has a clinic day in this period.")
        if self.full_dates:
            why = ngettext(
                "{dates} date already holds {per_day} clinic day (at most {per_day} per date)",
                "{dates} dates already hold {per_day} clinic days (at most {per_day} per date)",
                self.full_dates,
            ).format(dates=self.full_dates, per_day=self.per_day)
            hint = _("allow more clinic days per date, more weekdays or a longer period")
        else:
            why = _("every chosen weekday of the period is taken")
            hint = _("choose more weekdays or a longer period")
        waiting = ngettext(
            "{n} village still waits for a clinic day",
            "{n} villages still wait for a clinic day",
            self.waiting,
        ).format(n=self.waiting)
        return (said + " " if n else "") + _("{waiting}: {why}; {hint}.").format(
            waiting=waiting, why=why, hint=hint
        )

    def skipped_text(self) -> str:
        """ "Left out: 2027-02-06 春节, 2027-02-13 调休 …" or ""."""
        if not self.skipped:
            return ""
        return _("Left out: {dates}.").format(
            dates=_(", ").join(f"{d} {why}" for d, why in self.skipped.items())
        )


def default_season_end(date_from: str, weekdays: str = "5", weeks: int = 13) -> str:
    """The last of the chosen weekdays in the ``weeks`` weeks from ``date_from``: a season ends on
    a clinic weekday (a Saturday, a Sunday for weekends), not on the Monday after."""
    start = dt.date.fromisoformat(date_from)
    day = start + dt.timedelta(weeks=weeks)
    while day > start and str(day.weekday()) not in weekdays:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def propose_season(
    store: Store,
    date_from: str,
    date_to: str,
    today: dt.date,
    *,
    weekdays: str = "5",
    per_day: int = 1,
) -> SeasonPlan:
    """Clinic days for a season: the neediest villages ("where next") on the chosen weekdays, in order.

    A date holds at most ``per_day`` clinic days in the district (those already planned count),
    each in another village; a village with a clinic day in the period (or just picked) is not
    picked again. Public holidays and weekend days worked instead of a holiday (调休) are left
    out, and said so.
    """
    if date_to < date_from:
        raise InputError(
            _("The period ends before it starts ({start} to {end}).").format(
                start=date_from, end=date_to
            )
        )
    if date_from < today.isoformat():
        raise InputError(
            _("{date} is in the past: a season starts today or later.").format(date=date_from)
        )
    if not 1 <= per_day <= 50:
        raise InputError(_("Clinic days per date: a whole number from 1 to 50."))
    existing = [
        d for d in days_q.days_between(store, date_from, date_to) if d["status"] != "cancelled"
    ]
    taken_villages = {d["village_id"] for d in existing}
    per_date = Counter(d["date"] for d in existing)
    ranks = [r for r in where_next(store, today) if r.row["id"] not in taken_villages]
    holidays = public_holidays.holidays_between(date_from, date_to)
    plan = SeasonPlan([], date_from, date_to, weekdays, per_day)
    plan.warning = public_holidays.coverage_warning(date_from, date_to)
    day = dt.date.fromisoformat(date_from)
    end = dt.date.fromisoformat(date_to)
    while day <= end:
        iso = day.isoformat()
        day += dt.timedelta(days=1)
        if str(dt.date.fromisoformat(iso).weekday()) not in weekdays:
            continue
        if iso in holidays:
            plan.skipped[iso] = holidays[iso]
            continue
        if public_holidays.is_working_weekend_day(iso):
            plan.skipped[iso] = _("a working day (调休)")
            continue
        room = per_day - per_date[iso]
        if room <= 0:
            plan.full_dates += 1
            continue
        for _slot in range(room):
            if not ranks:
                break
            r = ranks.pop(0)
            plan.days.append(
                SeasonDay(iso, r.row["id"], r.row["name"], r.row["township"], r.score, r.reasons)
            )
    plan.waiting = len(ranks)
    return plan


def add_season(
    store: Store,
    plan: list[SeasonDay],
    organisation_id: int | None,
    needs: dict[str, int],
    *,
    start_time: str = "08:30",
    end_time: str = "12:00",
    venue: str = "",
    today: dt.date,
) -> list[int]:
    """Create the proposed clinic days (status planned) in one transaction, each meeting the
    rules of a clinic day added by hand (:func:`check_day`)."""
    ids = []
    with store.transaction():
        for s in plan:
            check_day(
                DayInput(s.date, s.village_id, organisation_id, needs, start_time, end_time), today
            )
            check_duplicate(store, s.village_id, s.date)
            ids.append(
                days_q.insert_day(
                    store,
                    {
                        "date": s.date,
                        "start_time": start_time,
                        "end_time": end_time,
                        "village_id": s.village_id,
                        "venue": venue,
                        "organisation_id": organisation_id,
                        "status": "planned",
                    },
                    needs,
                )
            )
    return ids


def parse_weekdays(text: str) -> str:
    """ "六" / "sat" / "周六,周日" / "56" → weekday digits (0 = Monday)."""
    from clinic.core.availability import parse_availability

    text = _norm(text)
    if text and all(c in "0123456" for c in text):
        return "".join(sorted(set(text)))
    short = {
        "一": "周一",
        "二": "周二",
        "三": "周三",
        "四": "周四",
        "五": "周五",
        "六": "周六",
        "日": "周日",
        "天": "周日",
    }
    words = ",".join(short.get(w, w) for w in re.split(r"[,;，；、\s]+", text) if w)
    days = parse_availability(words).weekdays
    if not days:
        raise FieldError(_("Say which weekdays, e.g. 周六 or sat."))
    return days
