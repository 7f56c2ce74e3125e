"""Export all visits of a database with 1,000,000 visits to CSV, against
``sqlite3 -csv`` running the same query, in the same run; and check that
memory stays flat as the export grows.

    python bench/bench_export.py [--visits 1000000] [--db PATH] [--keep]

Builds a synthetic database (raw executemany in one transaction: about
200,000 persons in 400 villages, 5,000 clinic days, the visits, one handout
per visit), then:

1. ``clinic export visits`` through clinic.core.exports (masking, labels,
   neutralising, BOM) to a file: rows/s;
2. ``sqlite3 -csv -header`` on the very SQL the export runs
   (clinic.store.datasets.visit_query): rows/s; prints the ratio;
3. the export again in two child processes, of about a tenth and of all
   the visits (a date filter), each reporting its peak RSS: the two peaks
   should be about equal (rows are streamed, never collected).

Prints one summary line per measure, for the README's performance section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic.core.idnumbers import check_character  # noqa: E402
from clinic.store import open_store  # noqa: E402

START = dt.date(2020, 1, 4)


def build(path: Path, n_visits: int, seed: int = 1) -> None:
    """A database with ``n_visits`` visits, written with raw executemany."""
    rng = random.Random(seed)
    store = open_store(path)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    n_villages = 400
    n_persons = max(1000, min(200_000, n_visits // 5))
    n_days = max(50, min(5000, n_visits // 200))
    per_day = -(-n_visits // n_days)
    with conn:
        conn.executemany(
            "INSERT INTO townships (id, name) VALUES (?, ?)", [(t, f"镇{t}") for t in range(1, 21)]
        )
        conn.executemany(
            "INSERT INTO villages (id, township_id, name) VALUES (?, ?, ?)",
            [(v, 1 + v % 20, f"村{v}") for v in range(1, n_villages + 1)],
        )
        households = n_persons // 2
        cats = ["lifted", "monitored", "dibao", "tekun", "ordinary", "ordinary", "ordinary"]
        conn.executemany(
            "INSERT INTO households (id, uid, village_id, number, head_name, category) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (h, f"h{h}", 1 + h % n_villages, f"{h:08d}", f"户主{h}", cats[h % len(cats)])
                for h in range(1, households + 1)
            ),
        )

        def person(p: int) -> tuple:
            birth = START.replace(year=1930 + p % 70) + dt.timedelta(days=p % 300)
            first17 = f"500110{birth:%Y%m%d}{p % 1000:03d}"
            idn = first17 + check_character(first17) if p % 10 else None  # some have none
            name = "=HYPERLINK(1)" if p == 7 else f"张{p}"
            return (
                p,
                f"p{p}",
                1 + p % households,
                1 + (1 + p % households) % n_villages,
                name,
                "M" if p % 2 else "F",
                birth.isoformat(),
                idn,
                f"139{p:08d}",
            )

        seen_ids: set[str] = set()

        def persons():
            for p in range(1, n_persons + 1):
                row = person(p)
                if row[7] in seen_ids:
                    row = row[:7] + (None,) + row[8:]
                elif row[7]:
                    seen_ids.add(row[7])
                yield row

        conn.executemany(
            "INSERT INTO persons (id, uid, household_id, village_id, name, sex, birth_date, id_number, phone) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            persons(),
        )
        conn.executemany(
            "INSERT INTO person_tags (person_id, tag) VALUES (?, 'disabled')",
            ((p,) for p in range(1, n_persons + 1, 17)),
        )
        conn.execute(
            "INSERT INTO volunteers (id, uid, name, organisation_id) VALUES (1, 'v1', '医生', 4)"
        )
        days = [
            (
                d,
                f"d{d}",
                (START + dt.timedelta(days=7 * (d // 10))).isoformat(),
                1 + d % n_villages,
                4,
                "done",
            )
            for d in range(1, n_days + 1)
        ]
        conn.executemany(
            "INSERT INTO clinic_days (id, uid, date, village_id, organisation_id, status) VALUES (?, ?, ?, ?, ?, ?)",
            days,
        )

        def visits():
            v = 0
            for d in range(1, n_days + 1):
                offset = rng.randrange(n_persons)
                date = days[d - 1][2]
                for k in range(per_day):
                    v += 1
                    if v > n_visits:
                        return
                    p = 1 + (offset + k) % n_persons
                    yield (
                        v,
                        f"x{v}",
                        d,
                        p,
                        f"{date} 09:{k % 60:02d}",
                        "done",
                        120 + v % 60,
                        70 + v % 40,
                        round(4 + (v % 90) / 10, 1),
                        v % 2,
                        "bp_raised" if v % 5 == 0 else "",
                        "乡镇卫生院" if v % 97 == 0 else None,
                        0,
                    )

        conn.executemany(
            "INSERT INTO visits (id, uid, clinic_day_id, person_id, arrived_at, state, sbp, dbp, glucose, "
            "glucose_fasting, flags, referral_to, draft) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            visits(),
        )
        template = conn.execute(
            "SELECT id FROM prescription_templates WHERE code = 'hypertension'"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO handouts (uid, visit_id, template_id, given_at) "
            "SELECT 'h' || id, id, ?, arrived_at FROM visits",
            [template],
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def time_clinic(db: Path, out: Path) -> tuple[float, int]:
    from clinic.core.exports import export_dataset

    store = open_store(db)
    t0 = time.perf_counter()
    result = export_dataset(store, "visits", out, actor="bench")
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed, result.rows


def time_sqlite3(db: Path, out: Path) -> tuple[float, int]:
    from clinic.store.datasets import visit_query
    from clinic.store.rules import Scope

    sql, params = visit_query(Scope())
    assert not params
    t0 = time.perf_counter()
    with open(out, "wb") as fh:
        subprocess.run(["sqlite3", "-csv", "-header", str(db), sql], stdout=fh, check=True)
    elapsed = time.perf_counter() - t0
    with open(out, "rb") as fh:
        lines = sum(1 for _ in fh)
    return elapsed, lines - 1


CHILD = """
import json, resource, sys, datetime as dt
sys.path.insert(0, {root!r})
from clinic.core.exports import export_dataset
from clinic.core.reports import ReportFilters
from clinic.store import open_store
store = open_store({db!r})
to = dt.date.fromisoformat({to!r}) if {to!r} else None
result = export_dataset(store, "visits", {out!r}, filters=ReportFilters(date_to=to), actor="bench")
print(json.dumps({{"rows": result.rows, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def peak_rss(db: Path, out: Path, date_to: str | None) -> dict:
    code = CHILD.format(root=str(ROOT), db=str(db), out=str(out), to=date_to or "")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse or keep the database here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        print("sqlite3 (the command-line shell) is not installed: apt-get install sqlite3")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    db = args.db or folder / "visits.db"
    try:
        if not db.exists():
            t0 = time.perf_counter()
            build(db, args.visits)
            print(f"built {args.visits:,} visits in {time.perf_counter() - t0:.1f} s ({db})")
        ours, rows = time_clinic(db, folder / "clinic.csv")
        theirs, their_rows = time_sqlite3(db, folder / "sqlite3.csv")
        assert rows == their_rows, (rows, their_rows)
        print(
            f"clinic export visits: {rows:,} rows in {ours:.2f} s = {rows / ours:,.0f} rows/s "
            f"({(folder / 'clinic.csv').stat().st_size / 1e6:.0f} MB)"
        )
        print(
            f"sqlite3 -csv, same query: {their_rows:,} rows in {theirs:.2f} s = {their_rows / theirs:,.0f} rows/s"
        )
        print(f"ratio clinic / sqlite3: {ours / theirs:.2f}x the time")
        dates = sqlite3.connect(db).execute("SELECT date FROM clinic_days ORDER BY date").fetchall()
        tenth = dates[len(dates) // 10][0]
        small = peak_rss(db, folder / "small.csv", tenth)
        large = peak_rss(db, folder / "large.csv", None)
        print(
            f"peak RSS: {small['rows']:,} rows {small['peak_kb'] / 1024:.0f} MB; "
            f"{large['rows']:,} rows {large['peak_kb'] / 1024:.0f} MB "
            f"(x{large['rows'] / max(small['rows'], 1):.1f} rows, x{large['peak_kb'] / small['peak_kb']:.2f} memory)"
        )
    finally:
        if not args.keep and args.db is None:
            shutil.rmtree(folder, ignore_errors=True)
        elif not args.keep:
            for name in ("clinic.csv", "sqlite3.csv", "small.csv", "large.csv"):
                (folder / name).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
