"""Walk-ins: a person not in the register, typed at the desk (age or birth date,
phone), checked for likely duplicates, added and checked in in one action.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from clinic.core.dates import parse_date
from clinic.core.desk.consent import Consent, record_consent
from clinic.core.desk.days import age_on
from clinic.core.errors import (
    DuplicateWarning,
    FieldError,
    FormError,
    NotARealDate,
    RefusedError,
    collecting,
)
from clinic.core.idnumbers import parse_id
from clinic.core.phones import normalise_phone
from clinic.core.search import search_keys
from clinic.i18n import _
from clinic.store import Store
from clinic.store import persons as persons_q
from clinic.store.audit import record as record_audit

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
    except NotARealDate:
        raise  # "2023-02-30 is not a real date."
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
                problems["sex"] = _(
                    "The ID number says the person is {sex}: correct the sex or the ID number."
                ).format(sex=_("male") if idn.sex == "M" else _("female"))
            sex = sex or idn.sex
            born = idn.birth_date.isoformat()
            if birth and _is_age(form.birth):
                age, typed = age_on(born, today), age_on(birth, today)
                if age != typed:
                    problems["birth"] = _(
                        "The ID number gives the birth date as {date} (age {age}, not {typed}): "
                        "correct the age or the ID number."
                    ).format(date=born, age=age, typed=typed)
            elif birth and birth != born:
                problems["birth"] = _(
                    "The ID number gives the birth date as {date}, not {typed}: "
                    "correct the birth date or the ID number."
                ).format(date=born, typed=birth)
            birth = born
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
