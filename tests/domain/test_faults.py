"""Faults (issue 10): a process killed mid-import or mid-write, four writers at
once, a full disk, a read-only database. Each time nothing committed is lost
and nothing half-written remains: SQLite's transactions, one per user action."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core.idnumbers import check_character

HEADER = "户编号,姓名,与户主关系,性别,身份证号,出生日期,联系电话,乡镇,村,组,户类别"
ENV = {**os.environ, "CLINIC_BACKUP_KEEP": "0", "CLINIC_LANG": "en"}


def register(path: Path, persons: int) -> Path:
    """A register of ``persons`` valid, unique people in households of four."""
    lines = [HEADER]
    for p in range(persons):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=p % 20000)
        first17 = f"500110{birth:%Y%m%d}{p % 1000:03d}"
        number = first17 + check_character(first17)
        lines.append(
            f"F{p // 4:06d},姓名{p},{'户主' if p % 4 == 0 else '之子'},{'男' if p % 2 else '女'},"
            f"{number},{birth.isoformat()},,中峰镇,龙山村,{1 + p % 5}组,一般农户"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (
            conn.execute("SELECT count(*) FROM persons").fetchone()[0],
            conn.execute("SELECT count(*) FROM households").fetchone()[0],
        )
    finally:
        conn.close()


def clinic_process(db: Path, *args: str) -> subprocess.Popen:
    """``clinic`` in a process of its own, signed in as the test coordinator."""
    return subprocess.Popen(
        [sys.executable, "-m", "clinic", "--db", str(db), *args],
        env={**ENV, **{k: os.environ[k] for k in ("CLINIC_USER", "CLINIC_PIN")}},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_writes(db: Path, process: subprocess.Popen, timeout: float = 60) -> bool:
    """True once the import is writing (its commit has begun to grow the -wal file;
    the database exists before, with its coordinator, so nothing else grows it)."""
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 64 * 1024:
            return True
        time.sleep(0.01)
    return False


def with_children(process: subprocess.Popen) -> list[int]:
    """The process and every process it started (a first load is written by a child
    of the import: clinic.core.imports.first_load)."""
    family = [process.pid]
    for pid in family:  # grows as each one's children are found
        with contextlib.suppress(OSError):
            family += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return family


def kill_all(process: subprocess.Popen, family: list[int]) -> None:
    """SIGKILL to all of them at once, as a power cut stops them."""
    for pid in family:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()
    for pid in family[1:]:  # not ours to wait for: dead once a zombie or gone
        deadline = time.monotonic() + 10
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.01)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.slow
def test_an_import_killed_while_it_writes_leaves_all_or_nothing(tmp_path, add_coordinator):
    file = register(tmp_path / "register.csv", 20000)
    empty = add_coordinator(tmp_path / "empty.db")
    db = tmp_path / "clinic.db"
    rng = random.Random(7)
    killed_mid_write = 0
    # Each try starts from the database before the import: a kill that comes too
    # late (on a loaded machine) leaves the import done, and importing the same
    # file again would write nothing to kill.
    for _ in range(8):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(empty, db)
        process = clinic_process(db, "import", "register", str(file))
        writing = wait_for_writes(db, process)
        family = with_children(process)
        # The import's rows reach the -wal file only as it commits (a few tens of
        # milliseconds): the kill lands within them.
        time.sleep(rng.uniform(0, 0.005))
        kill_all(process, family)
        persons, households = counts(db)
        assert (persons, households) in ((0, 0), (20000, 5000)), (persons, households)
        killed_mid_write += writing and persons == 0
        if killed_mid_write:
            break
    assert killed_mid_write  # at least one kill landed inside the import's transaction
    done = clinic_process(db, "import", "register", str(file))
    assert done.wait(timeout=300) == 0, done.stderr.read()
    assert counts(db) == (20000, 5000)


WRITER = textwrap.dedent(
    """
    import sys
    from clinic.core.database import open_store
    from clinic.store.audit import record
    store = open_store(sys.argv[1])
    n = 0
    while True:
        n += 1
        with store.transaction():  # one action: two rows written together, or neither
            record(store, sys.argv[2], "fault_test", {"n": n, "part": 1})
            record(store, sys.argv[2], "fault_test", {"n": n, "part": 2})
        print(n, flush=True)
    """
)


def writers(db: Path, names: list[str]) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name],
            env=ENV,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]


def committed(process: subprocess.Popen) -> int:
    lines = process.stdout.read().split()
    return int(lines[-1]) if lines else 0


@pytest.mark.slow
def test_four_writers_killed_mid_write_lose_nothing_they_committed(tmp_path):
    db = tmp_path / "clinic.db"
    from clinic.core.database import open_store

    open_store(db).close()
    names = ["desk1", "desk2", "desk3", "desk4"]
    running = writers(db, names)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until all four have written, on a busy machine too
        time.sleep(0.2)
        with sqlite3.connect(db) as probe:
            actors = probe.execute(
                "SELECT count(DISTINCT actor) FROM audit_log WHERE action = 'fault_test'"
            ).fetchone()[0]
        if actors == len(names):
            break
    time.sleep(0.5)
    for process in running:
        process.send_signal(signal.SIGKILL)
    for process in running:
        process.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for name, process in zip(names, running, strict=True):
        said = committed(process)
        rows = conn.execute(
            "SELECT json_extract(detail, '$.n') AS n, count(*) FROM audit_log "
            "WHERE actor = ? AND action = 'fault_test' GROUP BY n ORDER BY n",
            [name],
        ).fetchall()
        assert [n for n, _ in rows][:said] == list(range(1, said + 1))  # nothing committed lost
        assert all(parts == 2 for _, parts in rows), name  # no action half-written
    conn.close()


def test_a_full_disk_stops_an_import_with_a_sentence_and_changes_nothing(
    tmp_path, monkeypatch, add_coordinator
):
    """SQLITE_FULL, simulated by capping the database's pages while the import writes."""
    import clinic.cli.context as context

    file = register(tmp_path / "register.csv", 3000)
    db = tmp_path / "clinic.db"
    real_open = context.open_store

    def tiny_disk(*args, **kwargs):
        store = real_open(*args, **kwargs)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        return store

    add_coordinator(db)
    before = counts(db)
    monkeypatch.setattr(context, "open_store", tiny_disk)
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "--lang", "en", "import", "register", str(file)],
        env={"CLINIC_BACKUP_KEEP": "0"},
    )
    assert result.exit_code == 3, result.output
    assert "full" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert counts(db) == before


def test_a_read_only_database_is_refused_in_words_and_left_as_it_was(
    tmp_path, monkeypatch, add_coordinator
):
    """Read-only as a write-protected USB stick makes it (simulated with query_only:
    the tests may run as root, which file modes do not stop)."""
    import clinic.cli.context as context

    file = register(tmp_path / "register.csv", 40)
    db = tmp_path / "clinic.db"
    real_open = context.open_store
    add_coordinator(db)

    def read_only(*args, **kwargs):
        store = real_open(*args, **kwargs)
        store.conn.execute("PRAGMA query_only = ON")
        return store

    monkeypatch.setattr(context, "open_store", read_only)
    for lang, words in (("en", "read-only"), ("zh", "只读")):
        result = CliRunner().invoke(
            cli,
            ["--db", str(db), "--lang", lang, "import", "register", str(file)],
            env={"CLINIC_BACKUP_KEEP": "0"},
        )
        assert result.exit_code == 3, result.output
        assert words in result.stderr and "Traceback" not in result.stderr
    assert counts(db) == (0, 0)


DESK = textwrap.dedent(
    """
    import datetime as dt, sys
    from clinic.core import desk
    from clinic.core.database import open_store
    from clinic.core.users import User
    desk_user = User(0, "desk", frozenset({"clinician"}))
    store = open_store(sys.argv[1])
    day = desk.get_day(store, int(sys.argv[2]))
    volunteer = int(sys.argv[3])
    now = dt.datetime.fromisoformat(day["date"] + "T10:00")
    for pid in map(int, sys.argv[4].split(",")):
        visit_id, _new = desk.check_in(store, day, pid, volunteer, now)
        form = desk.VisitForm(values={"bp": "150/95", "glucose": "6.2", "pulse": "72"})
        desk.save_visit(store, day, visit_id, form, now, volunteer, finish=True, by=desk_user)
        print(pid, flush=True)
    """
)


@pytest.mark.slow
def test_desks_killed_mid_visit_keep_every_finished_visit_whole(
    demo_path, demo_store, today_day, day_volunteer
):
    """Two desks checking people in and finishing their visits, killed: every visit
    a desk finished is there, done, with all its readings; no visit holds half of them."""
    people = [
        r["id"]
        for r in demo_store.query(
            """SELECT p.id FROM persons p
               WHERE EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
                 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id
                                 AND v.clinic_day_id = ?)
               ORDER BY p.id LIMIT 400""",
            [today_day["id"]],
        )
    ]
    marks = ",".join(map(str, people))
    halves = [people[0::2], people[1::2]]
    desks = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                DESK,
                str(demo_path),
                str(today_day["id"]),
                str(day_volunteer),
                ",".join(map(str, half)),
            ],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for half in halves
    ]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until both desks have finished some visits
        time.sleep(0.2)
        done = demo_store.scalar(
            "SELECT count(*) FROM visits WHERE clinic_day_id = ? AND state = 'done' "
            f"AND person_id IN ({marks})",
            [today_day["id"]],
        )
        if done >= 10:
            break
    for process in desks:
        process.send_signal(signal.SIGKILL)
    finished = set()
    for process in desks:
        process.wait()
        finished |= {int(line) for line in process.stdout.read().split()}
    assert demo_store.scalar("PRAGMA integrity_check") == "ok"
    rows = demo_store.query(
        "SELECT person_id, state, sbp, dbp, glucose, pulse FROM visits "
        f"WHERE clinic_day_id = ? AND person_id IN ({marks})",
        [today_day["id"]],
    )
    by_person = {r["person_id"]: r for r in rows}
    assert finished and finished <= set(by_person)  # nothing a desk finished is lost
    for r in rows:
        readings = (r["sbp"], r["dbp"], r["glucose"], r["pulse"])
        if r["person_id"] in finished or r["state"] == "done":
            assert r["state"] == "done" and readings == (150, 95, 6.2, 72), r
        else:  # checked in, the visit not saved yet: no reading at all
            assert readings == (None, None, None, None), r
