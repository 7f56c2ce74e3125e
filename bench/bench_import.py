"""Import a 200,000-person register against the csv module + ``executemany``
into one plain table, in the same run; then ``--dry-run`` and a second
import of the same file (nothing changes); peak memory of each.

    python bench/bench_import.py [--persons 200000 | --quick] [--variant N] [--keep]

Generates a register CSV (UTF-8 with BOM, as Excel's "CSV UTF-8"): valid,
unique 18-digit ID numbers with their check characters, Chinese names
(special surnames such as 曾 单 欧阳 among them), households of 1-6 persons
sharing a household number, every date, group and category spelling the
importer reads, phones, tags, chronic conditions. The header uses one of the
accepted spellings of every column, taken from the importer's own table
(clinic.core.imports.REGISTER_COLUMNS); ``--variant N`` shifts which one,
so that runs with N = 0, 1, 2 ... go through all of them.

Each measure runs in a child process, which reports its time and its peak
RSS (``resource.getrusage``):

1. baseline: csv.reader over the file, ``executemany`` of every row into
   one plain table of text columns, one transaction;
2. ``clinic import register FILE --json`` on an empty database (the real
   command, in process: checks, households, persons, tags, conditions,
   search keys, audit). A first load is written by a second process beside
   the reading one (clinic.core.imports.first_load): its CPU time is added
   to the measure's and its peak RSS to the reader's;
3. ``clinic import register FILE --dry-run --json`` on an empty database;
4. the same import again on the database of 2 (nothing changes);
5. for scale, the floor: the records import 2 wrote (persons, households,
   tags, conditions, search keys), inserted with executemany into an empty
   clinic database, its indexes kept up to date row by row: the writing alone,
   without reading, checking or matching (an import into an empty database
   builds the indexes after the rows instead, which costs less).

Prints the ratio of each against the baseline (baseline time / clinic time:
higher is better; the goal is >= 0.15), the same ratio of CPU time (which
other work on a shared machine inflates less than the wall-clock time) and
the peak memory of each.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic.core.idnumbers import check_character  # noqa: E402
from clinic.core.imports import REGISTER_COLUMNS  # noqa: E402

GOAL = 0.15
QUICK = 20_000

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾单覃肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱"
)
SURNAMES += ["欧阳", "司马", "诸葛"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅琴云春燕凤莲建国德福成文"
TOWNS = ["中峰镇", "郭扶镇", "石角镇", "三角镇", "永新镇", "丁山镇", "东溪镇", "赶水镇"]
VILLAGE_CHARS = "龙山高庙清溪石桥柏林新民双河青杠黄泥凉水白果马鞍天星红岩"
AREAS = ["500110", "500222", "510223", "500112", "500101"]
CATEGORIES = ["脱贫户", "建档立卡贫困户", "监测对象", "低保户", "特困供养", "五保户"]
CATEGORIES += ["一般农户"] * 8 + [""] * 6
TAGS = ["残疾人", "留守老人", "签约", "残疾人;签约"] + [""] * 16
CONDITIONS = ["高血压", "糖尿病", "高血压;糖尿病", "慢阻肺", "冠心病、脑卒中", "痛风"] + [""] * 10
RELATIONS = ["之妻", "之夫", "之子", "之女", "之母", "之父", "之孙子", "之孙女", "之儿媳"]
FIELDS = list(REGISTER_COLUMNS)


def header(variant: int) -> list[str]:
    """One accepted spelling per column; ``variant`` walks through them all."""
    return [
        REGISTER_COLUMNS[name][(variant + k) % len(REGISTER_COLUMNS[name])]
        for k, name in enumerate(FIELDS)
    ]


def _date_text(rng: random.Random, y: int, m: int, d: int) -> str:
    return rng.choice(
        [
            f"{y}-{m:02d}-{d:02d}",
            f"{y}/{m}/{d}",
            f"{y}.{m}.{d}",
            f"{y}年{m}月{d}日",
            f"{y}{m:02d}{d:02d}",
        ]
    )


def _group_text(rng: random.Random, n: int) -> str:
    digits = "零一二三四五六七八九十"
    word = digits[n] if n <= 10 else "十" + digits[n - 10]
    return rng.choice([f"{n}组", f"{word}组", f"第{word}村民小组", f"{n}社", str(n)])


def generate(path: Path, persons: int, variant: int, seed: int = 1) -> int:
    """Write the register; return the number of households."""
    rng = random.Random(seed)
    used: set[str] = set()
    villages = [
        (
            town,
            VILLAGE_CHARS[(i * 2) % len(VILLAGE_CHARS)]
            + VILLAGE_CHARS[(i * 7 + 1) % len(VILLAGE_CHARS)]
            + f"{i}村",
        )
        for i in range(max(1, persons // 500))
        for town in [TOWNS[i % len(TOWNS)]]
    ]
    written = households = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write(",".join(header(variant)) + "\r\n")
        while written < persons:
            households += 1
            size = min(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]), persons - written)
            town, village = villages[households % len(villages)]
            number = f"H{households:07d}"
            surname = rng.choice(SURNAMES)
            category, group = rng.choice(CATEGORIES), rng.randint(1, 15)
            head = ""
            for member in range(size):
                name = (
                    surname if member == 0 or rng.random() < 0.6 else rng.choice(SURNAMES)
                ) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
                head = head or name
                male = rng.random() < 0.5
                while True:
                    y, m, d = rng.randint(1930, 2020), rng.randint(1, 12), rng.randint(1, 28)
                    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
                    first = f"{rng.choice(AREAS)}{y}{m:02d}{d:02d}{seq:03d}"
                    number_id = first + check_character(first)
                    if number_id not in used:
                        used.add(number_id)
                        break
                phone = ""
                if rng.random() < 0.6:
                    phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
                elif rng.random() < 0.1:
                    phone = f"023-{rng.randrange(10**8):08d}"
                tags = rng.choice(TAGS)
                cert = (
                    f"5001{rng.randrange(10**14):014d}"
                    if "残疾" in tags and rng.random() < 0.5
                    else ""
                )
                values = {
                    "household_number": number,
                    "name": name,
                    "relation": "户主" if member == 0 else rng.choice(RELATIONS),
                    "sex": rng.choice(["男", "M"] if male else ["女", "F"]),
                    "id_number": number_id,
                    "birth_date": _date_text(rng, y, m, d),
                    "phone": phone,
                    "township": town,
                    "village": village,
                    "group": _group_text(rng, group),
                    "category": category,
                    "tags": tags,
                    "conditions": rng.choice(CONDITIONS),
                    "head_name": head,
                    "disability_cert": cert,
                }
                fh.write(",".join(values[f] for f in FIELDS) + "\r\n")
                written += 1
    return households


BASELINE = """
import csv, json, resource, sqlite3, sys, time
t0, c0 = time.perf_counter(), time.process_time()
conn = sqlite3.connect({db!r})
with open({file!r}, encoding="utf-8-sig", newline="") as fh:
    reader = csv.reader(fh)
    head = next(reader)
    cols = ", ".join(f"c{{i}} TEXT" for i in range(len(head)))
    conn.execute(f"CREATE TABLE register ({{cols}})")
    marks = ",".join("?" * len(head))
    with conn:
        conn.executemany(f"INSERT INTO register VALUES ({{marks}})", reader)
rows = conn.execute("SELECT count(*) FROM register").fetchone()[0]
conn.close()
elapsed = time.perf_counter() - t0
print(json.dumps({{"seconds": elapsed, "cpu": time.process_time() - c0, "rows": rows, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""

CLINIC = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from clinic.cli.main import cli
from signed_in import bench_env
# An import needs a signed-in coordinator (issue 10): the database's first user.
os.environ.update(bench_env({db!r}))
import io, contextlib
out = io.StringIO()
def children_cpu():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
with contextlib.redirect_stdout(out):
    cli.main(["--db", {db!r}, "--lang", "en", "import", "register", {file!r}, "--json", *{extra!r}],
             standalone_mode=False)
elapsed = time.perf_counter() - t0
result = json.loads(out.getvalue())
# A first load writes in a child process (clinic.core.imports.first_load): its CPU
# counts, and its peak memory adds to this process's (the two run side by side).
print(json.dumps({{"seconds": elapsed, "cpu": time.process_time() - c0 + children_cpu() - k0,
                   "persons": result["persons"], "households": result["households"],
                   "rejected": result["rejected"],
                   "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                              + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}))
"""


FLOOR = """
import json, resource, sqlite3, sys, time
sys.path.insert(0, {root!r})
from clinic.store import open_store
tables = ("townships", "villages", "households", "persons", "person_tags", "person_conditions", "person_keys")
src = sqlite3.connect({src!r})
rows = {{t: src.execute(f"SELECT * FROM {{t}}").fetchall() for t in tables}}
src.close()
open_store({db!r}).close()
conn = sqlite3.connect({db!r})
conn.execute("PRAGMA cache_size = -65536")
t0, c0 = time.perf_counter(), time.process_time()
with conn:
    for t in tables:
        if rows[t]:
            marks = ",".join("?" * len(rows[t][0]))
            conn.executemany(f"INSERT INTO {{t}} VALUES ({{marks}})", rows[t])
elapsed = time.perf_counter() - t0
print(json.dumps({{"seconds": elapsed, "cpu": time.process_time() - c0,
                   "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def run_child(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def clinic(db: Path, file: Path, extra: list[str]) -> dict:
    code = CLINIC.format(
        root=str(ROOT), bench=str(ROOT / "bench"), db=str(db), file=str(file), extra=extra
    )
    return run_child(code)


def json_rows(persons: int, base: dict, first: dict, dry: dict, again: dict) -> list[dict]:
    """The measures with goals, as bench/run_all.py tabulates them."""
    ratio = base["seconds"] / first["seconds"]
    return [
        {
            "measure": f"register import, {persons:,} persons (speed vs csv + executemany)",
            "clinic_s": first["seconds"],
            "baseline_s": base["seconds"],
            "ratio": ratio,
            "goal": f">= {GOAL}x",
            "met": ratio >= GOAL,
        },
        {
            "measure": "import --dry-run (time vs the import)",
            "clinic_s": dry["seconds"],
            "baseline_s": first["seconds"],
            "ratio": dry["seconds"] / first["seconds"],
            "goal": "<= 1x",
            "met": dry["seconds"] <= first["seconds"],
        },
        {
            "measure": "second import, nothing changes (time vs the first)",
            "clinic_s": again["seconds"],
            "baseline_s": first["seconds"],
            "ratio": again["seconds"] / first["seconds"],
            "goal": "<= 1x",
            "met": again["seconds"] <= first["seconds"],
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} persons")
    parser.add_argument(
        "--variant", type=int, default=0, help="which header spellings (0, 1, 2 ...)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", action="store_true", help="one JSON line (bench/run_all.py)")
    args = parser.parse_args()
    persons = QUICK if args.quick else args.persons
    say = (lambda *a, **k: None) if args.json else print
    folder = Path(tempfile.mkdtemp(prefix="clinic-bench-import-"))
    try:
        file = folder / "register.csv"
        t0 = time.perf_counter()
        households = generate(file, persons, args.variant)
        say(
            f"generated {persons:,} persons in {households:,} households in {time.perf_counter() - t0:.1f} s "
            f"({file.stat().st_size / 1e6:.0f} MB); header: {','.join(header(args.variant))}"
        )
        base = run_child(BASELINE.format(db=str(folder / "baseline.db"), file=str(file)))
        assert base["rows"] == persons, base
        first = clinic(folder / "clinic.db", file, [])
        assert first["persons"]["created"] == persons and first["rejected"] == 0, first
        dry = clinic(folder / "dry.db", file, ["--dry-run"])
        assert dry["persons"]["created"] == persons, dry
        again = clinic(folder / "clinic.db", file, [])
        assert again["persons"]["unchanged"] == persons, again
        floor = run_child(
            FLOOR.format(root=str(ROOT), src=str(folder / "clinic.db"), db=str(folder / "floor.db"))
        )
        say(
            f"{'measure':<34}{'seconds':>9}{'rows/s':>10}{'ratio':>8}"
            f"{'CPU s':>8}{'CPU ratio':>10}{'peak RSS':>10}"
        )
        lines = [
            ("baseline: csv + executemany", base),
            ("clinic import register", first),
            ("clinic import register --dry-run", dry),
            ("second import (nothing changes)", again),
            ("floor: the records, executemany", floor),
        ]
        for label, data in lines:
            ratio = base["seconds"] / data["seconds"]
            say(
                f"{label:<34}{data['seconds']:>9.2f}{persons / data['seconds']:>10,.0f}"
                f"{ratio:>8.3f}{data['cpu']:>8.2f}{base['cpu'] / data['cpu']:>10.3f}"
                f"{data['peak_kb'] / 1024:>8.0f} MB"
            )
        ratio = base["seconds"] / first["seconds"]
        if args.json:
            print(json.dumps(json_rows(persons, base, first, dry, again)))
        say(
            f"import {ratio:.3f}x the baseline (goal >= {GOAL}): {'met' if ratio >= GOAL else 'NOT met'}; "
            f"dry run {'at least as fast' if dry['seconds'] <= first['seconds'] else 'SLOWER'}; "
            f"second import {'at least as fast' if again['seconds'] <= first['seconds'] else 'SLOWER'}"
        )
        say(
            "floor: the imported records (persons, households, tags, conditions, search keys) "
            "written into an empty clinic database with executemany, indexes kept up to date, "
            f"no reading, no checks, no matching: {base['seconds'] / floor['seconds']:.3f}x"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
