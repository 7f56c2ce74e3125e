"""How long do a laptop's bundle out and the district's import take? How big is a bundle?

Enrols a laptop from a demo database (``clinic sync base``), does one clinic day's work
on it through the desk's services (check-in and one health prescription handed out, for
each of N registered persons), then times ``clinic sync export`` on the
laptop and ``clinic sync import`` on the district, and reports the bundle's size per visit.

    python bench/bench_sync.py                    # the small demo, 300 visits
    python bench/bench_sync.py --size large       # 200,000 persons
    python bench/bench_sync.py --db large.db --visits 300 [--json]

Measured on the shared 2-core development machine (loaded), 300 visits each with one
handout (601 changes): small demo (2,000 persons) export 0.10 s, import 0.04 s; large
demo (200,000 persons, 114 MB) export 2.1 s (the copy and the comparison of two 114 MB
files), import 0.01 s; 271 bytes per visit (81 KB).
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


def day_of_work(laptop: Path, visits: int) -> int:
    """``visits`` check-ins with a reading and a handout on the laptop's latest clinic day."""
    from clinic.core import desk
    from clinic.core.desk import handouts
    from clinic.store import open_store

    with open_store(laptop) as store:
        day_id = store.scalar("SELECT max(id) FROM clinic_days WHERE date <= date('now')")
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


def measure(district: Path, work: Path, visits: int) -> dict:
    from clinic.core.sync.enrol import make_base
    from clinic.core.sync.exporting import export_bundle
    from clinic.core.sync.importing import import_bundles
    from clinic.store import open_store

    laptop = work / "laptop.db"
    with open_store(district) as store:
        make_base(store, f"bench-{time.time_ns()}", laptop, actor="bench")
    open_store(laptop).close()  # the laptop's first opening takes its first copy
    done = day_of_work(laptop, visits)
    with open_store(laptop) as store:
        start = time.perf_counter()
        made = export_bundle(store, work / "day.bundle", actor="bench")
        exported = time.perf_counter() - start
    with open_store(district) as store:
        start = time.perf_counter()
        import_bundles(store, [work / "day.bundle"], actor="bench")
        imported = time.perf_counter() - start
    return {
        "visits": done,
        "changes": made.changes,
        "export_s": round(exported, 3),
        "import_s": round(imported, 3),
        "bundle_bytes": made.size,
        "bytes_per_visit": round(made.size / max(done, 1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database to copy (else one is built)")
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        district = work / "district.db"
        if args.db:
            shutil.copy(args.db, district)
        else:
            from clinic.core.demo import build_demo

            build_demo(district, size=args.size, seed=1)
        result = measure(district, work, args.visits)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
