"""The optimal roster: put volunteers on the open places of clinic days.

The problem is a mixed-integer programme solved with HiGHS (``highspy``).
One binary variable ``x[v, d]`` per volunteer ``v`` and clinic day ``d`` on
which ``v`` may serve in their own specialty (every hard rule is applied
while building the variables, by :func:`blocker`, the same function that
refuses a manual assignment, so the two can never disagree).

Constraints
    * places: for each day and role, at most the open places;
    * one clinic day per volunteer per date (two villages on one Saturday);
    * the monthly limit, counting assignments already in the database.

Objectives, strictly in this order (lexicographic: the optimum of each goal
is fixed as a constraint before the next one is optimised, and goals 3 and 4
share one objective weighted so that one unit of goal 3 outweighs the whole
range of goal 4; a later goal can never buy itself at an earlier one's price):

    1. the most places filled;
    2. fairness: the smallest maximum number of days any (rostered-eligible)
       volunteer serves in the period, existing assignments included;
    3. fairness, finer: the smallest sum of squares of those loads, i.e. the
       most even spread under that maximum (a convex, piecewise-linear
       cost per extra day, so it stays linear);
    4. the most places given to members of the day's organising organisation.

The matrix is totally unimodular (see :func:`_solve_mip`), so the linear
programmes HiGHS solves have integral optimal vertices: a quarter at
district scale takes well under a second (``bench/bench_roster.py``).

Assignments already in the database are never moved (confirmed or not): the
roster only adds. Callers that want to re-plan earlier unconfirmed roster
proposals release them first (see :mod:`clinic.core.planning`).

Every place left open is explained: for each candidate with the specialty,
the first rule that keeps them off that day in the final plan.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import os
import sys
import threading
import time
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


def _loads(volunteers, pairs, chosen, relevant) -> dict[int, int]:
    load = {i: volunteers[i].period_load for i in relevant}
    for k in chosen:
        load[pairs[k][0]] += 1
    return load


def evaluate(
    volunteers: Sequence[RVolunteer], days: Sequence[RDay], pairs, chosen
) -> tuple[int, int, int, int]:
    """The objective key of a set of chosen pairs (indices into ``pairs``)."""
    relevant = {p[0] for p in pairs}
    load = _loads(volunteers, pairs, chosen, relevant)
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


_banner_lock = threading.Lock()
_banner_done = False


def _new_highs():
    """A HiGHS instance, without the banner HiGHS prints on the first one.

    The banner goes to file descriptor 1 from C++ before any option can be
    set; it would corrupt ``clinic roster --json``. Textual draws on stderr,
    so silencing stdout for this moment is harmless in the TUI too.
    """
    global _banner_done
    import highspy

    with _banner_lock:
        if _banner_done:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_done = True
        return h


class _Model:
    """A thin builder over highspy's column/row interface."""

    def __init__(self, time_limit: float | None):
        import highspy

        self.hs = highspy
        self.h = _new_highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 0.5)  # every objective is integer-valued
        self.h.setOptionValue("threads", 1)
        if time_limit:
            self.h.setOptionValue("time_limit", float(time_limit))
        self.ncols = 0

    def add_cols(self, n: int, lb: float, ub: float, integer: bool) -> int:
        import numpy as np

        first = self.ncols
        if n <= 0:
            return first
        self.h.addVars(n, np.full(n, lb, dtype=float), np.full(n, ub, dtype=float))
        if integer:
            idx = np.arange(first, first + n, dtype=np.int32)
            self.h.changeColsIntegrality(n, idx, np.full(n, self.hs.HighsVarType.kInteger))
        self.ncols += n
        return first

    def set_integer(self, cols: Sequence[int]) -> None:
        import numpy as np

        idx = np.asarray(cols, dtype=np.int32)
        self.h.changeColsIntegrality(
            len(idx), idx, np.full(len(idx), self.hs.HighsVarType.kInteger)
        )

    def add_row(
        self, lower: float, upper: float, cols: Sequence[int], vals: Sequence[float]
    ) -> None:
        import numpy as np

        self.h.addRow(
            lower, upper, len(cols), np.asarray(cols, dtype=np.int32), np.asarray(vals, dtype=float)
        )

    def add_rows(self, rows: list[tuple[float, float, list[int], list[float]]]) -> None:
        import numpy as np

        if not rows:
            return
        lower = np.array([r[0] for r in rows], dtype=float)
        upper = np.array([r[1] for r in rows], dtype=float)
        starts, idx, vals = [], [], []
        for r in rows:
            starts.append(len(idx))
            idx.extend(r[2])
            vals.extend(r[3])
        self.h.addRows(
            len(rows),
            lower,
            upper,
            len(idx),
            np.array(starts, dtype=np.int32),
            np.array(idx, dtype=np.int32),
            np.array(vals, dtype=float),
        )

    def set_objective(self, costs: dict[int, float], maximise: bool) -> None:
        import numpy as np

        all_costs = np.zeros(self.ncols)
        for col, c in costs.items():
            all_costs[col] = c
        self.h.changeColsCost(self.ncols, np.arange(self.ncols, dtype=np.int32), all_costs)
        sense = self.hs.ObjSense.kMaximize if maximise else self.hs.ObjSense.kMinimize
        self.h.changeObjectiveSense(sense)

    def solve(self) -> tuple[list[float], float, bool]:
        self.h.run()
        status = self.h.getModelStatus()
        optimal = status == self.hs.HighsModelStatus.kOptimal
        values = list(self.h.getSolution().col_value)
        obj = self.h.getInfo().objective_function_value
        return values, obj, optimal


def solve(
    volunteers: Sequence[RVolunteer],
    days: Sequence[RDay],
    *,
    time_limit: float | None = 60.0,
) -> RosterResult:
    """Fill the open places optimally (see the module docstring for the order of goals)."""
    started = time.perf_counter()
    pairs = eligible_pairs(volunteers, days)
    open_places = sum(max(n, 0) for d in days if not d.cancelled for n in d.open.values())
    chosen: list[int] = []
    optimal = True
    if pairs:
        chosen, optimal = _solve_mip(volunteers, days, pairs, time_limit)
    key = evaluate(volunteers, days, pairs, chosen)
    proposals = [
        Proposal(
            day_id=days[pairs[k][1]].id,
            volunteer_id=volunteers[pairs[k][0]].id,
            role=pairs[k][2],
            preferred=days[pairs[k][1]].organisation_id is not None
            and volunteers[pairs[k][0]].organisation_id == days[pairs[k][1]].organisation_id,
        )
        for k in sorted(
            chosen, key=lambda k: (days[pairs[k][1]].date, days[pairs[k][1]].id, pairs[k][2])
        )
    ]
    relevant = {p[0] for p in pairs}
    loads = {volunteers[i].id: n for i, n in _loads(volunteers, pairs, chosen, relevant).items()}
    unfilled = explain_unfilled(volunteers, days, pairs, chosen)
    return RosterResult(
        proposals=proposals,
        unfilled=unfilled,
        open_places=open_places,
        filled=key[0],
        max_load=-key[1],
        sum_squares=-key[2],
        preferred=key[3],
        optimal=optimal,
        seconds=time.perf_counter() - started,
        loads=loads,
    )


def _solve_mip(volunteers, days, pairs, time_limit) -> tuple[list[int], bool]:
    """Solve the four goals; linear programmes first, integer programming as the fallback.

    The constraint matrix (place rows and "all places" on one side; date,
    month and volunteer rows nested on the other) is the incidence matrix of
    two laminar families, hence totally unimodular: the simplex method's
    optimal vertex is integral, so the linear relaxation already is the
    integer optimum. Goal 2 is a smallest cap found by feasibility checks
    (each again totally unimodular); goals 3 and 4 are merged into one
    objective weighted so that one unit of spread outweighs every possible
    organisation bonus (weight = places filled + 1), which keeps them in
    order. Should a solution come back fractional anyway (numerical
    trouble), the same model is re-solved as an integer programme.
    """
    m = _Model(time_limit)
    n = len(pairs)
    x0 = m.add_cols(n, 0.0, 1.0, integer=False)
    rows = []
    by_slot: dict[tuple[int, str], list[int]] = defaultdict(list)
    by_vdate: dict[tuple[int, str], list[int]] = defaultdict(list)
    by_vmonth: dict[tuple[int, str], list[int]] = defaultdict(list)
    by_vol: dict[int, list[int]] = defaultdict(list)
    for k, (i, j, role) in enumerate(pairs):
        by_slot[(j, role)].append(k)
        by_vdate[(i, days[j].date)].append(k)
        by_vmonth[(i, days[j].month)].append(k)
        by_vol[i].append(k)
    for (j, role), ks in by_slot.items():
        cap = days[j].open[role]
        if len(ks) > cap:
            rows.append((0.0, float(cap), [x0 + k for k in ks], [1.0] * len(ks)))
    for ks in by_vdate.values():
        if len(ks) > 1:
            rows.append((0.0, 1.0, [x0 + k for k in ks], [1.0] * len(ks)))
    for (i, month), ks in by_vmonth.items():
        v = volunteers[i]
        if v.max_per_month is not None:
            cap = v.max_per_month - v.month_load[month]
            if len(ks) > cap:
                rows.append((0.0, float(cap), [x0 + k for k in ks], [1.0] * len(ks)))
    m.add_rows(rows)
    inf = m.h.getInfinity()
    all_x = list(range(x0, x0 + n))
    exact = True
    best: list[int] = []

    def keep(values: list[float]) -> None:
        """Remember a solution that is integral and respects every rule (a stopped solve may not)."""
        nonlocal best
        if all(abs(values[x0 + k] - round(values[x0 + k])) <= 1e-6 for k in range(n)):
            chosen = [k for k in range(n) if values[x0 + k] > 0.5]
            if feasible(volunteers, days, pairs, chosen):
                best = chosen

    # 1. the most places filled.
    m.set_objective({c: 1.0 for c in all_x}, maximise=True)
    values, obj, ok = m.solve()
    exact &= ok
    keep(values)
    if not ok:
        return best, False  # stopped before the first goal was proven: what is safe, unranked
    filled = round(obj)
    m.add_row(float(filled), inf, all_x, [1.0] * n)  # integer bounds keep vertices integral

    # 2. the smallest maximum load: the relaxation's bound, then the first cap that still fills.
    mcol = m.add_cols(1, 0.0, inf, integer=False)
    floor = max(volunteers[i].period_load for i in by_vol)
    m.h.changeColBounds(mcol, float(floor), inf)
    m.add_rows(
        [
            (
                -inf,
                -float(volunteers[i].period_load),
                [x0 + k for k in ks] + [mcol],
                [1.0] * len(ks) + [-1.0],
            )
            for i, ks in by_vol.items()
        ]
    )
    m.set_objective({mcol: 1.0}, maximise=False)
    values, obj, ok = m.solve()
    exact &= ok
    max_load = max(floor, math.ceil(obj - 1e-6))
    m.set_objective({}, maximise=False)
    while True:
        m.h.changeColBounds(mcol, float(max_load), float(max_load))
        values, _obj, ok = m.solve()
        if ok or max_load >= floor + n:
            break
        max_load += 1
    exact &= ok

    # 3 and 4. the most even spread (convex cost 2L-1 for the L-th day), then the organisation.
    weight = float(filled + 1)
    costs: dict[int, float] = {}
    link_rows = []
    for i, ks in by_vol.items():
        e = volunteers[i].period_load
        steps = max(0, min(len(ks), max_load - e))
        z0 = m.add_cols(steps, 0.0, 1.0, integer=False)
        for s in range(steps):
            costs[z0 + s] = weight * (2 * (e + s + 1) - 1)
        link_rows.append(
            (
                0.0,
                0.0,
                [x0 + k for k in ks] + list(range(z0, z0 + steps)),
                [1.0] * len(ks) + [-1.0] * steps,
            )
        )
    m.add_rows(link_rows)
    for k, (i, j, _role) in enumerate(pairs):
        if (
            days[j].organisation_id is not None
            and volunteers[i].organisation_id == days[j].organisation_id
        ):
            costs[x0 + k] = -1.0
    m.set_objective(costs, maximise=False)
    values, obj, ok = m.solve()
    exact &= ok
    if any(abs(values[x0 + k] - round(values[x0 + k])) > 1e-6 for k in range(n)):
        m.set_integer(all_x)
        values, obj, ok = m.solve()
        exact &= ok
    keep(values)
    return best, exact


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
