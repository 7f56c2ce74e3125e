"""The end-of-day summary: what the team did on one clinic day, in counts.

Shown on the desk's summary screen and printed by ``clinic report day``.
Counts, not names of patients (PIPL); volunteers are thanked by name.
"""

from __future__ import annotations

import datetime as dt

from clinic.core.categories import category_label
from clinic.core.desk.days import get_day
from clinic.core.errors import NotFoundError
from clinic.core.figures import day_scope, volunteer_figures
from clinic.core.reports import report_for_scope
from clinic.i18n import _, join_list, ngettext, pick
from clinic.store import Store, figures
from clinic.store import assignments as assignments_q
from clinic.store import days as days_q
from clinic.store import visits as visits_q


def _category_label(code: str) -> str:
    if code == "none":
        return _("No household on record")
    try:
        return category_label(code)
    except (KeyError, ValueError):
        return code


def find_day(store: Store, date: dt.date | None, today: dt.date) -> dict:
    """The clinic day on ``date`` (the first if several), or without a date the
    most recent clinic day up to today."""
    if date is None:
        found = days_q.latest_day_up_to(store, today.isoformat())
        if not found:
            raise NotFoundError(
                _("There is no clinic day up to {date}.").format(date=today.isoformat())
            )
        return found
    days = days_q.days_on(store, date.isoformat())
    if not days:
        raise NotFoundError(_("There is no clinic day on {date}.").format(date=date.isoformat()))
    return days[0]


def summary(store: Store, day_id: int) -> dict:
    """Every figure of the day, as plain data (JSON-ready).

    The figures are the report of the one-day scope
    (:func:`clinic.core.figures.day_scope`), so F9, ``clinic report day``
    and the period report narrowed to the day cannot disagree; the extras
    are what only a day has: visits still open, conditions assessed, and
    what each volunteer did."""
    day = get_day(store, day_id)
    scope = day_scope(day_id)
    report = report_for_scope(store, scope, {})
    team = volunteer_figures(store, scope)
    states = figures.visit_states(store, scope)
    work = {r["volunteer_id"]: r for r in assignments_q.summary_volunteer_work(store, day_id)}
    by_category = [
        {"category": c["category"], "label": c["label"], "count": c["people"]}
        for c in report.households["by_category"]
        if c["people"]
    ]
    if report.people_detail["without_household"]:
        by_category.append(
            {
                "category": "none",
                "label": _category_label("none"),
                "count": report.people_detail["without_household"],
            }
        )
    by_category.sort(key=lambda r: -r["count"])
    volunteers = []
    for v in team.rows:
        did = work.get(v["volunteer_id"], {})
        volunteers.append(
            {
                "name": v["name"],
                "role": v["role"],
                "role_label": pick(did.get("role_zh"), did.get("role_en")),
                "hours": v["hours"],
                "hours_typed": not v["untyped"],
                "seen": did.get("seen", 0),
                "checked_in": did.get("checked_in", 0),
                "handouts": did.get("handouts", 0),
            }
        )
    volunteers.sort(key=lambda v: (-v["seen"], v["name"]))
    return {
        "day": {
            "id": day["id"],
            "date": day["date"],
            "township": day["township"],
            "village": day["village"],
            "venue": day["venue"],
            "organisation": day["organisation"],
            "status": day["status"],
            "held": report.days["held"] == 1,
        },
        "checked_in": report.visits,
        "seen": states["seen"],
        "not_done": states["not_done"],
        "walk_ins": report.people_detail["walk_ins"],
        "by_category": by_category,
        "by_tag": [
            {"tag": t["tag"], "label": t["label"], "count": t["people"]}
            for t in report.tags
            if t["people"]
        ],
        "flags": [
            {"flag": f["flag"], "label": f["label"], "count": f["visits"]} for f in report.flags
        ],
        "people_flagged": report.flagged_visits,
        "conditions_assessed": [
            {
                "condition": r["condition"],
                "label": pick(r["name_zh"], r["name_en"]),
                "count": r["n"],
            }
            for r in visits_q.summary_assessed(store, day_id)
        ],
        "prescriptions": [
            {"condition": r["condition"], "label": r["label"], "count": r["handouts"]}
            for r in report.prescriptions["by_condition"]
        ],
        "prescriptions_total": report.prescriptions["total"],
        "referrals": report.referrals["total"],
        "referral_places": [
            {"place": r["destination"], "count": r["visits"]}
            for r in report.referrals["by_destination"]
        ],
        "talks": [
            {
                "topic": t["topic"],
                "speaker": t["speaker"],
                "attendees": t["attendees"],
                "materials": t["materials"],
            }
            for t in figures.talk_rows(store, scope)
        ],
        "talks_total": report.talks["total"],
        "talk_attendees": report.talks["attendees"],
        "volunteers": volunteers,
        "volunteer_hours": round(team.hours, 2),
        "hours_not_typed": team.untyped,
        "not_marked": [
            {"name": a["name"], "role": a["role"], "status": a["status"]} for a in team.not_marked
        ],
    }


def team_notes(data: dict) -> list[str]:
    """Why the hours are what they are: days counted at the planned length."""
    if not data["hours_not_typed"]:
        return []
    return [
        ngettext(
            "* {n} volunteer without typed hours: counted at the day's planned length",
            "* {n} volunteers without typed hours: counted at the day's planned length",
            data["hours_not_typed"],
        ).format(n=data["hours_not_typed"])
    ]


def thanks(data: dict) -> str:
    names = [v["name"] for v in data["volunteers"]]
    if not names:
        return ""
    return ngettext(
        "Thank you, {names}: {n} person was seen today.",
        "Thank you, {names}: {n} people were seen today.",
        data["seen"],
    ).format(names=join_list(names), n=data["seen"])


def _pair(label: str, value) -> str:
    return "  " + _("{label}: {value}").format(label=label, value=value)


def talk_summary_lines(data: dict) -> list[str]:
    """The day's health talks: how many, attendees, then each talk."""
    out = [
        _("Health talks: {total} ({attendees} attendees)").format(
            total=data["talks_total"], attendees=data["talk_attendees"]
        )
    ]
    for t in data["talks"]:
        line = _("{topic} — {speaker}, {attendees} attendees").format(**t)
        if t["materials"]:
            line += _("; materials: {materials}").format(materials=t["materials"])
        out.append("  " + line)
    return out


def summary_lines(data: dict) -> list[str]:
    """The summary as text lines (the CLI prints them; the screen shows them)."""
    d = data["day"]
    out = [
        _("Clinic day {date}, {township} {village}").format(
            date=d["date"], township=d["township"], village=d["village"]
        ),
        _("Checked in: {n}   seen: {seen}   not finished: {open}   walk-ins: {walk}").format(
            n=data["checked_in"], seen=data["seen"], open=data["not_done"], walk=data["walk_ins"]
        ),
        "",
        _("People by household category:"),
    ]
    out += [_pair(r["label"], r["count"]) for r in data["by_category"]] or ["  -"]
    out.append(_("People by tag:"))
    out += [_pair(r["label"], r["count"]) for r in data["by_tag"]] or ["  -"]
    out.append(
        _("Flags raised ({urgent} urgent, {raised} raised):").format(**data["people_flagged"])
    )
    out += [_pair(r["label"], r["count"]) for r in data["flags"]] or ["  -"]
    out.append(_("Conditions assessed:"))
    out += [_pair(r["label"], r["count"]) for r in data["conditions_assessed"]] or ["  -"]
    out.append(
        _("Health prescriptions by condition ({n} in all):").format(n=data["prescriptions_total"])
    )
    out += [_pair(r["label"], r["count"]) for r in data["prescriptions"]] or ["  -"]
    out.append(_("Referrals: {n}").format(n=data["referrals"]))
    out += [_pair(r["place"], r["count"]) for r in data["referral_places"]]
    out += talk_summary_lines(data)
    out.append(
        _("Volunteers ({n}, {hours} hours):").format(
            n=len(data["volunteers"]), hours=f"{data['volunteer_hours']:g}"
        )
    )
    out += ["  " + note for note in team_notes(data)]
    for v in data["volunteers"]:
        out.append(
            "  "
            + _(
                "{name} ({role}): seen {seen}, checked in {checked_in}, prescriptions {handouts}, hours {hours}"
            ).format(
                name=v["name"],
                role=v["role_label"] or v["role"],
                seen=v["seen"],
                checked_in=v["checked_in"],
                handouts=v["handouts"],
                hours=f"{v['hours']:g}" + ("" if v["hours_typed"] else "*"),
            )
        )
    if data["not_marked"]:
        out.append(
            _("Signed up but not marked attended or no-show (not counted; mark them on F5):")
        )
        out.append("  " + join_list([a["name"] for a in data["not_marked"]]))
    message = thanks(data)
    if message:
        out += ["", message]
    return out
