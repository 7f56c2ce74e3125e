"""The roster's model and hard rules: the volunteers and days the optimiser sees,
the one rule (:func:`blocker`) that keeps a volunteer off a day, and how a plan is
scored and its open places explained.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from clinic.i18n import N_, _

# Codes of the rules that keep a volunteer off a clinic day, in checking order.
REASONS: dict[str, str] = {
    "cancelled": N_("the clinic day is cancelled"),
    "inactive": N_("not active"),
    "specialty": N_("another specialty"),
    "same_day": N_("already on this clinic day"),
    "declined": N_("declined this clinic day"),
    "unavailable": N_("unavailable on that date"),
    "holiday": N_("does not serve on public holidays"),
    "weekday": N_("does not serve on that weekday"),
    "busy": N_("already on another clinic day that date"),
    "limit": N_("reached the monthly limit"),
    "not_chosen": N_("free, but not chosen (solver stopped early)"),
}

# How many of the candidates a reason applies to, for the unfilled explanation.
REASON_COUNTED: dict[str, str] = {
    "inactive": N_("{n} not active"),
    "same_day": N_("{n} already on this clinic day"),
    "declined": N_("{n} declined"),
    "unavailable": N_("{n} unavailable on that date"),
    "holiday": N_("{n} do not serve on public holidays"),
    "weekday": N_("{n} do not serve on {weekday}s"),
    "busy": N_("{n} already on another clinic day that date"),
    "limit": N_("{n} at their monthly limit"),
    "not_chosen": N_("{n} free but not chosen (solver stopped early)"),
}

WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

COUNTING_STATUSES = ("invited", "confirmed", "attended", "no_show")


def reason_text(code: str) -> str:
    return _(REASONS[code])


@dataclass
class RVolunteer:
    """What the roster knows of one volunteer."""

    id: int
    name: str
    specialty: str | None
    organisation_id: int | None = None
    weekdays: str = "0123456"  # 0 = Monday
    holidays: bool = True
    max_per_month: int | None = None
    active: bool = True
    unavailable: frozenset[str] = frozenset()
    busy_dates: set[str] = field(default_factory=set)  # dates with an assignment already
    month_load: Counter = field(default_factory=Counter)  # "YYYY-MM" -> assignments already
    period_load: int = 0  # assignments already inside the rostered period


@dataclass
class RDay:
    """One clinic day as the roster sees it."""

    id: int
    date: str  # ISO
    organisation_id: int | None = None
    holiday: bool = False
    cancelled: bool = False
    open: dict[str, int] = field(default_factory=dict)  # role -> places still open
    on_day: frozenset[int] = frozenset()  # volunteers already assigned to this day
    declined: frozenset[int] = frozenset()  # volunteers who declined this day

    @property
    def weekday(self) -> int:
        return dt.date.fromisoformat(self.date).weekday()

    @property
    def month(self) -> str:
        return self.date[:7]


def blocker(
    v: RVolunteer, day: RDay, role: str | None, *, check_specialty: bool = True
) -> str | None:
    """The first hard rule that keeps ``v`` off ``day`` in ``role``, or None if they may serve."""
    if day.cancelled:
        return "cancelled"
    if not v.active:
        return "inactive"
    if check_specialty and role is not None and v.specialty != role:
        return "specialty"
    if v.id in day.on_day:
        return "same_day"
    if v.id in day.declined:
        return "declined"
    if day.date in v.unavailable:
        return "unavailable"
    if day.holiday:
        if not v.holidays:
            return "holiday"
    elif str(day.weekday) not in v.weekdays:
        return "weekday"
    if day.date in v.busy_dates:
        return "busy"
    if v.max_per_month is not None and v.month_load[day.month] >= v.max_per_month:
        return "limit"
    return None


@dataclass
class Proposal:
    day_id: int
    volunteer_id: int
    role: str
    preferred: bool  # member of the organising organisation


@dataclass
class Unfilled:
    day_id: int
    date: str
    role: str
    count: int
    candidates: int  # volunteers with that specialty
    reasons: dict[str, int]  # reason code -> how many candidates it keeps off

    def explain(self, role_label: str | None = None) -> str:
        label = role_label or self.role
        if self.candidates == 0:
            return _("Nobody on the volunteer list has the specialty {role}.").format(role=label)
        weekday = _(WEEKDAY_NAMES[dt.date.fromisoformat(self.date).weekday()])
        parts = [
            _(REASON_COUNTED[code]).format(n=n, weekday=weekday)
            for code, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return _("{role}: all {n} with this specialty are taken or cannot come: {why}.").format(
            role=label, n=self.candidates, why=_("; ").join(parts)
        )


@dataclass
class RosterResult:
    proposals: list[Proposal]
    unfilled: list[Unfilled]
    open_places: int
    filled: int
    max_load: int  # objective 2
    sum_squares: int  # objective 3
    preferred: int  # objective 4
    optimal: bool
    seconds: float
    loads: dict[int, int] = field(default_factory=dict)  # volunteer -> days in period after

    def key(self) -> tuple[int, int, int, int]:
        """The lexicographic objective, larger is better (for comparisons and tests)."""
        return (self.filled, -self.max_load, -self.sum_squares, self.preferred)


def eligible_pairs(
    volunteers: Sequence[RVolunteer], days: Sequence[RDay]
) -> list[tuple[int, int, str]]:
    """(volunteer index, day index, role) for every place a volunteer may fill."""
    by_spec: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(volunteers):
        if v.active and v.specialty:
            by_spec[v.specialty].append(i)
    pairs = []
    for j, day in enumerate(days):
        if day.cancelled:
            continue
        for role, n in day.open.items():
            if n <= 0:
                continue
            for i in by_spec.get(role, ()):
                if blocker(volunteers[i], day, role) is None:
                    pairs.append((i, j, role))
    return pairs


def loads_of(volunteers, pairs, chosen, relevant) -> dict[int, int]:
    """Days each relevant volunteer serves in the period with the ``chosen`` pairs added."""
    load = {i: volunteers[i].period_load for i in relevant}
    for k in chosen:
        load[pairs[k][0]] += 1
    return load


def evaluate(
    volunteers: Sequence[RVolunteer], days: Sequence[RDay], pairs, chosen
) -> tuple[int, int, int, int]:
    """The objective key of a set of chosen pairs (indices into ``pairs``)."""
    relevant = {p[0] for p in pairs}
    load = loads_of(volunteers, pairs, chosen, relevant)
    max_load = max(load.values(), default=0)
    sq = sum(n * n for n in load.values())
    preferred = sum(
        1
        for k in chosen
        if days[pairs[k][1]].organisation_id is not None
        and volunteers[pairs[k][0]].organisation_id == days[pairs[k][1]].organisation_id
    )
    return (len(chosen), -max_load, -sq, preferred)


def feasible(volunteers, days, pairs, chosen) -> bool:
    """True when ``chosen`` respects places, one date per volunteer and monthly limits."""
    per_slot: Counter = Counter()
    per_date: set[tuple[int, str]] = set()
    per_month: Counter = Counter()
    for k in chosen:
        i, j, role = pairs[k]
        per_slot[(j, role)] += 1
        if per_slot[(j, role)] > days[j].open[role]:
            return False
        key = (i, days[j].date)
        if key in per_date:
            return False
        per_date.add(key)
        v = volunteers[i]
        per_month[(i, days[j].month)] += 1
        if v.max_per_month is not None and (
            v.month_load[days[j].month] + per_month[(i, days[j].month)] > v.max_per_month
        ):
            return False
    return True


def explain_unfilled(volunteers, days, pairs, chosen) -> list[Unfilled]:
    """Why each open place stays open, judged against the final plan."""
    # The plan's own bookings block further places just like existing ones.
    busy: dict[int, set[str]] = defaultdict(set)
    month_extra: Counter = Counter()
    filled: Counter = Counter()
    on_day: dict[int, set[int]] = defaultdict(set)
    for k in chosen:
        i, j, role = pairs[k]
        busy[i].add(days[j].date)
        month_extra[(i, days[j].month)] += 1
        filled[(j, role)] += 1
        on_day[j].add(i)
    by_spec: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(volunteers):
        if v.specialty:
            by_spec[v.specialty].append(i)
    out = []
    for j, day in enumerate(days):
        if day.cancelled:
            continue
        for role, n in sorted(day.open.items()):
            left = n - filled[(j, role)]
            if left <= 0:
                continue
            reasons: Counter = Counter()
            for i in by_spec.get(role, ()):
                if i in on_day[j]:
                    continue  # serving this very place
                v = volunteers[i]
                code = blocker(v, day, role)
                if code is None:
                    if day.date in busy[i]:
                        code = "busy"
                    elif v.max_per_month is not None and (
                        v.month_load[day.month] + month_extra[(i, day.month)] >= v.max_per_month
                    ):
                        code = "limit"
                    else:
                        code = "not_chosen"
                reasons[code] += 1
            candidates = len(by_spec.get(role, ()))
            out.append(Unfilled(day.id, day.date, role, left, candidates, dict(reasons)))
    return out


def month_bounds(month: str) -> tuple[str, str]:
    """First and last ISO date of a "YYYY-MM" month."""
    y, m = int(month[:4]), int(month[5:7])
    return f"{month}-01", f"{month}-{calendar.monthrange(y, m)[1]:02d}"
