"""Season planning: proposing a clinic day per chosen weekday over weeks, villages
ranked by need, and adding the accepted days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from clinic.core import holidays as public_holidays
from clinic.core.errors import FieldError, InputError
from clinic.core.planning.days import DayInput, check_day, check_duplicate
from clinic.core.planning.labels import norm_text
from clinic.core.planning.villages import where_next
from clinic.i18n import _, ngettext
from clinic.store import Store
from clinic.store import days as days_q


@dataclass
class SeasonDay:
    date: str
    village_id: int
    village: str
    township: str
    score: float
    reasons: list[str]


@dataclass
class SeasonPlan:
    """What a season proposal found: the days, and why it could not plan more."""

    days: list[SeasonDay]
    date_from: str
    date_to: str
    weekdays: str
    per_day: int
    skipped: dict[str, str] = field(default_factory=dict)  # date → why (春节, 调休 …)
    full_dates: int = 0  # chosen weekdays already holding per_day clinic days
    waiting: int = 0  # villages still without a clinic day in the period after this plan
    warning: str | None = None  # the holiday arrangement of a year is not known

    def explain(self) -> str:
        """One line for the screen and the command line: how many days, or why none (more)."""
        n = len(self.days)
        said = ngettext("{n} clinic day proposed.", "{n} clinic days proposed.", n).format(n=n)
        if not self.waiting:
            if n:
                return said
            return _("No village left to plan: every village has a clinic day in this period.")
        if self.full_dates:
            why = ngettext(
                "{dates} date already holds {per_day} clinic day (at most {per_day} per date)",
                "{dates} dates already hold {per_day} clinic days (at most {per_day} per date)",
                self.full_dates,
            ).format(dates=self.full_dates, per_day=self.per_day)
            hint = _("allow more clinic days per date, more weekdays or a longer period")
        else:
            why = _("every chosen weekday of the period is taken")
            hint = _("choose more weekdays or a longer period")
        waiting = ngettext(
            "{n} village still waits for a clinic day",
            "{n} villages still wait for a clinic day",
            self.waiting,
        ).format(n=self.waiting)
        return (said + " " if n else "") + _("{waiting}: {why}; {hint}.").format(
            waiting=waiting, why=why, hint=hint
        )

    def skipped_text(self) -> str:
        """ "Left out: 2027-02-06 春节, 2027-02-13 调休 …" or ""."""
        if not self.skipped:
            return ""
        return _("Left out: {dates}.").format(
            dates=_(", ").join(f"{d} {why}" for d, why in self.skipped.items())
        )


def default_season_end(date_from: str, weekdays: str = "5", weeks: int = 13) -> str:
    """The last of the chosen weekdays in the ``weeks`` weeks from ``date_from``: a season ends on
    a clinic weekday (a Saturday, a Sunday for weekends), not on the Monday after."""
    start = dt.date.fromisoformat(date_from)
    day = start + dt.timedelta(weeks=weeks)
    while day > start and str(day.weekday()) not in weekdays:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def propose_season(
    store: Store,
    date_from: str,
    date_to: str,
    today: dt.date,
    *,
    weekdays: str = "5",
    per_day: int = 1,
) -> SeasonPlan:
    """Clinic days for a season: the neediest villages ("where next") on the chosen weekdays, in order.

    A date holds at most ``per_day`` clinic days in the district (those already planned count),
    each in another village; a village with a clinic day in the period (or just picked) is not
    picked again. Public holidays and weekend days worked instead of a holiday (调休) are left
    out, and said so.
    """
    if date_to < date_from:
        raise InputError(
            _("The period ends before it starts ({start} to {end}).").format(
                start=date_from, end=date_to
            )
        )
    if date_from < today.isoformat():
        raise InputError(
            _("{date} is in the past: a season starts today or later.").format(date=date_from)
        )
    if not 1 <= per_day <= 50:
        raise InputError(_("Clinic days per date: a whole number from 1 to 50."))
    existing = [
        d for d in days_q.days_between(store, date_from, date_to) if d["status"] != "cancelled"
    ]
    taken_villages = {d["village_id"] for d in existing}
    per_date = Counter(d["date"] for d in existing)
    ranks = [r for r in where_next(store, today) if r.row["id"] not in taken_villages]
    holidays = public_holidays.holidays_between(date_from, date_to)
    plan = SeasonPlan([], date_from, date_to, weekdays, per_day)
    plan.warning = public_holidays.coverage_warning(date_from, date_to)
    day = dt.date.fromisoformat(date_from)
    end = dt.date.fromisoformat(date_to)
    while day <= end:
        iso = day.isoformat()
        day += dt.timedelta(days=1)
        if str(dt.date.fromisoformat(iso).weekday()) not in weekdays:
            continue
        if iso in holidays:
            plan.skipped[iso] = holidays[iso]
            continue
        if public_holidays.is_working_weekend_day(iso):
            plan.skipped[iso] = _("a working day (调休)")
            continue
        room = per_day - per_date[iso]
        if room <= 0:
            plan.full_dates += 1
            continue
        for _slot in range(room):
            if not ranks:
                break
            r = ranks.pop(0)
            plan.days.append(
                SeasonDay(iso, r.row["id"], r.row["name"], r.row["township"], r.score, r.reasons)
            )
    plan.waiting = len(ranks)
    return plan


def add_season(
    store: Store,
    plan: list[SeasonDay],
    organisation_id: int | None,
    needs: dict[str, int],
    *,
    start_time: str = "08:30",
    end_time: str = "12:00",
    venue: str = "",
    today: dt.date,
) -> list[int]:
    """Create the proposed clinic days (status planned) in one transaction, each meeting the
    rules of a clinic day added by hand (:func:`check_day`)."""
    ids = []
    with store.transaction():
        for s in plan:
            check_day(
                DayInput(s.date, s.village_id, organisation_id, needs, start_time, end_time), today
            )
            check_duplicate(store, s.village_id, s.date)
            ids.append(
                days_q.insert_day(
                    store,
                    {
                        "date": s.date,
                        "start_time": start_time,
                        "end_time": end_time,
                        "village_id": s.village_id,
                        "venue": venue,
                        "organisation_id": organisation_id,
                        "status": "planned",
                    },
                    needs,
                )
            )
    return ids


def parse_weekdays(text: str) -> str:
    """ "六" / "sat" / "周六,周日" / "56" → weekday digits (0 = Monday)."""
    from clinic.core.planning.availability import parse_availability

    text = norm_text(text)
    if text and all(c in "0123456" for c in text):
        return "".join(sorted(set(text)))
    short = {
        "一": "周一",
        "二": "周二",
        "三": "周三",
        "四": "周四",
        "五": "周五",
        "六": "周六",
        "日": "周日",
        "天": "周日",
    }
    words = ",".join(short.get(w, w) for w in re.split(r"[,;，；、\s]+", text) if w)
    days = parse_availability(words).weekdays
    if not days:
        raise FieldError(_("Say which weekdays, e.g. 周六 or sat."))
    return days
