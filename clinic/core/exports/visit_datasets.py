"""Datasets of what happened at the desk: visits, health prescriptions handed
out, and follow-ups due."""

from __future__ import annotations

import json
from collections.abc import Iterator

from clinic.core.exports.dataset import (
    RECORD_ID,
    TOWNSHIP_VILLAGE,
    Dataset,
    Labels,
    age_on,
    col,
)
from clinic.i18n import N_, _, pick
from clinic.store import Store
from clinic.store import datasets as datasets_q
from clinic.store.rules import Scope


def _visit_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    for r in datasets_q.visit_rows(store, scope):
        (
            date,
            town,
            village,
            org,
            name,
            sex,
            birth,
            idn,
            phone,
            hh_no,
            cat,
            tags,
            arrived,
            queue,
            sbp,
            dbp,
            pulse,
            glucose,
            fasting,
            weight,
            height,
            flags,
            conds,
            n_handouts,
            referral,
            follow_up,
            seen_by,
            uid,
        ) = r
        yield (
            date,
            town,
            village,
            org,
            name,
            lab.sex(sex),
            age_on(birth, date),
            ctx["id"](idn),
            ctx["phone"](phone),
            hh_no,
            lab.category(cat),
            lab.tags(tags),
            arrived,
            lab.specialties.get(queue, queue) if queue else "",
            sbp,
            dbp,
            pulse,
            glucose,
            _glucose_kind(lab, fasting),
            weight,
            height,
            lab.flags(flags),
            lab.condition_list(conds),
            n_handouts,
            referral or "",
            follow_up or "",
            seen_by or "",
            uid,
        )


VISITS = Dataset(
    "visits",
    N_("Visits"),
    (
        col("date", N_("Date")),
        *TOWNSHIP_VILLAGE,
        col("organisation", N_("Organisation")),
        col("name", N_("Name")),
        col("sex", N_("Sex")),
        col("age", N_("Age"), "number"),
        col("id_number", N_("ID number"), "id"),
        col("phone", N_("Phone"), "phone"),
        col("household_number", N_("Household number")),
        col("category", N_("Household category")),
        col("tags", N_("Tags")),
        col("arrived_at", N_("Arrived at")),
        col("queue", N_("Queue")),
        col("sbp", N_("Systolic (mmHg)"), "number"),
        col("dbp", N_("Diastolic (mmHg)"), "number"),
        col("pulse", N_("Pulse (/min)"), "number"),
        col("glucose", N_("Glucose (mmol/L)"), "number"),
        col("glucose_kind", N_("Glucose fasting or random")),
        col("weight_kg", N_("Weight (kg)"), "number"),
        col("height_cm", N_("Height (cm)"), "number"),
        col("flags", N_("Flags")),
        col("conditions", N_("Conditions assessed")),
        col("handouts", N_("Health prescriptions"), "number"),
        col("referral_to", N_("Referred to")),
        col("follow_up_due", N_("Follow-up due")),
        col("seen_by", N_("Seen by")),
        RECORD_ID,
    ),
    _visit_rows,
    N_("One row per visit on the clinic days held in the period."),
)


def _handout_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    for r in datasets_q.handout_rows(store, scope):
        (
            date,
            town,
            village,
            name,
            idn,
            cond,
            code,
            version,
            title_zh,
            title_en,
            ticked,
            given_by,
            given_at,
            uid,
        ) = r
        try:
            items = ";".join(str(i) for i in json.loads(ticked or "[]"))
        except ValueError:
            items = ticked or ""
        yield (
            date,
            town,
            village,
            name,
            ctx["id"](idn),
            lab.conditions.get(cond, cond),
            code,
            version,
            title_zh if lab.codes else pick(title_zh, title_en),  # JSON: the title as printed
            items,
            given_by or "",
            given_at,
            uid,
        )


HANDOUTS = Dataset(
    "handouts",
    N_("Health prescriptions"),
    (
        col("date", N_("Date")),
        *TOWNSHIP_VILLAGE,
        col("name", N_("Name")),
        col("id_number", N_("ID number"), "id"),
        col("condition", N_("Condition")),
        col("template", N_("Template")),
        col("version", N_("Version")),
        col("title", N_("Title")),
        col("ticked", N_("Items ticked")),
        col("given_by", N_("Given by")),
        col("given_at", N_("Given at")),
        RECORD_ID,
    ),
    _handout_rows,
    N_("One row per health prescription handed out on the clinic days held in the period."),
)


def _follow_up_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    status_words = {"overdue": lab.word("overdue", _("overdue")), "due": lab.word("due", _("due"))}
    for r in datasets_q.follow_up_rows(store, scope, ctx["today"]):
        (
            town,
            village,
            name,
            sex,
            birth,
            idn,
            phone,
            last_visit,
            due,
            status,
            conds,
            flags,
            referral,
            next_day,
            sbp,
            dbp,
            glucose,
            fasting,
            hh_no,
            head,
            uid,
        ) = r
        yield (
            town,
            village,
            name,
            lab.sex(sex),
            age_on(birth, ctx["today"]),
            ctx["id"](idn),
            ctx["phone"](phone),
            last_visit,
            due,
            status_words[status],
            lab.condition_list(conds),
            lab.flags(flags),
            f"{sbp}/{dbp}" if sbp and dbp else "",
            glucose,
            _glucose_kind(lab, fasting),
            referral or "",
            next_day or "",
            hh_no or "",
            head or "",
            uid,
        )


def _glucose_kind(lab: Labels, fasting: int | None) -> str:
    if fasting is None:
        return ""
    return lab.word("fasting", _("fasting")) if fasting else lab.word("random", _("random"))


FOLLOW_UPS = Dataset(
    "follow-ups",
    N_("Follow-ups"),
    (
        *TOWNSHIP_VILLAGE,
        col("name", N_("Name")),
        col("sex", N_("Sex")),
        col("age", N_("Age"), "number"),
        col("id_number", N_("ID number"), "id"),
        col("phone", N_("Phone"), "phone"),
        col("last_visit", N_("Last visit")),
        col("due", N_("Follow-up due")),
        col("status", N_("Status")),
        col("conditions", N_("Conditions assessed")),
        col("flags", N_("Flags")),
        col("last_bp", N_("Last blood pressure (mmHg)")),
        col("last_glucose", N_("Last glucose (mmol/L)"), "number"),
        col("last_glucose_kind", N_("Glucose fasting or random")),
        col("referral_to", N_("Referred to")),
        col("next_clinic_day", N_("Next clinic day in the village")),
        col("household_number", N_("Household number")),
        col("head", N_("Head of household")),
        RECORD_ID,
    ),
    _follow_up_rows,
    N_(
        "Follow-ups still open (the person's latest visit asked for one), due and overdue, by village; --to bounds the due date."
    ),
)
