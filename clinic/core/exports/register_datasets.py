"""Datasets of the registers: persons, households, and coverage of registered
households per village."""

from __future__ import annotations

from collections.abc import Iterator

from clinic.core.exports.dataset import (
    GROUP,
    RECORD_ID,
    TOWNSHIP_VILLAGE,
    Dataset,
    Labels,
    col,
    yes_word,
)
from clinic.core.reports import percent
from clinic.i18n import N_
from clinic.store import Store, figures
from clinic.store import datasets as datasets_q
from clinic.store.rules import Scope


def _person_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    for r in datasets_q.person_rows(store, scope):
        (
            town,
            village,
            group,
            hh_no,
            cat,
            name,
            relation,
            sex,
            birth,
            idn,
            phone,
            tags,
            fd,
            conds,
            other,
            walk_in,
            n_visits,
            last,
            uid,
        ) = r
        yield (
            town or "",
            village or "",
            group,
            hh_no or "",
            lab.category(cat),
            name,
            relation or "",
            lab.sex(sex),
            birth or "",
            ctx["id"](idn),
            ctx["phone"](phone),
            lab.tags(tags),
            lab.word("yes" if fd else "", yes_word(fd)),
            ";".join(x for x in (lab.condition_list(conds), other) if x),
            lab.word("yes" if walk_in else "", yes_word(walk_in)),
            n_visits,
            last or "",
            uid,
        )


PERSONS = Dataset(
    "persons",
    N_("Persons"),
    (
        *TOWNSHIP_VILLAGE,
        GROUP,
        col("household_number", N_("Household number")),
        col("category", N_("Household category")),
        col("name", N_("Name")),
        col("relation", N_("Relation to head")),
        col("sex", N_("Sex")),
        col("birth_date", N_("Birth date")),
        col("id_number", N_("ID number"), "id"),
        col("phone", N_("Phone"), "phone"),
        col("tags", N_("Tags")),
        col("family_doctor", N_("Family-doctor contract")),
        col("conditions", N_("Chronic conditions")),
        col("walk_in", N_("Walk-in")),
        col("visits", N_("Visits in the period"), "number"),
        col("last_visit", N_("Last visit")),
        RECORD_ID,
    ),
    _person_rows,
    N_("The register of persons (filtered by village) with their visits in the period."),
)


def _household_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    for r in datasets_q.household_rows(store, scope):
        town, village, group, number, head, cat, members, seen, last, cadre, uid = r
        yield (
            town,
            village,
            group,
            number or "",
            head,
            lab.category(cat),
            members,
            seen,
            lab.word("yes" if seen else "", yes_word(seen)),
            last or "",
            cadre or "",
            uid,
        )


HOUSEHOLDS = Dataset(
    "households",
    N_("Households"),
    (
        *TOWNSHIP_VILLAGE,
        GROUP,
        col("number", N_("Household number")),
        col("head", N_("Head of household")),
        col("category", N_("Household category")),
        col("members", N_("Members"), "number"),
        col("members_seen", N_("Members seen in the period"), "number"),
        col("served", N_("Served")),
        col("last_visit", N_("Last visit")),
        col("cadre", N_("Paired cadre")),
        RECORD_ID,
    ),
    _household_rows,
    N_(
        "The register of households (filtered by village) and whether each was served in the period."
    ),
)


def _coverage_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    for r in figures.coverage_rows(store, scope):
        yield (
            r["township"],
            r["village"],
            r["days"],
            r["visits"],
            r["people"],
            r["registered"],
            r["served"],
            percent(r["served"], r["registered"]),
            r["registered_poor"],
            r["served_poor"],
            percent(r["served_poor"], r["registered_poor"]),
            r["last_day"] or "",
        )


COVERAGE = Dataset(
    "coverage",
    N_("Coverage"),
    (
        *TOWNSHIP_VILLAGE,
        col("days", N_("Clinic days held"), "number"),
        col("visits", N_("Visits"), "number"),
        col("people", N_("People seen"), "number"),
        col("registered", N_("Households registered"), "number"),
        col("served", N_("Households served"), "number"),
        col("coverage_pct", N_("Coverage %"), "number"),
        col("registered_poor", N_("Registered households in a poverty category"), "number"),
        col("served_poor", N_("Of them served"), "number"),
        col("coverage_poor_pct", N_("Coverage of poverty categories %"), "number"),
        col("last_day", N_("Last clinic day")),
    ),
    _coverage_rows,
    N_("One row per village: clinic days, people seen, households registered and served."),
)
