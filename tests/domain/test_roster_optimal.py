"""The roster optimiser against brute force on small random cases.

Every subset of the eligible (volunteer, day) pairs that respects the hard
rules is enumerated; the best lexicographic key (filled, -max load, -sum of
squares, preferred) must equal the optimiser's, and the optimiser's own plan
must respect every hard rule.
"""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.core.planning import roster_rules, roster_solver
from clinic.core.planning.roster_rules import RDay, RVolunteer

ROLES = ("gp", "nurse")
DATES = ("2026-12-05", "2026-12-06", "2026-12-12", "2027-01-01")  # Sat, Sun, Sat, holiday


@st.composite
def problems(draw):
    nvol = draw(st.integers(1, 6))
    vols = []
    for i in range(nvol):
        month_load = Counter()
        if draw(st.booleans()):
            month_load["2026-12"] = draw(st.integers(0, 2))
        vols.append(
            RVolunteer(
                id=100 + i,
                name=f"v{i}",
                specialty=draw(st.sampled_from(ROLES)),
                organisation_id=draw(st.sampled_from([None, 1, 2])),
                weekdays=draw(st.sampled_from(["0123456", "0123456", "56", "5", "6", "01234"])),
                holidays=draw(st.integers(0, 3)) > 0,
                max_per_month=draw(st.sampled_from([None, 1, 2, 3])),
                active=draw(st.integers(0, 5)) > 0,
                unavailable=frozenset(draw(st.sets(st.sampled_from(DATES), max_size=1)))
                if draw(st.integers(0, 3)) == 0
                else frozenset(),
                busy_dates=set(draw(st.sets(st.sampled_from(DATES), max_size=1)))
                if draw(st.integers(0, 3)) == 0
                else set(),
                month_load=month_load,
                period_load=draw(st.integers(0, 2)),
            )
        )
    ndays = draw(st.integers(1, 5))
    days = []
    for j in range(ndays):
        date = draw(st.sampled_from(DATES))
        roles = draw(st.sets(st.sampled_from(ROLES), min_size=1, max_size=2))
        days.append(
            RDay(
                id=j + 1,
                date=date,
                organisation_id=draw(st.sampled_from([None, 1, 2])),
                holiday=date == "2027-01-01",
                cancelled=draw(st.integers(0, 15)) == 0,
                open={r: draw(st.integers(1, 2)) for r in roles},
                declined=frozenset(draw(st.sets(st.sampled_from([v.id for v in vols]), max_size=1)))
                if draw(st.integers(0, 3)) == 0
                else frozenset(),
            )
        )
    return vols, days


def brute_force(vols, days, pairs):
    best = None
    for r in range(len(pairs), -1, -1):
        for combo in itertools.combinations(range(len(pairs)), r):
            if roster_rules.feasible(vols, days, pairs, combo):
                key = roster_rules.evaluate(vols, days, pairs, combo)
                if best is None or key > best:
                    best = key
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_roster_matches_brute_force(problem):
    vols, days = problem
    pairs = roster_rules.eligible_pairs(vols, days)
    result = roster_solver.solve(vols, days)
    assert result.optimal
    chosen = [
        k
        for k, (i, j, role) in enumerate(pairs)
        if any(
            p.volunteer_id == vols[i].id and p.day_id == days[j].id and p.role == role
            for p in result.proposals
        )
    ]
    assert len(chosen) == len(result.proposals)
    assert roster_rules.feasible(vols, days, pairs, chosen)
    # Every proposal passes the same rule a manual assignment is checked with.
    by_id = {v.id: v for v in vols}
    day_by_id = {d.id: d for d in days}
    for p in result.proposals:
        assert roster_rules.blocker(by_id[p.volunteer_id], day_by_id[p.day_id], p.role) is None
    if len(pairs) <= 16:
        assert result.key() == brute_force(vols, days, pairs)
    # Every open place left is explained, and the counts add up.
    assert result.filled + sum(u.count for u in result.unfilled) == result.open_places
    for u in result.unfilled:
        assert "not_chosen" not in u.reasons
        assert u.explain()


def test_lexicographic_order_fill_before_fairness():
    """Filling a place beats fairness: the only nurse serves both days."""
    v = RVolunteer(id=1, name="a", specialty="nurse")
    days = [
        RDay(id=1, date="2026-12-05", open={"nurse": 1}),
        RDay(id=2, date="2026-12-06", open={"nurse": 1}),
    ]
    result = roster_solver.solve([v], days)
    assert result.filled == 2 and result.max_load == 2


def test_fairness_before_organisation():
    """Two days, two gp: each gets one day even though one of them is the organiser's member."""
    a = RVolunteer(id=1, name="a", specialty="gp", organisation_id=7)
    b = RVolunteer(id=2, name="b", specialty="gp", organisation_id=8)
    days = [
        RDay(id=1, date="2026-12-05", organisation_id=7, open={"gp": 1}),
        RDay(id=2, date="2026-12-06", organisation_id=7, open={"gp": 1}),
    ]
    result = roster_solver.solve([a, b], days)
    assert result.filled == 2 and result.max_load == 1 and result.preferred == 1


def test_organisation_preferred_when_fair():
    a = RVolunteer(id=1, name="a", specialty="gp", organisation_id=7)
    b = RVolunteer(id=2, name="b", specialty="gp", organisation_id=8)
    days = [RDay(id=1, date="2026-12-05", organisation_id=8, open={"gp": 1})]
    result = roster_solver.solve([a, b], days)
    assert [p.volunteer_id for p in result.proposals] == [2]


def test_unfilled_explained():
    v = RVolunteer(id=1, name="a", specialty="nurse", weekdays="6", max_per_month=1)
    w = RVolunteer(id=2, name="b", specialty="nurse", unavailable=frozenset({"2026-12-05"}))
    days = [RDay(id=1, date="2026-12-05", open={"nurse": 2, "tcm": 1})]
    result = roster_solver.solve([v, w], days)
    assert result.filled == 0
    reasons = {u.role: u.reasons for u in result.unfilled}
    assert reasons["nurse"] == {"weekday": 1, "unavailable": 1}
    assert reasons["tcm"] == {}
    text = {u.role: u.explain() for u in result.unfilled}
    assert "Nobody" in text["tcm"]


def test_a_stopped_solver_never_breaks_a_rule():
    """With no time at all the plan may be empty or partial, never against the rules."""
    import random

    rng = random.Random(3)
    vols = [
        RVolunteer(
            id=i, name=str(i), specialty=rng.choice(ROLES), max_per_month=rng.choice([None, 1])
        )
        for i in range(60)
    ]
    days = [
        RDay(id=j, date=rng.choice(DATES[:3]), open={r: rng.randint(1, 3) for r in ROLES})
        for j in range(30)
    ]
    result = roster_solver.solve(vols, days, time_limit=1e-6)
    pairs = roster_rules.eligible_pairs(vols, days)
    index = {(vols[i].id, days[j].id, role): k for k, (i, j, role) in enumerate(pairs)}
    chosen = [index[(p.volunteer_id, p.day_id, p.role)] for p in result.proposals]
    assert roster_rules.feasible(vols, days, pairs, chosen)
    assert result.filled + sum(u.count for u in result.unfilled) == result.open_places
