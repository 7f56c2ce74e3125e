"""Villages by need: the overview and the ranking of where the next clinic day should go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic.i18n import _, ngettext
from clinic.store import Store, figures
from clinic.store import places as places_q


@dataclass
class VillageRank:
    row: dict
    score: float
    reasons: list[str]


def village_overview(store: Store, today: dt.date) -> list[dict]:
    """Per village: households, persons, households served this year and
    coverage, last and next clinic day, and open follow-ups due (within
    FOLLOW_UP_WINDOW_DAYS, overdue included) and overdue: the same figures
    as the report and home (clinic.core.figures)."""
    from clinic.core.figures import follow_ups_by_village
    from clinic.core.reports import percent
    from clinic.store.rules import Scope

    rows = places_q.village_overview(store, today.isoformat())
    year = Scope(date_from=f"{today.year}-01-01", date_to=today.isoformat(), all_villages=True)
    served = {r["village_id"]: r["served"] for r in figures.coverage_rows(store, year)}
    follow_ups = follow_ups_by_village(store, today)
    for r in rows:
        r["served"] = served.get(r["id"], 0)
        r["coverage"] = percent(r["served"], r["households"]) or 0.0
        due = follow_ups.get(r["id"], {})
        r["follow_ups_due"] = due.get("due", 0)
        r["follow_ups_overdue"] = due.get("overdue", 0)
    return rows


def where_next(store: Store, today: dt.date) -> list[VillageRank]:
    """Villages ranked by unmet need, each with the reasons in words.

    Score: one point per registered household not yet served this year,
    three per overdue follow-up, one per month since the last clinic day
    (a village never visited counts as twelve months); halved when a clinic
    day there is already planned.
    """
    ranks = []
    for r in village_overview(store, today):
        unserved = r["households"] - r["served"]
        months = (
            12.0
            if r["last_day"] is None
            else max(0, (today - dt.date.fromisoformat(r["last_day"])).days) / 30.4
        )
        score = unserved + 3 * r["follow_ups_due"] + months
        reasons = []
        if unserved:
            reasons.append(
                _("{n} of {total} households not served this year").format(
                    n=unserved, total=r["households"]
                )
            )
        if r["follow_ups_due"]:
            reason = ngettext(
                "{n} follow-up due within 14 days",
                "{n} follow-ups due within 14 days",
                r["follow_ups_due"],
            ).format(n=r["follow_ups_due"])
            if r["follow_ups_overdue"]:
                reason += _(" ({n} overdue)").format(n=r["follow_ups_overdue"])
            reasons.append(reason)
        if r["last_day"] is None:
            reasons.append(_("no clinic day yet"))
        else:
            ago = (today - dt.date.fromisoformat(r["last_day"])).days
            if ago <= 0:
                reasons.append(_("clinic day today ({date})").format(date=r["last_day"]))
            else:
                reasons.append(
                    ngettext(
                        "last clinic day {date}, {n} day ago",
                        "last clinic day {date}, {n} days ago",
                        ago,
                    ).format(date=r["last_day"], n=ago)
                )
        if r["next_day"]:
            score /= 2
            reasons.append(
                _("next clinic day already planned on {date}").format(date=r["next_day"])
            )
        ranks.append(VillageRank(r, round(score, 1), reasons))
    ranks.sort(key=lambda v: (-v.score, v.row["township"], v.row["name"]))
    return ranks
