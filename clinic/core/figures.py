"""The figures every screen, command and export shows, computed once.

docs/figures.md says the rules in words; the SQL of each rule is in
:mod:`clinic.store.figures`. Home (F2), the clinic days (F5), the villages
(F7), the report (F8), the end-of-day summary (F9), the CLI and the exports
read the functions here (or :func:`clinic.core.reports.report_for_scope`,
which is built from them), never their own queries.

Rules decided here:

* a volunteer **served** on a held day when marked *attended*; invited or
  confirmed volunteers nobody marked are listed apart, never counted;
* an attended volunteer whose **hours were not typed** counts the day's
  planned length (start to end), and every report says how many did;
* **places filled**: invited, confirmed or attended volunteers, per role at
  most the places needed; a no-show or a decline leaves the place open;
* a **follow-up is open** when the person's latest visit asked for one; it
  is *due* when its date is within :data:`FOLLOW_UP_WINDOW_DAYS` days
  (overdue ones included) and *overdue* when its date has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from clinic.core.vitals import FLAG_LEVEL
from clinic.i18n import _
from clinic.store import Store
from clinic.store import figures as q
from clinic.store.rules import FILLS_PLACE, Scope

__all__ = [
    "FILLS_PLACE",
    "FOLLOW_UP_WINDOW_DAYS",
    "Scope",
    "day_scope",
    "flag_figures",
    "follow_up_totals",
    "follow_ups_by_village",
    "machine_output",
    "talk_figures",
    "volunteer_figures",
]

# "Follow-ups due" means due within this many days from today, overdue included.
FOLLOW_UP_WINDOW_DAYS = 14


def day_scope(day_id: int) -> Scope:
    """The scope of one clinic day: the end-of-day summary is its report."""
    return Scope(day_ids=(day_id,))


# -- flags -----------------------------------------------------------------------


def flag_figures(store: Store, scope: Scope) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Visits per flag code (most first), and visits flagged urgent / raised
    only (a visit with an urgent flag counts as urgent)."""
    urgent_codes = sorted(code for code, level in FLAG_LEVEL.items() if level == "urgent")
    found = q.flag_counts(store, scope, urgent_codes)
    counts = [
        {"flag": r["flag"], "visits": r["visits"]}
        for r in sorted(found["per_flag"], key=lambda r: (-r["visits"], r["flag"]))
    ]
    return counts, {"urgent": found["urgent"], "raised": found["flagged"] - found["urgent"]}


# -- volunteers and hours ----------------------------------------------------------------


@dataclass
class VolunteerFigures:
    """Volunteers who served and their hours, over one scope."""

    rows: list[dict[str, Any]]  # one per volunteer (clinic.store.figures.volunteers_served)
    not_marked: list[dict[str, Any]]  # invited/confirmed on a held day, not counted

    @property
    def people(self) -> int:
        return len(self.rows)

    @property
    def hours(self) -> float:
        return round(sum(r["hours"] or 0.0 for r in self.rows), 2)

    @property
    def untyped(self) -> int:
        """Volunteer-days counted at the day's planned length (hours not typed)."""
        return sum(r["untyped"] or 0 for r in self.rows)

    def by_organisation(self) -> list[dict[str, Any]]:
        """Volunteers, volunteer-days and hours per volunteer's organisation."""
        groups: dict[Any, dict[str, Any]] = {}
        for r in self.rows:
            g = groups.setdefault(
                r["organisation_id"],
                {
                    "organisation": r["short_name"] or "",
                    # short names, as everywhere else (issue 14 #18)
                    "label": r["short_name"] or _("No organisation"),
                    "volunteers": 0,
                    "assignments": 0,
                    "hours": 0.0,
                },
            )
            g["volunteers"] += 1
            g["assignments"] += r["days"]
            g["hours"] = round(g["hours"] + (r["hours"] or 0.0), 2)
        return list(groups.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "hours": self.hours,
            "hours_not_typed": self.untyped,
            "not_marked": len(self.not_marked),
            "by_organisation": self.by_organisation(),
        }


def volunteer_figures(store: Store, scope: Scope) -> VolunteerFigures:
    return VolunteerFigures(
        q.volunteers_served(store, scope), q.signed_up_not_attended(store, scope)
    )


# -- follow-ups ----------------------------------------------------------------------


def follow_ups_by_village(store: Store, today: dt.date) -> dict[int | None, dict[str, int]]:
    """Open follow-ups per village: ``due`` (within the window, overdue
    included) and ``overdue``."""
    due_by = (today + dt.timedelta(days=FOLLOW_UP_WINDOW_DAYS)).isoformat()
    return {
        r["village_id"]: {"due": r["due"] or 0, "overdue": r["overdue"] or 0}
        for r in q.follow_up_counts(store, today.isoformat(), due_by)
    }


def follow_up_totals(store: Store, today: dt.date) -> dict[str, int]:
    """Open follow-ups of the whole database, due and overdue (home, status)."""
    rows = follow_ups_by_village(store, today).values()
    return {"due": sum(r["due"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}


# -- health talks ---------------------------------------------------------------------


def talk_figures(store: Store, scope: Scope) -> dict[str, Any]:
    """Health talks held on the scope's held days: how many, attendees (the
    numbers typed, summed), by topic (as typed) and by the speaker's
    organisation (the party that gave the talk)."""
    by_topic = q.talks_by_topic(store, scope)
    return {
        "total": sum(r["talks"] for r in by_topic),
        "attendees": sum(r["attendees"] or 0 for r in by_topic),
        "by_topic": [
            {"topic": r["topic"], "talks": r["talks"], "attendees": r["attendees"] or 0}
            for r in by_topic
        ],
        "by_organisation": [
            {
                "organisation": r["short_name"] or "",
                "label": r["short_name"] or _("No organisation"),
                "talks": r["talks"],
                "attendees": r["attendees"] or 0,
            }
            for r in q.talks_by_organisation(store, scope)
        ],
    }


# -- machine output ---------------------------------------------------------------------

# The key that holds the code beside a "label", in the order tried.
_CODE_KEYS = ("flag", "tag", "category", "condition", "organisation", "role", "status")
# Words in the user's language: a label of a code, or an explanation in sentences.
_LABEL_KEYS = ("label", "role_label", "role_name")
_WORDS_KEYS = ("why", "summary", "warnings", "left_out_why", "volunteer_label")


def machine_output(data: Any, *, labels: bool = False) -> Any:
    """``data`` without words in the user's language, so ``--json`` does not
    change with ``--lang`` (issue 9 point 6). With ``labels``, a ``labels``
    object maps each kind of code to its label in the current language, and
    explanations in sentences (``why``) are kept."""
    found: dict[str, dict[str, str]] = {}

    def strip(value: Any) -> Any:
        if isinstance(value, list):
            return [strip(v) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key in _LABEL_KEYS:
                code_key = "role" if key.startswith("role") else None
                code_key = code_key or next((k for k in _CODE_KEYS if k in value), None)
                if code_key and code_key in value and item is not None:
                    found.setdefault(code_key, {})[str(value[code_key])] = item
                continue
            if key in _WORDS_KEYS and not labels:
                continue
            out[key] = strip(item)
        return out

    clean = strip(data)
    if labels and isinstance(clean, dict):
        clean["labels"] = found
    return clean
