"""Merging laptops (issue 11, point 9): a clinic day's bundle out and in, a season's import.

Enrols laptops from a demo database (``clinic sync base``), does a clinic day's work
on each through the desk's services (check-in and one health prescription handed
out, for each of N registered persons, each laptop on its own clinic day), and
times, on the real files:

- ``clinic sync export`` of the first laptop's day, and ``clinic sync import`` of
  that one bundle on the district: goal well under a second together;
- ``clinic sync import`` of every laptop's bundle at once (the full size: 20
  laptops × 300 visits = 6,000 visits on the large demo): goal under 10 s;
- the bundle's size per visit.

The baseline of the export is the consistent copy of the laptop's database it
takes (SQLite's backup API), the floor of comparing "now" with "last export";
the import has no baseline, only its goal.

    python bench/bench_sync.py                 # the large demo (built, ~20 s), 20 laptops
    python bench/bench_sync.py --quick         # the small demo, 3 laptops × 100 visits
    python bench/bench_sync.py --db large.db --laptops 20 --visits 300 [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def day_of_work(laptop: Path, visits: int, nth_day: int) -> int:
    """``visits`` check-ins with a reading and a handout on the laptop's ``nth_day``-latest
    past clinic day (each laptop its own day, as teams work in their own villages)."""
    from clinic.core import desk
    from clinic.core.desk import handouts
    from clinic.store import open_store

    with open_store(laptop) as store:
        day_id = store.scalar(
            "SELECT id FROM clinic_days WHERE date <= date('now') ORDER BY date DESC, id DESC "
            "LIMIT 1 OFFSET ?",
            [nth_day],
        )
        day = desk.get_day(store, day_id)
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        template = next(t for t in handouts.templates(store) if t.code == "hypertension")
        people = [
            r["id"]
            for r in store.query(
                "SELECT p.id FROM persons p WHERE EXISTS (SELECT 1 FROM consents c "
                "WHERE c.person_id = p.id) AND p.id NOT IN "
                "(SELECT person_id FROM visits WHERE clinic_day_id = ?) LIMIT ?",
                [day_id, visits],
            )
        ]
        now = dt.datetime.fromisoformat(f"{day['date']}T10:00")
        for person in people:
            visit, _new = desk.check_in(store, day, person, volunteer, now)
            pick = handouts.Pick(template.id, template.default_ticks()[:2])
            handouts.hand_out(store, day, visit, [pick], volunteer, now)
        return len(people)


def laptop_bundle(district: Path, work: Path, n: int, visits: int) -> dict:
    """Laptop ``n`` enrolled, a day's work done, its bundle exported (timed); the laptop's
    files removed after, as the season's bundles are all the district keeps."""
    from clinic.core.sync.enrol import make_base
    from clinic.core.sync.exporting import export_bundle
    from clinic.store import open_store
    from clinic.store.backup import page_copy

    laptop = work / f"laptop-{n}.db"
    with open_store(district) as store:
        make_base(store, f"bench-{n}-{time.time_ns()}", laptop, actor="bench")
    open_store(laptop).close()  # the laptop's first opening takes its first copy
    done = day_of_work(laptop, visits, n)
    start = time.perf_counter()
    page_copy(laptop, work / "copy.db")
    copied = time.perf_counter() - start
    (work / "copy.db").unlink()
    with open_store(laptop) as store:
        start = time.perf_counter()
        made = export_bundle(store, work / f"day-{n}.bundle", actor="bench")
        exported = time.perf_counter() - start
    laptop.unlink()
    shutil.rmtree(work / f"{laptop.name}.sync", ignore_errors=True)
    return {"visits": done, "export_s": exported, "copy_s": copied, "made": made}


def timed_import(district: Path, bundles: list[Path]) -> float:
    from clinic.core.sync.importing import import_bundles
    from clinic.store import open_store

    with open_store(district) as store:
        start = time.perf_counter()
        results = import_bundles(store, bundles, actor="bench")
        elapsed = time.perf_counter() - start
    assert all(not r.already for r in results), "a bundle was imported before"
    return elapsed


def measure(district: Path, work: Path, laptops: int, visits: int) -> dict:
    days = [laptop_bundle(district, work, n, visits) for n in range(laptops)]
    first = days[0]
    from clinic.core.sync.keys import district_key_path

    season = work / "season.db"
    shutil.copy(district, season)
    shutil.copy(district_key_path(district), district_key_path(season))
    one_day = timed_import(district, [first["made"].path])
    all_days = timed_import(season, [d["made"].path for d in days])
    return {
        "laptops": laptops,
        "visits": first["visits"],
        "season_visits": sum(d["visits"] for d in days),
        "changes": first["made"].changes,
        "export_s": round(first["export_s"], 3),
        "copy_s": round(first["copy_s"], 3),
        "import_s": round(one_day, 3),
        "season_import_s": round(all_days, 3),
        "bundle_bytes": first["made"].size,
        "bytes_per_visit": round(first["made"].size / max(first["visits"], 1)),
    }


def rows(result: dict) -> list[dict]:
    """The rows of bench/run_all.py's table."""
    day = result["export_s"] + result["import_s"]
    return [
        {
            "measure": (
                f"sync: one clinic day out and in ({result['visits']} visits, "
                f"{result['bytes_per_visit']} bytes a visit)"
            ),
            "clinic_s": day,
            "baseline_s": result["copy_s"],
            "ratio": day / result["copy_s"] if result["copy_s"] else None,
            "goal": "< 1 s",
            "met": day < 1.0,
        },
        {
            "measure": (
                f"sync: a season imported ({result['laptops']} laptops, "
                f"{result['season_visits']:,} visits)"
            ),
            "clinic_s": result["season_import_s"],
            "baseline_s": None,
            "ratio": None,
            "goal": "< 10 s",
            "met": result["season_import_s"] < 10.0,
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database to copy (else one is built)")
    parser.add_argument("--quick", action="store_true", help="the small demo, 3 laptops")
    parser.add_argument("--laptops", type=int, default=None, help="default 20 (quick: 3)")
    parser.add_argument("--visits", type=int, default=None, help="default 300 (quick: 100)")
    parser.add_argument("--json", action="store_true", help="the rows of bench/run_all.py")
    args = parser.parse_args()
    laptops = args.laptops or (3 if args.quick else 20)
    visits = args.visits or (100 if args.quick else 300)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        district = work / "district.db"
        if args.db:
            shutil.copy(args.db, district)
        else:
            from clinic.core.demo import build_demo

            build_demo(district, size="small" if args.quick else "large", seed=1)
        result = measure(district, work, laptops, visits)
    if args.json:
        print(json.dumps(rows(result)))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
