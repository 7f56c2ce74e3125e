"""The coordinator's report: what a year (or a month, a village, an
organisation) of free clinics amounts to.

What counts, decided once here for the CLI, the TUI and the exports:

* A clinic day is **held** when its status is ``done``, or any visit or a
  volunteer's attendance was recorded on it, and it was not cancelled. Only held days count; the period
  filter is on the day's date, the village filter on the day's village, the
  organisation filter on the organising organisation (and its units: "民进"
  counts 民进綦江区委会).
* **Visits** are the visits on held days; **people** the distinct persons.
* **Households served**: distinct households with a member seen. Coverage
  compares them with the households *registered* in the villages of the
  report (the villages named by ``--village``, else those where a counted day
  was held), per category: served there ÷ registered there.
* **People with a tag**: distinct persons seen who carry it (disabled,
  left-behind elderly; family-doctor contract from the register column).
* **Flags**: visits carrying each flag (a visit may carry several).
* **Health prescriptions**: handouts given on held days, by condition of the
  template.
* **Referrals**: visits with a referral destination.
* **Volunteers and hours**: volunteers marked *attended* on held days, by
  their organisation; hours not typed count as the day's planned length, and
  the report says for how many (``hours_not_typed``).

The rules are written down in docs/figures.md and computed once, in
:mod:`clinic.core.figures` and :mod:`clinic.store.figures`.

The report carries counts, never names (PIPL).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clinic.core.categories import CATEGORIES, TAGS, category_label, tag_label
from clinic.core.dates import parse_date
from clinic.core.errors import FieldError, NotFoundError
from clinic.core.figures import flag_figures, talk_figures, volunteer_figures
from clinic.i18n import N_, _, current_language, join_list, ngettext, pick
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import figures as q
from clinic.store import places as places_q
from clinic.store.rules import Scope, materialised


@dataclass(frozen=True)
class ReportFilters:
    """What the user asked for, as typed (names, not ids)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    villages: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "villages": list(self.villages),
            "organisations": list(self.orgs),
        }


def village_choices(store: Store) -> list[dict]:
    """The villages a report can be narrowed to: those that had a clinic day."""
    return places_q.village_choices(store)


def organisation_choices(store: Store) -> list[dict]:
    """The organisations a report can be narrowed to: those that ran a clinic day, and
    the bodies above them."""
    return catalogues_q.organisation_choices(store)


def resolve(store: Store, filters: ReportFilters) -> Scope:
    """Turn the names into ids; a name that matches nothing is an error (a
    silently empty report would be read as "no clinics held")."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise FieldError(
            _("The period ends ({to}) before it starts ({start}).").format(
                to=filters.date_to.isoformat(), start=filters.date_from.isoformat()
            )
        )
    return Scope(
        date_from=filters.date_from.isoformat() if filters.date_from else None,
        date_to=filters.date_to.isoformat() if filters.date_to else None,
        village_ids=_ids(
            filters.villages,
            lambda n: [v["id"] for v in places_q.villages_named(store, n)],
            N_("No village or township called {name}."),
        ),
        org_ids=_ids(
            filters.orgs,
            lambda n: catalogues_q.organisations_named(store, n),
            N_("No organisation called {name}."),
        ),
    )


def _ids(names: tuple[str, ...], find, missing: str) -> tuple[int, ...] | None:
    """Ids for every name (None when no name was given: no filter)."""
    if not names:
        return None
    ids: list[int] = []
    for name in names:
        found = find(name)
        if not found:
            raise NotFoundError(_(missing).format(name=name))
        ids.extend(i for i in found if i not in ids)
    return tuple(ids)


_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")


def parse_bound(text: str | None, *, end: bool) -> dt.date | None:
    """A period bound as a coordinator types it: a date in any form the app
    reads, or a whole year ("2025", "2025年") or month ("2025-06", "2025年6月"),
    which starts on its first day (``end=False``) or ends on its last."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    match = _YEAR.match(value) or _MONTH.match(value)
    if match and not 1900 <= int(match.group(1)) <= 2100:
        raise FieldError(_("The year {year} is outside 1900–2100.").format(year=match.group(1)))
    match = _YEAR.match(value)
    if match:
        year = int(match.group(1))
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    match = _MONTH.match(value)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        if not end:
            return dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return parse_date(value)


def percent(part: int, whole: int, digits: int = 1) -> float | None:
    """``part`` of ``whole`` in percent, rounded half up (9/16 = 56.25 is 56.3,
    as a coordinator rounds by hand; float's round() gives 56.2); None when
    ``whole`` is 0. The one rounding of every percentage shown or exported."""
    if not whole:
        return None
    exact = Decimal(100) * Decimal(part) / Decimal(whole)
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent_text(value: float | None, digits: int = 1) -> str:
    """A :func:`percent` (rounded to ``digits``) as shown: "56.3%", "-" for none."""
    return "-" if value is None else f"{value:.{digits}f}%"


@dataclass
class Report:
    """Every figure of the report; ``as_dict()`` is what ``--json`` prints."""

    filters: dict[str, Any]
    days: dict[str, int]
    visits: int
    people: int
    people_detail: dict[str, int]
    households: dict[str, Any]
    tags: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    flagged_visits: dict[str, int]
    prescriptions: dict[str, Any]
    referrals: dict[str, Any]
    volunteers: dict[str, Any]
    by_organiser: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_village: list[dict[str, Any]] = field(default_factory=list)
    talks: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "clinic_days": self.days,
            "visits": self.visits,
            "people": self.people,
            "people_detail": self.people_detail,
            "households": self.households,
            "tags": self.tags,
            "conditions": self.conditions,
            "flags": self.flags,
            "flagged_visits": self.flagged_visits,
            "prescriptions": self.prescriptions,
            "referrals": self.referrals,
            "volunteers": self.volunteers,
            "talks": self.talks,
            "by_organiser": self.by_organiser,
            "by_month": self.by_month,
            "by_village": self.by_village,
        }


def _flag_label(code: str) -> str:
    try:
        from clinic.core.vitals import flag_label
    except ImportError:  # pragma: no cover - the desk area not installed
        return code
    return flag_label(code)


def build_report(store: Store, filters: ReportFilters | None = None) -> Report:
    """Compute the report for ``filters`` (all held days when None)."""
    filters = filters or ReportFilters()
    return report_for_scope(store, resolve(store, filters), filters.describe())


def report_for_scope(store: Store, scope: Scope, described: dict[str, Any]) -> Report:
    """The report for already resolved filters (``described`` is echoed in it).

    Its figures read the scope's rows written once for the report
    (:func:`clinic.store.figures.materialised`), not the whole database each."""
    with materialised(store, scope) as scoped:
        return _report(store, scoped, described)


def _report(store: Store, scope: Scope, described: dict[str, Any]) -> Report:
    counts = q.visit_counts(store, scope)

    by_cat = {r["category"]: r for r in q.households_by_category(store, scope)}
    people_cat = q.people_by_category(store, scope)
    categories: list[dict[str, Any]] = []
    for code in CATEGORIES:
        row = by_cat.get(code, {})
        registered = row.get("registered") or 0
        served_here = row.get("served_here") or 0
        categories.append(
            {
                "category": code,
                "label": category_label(code),
                "registered": registered,
                "served": row.get("served") or 0,
                "served_registered": served_here,
                "coverage_pct": percent(served_here, registered),
                "people": people_cat.get(code, 0),
            }
        )
    registered = sum(c["registered"] for c in categories)
    served_here = sum(c["served_registered"] for c in categories)
    poor = [c for c in categories if c["category"] != "ordinary"]
    households = {
        "served": counts["households"],
        "registered": registered,
        "served_registered": served_here,
        "coverage_pct": percent(served_here, registered),
        "served_poor": sum(c["served"] for c in poor),
        "registered_poor": sum(c["registered"] for c in poor),
        "coverage_poor_pct": percent(
            sum(c["served_registered"] for c in poor), sum(c["registered"] for c in poor)
        ),
        "by_category": categories,
    }

    tag_counts = q.people_by_tag(store, scope)
    tags = [{"tag": t, "label": tag_label(t), "people": tag_counts.get(t, 0)} for t in TAGS]
    conditions = [
        {"condition": r["code"], "label": pick(r["name_zh"], r["name_en"]), "people": r["people"]}
        for r in q.people_by_condition(store, scope)
    ]
    flag_counts, flagged = flag_figures(store, scope)
    flags = [dict(f, label=_flag_label(f["flag"])) for f in flag_counts]
    by_condition = [
        {
            "condition": r["code"],
            "label": pick(r["name_zh"], r["name_en"])
            if r["name_zh"]
            else pick(r["title_zh"], r["title_en"]),
            "handouts": r["handouts"],
            "people": r["people"],
        }
        for r in q.handouts_by_condition(store, scope)
    ]
    prescriptions = {
        "total": sum(r["handouts"] for r in by_condition),
        "people": q.handout_people(store, scope),
        "by_condition": by_condition,
    }
    destinations = [
        {"destination": r["destination"], "visits": r["visits"]}
        for r in q.referrals_by_destination(store, scope)
    ]
    referrals = {"total": counts["referrals"], "by_destination": destinations}

    volunteers = volunteer_figures(store, scope).as_dict()

    by_village = []
    for r in q.coverage_rows(store, scope):
        row = dict(r)
        row["coverage_pct"] = percent(r["served"], r["registered"])
        row["coverage_poor_pct"] = percent(r["served_poor"], r["registered_poor"])
        by_village.append(row)

    return Report(
        filters=described,
        days=q.day_counts(store, scope),
        visits=counts["visits"],
        people=counts["people"],
        people_detail={
            "men": counts["men"],
            "women": counts["women"],
            "walk_ins": counts["walk_ins"],
            "without_household": counts["people_without_household"],
        },
        households=households,
        tags=tags,
        conditions=conditions,
        flags=flags,
        flagged_visits=flagged,
        prescriptions=prescriptions,
        referrals=referrals,
        volunteers=volunteers,
        by_organiser=[
            {
                "organisation": r["short_name"] or "",
                "label": r["short_name"] or _("No organisation"),
                "days": r["days"],
                "visits": r["visits"],
                "people": r["people"],
                "handouts": r["handouts"],
            }
            for r in q.by_organiser(store, scope)
        ],
        by_month=q.by_month(store, scope),
        by_village=by_village,
        talks=talk_figures(store, scope),
    )


def _pct(value: float | None) -> str:
    return percent_text(value)


def describe_filters(f: dict[str, Any]) -> list[str]:
    """The period, then a line for the villages and one for the organisations
    when the report is narrowed to them."""
    period = _("all dates")
    if f["from"] or f["to"]:
        period = "{} – {}".format(f["from"] or "…", f["to"] or "…")
    lines = [period]
    if f["villages"]:
        lines.append(_("Villages: {names}").format(names=join_list(f["villages"])))
    if f["organisations"]:
        lines.append(_("Organisations: {names}").format(names=join_list(f["organisations"])))
    return lines


def report_lines(report: Report) -> list[str]:
    """The report as plain text lines, in the current language (CLI output)."""
    colon, semi = ("：", "；") if current_language() == "zh" else (": ", "; ")
    period, *scope = describe_filters(report.filters)
    lines = [_("Report for {period}").format(period=period)]
    lines += ["  " + line for line in scope]
    lines.append("")
    d = report.days
    lines.append(
        _("Clinic days held: {held} (planned {planned}, cancelled {cancelled})").format(**d)
    )
    lines.append(_("Visits: {visits}").format(visits=report.visits))
    lines.append(
        _("People seen: {people} (men {men}, women {women}, walk-ins {walk_ins})").format(
            people=report.people, **report.people_detail
        )
    )
    h = report.households
    lines.append(
        _(
            "Households served: {served}; registered in these villages: {registered}; coverage {pct}"
        ).format(served=h["served"], registered=h["registered"], pct=_pct(h["coverage_pct"]))
    )
    for c in h["by_category"]:
        lines.append(
            "  {label}{colon}{served} / {registered} ({pct}){semi}".format(
                semi=semi,
                label=c["label"],
                colon=colon,
                served=c["served_registered"],
                registered=c["registered"],
                pct=_pct(c["coverage_pct"]),
            )
            + _("{people} people seen").format(people=c["people"])
        )
    lines.append(_("People with a tag:"))
    for t in report.tags:
        lines.append(f"  {t['label']}{colon}{t['people']}")
    if report.conditions:
        lines.append(_("People seen by chronic condition on record:"))
        for c in report.conditions:
            lines.append(f"  {c['label']}{colon}{c['people']}")
    lines.append(_("Flags raised (visits):"))
    for fl in report.flags or []:
        lines.append(f"  {fl['label']}{colon}{fl['visits']}")
    if not report.flags:
        lines.append("  -")
    p = report.prescriptions
    lines.append(_("Health prescriptions: {total} (to {people} people)").format(**p))
    for c in p["by_condition"]:
        lines.append(f"  {c['label']}{colon}{c['handouts']}")
    r = report.referrals
    lines.append(_("Referrals: {total}").format(total=r["total"]))
    for dest in r["by_destination"]:
        lines.append(f"  {dest['destination']}{colon}{dest['visits']}")
    if report.by_organiser:
        lines.append(_("Clinic days by organising organisation:"))
        for o in report.by_organiser:
            lines.append(
                "  "
                + _(
                    "{org}: {days} days, {visits} visits, {people} people, {handouts} health prescriptions"
                ).format(
                    org=o["label"],
                    days=o["days"],
                    visits=o["visits"],
                    people=o["people"],
                    handouts=o["handouts"],
                )
            )
    lines += talk_lines(report.talks, colon)
    v = report.volunteers
    lines.append(
        _("Volunteers: {people}, hours: {hours:g}").format(people=v["people"], hours=v["hours"])
    )
    lines += ["  " + note for note in volunteer_notes(v)]
    for o in v["by_organisation"]:
        lines.append(
            "  "
            + _("{org}: {volunteers} volunteers, {hours:g} hours").format(
                org=o["label"], volunteers=o["volunteers"], hours=o["hours"]
            )
        )
    return lines


def _talks_attendees(talks: int, attendees: int) -> str:
    return ngettext(
        "{talks} talk, {attendees} attendees", "{talks} talks, {attendees} attendees", talks
    ).format(talks=talks, attendees=attendees)


def talk_lines(talks: dict[str, Any], colon: str) -> list[str]:
    """Health talks held, attendees, by topic and by organisation (report and F9)."""
    lines = [
        _("Health talks: {total} ({attendees} attendees)").format(
            total=talks["total"], attendees=talks["attendees"]
        )
    ]
    for t in talks["by_topic"]:
        lines.append("  " + t["topic"] + colon + _talks_attendees(t["talks"], t["attendees"]))
    if talks["by_organisation"]:
        lines.append(_("Health talks by organisation:"))
    for o in talks["by_organisation"]:
        lines.append("  " + o["label"] + colon + _talks_attendees(o["talks"], o["attendees"]))
    return lines


def volunteer_notes(v: dict[str, Any]) -> list[str]:
    """What the volunteer figures assumed, in words: hours nobody typed, and
    volunteers nobody marked attended or no-show (docs/figures.md)."""
    notes = []
    if v["hours_not_typed"]:
        notes.append(
            ngettext(
                "{n} day of a volunteer without typed hours, counted at the day's planned length",
                "{n} days of volunteers without typed hours, counted at the day's planned length",
                v["hours_not_typed"],
            ).format(n=v["hours_not_typed"])
        )
    if v["not_marked"]:
        notes.append(
            ngettext(
                "{n} volunteer signed up but not marked attended or no-show: not counted",
                "{n} volunteers signed up but not marked attended or no-show: not counted",
                v["not_marked"],
            ).format(n=v["not_marked"])
        )
    return notes


REPORT_COLUMNS = (N_("Section"), N_("Item"), N_("Number"), N_("Percent"))


def report_rows(report: Report) -> list[tuple[str, str, float | int | None, float | None]]:
    """The report as a flat table (section, item, number, percent): what the
    report screen shows, for a spreadsheet. Counts only."""
    rows: list[tuple[str, str, float | int | None, float | None]] = []
    # What the figures cover, first: a spreadsheet passed on must say it.
    about = _("About this report")
    period, *scope = describe_filters(report.filters)
    rows.append((about, _("Period: {period}").format(period=period), None, None))
    rows += [(about, line, None, None) for line in scope]
    rows.append((about, _("Counts only; no names."), None, None))
    d, h = report.days, report.households
    general = _("Overview")
    rows += [
        (general, _("Clinic days held"), d["held"], None),
        (general, _("Clinic days planned"), d["planned"], None),
        (general, _("Clinic days cancelled"), d["cancelled"], None),
        (general, _("Visits"), report.visits, None),
        (general, _("People seen"), report.people, None),
        (general, _("Men"), report.people_detail["men"], None),
        (general, _("Women"), report.people_detail["women"], None),
        (general, _("Walk-ins"), report.people_detail["walk_ins"], None),
        (general, _("Households served"), h["served"], None),
        (general, _("Households registered in these villages"), h["registered"], None),
        (general, _("Of them served"), h["served_registered"], h["coverage_pct"]),
    ]
    section = _("Households by category (served / registered)")
    for c in h["by_category"]:
        rows.append((section, c["label"], c["served_registered"], c["coverage_pct"]))
        rows.append((section, c["label"] + " — " + _("registered"), c["registered"], None))
        rows.append((section, c["label"] + " — " + _("people seen"), c["people"], None))
    section = _("People with a tag")
    rows += [(section, t["label"], t["people"], None) for t in report.tags]
    section = _("People seen by chronic condition on record")
    rows += [(section, c["label"], c["people"], None) for c in report.conditions]
    section = _("Flags raised (visits)")
    rows += [(section, f["label"], f["visits"], None) for f in report.flags]
    section = _("Health prescriptions")
    rows.append((section, _("Total"), report.prescriptions["total"], None))
    rows.append((section, _("People who received one"), report.prescriptions["people"], None))
    rows += [
        (section, c["label"], c["handouts"], None) for c in report.prescriptions["by_condition"]
    ]
    section = _("Referrals")
    rows.append((section, _("Total"), report.referrals["total"], None))
    rows += [
        (section, r["destination"], r["visits"], None) for r in report.referrals["by_destination"]
    ]
    section = _("Volunteers")
    rows.append((section, _("Volunteers"), report.volunteers["people"], None))
    rows.append((section, _("Hours"), report.volunteers["hours"], None))
    rows.append(
        (
            section,
            _("Days without typed hours (counted at the planned length)"),
            report.volunteers["hours_not_typed"],
            None,
        )
    )
    rows.append(
        (
            section,
            _("Signed up, not marked attended (not counted)"),
            report.volunteers["not_marked"],
            None,
        )
    )
    for o in report.volunteers["by_organisation"]:
        rows.append((section, o["label"] + " — " + _("volunteers"), o["volunteers"], None))
        rows.append((section, o["label"] + " — " + _("hours"), o["hours"], None))
    section = _("Health talks")
    talks = report.talks
    rows.append((section, _("Talks held"), talks["total"], None))
    rows.append((section, _("Attendees"), talks["attendees"], None))
    for t in talks["by_topic"]:
        rows.append((section, t["topic"] + " — " + _("talks"), t["talks"], None))
        rows.append((section, t["topic"] + " — " + _("attendees"), t["attendees"], None))
    for o in talks["by_organisation"]:
        rows.append((section, o["label"] + " — " + _("talks"), o["talks"], None))
        rows.append((section, o["label"] + " — " + _("attendees"), o["attendees"], None))
    section = _("Clinic days by organising organisation")
    for o in report.by_organiser:
        rows.append((section, o["label"] + " — " + _("clinic days"), o["days"], None))
        rows.append((section, o["label"] + " — " + _("visits"), o["visits"], None))
        rows.append((section, o["label"] + " — " + _("people"), o["people"], None))
        rows.append((section, o["label"] + " — " + _("health prescriptions"), o["handouts"], None))
    section = _("People seen per month")
    rows += [(section, m["month"], m["people"], None) for m in report.by_month]
    section = _("Coverage per village")
    rows += [
        (section, f"{v['township']} {v['village']}", v["served"], v["coverage_pct"])
        for v in report.by_village
    ]
    return rows
