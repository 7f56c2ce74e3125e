"""Fixtures for the whole suite: the tests' fixed day, an empty store, private copies
of the databases the tests read (the small demo, the edge cases of docs/figures.md,
a year in numbers), things found in the demo (today's clinic day, a volunteer on
it, a person), records added to an empty store, and real terminals.

Every database is built once per test session and copied for each test that
wants it, so tests never see each other's writes. Test modules never import one
another nor a helper module: what they share is here (or in the conftest.py of
their folder), asked for by name as a fixture.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import inspect
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import settings
from textual import app as textual_app

from clinic.i18n import set_language

# The coordinator every test database holds, signed in for every test (CLINIC_USER
# and CLINIC_PIN): commands that write need a signed-in user (issue 10).
TEST_USER, TEST_PIN = "测试协调员", "2468"
TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 9, 30)
# Copies of the synthetic sample files in ../shared/samples, kept with the
# tests so a clone alone runs every test.
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


# Property tests have no deadline: a shared 2-core CI machine can take longer than
# hypothesis's 200 ms over one example, and a deadline that fails only sometimes
# is a flaky test (the suite times nothing; speed is measured in bench/). Loaded
# here, before any test module is imported, so every @settings(...) inherits it.
settings.register_profile("clinic", deadline=None)
settings.load_profile("clinic")


# Pilot.press waits for the app to be idle after each key, twice, by sleeping 20 ms at a
# time until a sleep goes by without the process working (textual._wait): 40 ms a key at
# least, in which the CPU did nothing, most of a screen test's time. Between the keys of
# one press the same check goes 2 ms at a time; Pilot.pause, where a test waits for the
# screen to settle, keeps Textual's 20 ms (timers and refreshes due within it happen).
async def _keys_idle(min_sleep: float = 0, max_sleep: float = 1) -> None:
    start = time.monotonic()
    while True:
        cpu = time.process_time()
        await asyncio.sleep(_KEY_IDLE_STEP)
        elapsed = time.monotonic() - start
        if elapsed >= max_sleep:
            return
        if elapsed > min_sleep and time.process_time() - cpu < _KEY_IDLE_STEP / 20:
            return


_KEY_IDLE_STEP = 1 / 500
textual_app.wait_for_idle = _keys_idle


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives a screen ``ui``, so ``pytest -m "not ui"``
    runs the domain tests alone: Pilot tests (coroutines), SVG snapshots and
    the real terminal (tmux, or the ``terminal`` fixture)."""
    for item in items:
        function = getattr(item, "function", None)
        drives_a_screen = (
            inspect.iscoroutinefunction(function)
            or "snap_compare" in getattr(item, "fixturenames", ())
            or "terminal" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("tmux") is not None
        )
        if drives_a_screen:
            item.add_marker(pytest.mark.ui)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A text cursor that does not blink, so a snapshot does not depend on when it is taken."""
    monkeypatch.setenv("CLINIC_CURSOR_BLINK", "0")


@pytest.fixture(autouse=True)
def no_daily_backups(monkeypatch):
    """Commands take no daily backup in tests (a copy of the database on every first open of
    a test database, and a "backup" row in its audit log); tests of backups turn it on."""
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "0")


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's ``snap_compare``, made independent of timing.

    Each key waits for the work it started (database workers) before the next,
    the picture waits for the last, and toasts stay until it is taken: on a
    loaded machine a toast could otherwise expire, or a worker finish, either
    side of the moment of the screenshot.
    """

    def compare(app, *, press=(), run_before=None, **kwargs):
        app.NOTIFICATION_TIMEOUT = 3600

        async def quiet(pilot):
            """Until the key's work is done: its workers, and the screens it pushed or
            dismissed (a dialog's callback may push the next one a frame later)."""
            before = None
            for _round in range(100):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                now = (tuple(map(id, pilot.app.screen_stack)), pilot.app.screen.focused)
                if now == before:
                    return
                before = now

        async def settle(pilot):
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            for key in press:
                if key == "_":
                    await pilot.pause(0.1)
                else:
                    await pilot.press(key)
                await quiet(pilot)
            await quiet(pilot)

        return snap_compare(app, run_before=settle, **kwargs)

    return compare


@pytest.fixture(scope="session")
def _test_pin_hash() -> str:
    """The test coordinator's PIN hashed once per session: scrypt is slow on purpose."""
    from clinic.core.users import hash_pin

    return hash_pin(TEST_PIN)


def _add_test_coordinator(path: Path, pin_hash: str) -> Path:
    """The test coordinator in the database at ``path`` (made if missing), once."""
    from clinic.store import open_store
    from clinic.store import users as users_q

    with open_store(path) as s:
        if users_q.user_named(s, TEST_USER) is None:
            users_q.insert_user(s, TEST_USER, pin_hash, {"coordinator"}, None)
    return path


@pytest.fixture(scope="session")
def add_coordinator(_test_pin_hash):
    """``add_coordinator(path)``: the signed-in test coordinator added to a database a
    test makes itself (every shared test database already holds them); the path."""
    return lambda path: _add_test_coordinator(Path(path), _test_pin_hash)


@pytest.fixture(autouse=True)
def signed_in(monkeypatch):
    """Every command runs signed in as the test coordinator (CLINIC_USER, CLINIC_PIN);
    tests of refusals take the variables away or sign in as someone else."""
    monkeypatch.setenv("CLINIC_USER", TEST_USER)
    monkeypatch.setenv("CLINIC_PIN", TEST_PIN)
    return TEST_USER


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts in English; tests that want Chinese switch and are reset."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def store(tmp_path):
    from clinic.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory, _test_pin_hash) -> Path:
    from clinic.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, size="small", seed=1, today=TODAY)
    return _add_test_coordinator(path, _test_pin_hash)


def private_copy(master: Path, target: Path) -> Path:
    """A copy of a database file for one test: checkpointed first, so the main
    file holds everything and no -wal file need be copied."""
    from clinic.store import open_store

    s = open_store(master)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(master, target)
    return target


@pytest.fixture(scope="session")
def copy_database():
    """``copy_database(master, target)``: a private copy of a database file; the target."""
    return private_copy


@pytest.fixture
def demo_path(_demo_master, tmp_path) -> Path:
    """A private copy of the small demo database."""
    return private_copy(_demo_master, tmp_path / "demo.db")


@pytest.fixture
def demo_store(demo_path):
    from clinic.store import open_store

    s = open_store(demo_path)
    yield s
    s.close()


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def terminal():
    """Open real terminals (tmux) running a command; every one is closed at the end."""
    from support.terminal import Terminal

    opened: list[Terminal] = []

    def open_(command: str, width: int = 120, height: int = 36) -> Terminal:
        term = Terminal(command, width, height)
        opened.append(term)
        return term

    yield open_
    for term in opened:
        term.close()


@pytest.fixture
def require():
    """``require(program)``: the program's path; the test is skipped where it is
    missing, but fails on CI (which must install it)."""
    from support.terminal import require

    return require


@pytest.fixture
def clinic_script() -> str:
    """The ``clinic`` script installed beside this interpreter (the one under test)."""
    from support.terminal import installed_clinic

    return installed_clinic()


TUI_USER, TUI_PIN = "tester", "2468"


def _coordinator_of(db) -> dict[str, str]:
    """Who signs in to add a user to ``db``: the test coordinator where the
    database holds them, else the demo's (a database made by ``clinic demo``)."""
    import sqlite3

    from clinic.core.demo.users import DEMO_USERS

    with sqlite3.connect(db) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM users")}
    if TEST_USER in names or not names:
        return {"CLINIC_USER": TEST_USER, "CLINIC_PIN": TEST_PIN}
    name, _roles, pin, _specialty = DEMO_USERS[0]
    return {"CLINIC_USER": name, "CLINIC_PIN": pin}


@pytest.fixture
def tui_user(clinic_script):
    """``tui_user(db)``: the database's first user, a coordinator and clinician named
    ``tester`` with PIN 2468, added as a user does (`clinic user add`, the PIN from
    CLINIC_NEW_PIN); returns the command that opens the installed app signed in as
    them (`--user`, the PIN from CLINIC_PIN)."""
    import os
    import subprocess

    def add(db) -> str:
        env = {**os.environ, "CLINIC_NEW_PIN": TUI_PIN, **_coordinator_of(db)}
        done = subprocess.run(
            [clinic_script, "--db", str(db), "user", "add", TUI_USER]
            + ["--role", "coordinator", "--role", "clinician"],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return f"CLINIC_PIN={TUI_PIN} {clinic_script} --user {TUI_USER}"

    return add


@pytest.fixture
def tui_pin() -> str:
    """The PIN of ``tui_user``'s user, typed to sign in by keys."""
    return TUI_PIN


@pytest.fixture(scope="session")
def clinic_cli():
    """``clinic_cli(db, *args)``: the ``clinic`` command run in-process on the database
    (``db=None``: no ``--db``); exceptions are raised, not caught, so a traceback
    shows where."""
    from click.testing import CliRunner

    def invoke(db, *args: str, env=None):
        from clinic.cli.main import cli

        prefix = ["--db", str(db)] if db else []
        return CliRunner().invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)

    return invoke


# The benchmarks' scripts, as modules -----------------------------------------------


@pytest.fixture(scope="session")
def bench_script():
    """``bench_script("bench_sync")``: that script of bench/ loaded as a module (bench/
    is no package), for the tests that keep the benchmarks measuring the real thing."""
    folder = Path(__file__).resolve().parents[1] / "bench"
    loaded: dict[str, object] = {}

    def load(name: str):
        if name not in loaded:
            spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            loaded[name] = module
        return loaded[name]

    return load


# The tests' fixed day and time -------------------------------------------------


@pytest.fixture(scope="session")
def today() -> dt.date:
    """The day the demo is built around (the app under test takes it as today)."""
    return TODAY


@pytest.fixture(scope="session")
def now() -> dt.datetime:
    """A moment in the morning of ``today``."""
    return NOW


# Found in the demo -------------------------------------------------------------


@pytest.fixture
def today_day(demo_store) -> dict:
    """The demo's clinic day today."""
    from clinic.core import desk

    row = demo_store.one("SELECT id FROM clinic_days WHERE date = ?", [TODAY.isoformat()])
    return desk.get_day(demo_store, row["id"])


@pytest.fixture
def past_day(demo_store) -> dict:
    """The demo's last clinic day before today."""
    from clinic.core import desk

    row = demo_store.one(
        "SELECT id FROM clinic_days WHERE date < ? ORDER BY date DESC LIMIT 1", [TODAY.isoformat()]
    )
    return desk.get_day(demo_store, row["id"])


@pytest.fixture
def day_volunteer(demo_store, today_day) -> int:
    """The first volunteer assigned to the demo's clinic day today."""
    row = demo_store.one(
        "SELECT volunteer_id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 1",
        [today_day["id"]],
    )
    return row["volunteer_id"]


@pytest.fixture
def a_person(demo_store):
    """``a_person(consent=..., not_on_day=day_id)``: a demo person with (or without)
    consent on record, with a name nobody else has, not yet seen on that day."""

    def find(*, consent: bool, not_on_day: int | None = None) -> dict:
        sql = """SELECT p.id, p.name FROM persons p
                 WHERE {consent} EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
                   AND (SELECT COUNT(*) FROM persons p2 WHERE p2.name = p.name) = 1
                   AND NOT EXISTS (SELECT 1 FROM visits v
                                   WHERE v.person_id = p.id AND v.clinic_day_id = ?)
                 ORDER BY p.id LIMIT 1""".format(consent="" if consent else "NOT")
        return demo_store.one(sql, [not_on_day or 0])

    return find


@pytest.fixture
def cadre_with_due_dates():
    """``cadre_with_due_dates(store)``: a demo cadre whose first household's follow-up
    is long past and whose second one's is far ahead (whatever today is); returns the
    cadre's name and the two households' numbers."""

    def make(store) -> tuple[str, str, str]:
        cadre = store.one("SELECT id, name FROM volunteers WHERE is_cadre = 1 ORDER BY id LIMIT 1")
        households = store.query(
            "SELECT h.id, h.number FROM households h WHERE h.cadre_id = ? AND EXISTS "
            "(SELECT 1 FROM persons p JOIN visits v ON v.person_id = p.id "
            "WHERE p.household_id = h.id) ORDER BY h.id LIMIT 2",
            [cadre["id"]],
        )
        with store.transaction():
            for household, due in zip(households, ("2020-01-04", "2099-01-04"), strict=True):
                store.conn.execute(
                    "UPDATE visits SET follow_up_due = ? WHERE person_id IN "
                    "(SELECT id FROM persons WHERE household_id = ?)",
                    [due, household["id"]],
                )
        return cadre["name"], households[0]["number"], households[1]["number"]

    return make


@pytest.fixture(scope="session")
def conditions_on_record():
    """``conditions_on_record(store, person_id)``: the codes of the chronic conditions on
    the person's record."""

    def codes(store, person_id: int) -> set[str]:
        rows = store.query(
            "SELECT condition_code FROM person_conditions WHERE person_id = ?", [person_id]
        )
        return {r["condition_code"] for r in rows}

    return codes


class FakeBrowser:
    """Stands in for the system's browser: records what it was asked to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def browser(monkeypatch):
    """No printer, a display, and a browser that records what it opens (``.opened``)."""
    from clinic.core.desk import printing

    fake = FakeBrowser()
    monkeypatch.setattr(printing, "default_printer", lambda: None)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(printing.webbrowser, "get", lambda *a: fake)
    return fake


@pytest.fixture
def no_demo_talks(request):
    """The demo holds health talks of its own; tests that count talks from none ask for
    this (``pytest.mark.usefixtures``): the demo's talks are removed."""
    if "demo_store" in request.fixturenames:
        store = request.getfixturevalue("demo_store")
        with store.transaction():
            store.conn.execute("DELETE FROM health_talks")


@pytest.fixture(scope="session")
def two_speakers():
    """``two_speakers(store)``: two volunteers of different organisations, with names
    nobody else has (``id``, ``name``, ``short_name``)."""

    def find(store) -> list[dict]:
        return store.query(
            """SELECT v.id, v.name, o.short_name FROM volunteers v JOIN organisations o
               ON o.id = v.organisation_id
               WHERE (SELECT count(*) FROM volunteers w WHERE w.name = v.name) = 1
               GROUP BY v.organisation_id ORDER BY v.id LIMIT 2"""
        )

    return find


@pytest.fixture
def cli_today(monkeypatch, today):
    """The command line's today is the tests' ``today``, so dates in these tests stay to
    come (``pytest.mark.usefixtures("cli_today")``)."""
    monkeypatch.setattr("clinic.cli.planning.options.today", lambda: today)


# Records added to an empty store (the planning tests) ----------------------------


@pytest.fixture(scope="session")
def add_village():
    """``add_village(store, name="龙山村", township="中峰镇")``: its id."""

    def add(store, name="龙山村", township="中峰镇") -> int:
        t = store.db["townships"].insert({"name": township}, pk="id", ignore=True)
        tid = store.scalar("SELECT id FROM townships WHERE name = ?", [township]) or t.last_pk
        store.db["villages"].insert({"township_id": tid, "name": name})
        return store.scalar(
            "SELECT id FROM villages WHERE name = ? AND township_id = ?", [name, tid]
        )

    return add


@pytest.fixture(scope="session")
def add_volunteer():
    """``add_volunteer(store, name, specialty="gp", ...)``: a volunteer saved as the
    planning screens save one; its id."""
    from clinic.core import planning as p

    def add(
        store, name, specialty="gp", weekdays="0123456", holidays=True, limit=None, org=None
    ) -> int:
        return p.save_volunteer(
            store,
            p.VolunteerInput(
                name=name,
                specialty_code=specialty,
                weekdays=weekdays,
                holidays=holidays,
                max_days_per_month=limit,
                organisation_id=org,
            ),
        )

    return add


@pytest.fixture(scope="session")
def add_day():
    """``add_day(store, village, date="2026-12-05", needs="全科=2,护士=1", ...)``: a clinic
    day of 民进 added as the planning screens add one; its id."""
    from clinic.core import planning as p

    def add(
        store, village, date="2026-12-05", needs="全科=2,护士=1", status="planned", today=TODAY
    ) -> int:
        return p.add_day(
            store,
            p.DayInput(
                date=date,
                village_id=village,
                organisation_id=p.find_organisation(store, "民进"),
                needs=p.parse_needs(store, needs),
                status=status,
            ),
            today=today,
        )

    return add


# The edge cases of docs/figures.md, and a year in numbers --------------------------


@pytest.fixture(scope="session")
def edge_master(tmp_path_factory, _test_pin_hash):
    from clinic.store import open_store

    from support.figures_data import build

    path = tmp_path_factory.mktemp("edge") / "edge.db"
    store = open_store(path)
    expected = build(store)
    store.close()
    return _add_test_coordinator(path, _test_pin_hash), expected


@pytest.fixture
def edge_db(edge_master, tmp_path):
    """A private copy of the edge-case database (tests/support/figures_data.py) and
    the figures it must show: ``(path, expected)``."""
    master, expected = edge_master
    return private_copy(master, tmp_path / "edge.db"), expected


@pytest.fixture
def edge(edge_db):
    """The edge-case database open: ``(store, path, expected)``."""
    from clinic.store import open_store

    path, expected = edge_db
    store = open_store(path)
    yield store, path, expected
    store.close()


@pytest.fixture(scope="session")
def year_master(tmp_path_factory, _test_pin_hash):
    from clinic.store import open_store

    from support.reports_data import build_year

    path = tmp_path_factory.mktemp("year") / "year.db"
    store = open_store(path)
    facts = build_year(store)
    store.close()
    return _add_test_coordinator(path, _test_pin_hash), facts


@pytest.fixture
def year_path(year_master, tmp_path_factory) -> Path:
    """A private copy of "a year in numbers" (tests/support/reports_data.py), alone in
    a folder of its own (exports go beside the database; ``tmp_path`` stays empty)."""
    return private_copy(year_master[0], tmp_path_factory.mktemp("year") / "year.db")


@pytest.fixture
def year_facts(year_master):
    """What the year database holds, counted from its shape (not by the app's SQL)."""
    return year_master[1]


@pytest.fixture
def year_store(year_path):
    """The year database open (a private copy)."""
    from clinic.store import open_store

    s = open_store(year_path)
    yield s
    s.close()


# One truth: the figures of a report, as the CLI and the exports give them ------------


@pytest.fixture(scope="session")
def cli_report():
    """``cli_report(path, *args)``: ``clinic report ... --json`` on the database, parsed."""
    import json

    from click.testing import CliRunner

    def report(path, *args) -> dict:
        from clinic.cli.main import cli

        result = CliRunner().invoke(
            cli, ["--db", str(path), "report", *args, "--json"], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return report


@pytest.fixture(scope="session")
def exported():
    """``exported(store, folder, name, filters)``: an export read back as dicts keyed by
    the dataset's JSON keys."""
    import csv

    from clinic.core.exports import dataset, export_dataset

    def export(store, tmp_path, name, filters) -> list[dict]:
        path = tmp_path / f"{name}.csv"
        export_dataset(store, name, path, filters=filters, today=TODAY)
        keys = [c.key for c in dataset(name).columns]
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))[1:]
        return [dict(zip(keys, r, strict=True)) for r in rows]

    return export


@pytest.fixture(scope="session")
def check_sums(exported):
    """``check_sums(store, folder, filters, report)``: the visits, handouts, coverage,
    volunteer-hours and report exports add up to the figures of ``report``."""
    from collections import Counter

    from clinic.core.vitals import flag_short

    def check(store, tmp_path, filters, report: dict) -> None:
        visits = exported(store, tmp_path, "visits", filters)
        assert len(visits) == report["visits"]
        assert sum(1 for v in visits if v["referral_to"]) == report["referrals"]["total"]
        flags = Counter(f for v in visits for f in v["flags"].split(";") if f)  # words, not codes
        assert dict(flags) == {flag_short(f["flag"]): f["visits"] for f in report["flags"]}
        assert sum(int(v["handouts"]) for v in visits) == report["prescriptions"]["total"]
        assert Counter(v["organisation"] for v in visits) == Counter(
            {o["organisation"]: o["visits"] for o in report["by_organiser"] if o["visits"]}
        )

        handouts = exported(store, tmp_path, "handouts", filters)
        assert len(handouts) == report["prescriptions"]["total"]
        assert Counter(h["condition"] for h in handouts) == Counter(
            {c["label"]: c["handouts"] for c in report["prescriptions"]["by_condition"]}
        )

        coverage = exported(store, tmp_path, "coverage", filters)
        assert len(coverage) == len(report["by_village"])
        assert sum(int(c["days"]) for c in coverage) == report["clinic_days"]["held"]
        assert sum(int(c["visits"]) for c in coverage) == report["visits"]
        assert sum(int(c["registered"]) for c in coverage) == report["households"]["registered"]
        assert sum(int(c["served"]) for c in coverage) == report["households"]["served_registered"]

        hours = exported(store, tmp_path, "volunteer-hours", filters)
        assert len(hours) == report["volunteers"]["people"]
        assert sum(float(h["hours"]) for h in hours) == pytest.approx(
            report["volunteers"]["hours"], abs=0.05
        )
        by_org = Counter(h["organisation"] for h in hours)
        assert dict(by_org) == {
            o["organisation"]: o["volunteers"] for o in report["volunteers"]["by_organisation"]
        }

        table = exported(store, tmp_path, "report", filters)
        overview = {r["item"]: r["number"] for r in table if r["section"] == "Overview"}
        assert (
            int(overview["Visits"]) == report["visits"]
            and int(overview["People seen"]) == report["people"]
        )

    return check


@pytest.fixture
def desk_user():
    """A signed-in user with every role, as the desk's services are given one (no row
    in any database: the services read only the user's roles and volunteer)."""
    from clinic.core.users import ROLES, User

    return User(0, "tester", frozenset(ROLES))


# -- duplicate persons (tests/*/test_person_merges*.py, test_persons_cli.py, test_sync_merge.py)


@pytest.fixture
def twins(demo_path, today, now):
    """(database, a registered person, their walk-in twin seen today with a handout):
    a copy of the small demo where the desk's rule finds one likely duplicate pair
    (tests/support/merges.py)."""
    from clinic.store import open_store

    from support.merges import registered_with_visit, walk_in_twin

    with open_store(demo_path) as store:
        kept = registered_with_visit(store, today)
        twin = walk_in_twin(store, kept, today, now)
    return demo_path, kept, twin


@pytest.fixture
def tables_digest():
    """``tables_digest(path)``: one digest per table of the file, less the merges' own
    bookkeeping and the audit log (what an undo must give back to the byte)."""
    from support.merges import tables_digest as digest

    return digest


@pytest.fixture
def seen_today(today, now):
    """``seen_today(store, person_id)``: checks the person in on today's clinic day."""
    from clinic.core import desk

    from support.merges import today_day

    def check_in(store, person_id: int) -> int:
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        visit, _new = desk.check_in(store, today_day(store, today), person_id, volunteer, now)
        return visit

    return check_in
