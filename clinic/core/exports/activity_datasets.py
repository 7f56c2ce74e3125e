"""Datasets of the work done: volunteers' hours, health talks, and the report's
figures as a table."""

from __future__ import annotations

from collections.abc import Iterator

from clinic.core.exports.dataset import RECORD_ID, TOWNSHIP_VILLAGE, Dataset, Labels, col
from clinic.core.figures import volunteer_figures
from clinic.core.reports import REPORT_COLUMNS
from clinic.i18n import N_
from clinic.store import Store, figures
from clinic.store.rules import Scope


def _volunteer_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    lab: Labels = ctx["labels"]
    for r in volunteer_figures(store, scope).rows:
        yield (
            r["short_name"] or "",
            r["name"],
            ctx["phone"](r["phone"]),
            lab.specialties.get(r["specialty_code"], r["specialty_code"] or ""),
            r["days"],
            r["hours"],
            r["untyped"],
            r["first_day"],
            r["last_day"],
            r["uid"],
        )


VOLUNTEER_HOURS = Dataset(
    "volunteer-hours",
    N_("Volunteer hours"),
    (
        col("organisation", N_("Organisation")),
        col("name", N_("Name")),
        col("phone", N_("Phone"), "phone"),
        col("specialty", N_("Specialty")),
        col("days", N_("Clinic days attended"), "number"),
        col("hours", N_("Hours"), "number"),
        col(
            "hours_not_typed",
            N_("Days without typed hours (counted at the planned length)"),
            "number",
        ),
        col("first_day", N_("First day")),
        col("last_day", N_("Last day")),
        RECORD_ID,
    ),
    _volunteer_rows,
    N_("One row per volunteer: clinic days attended and hours in the period."),
)


def _talk_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    for r in figures.talk_rows(store, scope):
        yield (
            r["date"],
            r["township"],
            r["village"],
            r["organiser"] or "",
            r["topic"],
            r["speaker"],
            r["short_name"] or "",
            r["attendees"],
            r["materials"],
            r["uid"],
        )


TALKS = Dataset(
    "talks",
    N_("Health talks"),
    (
        col("date", N_("Date")),
        *TOWNSHIP_VILLAGE,
        col("organiser", N_("Organising organisation")),
        col("topic", N_("Topic")),
        col("speaker", N_("Speaker")),
        col("speaker_organisation", N_("Speaker's organisation")),
        col("attendees", N_("Attendees"), "number"),
        col("materials", N_("Materials handed out")),
        RECORD_ID,
    ),
    _talk_rows,
    N_("One row per health talk held on a clinic day: topic, speaker, attendees, materials."),
)


def _report_rows(store: Store, scope: Scope, ctx: dict) -> Iterator[tuple]:
    from clinic.core.reports import report_for_scope, report_rows

    yield from report_rows(report_for_scope(store, scope, ctx["filters"]))


REPORT = Dataset(
    "report",
    N_("Report"),
    (
        col("section", REPORT_COLUMNS[0]),
        col("item", REPORT_COLUMNS[1]),
        col("number", REPORT_COLUMNS[2], "number"),
        col("percent", REPORT_COLUMNS[3], "number"),
    ),
    _report_rows,
    N_("The report's figures as a table (section, item, number, percent): counts only."),
)
