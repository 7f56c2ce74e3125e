"""The full report (all villages, one year) on a database of 1,000,000
visits, against bare SQL aggregates that produce the same numbers, in the
same run.

    python bench/bench_report.py [--visits 1000000 | --quick] [--db PATH] [--json]

Builds the synthetic database of ``bench_export.py`` (about 200,000 persons
in 400 villages, 5,000 clinic days over ten years, one prescription per
visit) and adds what a report also reads: chronic conditions on record,
five volunteers per day (attended with and without typed hours, a no-show),
and drafts. Then, each measured as the median of five runs after one warm-up:

1. ``clinic.core.reports.build_report`` for the busiest year, as F8 and
   ``clinic report --from --to`` compute it: every figure of the report;
2. the baseline: hand-written aggregates over the same year with no
   scope machinery (the days are plain ``date BETWEEN``; on this data every
   day is held), one query per figure;

and checks that both give the same numbers before printing the ratio
(clinic time / baseline time: lower is better; the goal is within 3x, and
under 1 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_export import build  # noqa: E402

from clinic.core.reports import ReportFilters, build_report  # noqa: E402
from clinic.store import open_store  # noqa: E402

GOAL_RATIO = 3.0
GOAL_SECONDS = 1.0
QUICK = 100_000


def enrich(path: Path) -> None:
    """Conditions on record, volunteers and their assignments, some drafts."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        n_persons = conn.execute("SELECT max(id) FROM persons").fetchone()[0]
        codes = [r[0] for r in conn.execute("SELECT code FROM conditions ORDER BY code LIMIT 4")]
        conn.executemany(
            "INSERT OR IGNORE INTO person_conditions (person_id, condition_code) VALUES (?, ?)",
            ((p, codes[p % len(codes)]) for p in range(1, n_persons + 1, 3)),
        )
        orgs = [r[0] for r in conn.execute("SELECT id FROM organisations ORDER BY id")]
        conn.executemany(
            "INSERT INTO volunteers (id, uid, name, organisation_id) VALUES (?, ?, ?, ?)",
            ((v, f"v{v}", f"志愿者{v}", orgs[v % len(orgs)]) for v in range(2, 202)),
        )
        days = [r[0] for r in conn.execute("SELECT id FROM clinic_days ORDER BY id")]

        def assignments():
            for d in days:
                for k in range(5):
                    v = 2 + (d * 5 + k) % 200
                    status = "no_show" if k == 4 else "attended"
                    hours = None if k == 3 else 6.5
                    yield (f"a{d}-{k}", d, v, "gp", status, hours)

        conn.executemany(
            "INSERT OR IGNORE INTO assignments (uid, clinic_day_id, volunteer_id, role, status, hours) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            assignments(),
        )
        conn.execute("UPDATE clinic_days SET start_time = '08:30', end_time = '16:00'")
        conn.execute("UPDATE visits SET state = 'waiting', draft = 1 WHERE id % 101 = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def busiest_year(path: Path) -> tuple[str, str]:
    conn = sqlite3.connect(path)
    year = conn.execute(
        "SELECT substr(d.date, 1, 4) AS y FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id "
        "GROUP BY y ORDER BY count(*) DESC, y LIMIT 1"
    ).fetchone()[0]
    conn.close()
    return f"{year}-01-01", f"{year}-12-31"


BASELINE = {
    "visits": """SELECT count(*), count(DISTINCT v.person_id), count(DISTINCT p.household_id)
        FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
        WHERE d.date BETWEEN :a AND :b""",
    "sex": """SELECT p.sex, count(DISTINCT v.person_id) FROM clinic_days d
        JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
        WHERE d.date BETWEEN :a AND :b GROUP BY p.sex""",
    "households": """SELECT h.category, count(*), sum(s.id IS NOT NULL) FROM households h
        LEFT JOIN (SELECT DISTINCT p.household_id AS id FROM clinic_days d
                   JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
                   WHERE d.date BETWEEN :a AND :b) s ON s.id = h.id
        WHERE h.village_id IN (SELECT village_id FROM clinic_days WHERE date BETWEEN :a AND :b)
        GROUP BY h.category""",
    "people_by_category": """SELECT h.category, count(DISTINCT v.person_id) FROM clinic_days d
        JOIN visits v ON v.clinic_day_id = d.id JOIN persons p ON p.id = v.person_id
        LEFT JOIN households h ON h.id = p.household_id
        WHERE d.date BETWEEN :a AND :b GROUP BY h.category""",
    "tags": """SELECT t.tag, count(DISTINCT t.person_id) FROM person_tags t
        WHERE t.person_id IN (SELECT v.person_id FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id
                              WHERE d.date BETWEEN :a AND :b) GROUP BY t.tag""",
    "conditions": """SELECT pc.condition_code, count(*) FROM person_conditions pc
        WHERE pc.person_id IN (SELECT v.person_id FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id
                               WHERE d.date BETWEEN :a AND :b) GROUP BY pc.condition_code""",
    "flags": """SELECT v.flags, count(*) FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b AND v.flags != '' GROUP BY v.flags""",
    "prescriptions": """SELECT h.template_id, count(*), count(DISTINCT v.person_id) FROM clinic_days d
        JOIN visits v ON v.clinic_day_id = d.id JOIN handouts h ON h.visit_id = v.id
        WHERE d.date BETWEEN :a AND :b GROUP BY h.template_id""",
    "referrals": """SELECT v.referral_to, count(*) FROM clinic_days d JOIN visits v ON v.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b AND v.referral_to IS NOT NULL GROUP BY v.referral_to""",
    "volunteers": """SELECT count(DISTINCT a.volunteer_id), sum(coalesce(a.hours,
            (julianday('2000-01-01 ' || d.end_time) - julianday('2000-01-01 ' || d.start_time)) * 24))
        FROM clinic_days d JOIN assignments a ON a.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b AND a.status = 'attended'""",
    "by_organiser": """SELECT d.organisation_id, count(DISTINCT d.id), count(v.id), count(DISTINCT v.person_id)
        FROM clinic_days d LEFT JOIN visits v ON v.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b GROUP BY d.organisation_id""",
    "by_month": """SELECT substr(d.date, 1, 7), count(DISTINCT d.id), count(v.id), count(DISTINCT v.person_id)
        FROM clinic_days d LEFT JOIN visits v ON v.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b GROUP BY 1""",
    "by_village": """SELECT d.village_id, count(DISTINCT d.id), count(v.id), count(DISTINCT v.person_id)
        FROM clinic_days d LEFT JOIN visits v ON v.clinic_day_id = d.id
        WHERE d.date BETWEEN :a AND :b GROUP BY d.village_id""",
}


def baseline(conn: sqlite3.Connection, a: str, b: str) -> dict[str, list[tuple]]:
    return {name: conn.execute(sql, {"a": a, "b": b}).fetchall() for name, sql in BASELINE.items()}


def same_numbers(report, base: dict[str, list[tuple]]) -> None:
    """The report and the baseline agree (else the comparison means nothing)."""
    visits, people, households = base["visits"][0]
    assert (report.visits, report.people, report.households["served"]) == (
        visits,
        people,
        households,
    ), (report.visits, report.people, report.households, base["visits"])
    registered = sum(r[1] for r in base["households"])
    served = sum(r[2] for r in base["households"])
    assert report.households["registered"] == registered, (report.households, registered)
    assert report.households["served_registered"] == served
    assert report.prescriptions["total"] == sum(r[1] for r in base["prescriptions"])
    assert sum(c["people"] for c in report.conditions) == sum(r[1] for r in base["conditions"])
    vols, hours = base["volunteers"][0]
    assert report.volunteers["people"] == vols, (report.volunteers, vols)
    assert abs(report.volunteers["hours"] - hours) < 0.01, (report.volunteers["hours"], hours)
    assert [m["visits"] for m in report.by_month] == [r[2] for r in base["by_month"]]
    assert sorted(v["visits"] for v in report.by_village) == sorted(
        r[2] for r in base["by_village"]
    )


T = TypeVar("T")


def timed(fn: Callable[[], T], runs: int = 5) -> tuple[float, T]:
    result = fn()  # warm-up: the page cache, the statement cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def measure(db: Path) -> dict:
    a, b = busiest_year(db)
    store = open_store(db)
    filters = ReportFilters(date_from=dt.date.fromisoformat(a), date_to=dt.date.fromisoformat(b))
    ours, report = timed(lambda: build_report(store, filters))
    store.close()
    conn = sqlite3.connect(db)
    theirs, base = timed(lambda: baseline(conn, a, b))
    conn.close()
    same_numbers(report, base)
    return {
        "measure": f"report, all villages, {a[:4]} ({report.visits:,} visits)",
        "clinic_s": ours,
        "baseline_s": theirs,
        "ratio": ours / theirs,
        "goal": f"<= {GOAL_RATIO:g}x and < {GOAL_SECONDS:g} s",
        "met": ours / theirs <= GOAL_RATIO and ours < GOAL_SECONDS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} visits")
    parser.add_argument("--db", type=Path, default=None, help="reuse or keep the database here")
    parser.add_argument("--json", action="store_true", help="one JSON line (bench/run_all.py)")
    args = parser.parse_args(argv)
    n = QUICK if args.quick else args.visits
    folder = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    db = args.db or folder / "report.db"
    try:
        if not db.exists():
            t0 = time.perf_counter()
            build(db, n)
            enrich(db)
            if not args.json:
                print(f"built {n:,} visits in {time.perf_counter() - t0:.1f} s ({db})")
        row = measure(db)
    finally:
        if args.db is None:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps([row]))
    else:
        print(
            f"{row['measure']}: clinic {row['clinic_s']:.3f} s, bare SQL {row['baseline_s']:.3f} s, "
            f"ratio {row['ratio']:.2f}x (goal {row['goal']}): {'met' if row['met'] else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
