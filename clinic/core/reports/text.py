"""The report in words and rows: the text lines of ``clinic report`` and F8,
and the (section, item, number, percent) rows of its export."""

from __future__ import annotations

from typing import Any

from clinic.core.reports.building import Report, percent_text
from clinic.i18n import N_, _, current_language, join_list, ngettext


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
