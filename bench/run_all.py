"""Every benchmark that has a goal, one after the other, in one table:
measure, clinic, baseline, ratio, goal, met or not.

    python bench/run_all.py [--quick] [--markdown]

Each benchmark runs in its own process with ``--json`` (and ``--quick`` for
the small sizes: minutes instead of a quarter of an hour) and prints a list
of rows; this script only gathers them. ``--markdown`` prints the table as
the README's performance section shows it, with the machine named.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Benchmarks with goals (issues 11 and 12): script, its --quick flag, what it measures.
BENCHES = [
    ("bench_import.py", "register import, dry run, second import"),
    ("bench_report.py", "the full report for one year"),
    ("bench_desk.py", "the desk's keys and the TUI's start"),
    ("bench_sync.py", "a clinic day's bundle out and in, a season's import"),
]


def run(script: str, quick: bool) -> list[dict]:
    args = [sys.executable, str(HERE / script), "--json"] + (["--quick"] if quick else [])
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return [
            {
                "measure": f"{script}: failed",
                "clinic_s": None,
                "baseline_s": None,
                "ratio": None,
                "goal": "-",
                "met": False,
                "error": "\n".join(tail),
            }
        ]
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpus = os.cpu_count() or 0
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    processor = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {processor}, {cpus} cores{memory}, Python {platform.python_version()}"
    )


def cell(value: float | None, ratio: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}x" if ratio else f"{value:.3f} s"


def table(rows: list[dict], markdown: bool) -> str:
    head = ["measure", "clinic", "baseline", "ratio", "goal", "met"]
    body = [
        [
            r["measure"],
            cell(r["clinic_s"]),
            cell(r["baseline_s"]),
            cell(r["ratio"], ratio=True),
            r["goal"],
            "yes" if r["met"] else "no",
        ]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in column) for column in zip(head, *body, strict=True)]
    return "\n".join(
        "  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True))
        for row in [head, *body]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small sizes")
    parser.add_argument("--markdown", action="store_true", help="the README's table")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    started = time.perf_counter()
    for script, what in BENCHES:
        print(f"running {script} ({what}) ...", file=sys.stderr, flush=True)
        rows += run(script, args.quick)
    print(table(rows, args.markdown))
    print(
        f"\n{machine()}; {'quick sizes' if args.quick else 'full sizes'}; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    for r in rows:
        if r.get("error"):
            print(f"\n{r['measure']}\n{r['error']}", file=sys.stderr)
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
