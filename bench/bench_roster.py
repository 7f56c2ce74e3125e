"""Time the optimal roster for a quarter at district scale, and at 4x that size.

    python bench/bench_roster.py [--seed 1] [--scale 4]

District scale: 500 volunteers, 200 clinic days in one quarter, 4-6 roles a
day (1-3 places each). The larger run multiplies volunteers and days by
``--scale``. Prints both times and their ratio (for the README's
performance section). Synthetic data, built in memory: this measures the
optimiser (building the model and the four lexicographic solves); with
``--db`` the same problem is written to a SQLite clinic database first and
the time covers what ``clinic roster`` does: read, solve, explain.
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

from clinic.core.planning import roster_rules, roster_solver  # noqa: E402
from clinic.core.planning.roster_rules import RDay, RVolunteer  # noqa: E402

ROLES = [
    "gp",
    "internal",
    "cardiology",
    "endocrinology",
    "tcm",
    "ophthalmology",
    "dentistry",
    "paediatrics",
    "gynaecology",
    "orthopaedics",
    "rehabilitation",
    "lab",
    "nurse",
    "pharmacist",
    "coordinator",
    "clerk",
    "educator",
]
# Nurses, GPs, clerks and pharmacists are needed (and present) far more often.
WEIGHTS = [6, 3, 2, 2, 4, 1, 1, 1, 1, 1, 1, 2, 8, 4, 2, 4, 2]
START = dt.date(2027, 1, 1)


def build(n_vol: int, n_days: int, seed: int) -> tuple[list[RVolunteer], list[RDay]]:
    rng = random.Random(seed)
    weekend = [
        START + dt.timedelta(days=i)
        for i in range(90)
        if (START + dt.timedelta(days=i)).weekday() >= 5
    ]
    vols = []
    for i in range(n_vol):
        unav = frozenset(d.isoformat() for d in rng.sample(weekend, rng.randint(0, 4)))
        vols.append(
            RVolunteer(
                id=i + 1,
                name=f"v{i}",
                specialty=rng.choices(ROLES, WEIGHTS)[0],
                organisation_id=rng.randint(1, 10),
                weekdays=rng.choice(["0123456", "56", "5", "6", "0123456"]),
                holidays=rng.random() < 0.7,
                max_per_month=rng.choice([None, 1, 2, 2, 3]),
                unavailable=unav,
                month_load=Counter(),
                period_load=0,
            )
        )
    days = []
    for j in range(n_days):
        date = rng.choice(weekend)
        roles = rng.sample(ROLES, rng.randint(4, 6))
        days.append(
            RDay(
                id=j + 1,
                date=date.isoformat(),
                organisation_id=rng.randint(1, 10),
                open={r: rng.randint(1, 3) for r in roles},
            )
        )
    return vols, days


def to_database(path: Path, vols: list[RVolunteer], days: list[RDay]) -> None:
    """The same problem as rows in a fresh clinic database (for --db: load + solve + explain)."""
    from clinic.store import open_store
    from clinic.store.connection import new_uid

    store = open_store(path)
    with store.transaction() as db:
        tid = db.table("townships").insert({"name": "测试镇"}).last_pk
        villages = [
            db.table("villages").insert({"township_id": tid, "name": f"村{i}"}).last_pk
            for i in range(50)
        ]
        org_ids = [r["id"] for r in store.query("SELECT id FROM organisations ORDER BY id")]
        db.table("volunteers").insert_all(
            {
                "id": v.id,
                "uid": new_uid(),
                "name": v.name,
                "specialty_code": v.specialty,
                "organisation_id": org_ids[(v.organisation_id or 1) - 1],
                "weekdays": v.weekdays,
                "holidays": int(v.holidays),
                "max_days_per_month": v.max_per_month,
            }
            for v in vols
        )
        db.table("volunteer_unavailable").insert_all(
            {"volunteer_id": v.id, "date": d} for v in vols for d in v.unavailable
        )
        db.table("clinic_days").insert_all(
            {
                "id": d.id,
                "uid": new_uid(),
                "date": d.date,
                "village_id": villages[d.id % len(villages)],
                "organisation_id": org_ids[(d.organisation_id or 1) - 1],
            }
            for d in days
        )
        db.table("clinic_day_needs").insert_all(
            {"clinic_day_id": d.id, "specialty_code": role, "count": n}
            for d in days
            for role, n in d.open.items()
        )
    store.close()


def run(n_vol: int, n_days: int, seed: int, through_db: bool = False) -> float:
    vols, days = build(n_vol, n_days, seed)
    if through_db:
        import tempfile

        from clinic.core.planning import plan_roster
        from clinic.store import open_store

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            to_database(path, vols, days)
            store = open_store(path)
            t0 = time.perf_counter()
            result = plan_roster(store, "2027-01-01", "2027-03-31", time_limit=600).result
            seconds = time.perf_counter() - t0
            store.close()
    else:
        t0 = time.perf_counter()
        result = roster_solver.solve(vols, days, time_limit=600)
        seconds = time.perf_counter() - t0
    pairs = len(roster_rules.eligible_pairs(vols, days))
    print(
        f"{n_vol} volunteers, {n_days} days, {result.open_places} places, {pairs} variables: "
        f"filled {result.filled}, max load {result.max_load}, preferred {result.preferred}, "
        f"optimal {result.optimal}: {seconds:.2f} s"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument(
        "--db",
        action="store_true",
        help="through a SQLite clinic database: load, solve and explain (clinic roster's path)",
    )
    args = parser.parse_args()
    small = run(500, 200, args.seed, args.db)
    large = run(500 * args.scale, 200 * args.scale, args.seed, args.db)
    print(f"ratio {args.scale}x size / 1x: {large / small:.1f}")


if __name__ == "__main__":
    main()
