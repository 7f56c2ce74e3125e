"""The visit form: reading it, the default follow-up, saving it, loading it back."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from clinic.core import vitals as V
from clinic.core.dates import parse_date
from clinic.core.desk.consent import consented_visit
from clinic.core.desk.days import age_on, get_day, stamp
from clinic.core.edits import Edit, Saved
from clinic.core.errors import (
    FieldError,
    FormError,
    NotFoundError,
    collecting,
)
from clinic.core.users import User, require
from clinic.i18n import _, pick
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import person_details as details_q
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q

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


def clinician(by: User, volunteer_id: int | None) -> int | None:
    """The volunteer a visit's vitals and consult are recorded under ("seen by"): the
    signed-in clinician's own volunteer when their user is linked to one, else the
    volunteer they said they are at the desk. A user who is not a clinician (a
    clerk, a pharmacist) may not record them (SignInError)."""
    require(by, "record_consult")
    return acting_volunteer(by, volunteer_id)


def acting_volunteer(by: User | None, volunteer_id: int | None) -> int | None:
    """The volunteer a desk's work is recorded under (a visit "seen by", a health
    prescription "given by"): the signed-in user's own volunteer when their user is
    linked to one (another user may have signed in over the desk, F12), else the
    volunteer the desk said it is."""
    return (by.volunteer_id if by is not None else None) or volunteer_id


def save_visit(
    store: Store,
    day: dict,
    visit_id: int,
    form: VisitForm,
    now: dt.datetime,
    volunteer_id: int | None = None,
    *,
    by: User,
    finish: bool = False,
) -> SaveResult:
    """Save the form as it stands: valid values are stored, the raw text of the
    whole form is kept in ``draft_form`` so nothing typed is lost. ``finish``
    closes the visit (refused while a value is wrong). Only a clinician saves
    it, and the visit is theirs (:func:`clinician`)."""
    volunteer_id = clinician(by, volunteer_id)
    row, result = read_visit_form(form, day["date"])
    with store.transaction():
        visit = consented_visit(store, visit_id)
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


# The fields two desks' saves of one visit are merged by (clinic.core.edits).
VISIT_FIELDS = (*FORM_FIELDS, "fasting", "conditions")


def visit_fields(form: VisitForm) -> dict[str, Any]:
    """The form as the merge sees it: one value per field."""
    fields: dict[str, Any] = {name: form.values.get(name, "") for name in FORM_FIELDS}
    fields.update(fasting=form.fasting, conditions=list(form.conditions))
    return fields


def visit_form_of(fields: dict[str, Any], queue: str | None) -> VisitForm:
    values = {name: fields.get(name) or "" for name in FORM_FIELDS}
    return VisitForm(
        values={k: v for k, v in values.items() if v},
        fasting=bool(fields.get("fasting")),
        conditions=list(fields.get("conditions") or []),
        queue=queue,
    )


def visit_edit(store: Store, visit_id: int) -> tuple[VisitForm, Edit]:
    """The form as it was left, and the edit that will save it without undoing
    another desk's fields."""
    form = load_visit_form(store, visit_id)
    return form, Edit("visit", visit_id, visit_fields(form))


def save_visit_edit(
    store: Store,
    edit: Edit,
    day: dict,
    form: VisitForm,
    now: dt.datetime,
    volunteer_id: int | None = None,
    *,
    by: User,
    finish: bool = False,
    keep_mine: tuple[str, ...] = (),
) -> Saved:
    """Save the form merged field by field with what another desk saved meanwhile
    (clinic.core.edits): a field both changed differently is not written but
    returned as a clash; the visit is not closed while one is open. Only a
    clinician saves (:func:`save_visit`); the changes are recorded as ``by``'s."""

    def read(store: Store) -> dict[str, Any]:
        return visit_fields(load_visit_form(store, edit.record_id))

    def write(store: Store, merged: dict[str, Any], clean: bool) -> None:
        save_visit(
            store,
            day,
            edit.record_id,
            visit_form_of(merged, form.queue),
            now,
            volunteer_id,
            by=by,
            finish=finish and clean,
        )

    return edit.save(
        store,
        visit_fields(form),
        fields=VISIT_FIELDS,
        read=read,
        write=write,
        actor=by.name,
        at=stamp(day, now),
        keep_mine=keep_mine,
        always=True,
    )


def load_visit_form(store: Store, visit_id: int) -> VisitForm:
    """The form as it was left: the raw draft if there is one, else the stored
    values. A new form starts at *random* glucose: the last patient's fasting
    choice carried over to the next person was wrong as often as right."""
    visit = visits_q.visit(store, visit_id)
    if not visit:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    draft = json.loads(visit.get("draft_form") or "{}")
    # A draft with no value typed yet still holds the form's fasting choice and
    # conditions (the merge of two desks reads it back: clinic.core.edits).
    if "values" in draft:
        return VisitForm(
            values=dict(draft["values"]),
            fasting=bool(draft.get("fasting")),
            conditions=list(draft.get("conditions", [])),
            queue=visit["queue"],
        )
    values = {}
    if visit["sbp"] and visit["dbp"]:
        values["bp"] = f"{visit['sbp']}/{visit['dbp']}"
    for key in FORM_FIELDS:
        if key != "bp" and visit.get(key) not in (None, ""):  # bp: the two columns above
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
    if not person:
        raise NotFoundError(_("There is no person number {id}.").format(id=visit["person_id"]))
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


def visit_handouts(store: Store, visit_id: int) -> list[dict]:
    """What was handed out at the visit so far (the one query of ``visit_context``'s
    handouts: the form and the dialog read it again without the person's history)."""
    return visits_q.visit_handouts(store, visit_id)


def conditions_catalogue(store: Store) -> list[tuple[str, str]]:
    return [(r["code"], pick(r["name_zh"], r["name_en"])) for r in catalogues_q.conditions(store)]


def specialties_catalogue(store: Store) -> list[tuple[str, str]]:
    return [
        (r["code"], pick(r["name_zh"], r["name_en"]))
        for r in catalogues_q.specialties(store, clinical_only=True)
    ]
