"""The clinic-day desk: open a day, check people in, record visits and consent.

Every record names the volunteer who made it. A visit on a past clinic day
(forms written on paper first, entered afterwards) takes the clinic day's
date, not today's: see ``stamp``.

Consent (PIPL) comes before health data: ``check_in`` refuses a person
without consent on record unless consent is given in the same action, and
``save_visit`` refuses to store vitals for a visit whose person has none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from clinic.core import vitals as V
from clinic.core.dates import parse_date
from clinic.core.errors import (
    DuplicateWarning,
    FieldError,
    FormError,
    InputError,
    NotFoundError,
    RefusedError,
    collecting,
)
from clinic.core.idnumbers import parse_id
from clinic.core.phones import normalise_phone
from clinic.core.search import PersonHit, age_from_iso, find_persons, search_keys
from clinic.i18n import _, pick
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import catalogues as catalogues_q
from clinic.store import days as days_q
from clinic.store import person_details as details_q
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q
from clinic.store import volunteers as volunteers_q
from clinic.store.audit import record as record_audit

STATES = ("waiting", "with_doctor", "done")


# -- small helpers ------------------------------------------------------------


def age_on(birth: str | None, on: dt.date) -> int | None:
    """Age on the clinic day (not today: past days are typed in afterwards)."""
    return age_from_iso(birth, on)


def stamp(day: dict, now: dt.datetime) -> str:
    """The time a record made now for ``day`` carries: now on the day itself,
    the day's date with the present clock time when a past day is entered
    afterwards (so the order of entry is kept)."""
    if day["date"] == now.date().isoformat():
        return now.strftime("%Y-%m-%d %H:%M:%S")
    return f"{day['date']} {now.strftime('%H:%M:%S')}"


def minutes_between(start: str | None, end: str | dt.datetime) -> int | None:
    if not start:
        return None
    try:
        a = dt.datetime.fromisoformat(start)
        b = end if isinstance(end, dt.datetime) else dt.datetime.fromisoformat(end)
    except ValueError:
        return None
    return max(0, int((b - a).total_seconds() // 60))


# -- clinic days --------------------------------------------------------------


def day_label(day: dict) -> str:
    place = f"{day['township']} {day['village']}"
    return f"{day['date']} {place}" + (f" · {day['venue']}" if day.get("venue") else "")


def days_for_desk(store: Store, today: dt.date) -> list[dict]:
    return days_q.days_around(store, today.isoformat())


def get_day(store: Store, day_id: int) -> dict:
    found = days_q.day(store, day_id)
    if not found:
        raise NotFoundError(_("There is no clinic day number {id}.").format(id=day_id))
    return found


def create_walk_in_day(
    store: Store,
    village_id: int,
    date: dt.date,
    organisation_id: int | None = None,
    venue: str = "",
) -> int:
    """A clinic day made on the spot at the desk (nobody planned it in advance)."""
    with store.transaction():
        return days_q.insert_day(
            store,
            {
                "date": date.isoformat(),
                "village_id": village_id,
                "organisation_id": organisation_id,
                "venue": venue,
                "status": "confirmed",
                "walk_in": 1,
            },
        )


def join_desk(store: Store, day_id: int, volunteer_id: int, role: str | None = None) -> None:
    """A volunteer says they are at the desk: their assignment is marked attended
    (made if they were not on the roster)."""
    with store.transaction():
        found = assignments_q.assignment_of(store, day_id, volunteer_id)
        if found:
            if found["status"] != "attended":
                assignments_q.update_assignment(store, found["id"], {"status": "attended"})
            return
        vol = volunteers_q.volunteer(store, volunteer_id)
        if not vol:
            raise NotFoundError(_("There is no volunteer number {id}.").format(id=volunteer_id))
        assignments_q.insert_assignment(
            store,
            day_id,
            volunteer_id,
            role or vol["specialty_code"] or "clerk",
            status="attended",
        )


def fill_hours(store: Store, day_id: int) -> int:
    """Type the day's planned length (start to end) as the hours of every
    volunteer marked attended without typed hours; returns how many. The
    figures already count them so (docs/figures.md): this only makes it
    typed, so the summary no longer marks them with *."""
    get_day(store, day_id)
    with store.transaction():
        return assignments_q.fill_hours(store, day_id)


def volunteers_for_day(store: Store, day_id: int) -> list[dict]:
    """The day's assigned volunteers first, then every other active volunteer."""
    assigned = assignments_q.day_volunteers(store, day_id)
    ids = {v["id"] for v in assigned}
    others = [
        dict(v, status=None) for v in volunteers_q.all_volunteers(store) if v["id"] not in ids
    ]
    return assigned + others


def seen_counts(store: Store, day_id: int) -> dict[int, int]:
    return visits_q.seen_counts(store, day_id)


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


# -- consent ------------------------------------------------------------------


def has_consent(store: Store, person_id: int) -> bool:
    return details_q.current_consent(store, person_id) is not None


@dataclass
class Consent:
    explained_by: int | None
    signed_by: str = "self"  # or "proxy"
    proxy_name: str = ""
    proxy_relation: str = ""

    def check(self) -> None:
        if self.explained_by is None:
            raise FieldError(
                _("Say who explained the consent (the volunteer at the desk)."), "explained_by"
            )
        if self.signed_by not in ("self", "proxy"):
            raise FieldError(_("Consent is signed by the person or by a proxy."), "signed_by")
        if self.signed_by == "proxy" and not self.proxy_name.strip():
            raise FieldError(_("Give the name of the proxy who signed for the person."), "proxy")


def record_consent(store: Store, person_id: int, consent: Consent, at: str) -> int:
    consent.check()
    proxy = consent.signed_by == "proxy"
    return details_q.insert_consent(
        store,
        {
            "person_id": person_id,
            "given_at": at,
            "explained_by": consent.explained_by,
            "signed_by": consent.signed_by,
            "proxy_name": (consent.proxy_name.strip() or None) if proxy else None,
            "proxy_relation": (consent.proxy_relation.strip() or None) if proxy else None,
        },
    )


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


def queue_rows(
    store: Store, day: dict, now: dt.datetime, specialty: str | None = None
) -> list[dict]:
    """The day's queue with minutes waited (until called, or until now)."""
    rows = visits_q.queue(store, day["id"], specialty)
    clock = now if day["date"] == now.date().isoformat() else None
    for row in rows:
        end = row["called_at"] or row["done_at"] or clock
        row["waited"] = minutes_between(row["arrived_at"], end) if end else None
        row["flag_list"] = V.parse_flags(row["flags"])
    return rows


def queue_counts(rows: list[dict]) -> dict[str, int]:
    """How many of the queue's visits are in each state (the queue's title), every state named."""
    return {state: sum(1 for r in rows if r["state"] == state) for state in STATES}


def set_state(
    store: Store, day: dict, visit_id: int, state: str, volunteer_id: int | None, now: dt.datetime
) -> None:
    if state not in STATES:
        raise InputError(_("Unknown queue state {state}.").format(state=state))
    with store.transaction():
        visit = visits_q.visit(store, visit_id)
        if not visit:
            raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
        values: dict[str, Any] = {"state": state, "updated_at": stamp(day, now)}
        if state == "with_doctor":
            values["called_at"] = visit["called_at"] or stamp(day, now)
            values["seen_by"] = visit["seen_by"] or volunteer_id
        elif state == "done":
            values["done_at"] = stamp(day, now)
            values["called_at"] = visit["called_at"] or stamp(day, now)
            values["seen_by"] = visit["seen_by"] or volunteer_id
        else:
            values["called_at"] = None
            values["done_at"] = None
        visits_q.update_visit(store, visit_id, values)


NEXT_STATE = {"waiting": "with_doctor", "with_doctor": "done", "done": "waiting"}


def next_state(state: str) -> str:
    """The state Ctrl+T moves a visit to: waiting, with a doctor, done, and round again."""
    return NEXT_STATE[state]


def advance_state(
    store: Store, day: dict, visit_id: int, volunteer_id: int | None, now: dt.datetime
) -> str:
    """Move a visit on to its next queue state (see ``next_state``); returns the new state."""
    current = visit(store, visit_id)
    if not current:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    following = next_state(current["state"])
    set_state(store, day, visit_id, following, volunteer_id, now)
    return following


def set_queue(store: Store, visit_id: int, specialty: str | None) -> None:
    with store.transaction():
        visits_q.update_visit(store, visit_id, {"queue": specialty or None})


# -- walk-ins -----------------------------------------------------------------


@dataclass
class WalkIn:
    name: str
    sex: str | None
    birth: str = ""  # a date or an age in years
    village_id: int | None = None
    phone: str = ""
    id_number: str = ""


@dataclass
class CleanWalkIn:
    name: str
    sex: str | None
    birth_date: str | None
    village_id: int | None
    phone: str | None
    id_number: str | None
    id_number_old: str | None
    problems: dict[str, str] = field(default_factory=dict)


_AGE = re.compile(r"^(\d{1,3})\s*(岁|周岁|y|yrs?|years?)?$", re.I)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _is_age(text: str) -> bool:
    return bool(_AGE.match(unicodedata.normalize("NFKC", text or "").strip()))


def _parse_birth(text: str, today: dt.date) -> str | None:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    match = _AGE.match(value)
    if match:
        age = int(match.group(1))
        if not 0 <= age <= 120:
            raise FieldError(_("An age of {age} years is not plausible.").format(age=age))
        # Only the age is known: half a year past that birthday keeps the age
        # right today and for the six months on either side.
        born = _years_before(today, age) - dt.timedelta(days=182)
        return born.isoformat()
    try:
        born = parse_date(value)
    except FieldError:
        raise FieldError(_("Type a birth date (1956-03-02) or an age in years (68).")) from None
    if born > today or born.year < 1890:
        raise FieldError(_("The birth date {date} is not plausible.").format(date=born.isoformat()))
    return born.isoformat()


def _parse_phone(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    return normalise_phone(value)


def clean_walk_in(form: WalkIn, today: dt.date) -> CleanWalkIn:
    """Check a walk-in form; every problem is collected per field (``problems``:
    :func:`check_walk_in` raises them as one FormError)."""
    problems: dict[str, str] = {}
    name = unicodedata.normalize("NFKC", form.name or "").strip()
    name = re.sub(r"\s+", "" if not name.isascii() else " ", name)
    if not name:
        problems["name"] = _("The name is required.")
    birth = number = old = phone = None
    with collecting(problems, "birth"):
        birth = _parse_birth(form.birth, today)
    with collecting(problems, "phone"):
        phone = _parse_phone(form.phone)
    sex = form.sex if form.sex in ("M", "F") else None
    if form.id_number.strip():
        with collecting(problems, "id_number"):
            idn = parse_id(form.id_number, today)
            number, old = idn.number, idn.old
            if sex and sex != idn.sex:
                problems["sex"] = _("The ID number says the person is {sex}.").format(
                    sex=_("male") if idn.sex == "M" else _("female")
                )
            sex = sex or idn.sex
            if birth and _is_age(form.birth):
                if age_on(idn.birth_date.isoformat(), today) != age_on(birth, today):
                    problems["birth"] = _("The ID number gives the birth date as {date}.").format(
                        date=idn.birth_date.isoformat()
                    )
            elif birth and birth != idn.birth_date.isoformat():
                problems["birth"] = _("The ID number gives the birth date as {date}.").format(
                    date=idn.birth_date.isoformat()
                )
            birth = idn.birth_date.isoformat()
    if sex is None and "sex" not in problems:
        problems["sex"] = _("Choose the sex.")
    if form.village_id is None:
        problems["village"] = _("Choose the village.")
    return CleanWalkIn(name, sex, birth, form.village_id, phone, number, old, problems)


def likely_duplicates(store: Store, clean: CleanWalkIn) -> list[dict]:
    """Registered persons this walk-in may be: same ID number, same phone and
    name, or same name with a birth year within a year or the same village."""
    found: dict[int, dict] = {}
    if clean.id_number:
        row = persons_q.person_with_id_number(store, clean.id_number)
        if row:
            found[row["id"]] = row
    if clean.phone:
        for row in persons_q.persons_with_phone(store, clean.phone):
            if row["name"] == clean.name:
                found[row["id"]] = row
    for row in persons_q.persons_named(store, clean.name):
        same_village = clean.village_id is not None and row["village_id"] == clean.village_id
        close_year = (
            clean.birth_date
            and row["birth_date"]
            and abs(int(row["birth_date"][:4]) - int(clean.birth_date[:4])) <= 1
        )
        if same_village or close_year:
            found[row["id"]] = row
    return list(found.values())


def check_walk_in(store: Store, clean: CleanWalkIn, *, confirm_duplicate: bool = False) -> None:
    """What refuses a walk-in before anything is asked or written: a problem in the
    form, a registered ID number, a likely duplicate not yet confirmed."""
    if clean.problems:
        raise FormError(clean.problems)
    dupes = likely_duplicates(store, clean)
    if clean.id_number and any(d["id_number"] == clean.id_number for d in dupes):
        raise DuplicateWarning(
            _("A person with this ID number is already registered: check them in instead."), dupes
        )
    if dupes and not confirm_duplicate:
        raise DuplicateWarning(
            _(
                "{n} registered person(s) look like this walk-in. Check one of them in, or confirm a new person."
            ).format(n=len(dupes)),
            dupes,
        )


def add_walk_in(
    store: Store,
    clean: CleanWalkIn,
    consent: Consent | None,
    *,
    at: str,
    confirm_duplicate: bool = False,
    actor: str = "",
    volunteer_id: int | None = None,
) -> int:
    """Register a walk-in person with their consent, in one transaction.

    Without consent nothing is stored, not even the name: the consent dialog
    promises it (PIPL), and the rule is here so every front end keeps it.
    Refuses a likely duplicate unless confirmed; the audit log records who
    registered them (never the ID or phone number)."""
    if consent is None:
        raise RefusedError(
            _("No consent: the walk-in is not registered and nothing is recorded."), "consent"
        )
    consent.check()
    check_walk_in(store, clean, confirm_duplicate=confirm_duplicate)
    dupes = likely_duplicates(store, clean)
    keys = sorted(search_keys(clean.name, clean.id_number, clean.phone))
    try:
        return _insert_walk_in(store, clean, keys, dupes, consent, at, actor, volunteer_id)
    except sqlite3.IntegrityError:
        # Another desk registered the same ID number a moment ago.
        raise DuplicateWarning(
            _("A person with this ID number is already registered: check them in instead."),
            likely_duplicates(store, clean),
        ) from None


def _insert_walk_in(
    store: Store,
    clean: CleanWalkIn,
    keys: list[str],
    dupes: list[dict],
    consent: Consent,
    at: str,
    actor: str,
    volunteer_id: int | None,
) -> int:
    with store.transaction():
        person_id = persons_q.insert_person(
            store,
            {
                "name": clean.name,
                "sex": clean.sex,
                "birth_date": clean.birth_date,
                "village_id": clean.village_id,
                "phone": clean.phone,
                "id_number": clean.id_number,
                "id_number_old": clean.id_number_old,
                "walk_in": 1,
            },
            keys,
        )
        record_consent(store, person_id, consent, at)
        detail = {
            "person_id": person_id,
            "volunteer_id": volunteer_id,
            "duplicate_confirmed": bool(dupes),
        }
        record_audit(store, actor or "desk", "walk_in", json.dumps(detail), 1)
        return person_id


# -- visits -------------------------------------------------------------------

FORM_FIELDS = (
    "bp",
    "pulse",
    "glucose",
    "weight_kg",
    "height_cm",
    "complaint",
    "notes",
    "referral_to",
    "follow_up_due",
)


@dataclass
class VisitForm:
    """What the visit form holds, as typed."""

    values: dict[str, str] = field(default_factory=dict)
    fasting: bool = False
    conditions: list[str] = field(default_factory=list)
    queue: str | None = None


@dataclass
class SaveResult:
    flags: list[V.Flag]
    problems: dict[str, str]


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day if shorter)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _parse_follow_up(text: str, day_date: str) -> str | None:
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    base = dt.date.fromisoformat(day_date)
    match = re.fullmatch(r"(\d{1,3})\s*(d|天|w|周|m|月|个月)?", value, re.I)
    if match:
        n = int(match.group(1))
        if n == 0:
            raise FieldError(_("The follow-up date must be after the visit."))
        unit = (match.group(2) or "d").lower()
        if unit in ("m", "月", "个月"):
            return _add_months(base, n).isoformat()
        return (base + dt.timedelta(days=n * (7 if unit in ("w", "周") else 1))).isoformat()
    try:
        found = parse_date(value)
    except FieldError:
        raise FieldError(_("Follow-up: a date (2026-12-24) or a delay (30d, 4w, 3m).")) from None
    if found <= base:
        raise FieldError(_("The follow-up date must be after the visit."))
    return found.isoformat()


# Conditions followed up every three months (hypertension at least four times
# a year, type 2 diabetes likewise in the basic public-health service norms).
QUARTERLY = {"hypertension", "diabetes"}
FLAG_FOLLOW_UP = {"bp_raised", "bp_urgent", "glucose_diabetes", "glucose_high"}


def default_follow_up(flags: list[V.Flag], conditions: list[str]) -> str | None:
    """The follow-up the form proposes for these findings, or None: three months,
    as a user of the interface's language types it ("3m", "3个月")."""
    if any(f.code in FLAG_FOLLOW_UP for f in flags) or QUARTERLY & set(conditions):
        return _("3m")
    return None


def read_visit_form(form: VisitForm, day_date: str) -> tuple[dict, SaveResult]:
    vit = V.read_form(form.values, form.fasting)
    problems = dict(vit.problems)
    row: dict[str, Any] = vit.as_row()
    if "bp" in problems:
        row.pop("sbp")
        row.pop("dbp")
    for key in ("pulse", "glucose", "weight_kg", "height_cm"):
        if key in problems:
            row.pop(key)
            if key == "glucose":
                row.pop("glucose_fasting")
    for key in ("complaint", "notes"):
        row[key] = (form.values.get(key) or "").strip()
    referral = (form.values.get("referral_to") or "").strip()
    row["referral_to"] = referral or None
    with collecting(problems, "follow_up_due"):
        row["follow_up_due"] = _parse_follow_up(form.values.get("follow_up_due", ""), day_date)
    flags = V.flags_for(vit.sbp, vit.dbp, vit.glucose, form.fasting)
    row["flags"] = V.flags_text(flags)
    return row, SaveResult(flags, problems)


def save_visit(
    store: Store,
    day: dict,
    visit_id: int,
    form: VisitForm,
    now: dt.datetime,
    volunteer_id: int | None = None,
    *,
    finish: bool = False,
) -> SaveResult:
    """Save the form as it stands: valid values are stored, the raw text of the
    whole form is kept in ``draft_form`` so nothing typed is lost. ``finish``
    closes the visit (refused while a value is wrong)."""
    row, result = read_visit_form(form, day["date"])
    with store.transaction():
        visit = visits_q.visit(store, visit_id)
        if not visit:
            raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
        if not has_consent(store, visit["person_id"]):
            raise RefusedError(
                _("No consent on record for this person: no health data can be stored."), "consent"
            )
        if finish and result.problems:
            raise FormError(result.problems)
        row["draft_form"] = json.dumps(
            {"values": form.values, "fasting": form.fasting, "conditions": form.conditions},
            ensure_ascii=False,
        )
        row["updated_at"] = stamp(day, now)
        row["queue"] = form.queue if form.queue is not None else visit["queue"]
        if finish:
            row.update(
                draft=0,
                state="done",
                done_at=stamp(day, now),
                called_at=visit["called_at"] or stamp(day, now),
                seen_by=visit["seen_by"] or volunteer_id,
            )
        elif visit["state"] == "waiting" and any(
            form.values.get(k) for k in ("bp", "glucose", "pulse")
        ):
            row.update(
                state="with_doctor",
                called_at=stamp(day, now),
                seen_by=visit["seen_by"] or volunteer_id,
            )
        visits_q.update_visit(store, visit_id, row)
        visits_q.set_visit_conditions(store, visit_id, form.conditions)
    return result


def load_visit_form(store: Store, visit_id: int) -> VisitForm:
    """The form as it was left: the raw draft if there is one, else the stored
    values. A new form starts at *random* glucose: the last patient's fasting
    choice carried over to the next person was wrong as often as right."""
    visit = visits_q.visit(store, visit_id)
    if not visit:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    draft = json.loads(visit.get("draft_form") or "{}")
    if draft.get("values"):
        return VisitForm(
            values=dict(draft["values"]),
            fasting=bool(draft.get("fasting")),
            conditions=list(draft.get("conditions", [])),
            queue=visit["queue"],
        )
    values = {}
    if visit["sbp"] and visit["dbp"]:
        values["bp"] = f"{visit['sbp']}/{visit['dbp']}"
    for key in (
        "pulse",
        "glucose",
        "weight_kg",
        "height_cm",
        "complaint",
        "notes",
        "referral_to",
        "follow_up_due",
    ):
        if visit.get(key) not in (None, ""):
            values[key] = f"{visit[key]:g}" if isinstance(visit[key], float) else str(visit[key])
    fasting = bool(visit["glucose_fasting"])
    return VisitForm(
        values=values,
        fasting=fasting,
        conditions=visits_q.visit_conditions(store, visit_id),
        queue=visit["queue"],
    )


def visit_context(store: Store, visit_id: int, today: dt.date) -> dict:
    """What the visit form shows beside the fields: the person, their record, history."""
    visit = visits_q.visit(store, visit_id)
    if not visit:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    day = get_day(store, visit["clinic_day_id"])
    person = persons_q.person(store, visit["person_id"])
    return {
        "visit": visit,
        "day": day,
        "person": person,
        "age": age_on(person["birth_date"], dt.date.fromisoformat(day["date"])),
        "tags": details_q.person_tags(store, person["id"]),
        "conditions_on_record": details_q.person_conditions(store, person["id"]),
        "history": visits_q.visit_history(store, person["id"], day["date"]),
        "handouts": visits_q.visit_handouts(store, visit_id),
        "consent": details_q.current_consent(store, person["id"]),
    }


def conditions_catalogue(store: Store) -> list[tuple[str, str]]:
    return [(r["code"], pick(r["name_zh"], r["name_en"])) for r in catalogues_q.conditions(store)]


def specialties_catalogue(store: Store) -> list[tuple[str, str]]:
    return [
        (r["code"], pick(r["name_zh"], r["name_en"]))
        for r in catalogues_q.specialties(store, clinical_only=True)
    ]


# -- what the desk screen reads ------------------------------------------------


def find_day(store: Store, day_id: int) -> dict | None:
    """The clinic day, or None when there is no such day (``get_day`` raises instead)."""
    return days_q.day(store, day_id)


def volunteer(store: Store, volunteer_id: int) -> dict | None:
    """The volunteer at the desk (``id``, ``name``, ``specialty_code``, ``licence_no``)."""
    return volunteers_q.volunteer(store, volunteer_id)


def person(store: Store, person_id: int) -> dict | None:
    """One registered person, as the desk shows them."""
    return persons_q.person(store, person_id)


def visit(store: Store, visit_id: int) -> dict | None:
    return visits_q.visit(store, visit_id)


def visit_for(store: Store, day_id: int, person_id: int) -> dict | None:
    """The person's visit on that clinic day, if they are checked in."""
    return visits_q.visit_for(store, day_id, person_id)


def checked_in_among(store: Store, day_id: int, person_ids: list[int]) -> set[int]:
    """Which of these persons are checked in on the day (the ✓ beside a search hit)."""
    return visits_q.checked_in_among(store, day_id, person_ids)


def queue_stamp(store: Store, day_id: int) -> tuple:
    """Changes whenever the day's queue does: another desk's change is polled for by it."""
    return visits_q.queue_stamp(store, day_id)


def queue_codes(store: Store, day_id: int) -> set[str]:
    """The specialties the day's visits are queued for or the day needs."""
    return days_q.day_queue_codes(store, day_id)


def needs_consent(store: Store, day_id: int, person_id: int) -> bool:
    """Whether checking this person in must first ask for consent: none is on record
    and they are not already checked in on the day (checking in again only re-shows
    the visit; it stores no health data)."""
    return not has_consent(store, person_id) and visit_for(store, day_id, person_id) is None
