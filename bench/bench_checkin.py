"""Check-in search speed at the desk: key press → updated results.

On the large demo database (200,000 persons) this drives the real desk
screen headless: for each query it puts all but the last character in the
search box, waits for that search to settle, then presses the last key and
times until the results table shows the results for the whole query (the
exclusive thread worker, the search, the table refresh). In the same run
it times the same queries through ``clinic.core.search.find_persons`` and
through a raw indexed SQL lookup (``person_keys`` / name prefix /
household number with LIMIT, no Python around it) as the baseline, and
prints p50/p95 per kind of query and the ratios.

    python bench/bench_checkin.py                 # builds the large demo in a temp folder (~20 s)
    python bench/bench_checkin.py --db large.db   # reuse a demo database
    python bench/bench_checkin.py --n 100 --size small
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = dt.date(2026, 11, 24)
KINDS = ("name", "initials", "full_pinyin", "id_digits", "phone_digits", "household")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def sample_queries(db_path: Path, n: int, seed: int = 7) -> dict[str, list[str]]:
    from clinic.core.pinyin import full_pinyin, initials
    from clinic.store import open_store

    store = open_store(db_path)
    rng = random.Random(seed)
    top = store.scalar("SELECT MAX(id) FROM persons")
    rows: list[dict] = []
    while len(rows) < n * 2:
        ids = [rng.randint(1, top) for _ in range(200)]
        marks = ",".join("?" * len(ids))
        rows += store.query(
            f"""SELECT p.name, p.id_number, p.phone, h.number FROM persons p
                LEFT JOIN households h ON h.id = p.household_id WHERE p.id IN ({marks})""",
            ids,
        )
    store.close()
    rng.shuffle(rows)
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for row in rows:
        if len(out["name"]) < n:
            out["name"].append(row["name"])
            out["initials"].append(initials(row["name"]))
            out["full_pinyin"].append(full_pinyin(row["name"]))
        if row["id_number"] and len(out["id_digits"]) < n:
            out["id_digits"].append(row["id_number"][-6:])
        if row["phone"] and len(out["phone_digits"]) < n:
            out["phone_digits"].append(row["phone"][-4:])
        if row["number"] and len(out["household"]) < n:
            out["household"].append(row["number"])
    return out


def time_calls(queries: dict[str, list[str]], call) -> dict[str, list[float]]:
    out = {}
    for kind, items in queries.items():
        times = []
        for text in items:
            t0 = time.perf_counter()
            call(text)
            times.append(time.perf_counter() - t0)
        out[kind] = times
    return out


def time_raw(db_path: Path, queries: dict[str, list[str]], limit: int) -> dict[str, list[float]]:
    """Baseline: the indexed lookups alone (person_keys prefix, name prefix,
    household number, each with LIMIT), then one join fetching the shown
    columns of those persons; no Python objects beyond the rows."""
    from clinic.store import open_store
    from clinic.store.person_keys import simple_find_ids
    from clinic.store.persons import persons_by_ids

    store = open_store(db_path, migrate=False)
    try:
        return time_calls(
            queries, lambda text: persons_by_ids(store, simple_find_ids(store, text, limit))
        )
    finally:
        store.close()


def time_core(db_path: Path, queries: dict[str, list[str]], limit: int) -> dict[str, list[float]]:
    from clinic.core.search import find_persons
    from clinic.store import open_store

    store = open_store(db_path, migrate=False)
    try:
        return time_calls(queries, lambda text: find_persons(store, text, limit, today=TODAY))
    finally:
        store.close()


async def time_ui(db_path: Path, queries: dict[str, list[str]]) -> dict[str, list[float]]:
    from signed_in import bench_user
    from textual.widgets import Input

    from clinic.ui.app import ClinicApp
    from clinic.ui.desk.screen import DeskScreen

    store_probe = __import__("clinic.store", fromlist=["open_store"]).open_store(db_path)
    day = store_probe.one(
        "SELECT id FROM clinic_days ORDER BY ABS(julianday(date) - julianday(?)) LIMIT 1",
        [TODAY.isoformat()],
    )
    volunteer = store_probe.scalar("SELECT id FROM volunteers LIMIT 1")
    store_probe.close()

    app = ClinicApp(db_path=db_path, user=bench_user(db_path), today=TODAY)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = DeskScreen(day_id=day["id"], volunteer_ids=[volunteer])
        await app.push_screen(screen)
        await pilot.pause()
        search = screen.query_one("#search", Input)
        done = asyncio.Event()
        shown: dict[str, Any] = {"text": None, "at": 0.0}
        original = screen.show_hits

        def spy(text, hits):
            original(text, hits)
            if text == search.value.strip():
                shown["text"], shown["at"] = text, time.perf_counter()
                done.set()

        setattr(screen, "show_hits", spy)  # noqa: B010 - the spy replaces the method
        for kind, items in queries.items():
            times = []
            for text in items:
                search.value = text[:-1]
                await app.workers.wait_for_complete()
                await pilot.pause()
                done.clear()
                search.focus()
                t0 = time.perf_counter()
                await pilot.press(text[-1])
                await asyncio.wait_for(done.wait(), timeout=10)
                times.append(shown["at"] - t0)
            out[kind] = times
        search.value = ""
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, help="a demo database (default: build one in a temp folder)"
    )
    parser.add_argument("--size", default="large", choices=["small", "large"])
    parser.add_argument("--n", type=int, default=300, help="searches of each kind")
    args = parser.parse_args()

    tmp = None
    if args.db:
        db_path = args.db
    else:
        from clinic.core.demo import build_demo

        tmp = Path(tempfile.mkdtemp(prefix="bench_checkin_"))
        db_path = tmp / "demo.db"
        t0 = time.perf_counter()
        build_demo(db_path, size=args.size, seed=1, today=TODAY)
        print(f"built the {args.size} demo in {time.perf_counter() - t0:.1f} s")
    try:
        from clinic.store import open_store

        store = open_store(db_path)
        persons = store.scalar("SELECT COUNT(*) FROM persons")
        store.close()
        queries = sample_queries(db_path, args.n)
        raw = time_raw(db_path, queries, 30)
        core = time_core(db_path, queries, 30)
        ui = asyncio.run(time_ui(db_path, queries))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"\ncheck-in search on {persons:,} persons, {args.n} searches of each kind (times in ms)")
    head = f"{'kind':<13}{'raw p50':>9}{'raw p95':>9}{'core p50':>10}{'core p95':>10}{'key→shown p50':>15}{'p95':>8}{'ratio p50':>11}{'ratio p95':>11}"
    print(head)
    print("-" * len(head))
    for kind in KINDS:
        if not queries[kind]:
            continue
        r50, r95 = pct(raw[kind], 0.5) * 1e3, pct(raw[kind], 0.95) * 1e3
        c50, c95 = pct(core[kind], 0.5) * 1e3, pct(core[kind], 0.95) * 1e3
        u50, u95 = pct(ui[kind], 0.5) * 1e3, pct(ui[kind], 0.95) * 1e3
        print(
            f"{kind:<13}{r50:>9.2f}{r95:>9.2f}{c50:>10.2f}{c95:>10.2f}{u50:>15.1f}{u95:>8.1f}"
            f"{u50 / r50:>10.0f}x{u95 / r95:>10.0f}x"
        )
    every = [t for k in KINDS for t in ui[k]]
    print(
        f"\nall kinds: key press → results shown p50 {statistics.median(every) * 1e3:.1f} ms, "
        f"p95 {pct(every, 0.95) * 1e3:.1f} ms, max {max(every) * 1e3:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
