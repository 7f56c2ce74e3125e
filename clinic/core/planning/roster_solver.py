"""The optimal roster: put volunteers on the open places of clinic days.

The problem is a mixed-integer programme solved with HiGHS (``highspy``).
One binary variable ``x[v, d]`` per volunteer ``v`` and clinic day ``d`` on
which ``v`` may serve in their own specialty (every hard rule is applied
while building the variables, by :func:`clinic.core.planning.roster_rules.blocker`, the same function that
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
proposals release them first (see :mod:`clinic.core.planning.roster_plan`).

Every place left open is explained: for each candidate with the specialty,
the first rule that keeps them off that day in the final plan.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Sequence

from clinic.core.planning.roster_rules import (
    Proposal,
    RDay,
    RosterResult,
    RVolunteer,
    eligible_pairs,
    evaluate,
    explain_unfilled,
    feasible,
    loads_of,
)

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
        starts: list[int] = []
        idx: list[int] = []
        vals: list[float] = []
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
    loads = {volunteers[i].id: n for i, n in loads_of(volunteers, pairs, chosen, relevant).items()}
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
