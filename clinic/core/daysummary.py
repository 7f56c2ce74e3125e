"""The end-of-day summary: what the team did on one clinic day, in counts.

Shown on the desk's summary screen and printed by ``clinic report day``.
Counts, not names of patients (PIPL); volunteers are thanked by name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from clinic.core import vitals as V
from clinic.core.categories import category_label
from clinic.core.desk import get_day
from clinic.core.errors import NotFoundError
from clinic.i18n import _, join_list, ngettext, pick
from clinic.store import Store
from clinic.store import desk as q


def _tag_label(tag: str) -> str:
    try:
        from clinic.core.categories import tag_label

        return tag_label(tag)
    except (ImportError, KeyError):
        return tag


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
        found = q.latest_day_up_to(store, today.isoformat())
        if not found:
            raise NotFoundError(
                _("There is no clinic day up to {date}.").format(date=today.isoformat())
            )
        return found
    days = q.days_on(store, date.isoformat())
    if not days:
        raise NotFoundError(_("There is no clinic day on {date}.").format(date=date.isoformat()))
    return days[0]


def summary(store: Store, day_id: int) -> dict:
    """Every figure of the day, as plain data (JSON-ready)."""
    day = get_day(store, day_id)
    counts = q.summary_counts(store, day_id)
    flags = Counter()
    people_flagged = {"raised": 0, "urgent": 0}
    for text in q.summary_flags(store, day_id):
        found = V.parse_flags(text)
        for f in found:
            flags[f.code] += 1
        levels = {f.level for f in found}
        if "urgent" in levels:
            people_flagged["urgent"] += 1
        elif levels:
            people_flagged["raised"] += 1
    volunteers = q.summary_volunteers(store, day_id)
    hours = sum(v["hours"] or 0 for v in volunteers)
    return {
        "day": {
            "id": day["id"],
            "date": day["date"],
            "township": day["township"],
            "village": day["village"],
            "venue": day["venue"],
            "organisation": day["organisation"],
            "status": day["status"],
        },
        "checked_in": counts.get("checked_in", 0),
        "seen": counts.get("seen", 0),
        "not_done": counts.get("not_done", 0),
        "walk_ins": counts.get("walk_ins", 0),
        "by_category": [
            {"category": r["category"], "label": _category_label(r["category"]), "count": r["n"]}
            for r in q.summary_by_category(store, day_id)
        ],
        "by_tag": [
            {"tag": r["tag"], "label": _tag_label(r["tag"]), "count": r["n"]}
            for r in q.summary_by_tag(store, day_id)
        ],
        "flags": [
            {"flag": code, "label": V.flag_label(code), "count": n}
            for code, n in flags.most_common()
        ],
        "people_flagged": people_flagged,
        "conditions_assessed": [
            {
                "condition": r["condition"],
                "label": pick(r["name_zh"], r["name_en"]),
                "count": r["n"],
            }
            for r in q.summary_assessed(store, day_id)
        ],
        "prescriptions": [
            {
                "condition": r["condition"],
                "label": pick(r["name_zh"], r["name_en"]) or r["condition"],
                "count": r["n"],
            }
            for r in q.summary_handouts(store, day_id)
        ],
        "prescriptions_total": sum(r["n"] for r in q.summary_handouts(store, day_id)),
        "referrals": counts.get("referrals", 0),
        "referral_places": [
            {"place": r["place"], "count": r["n"]} for r in q.summary_referrals(store, day_id)
        ],
        "volunteers": [
            {
                "name": v["name"],
                "role": v["role"],
                "role_label": pick(v["role_zh"], v["role_en"]),
                "hours": v["hours"],
                "seen": v["seen"],
                "checked_in": v["checked_in"],
                "handouts": v["handouts"],
            }
            for v in volunteers
        ],
        "volunteer_hours": round(hours, 1),
    }


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
    out.append(
        _("Volunteers ({n}, {hours} hours):").format(
            n=len(data["volunteers"]), hours=f"{data['volunteer_hours']:g}"
        )
    )
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
                hours="-" if v["hours"] is None else f"{v['hours']:g}",
            )
        )
    message = thanks(data)
    if message:
        out += ["", message]
    return out
