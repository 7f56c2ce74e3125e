"""Does the daily backup slow the start of the terminal app? And how long does a backup take?

Drives the real app headless on a demo database, with and without the daily
backup (alternating, each run on a fresh copy so that every run is the first
of the day), and times start → the home screen's figures loaded (every worker
but the backup's finished). Then times ``clinic.core.backup.take_backup``
(VACUUM INTO, integrity_check, rename) on the same file.

    python bench/bench_backup.py                  # builds the large demo in a temp folder
    python bench/bench_backup.py --db large.db    # reuse a demo database
    python bench/bench_backup.py --runs 10 --size small

Measured on the shared 2-core development machine, 200,000 persons (113 MB),
start to figures, median without / with the backup: 348 / 334 ms (load ~8, 10
runs each), 162 / 189 ms (load ~2, 6 runs; spreads 146–290 and 142–267 ms):
no difference beyond the noise, since the backup starts 2 s after the first
screen (started at once it added ~100 ms). One backup: ~3.4 s, of which VACUUM
INTO ~0.8 s and the integrity check of the copy most of the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def start_once(source: Path, work: Path, daily: bool) -> float:
    from signed_in import bench_user

    from clinic.ui.app import ClinicApp

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "clinic.db"
    shutil.copy(source, db)
    app = ClinicApp(db_path=db, user=bench_user(db), daily_backup=daily)
    start = time.perf_counter()
    async with app.run_test(size=(120, 36)):
        while any(w.group != "backup" and not w.is_finished for w in app.workers):
            await asyncio.sleep(0.005)
        elapsed = time.perf_counter() - start
        if daily:
            await asyncio.sleep(app.BACKUP_DELAY_S + 0.2)
            await app.workers.wait_for_complete()
            assert list((work / "backups").glob("clinic-*.db")), "the daily backup was taken"
    return elapsed


async def starts(source: Path, folder: Path, runs: int) -> dict[bool, list[float]]:
    times: dict[bool, list[float]] = {False: [], True: []}
    for i in range(runs):
        for daily in (False, True) if i % 2 else (True, False):
            times[daily].append(await start_once(source, folder / f"run{i}", daily))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database to copy (default: build one)")
    parser.add_argument("--size", default="large", choices=["small", "large"])
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = args.db
        if source is None:
            from clinic.core.demo import build_demo

            source = folder / "demo.db"
            build_demo(source, size=args.size, seed=1)
        times = asyncio.run(starts(source, folder, args.runs))
        for daily, label in ((False, "without"), (True, "with")):
            ms = [round(t * 1000) for t in times[daily]]
            print(
                f"start → figures {label} the daily backup: median {statistics.median(ms)} ms {ms}"
            )
        from clinic.core.backup import take_backup

        copy = folder / "copy" / "clinic.db"
        copy.parent.mkdir()
        shutil.copy(source, copy)
        spent = []
        for i in range(3):
            start = time.perf_counter()
            take_backup(copy, folder / "copy" / f"b{i}.db", actor="bench")
            spent.append(round((time.perf_counter() - start) * 1000))
        print(f"one backup ({copy.stat().st_size // 2**20} MB): {spent} ms")


if __name__ == "__main__":
    main()
