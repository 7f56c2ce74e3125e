"""Time the optimal roster for a quarter at district scale, and at 4x that size.

    python bench/bench_roster.py [--seed 1] [--scale 4]

District scale: 500 volunteers, 200 clinic days in one quarter, 4-6 roles a
day (1-3 places each). The larger run multiplies volunteers and days by
``--scale``. Prints both times and their ratio (for the README's
performance section). Synthetic data, built in memory: this measures the
optimiser (building the model and the four lexicographic solves), not SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic.core import roster  # noqa: E402
from clinic.core.roster import RDay, RVolunteer  # noqa: E402

ROLES = ["gp", "internal", "cardiology", "endocrinology", "tcm", "ophthalmology", "dentistry",
         "paediatrics", "gynaecology", "orthopaedics", "rehabilitation", "lab", "nurse",
         "pharmacist", "coordinator", "clerk", "educator"]
# Nurses, GPs, clerks and pharmacists are needed (and present) far more often.
WEIGHTS = [6, 3, 2, 2, 4, 1, 1, 1, 1, 1, 1, 2, 8, 4, 2, 4, 2]
START = dt.date(2027, 1, 1)


def build(n_vol: int, n_days: int, seed: int) -> tuple[list[RVolunteer], list[RDay]]:
    rng = random.Random(seed)
    weekend = [START + dt.timedelta(days=i) for i in range(90) if (START + dt.timedelta(days=i)).weekday() >= 5]
    vols = []
    for i in range(n_vol):
        unav = frozenset(d.isoformat() for d in rng.sample(weekend, rng.randint(0, 4)))
        vols.append(RVolunteer(
            id=i + 1, name=f"v{i}", specialty=rng.choices(ROLES, WEIGHTS)[0],
            organisation_id=rng.randint(1, 10), weekdays=rng.choice(["0123456", "56", "5", "6", "0123456"]),
            holidays=rng.random() < 0.7, max_per_month=rng.choice([None, 1, 2, 2, 3]),
            unavailable=unav, month_load=Counter(), period_load=0,
        ))
    days = []
    for j in range(n_days):
        date = rng.choice(weekend)
        roles = rng.sample(ROLES, rng.randint(4, 6))
        days.append(RDay(id=j + 1, date=date.isoformat(), organisation_id=rng.randint(1, 10),
                         open={r: rng.randint(1, 3) for r in roles}))
    return vols, days


def run(n_vol: int, n_days: int, seed: int) -> float:
    vols, days = build(n_vol, n_days, seed)
    t0 = time.perf_counter()
    result = roster.solve(vols, days, time_limit=600)
    seconds = time.perf_counter() - t0
    pairs = len(roster.eligible_pairs(vols, days))
    print(f"{n_vol} volunteers, {n_days} days, {result.open_places} places, {pairs} variables: "
          f"filled {result.filled}, max load {result.max_load}, preferred {result.preferred}, "
          f"optimal {result.optimal}: {seconds:.2f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=4)
    args = parser.parse_args()
    small = run(500, 200, args.seed)
    large = run(500 * args.scale, 200 * args.scale, args.seed)
    print(f"ratio {args.scale}x size / 1x: {large / small:.1f}")


if __name__ == "__main__":
    main()
