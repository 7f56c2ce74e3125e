"""A district on one machine (issue 11, point 8): a hypothesis state machine.

A coordinator's database and three laptops made from it (``clinic sync base``, built
once per session and copied for each run). Random edits through the services the
desk and the CLI call: check-ins, visits with vitals, walk-ins, health
prescriptions, volunteers' attendance and hours, register imports; on the laptops
and on the district. Each team works its own clinic day (its own village, as the
organisations do); the coordinator may correct the hours of any team's day. The
register is shared: three of its persons are in every base and any device may
import a new phone for them, and a walk-in's ID number may be typed on several
devices. That is where devices clash.

Bundles are exported at random and delivered in any order, with duplicates and
gaps; an export may stop half-way (at each of its steps), and the next one delivers
the bundle it wrote; the district sends updates back, and an update's export may stop
half-way too (the laptop may have imported the file that left). What must hold:

* every edit of a bundle applied at the district is there, or its row is on the
  review list (``sync_conflicts``), never lost, never half there: checked at once
  after each import, against what each device did since its previous export;
* a bundle held (its earlier one has not come) left nothing of itself;
* importing a bundle again changes nothing (the district's file, to the byte);
* after an update, a laptop still holds the edits it had not exported; importing the
  update again changes nothing;
* at the end every laptop exports, every bundle is delivered and every laptop takes
  its update. The district's figures of each team's day (people served, visits,
  households served, prescriptions, volunteers and hours: the report's own
  functions) equal the laptop's figures of that day with each of its clashes settled
  on the district's side (what the district counts until the coordinator decides);
  its visits are those the laptop made less those waiting in the review list; the
  district's own day has the visits it made; the season's visits, prescriptions and
  hours are the sum of the days'; the days held before the laptops were enrolled
  did not change;
* then the coordinator settles every clash (a person registered twice merged), and
  after one more round trip every laptop holds the district's register: the same
  persons, ID numbers and merges.

The suite's run is the same every time (hypothesis derandomized: CI never fails by
chance); to look for new faults, explore: ``CLINIC_SYNC_EXPLORE=1 CLINIC_SYNC_EXAMPLES=200
CLINIC_SYNC_STEPS=60 pytest -k on_one_machine``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from clinic.core import desk
from clinic.core.desk import handouts
from clinic.core.errors import DuplicateWarning, InputError
from clinic.core.imports import import_register
from clinic.core.planning.assignments import set_assignment
from clinic.core.reports import report_for_scope
from clinic.core.sync import exporting
from clinic.core.sync.exporting import Exported, export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import conflicts, merge_kind, settle
from clinic.core.sync.updating import export_update, import_updates
from clinic.core.users import User
from clinic.store import open_store
from clinic.store.rules import Scope

EXAMPLES = int(os.environ.get("CLINIC_SYNC_EXAMPLES", "8"))
STEPS = int(os.environ.get("CLINIC_SYNC_STEPS", "30"))

LAPTOPS = ("A", "B", "C")
DEVICES = ("district", *LAPTOPS)
# Each team's clinic day in the demo (none has a visit yet).
DAYS = {
    "district": dt.date(2026, 11, 24),
    "A": dt.date(2026, 11, 28),
    "B": dt.date(2026, 12, 5),
    "C": dt.date(2026, 12, 12),
}
NOW = dt.datetime(2026, 11, 24, 9, 30)
CLINICIAN = User(0, "tester", frozenset({"clinician"}), None)
SHARED = 3  # register persons and walk-ins' ID numbers every device may type


@dataclass
class Work:
    """What one device did since its last export: rows it made, (table, id), and the
    last value it gave each field it changed, (table, id, column) -> value."""

    rows: set[tuple[str, int]] = field(default_factory=set)
    fields: dict[tuple[str, int, str], Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.rows or self.fields)


@dataclass(frozen=True)
class Sent:
    device: str
    sequence: int
    path: Path
    work: Work


@dataclass(frozen=True)
class Kit:
    """The fixtures the machine uses (a state machine cannot ask for them itself)."""

    world: Any  # support.sync.District, built once
    folder: Path
    fingerprint: Any
    clinic_day: Any
    walk_in: Any
    valid_id: Any
    write_csv: Any
    register_header: str
    shared_person: Any
    export_stopped_before: Any


def figures(store, day_ids: tuple[int, ...]) -> dict[str, float]:
    """The report's figures of these clinic days (what F8 and ``clinic report`` show)."""
    report = report_for_scope(store, Scope(day_ids=day_ids), {})
    return {
        "visits": report.visits,
        "people": report.people,
        "households": report.households["served"],
        "prescriptions": report.prescriptions["total"],
        "volunteers": report.volunteers["people"],
        "hours": report.volunteers["hours"],
    }


class DistrictOnOneMachine(RuleBasedStateMachine):
    kit: ClassVar[Kit]
    runs: ClassVar[itertools.count] = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        kit = self.kit
        world = kit.world.copy_to(kit.folder / f"run-{next(self.runs)}")
        self.folder = world.folder
        self.paths = {"district": world.district, **world.laptops}
        self.work = {name: Work() for name in DEVICES}
        self.made_visits: dict[str, set[int]] = {name: set() for name in DEVICES}
        self.sent: list[Sent] = []
        # a laptop's bundle written by an export that stopped before it finished: its work
        self.unfinished: dict[str, Work] = {}
        self.delivered: set[tuple[str, int]] = set()
        self.updates_taken: dict[str, int] = {}  # each laptop's last update imported
        self.fresh = itertools.count(1)
        with open_store(self.paths["district"]) as store:
            self.past = tuple(
                r["id"]
                for r in store.query("SELECT id FROM clinic_days WHERE date < ?", ["2026-11-24"])
            )
            self.past_figures = figures(store, self.past)

    # -- helpers ---------------------------------------------------------------------

    def _day(self, store, device: str) -> dict:
        return self.kit.clinic_day(store, DAYS[device])

    def _volunteer(self, store) -> int:
        return store.scalar("SELECT min(id) FROM volunteers")

    def _check_in(self, store, device: str, person: int) -> int:
        volunteer = self._volunteer(store)
        visit, new = desk.check_in(
            store,
            self._day(store, device),
            person,
            volunteer,
            NOW,
            consent=desk.Consent(explained_by=volunteer),
        )
        if new:
            self.work[device].rows.add(("visits", visit))
            self.made_visits[device].add(visit)
        return visit

    def _day_visits(self, store, device: str) -> list[int]:
        day = self._day(store, device)
        rows = store.query("SELECT id FROM visits WHERE clinic_day_id = ? ORDER BY id", [day["id"]])
        return [r["id"] for r in rows]

    def _shared_id(self, k: int, kind: str) -> str:
        """The ID number of shared person ``k``: a register person every device has from
        its base, or a walk-in's number several devices may type (a man: an odd
        sequence number)."""
        if kind == "register":
            return self.kit.shared_person(k, "")[0]
        return self.kit.valid_id("500110", "19560312", 41 + 2 * k)

    # -- edits on any device --------------------------------------------------------

    @rule(device=st.sampled_from(DEVICES), pick=st.integers(0, 10_000))
    def check_in(self, device: str, pick: int) -> None:
        """Someone of the day's village, or a shared person this device knows."""
        with open_store(self.paths[device]) as store:
            village = self._day(store, device)["village_id"]
            shared = [
                self._shared_id(k, kind) for k in range(SHARED) for kind in ("walk-in", "register")
            ]
            people = store.query(
                "SELECT id FROM persons WHERE village_id = ? "
                f"OR id_number IN ({', '.join('?' * len(shared))}) ORDER BY id",
                [village, *shared],
            )
            self._check_in(store, device, people[pick % len(people)]["id"])

    @rule(
        device=st.sampled_from(DEVICES),
        pick=st.integers(0, 10_000),
        sbp=st.integers(95, 190),
        glucose=st.sampled_from(["", "5.4", "7.8", "12.1"]),
        finish=st.booleans(),
    )
    def vitals(self, device: str, pick: int, sbp: int, glucose: str, finish: bool) -> None:
        with open_store(self.paths[device]) as store:
            visits = self._day_visits(store, device)
            if not visits:
                return
            visit = visits[pick % len(visits)]
            values = {"bp": f"{sbp}/85", "pulse": "72", "referral_to": ""}
            if glucose:
                values["glucose"] = glucose
            desk.save_visit(
                store,
                self._day(store, device),
                visit,
                desk.VisitForm(values=values, fasting=True),
                NOW,
                self._volunteer(store),
                by=CLINICIAN,
                finish=finish,
            )
            self.work[device].fields[("visits", visit, "sbp")] = sbp

    @rule(
        device=st.sampled_from(DEVICES),
        shared=st.one_of(st.none(), st.integers(0, SHARED - 1)),
    )
    def walk_in(self, device: str, shared: int | None) -> None:
        """A walk-in, checked in; with a shared ID number another device may type too
        (a device that has it already checks that person in, as the desk says)."""
        name = f"{device}走访{next(self.fresh)}"
        with open_store(self.paths[device]) as store:
            village = self._day(store, device)["village_id"]
            number = "" if shared is None else self._shared_id(shared, "walk-in")
            try:
                person = self.kit.walk_in(
                    store,
                    DAYS[device],
                    NOW,
                    name,
                    village_id=village,
                    id_number=number,
                    birth="1956-03-12" if number else "66",
                )
                self.work[device].rows.add(("persons", person))
            except DuplicateWarning:
                person = store.scalar("SELECT id FROM persons WHERE id_number = ?", [number])
            self._check_in(store, device, person)

    @rule(device=st.sampled_from(DEVICES), pick=st.integers(0, 10_000))
    def hand_out(self, device: str, pick: int) -> None:
        with open_store(self.paths[device]) as store:
            visits = self._day_visits(store, device)
            if not visits:
                return
            templates = handouts.templates(store)
            template = templates[pick % len(templates)]
            made = handouts.hand_out(
                store,
                self._day(store, device),
                visits[pick % len(visits)],
                [handouts.Pick(template.id, template.item_codes()[:2])],
                self._volunteer(store),
                NOW,
            )
            self.work[device].rows.update(("handouts", h) for h in made)

    @rule(device=st.sampled_from(DEVICES), pick=st.integers(0, 10_000))
    def hours(self, device: str, pick: int) -> None:
        """A volunteer of the day marked attended, with hours nobody typed before."""
        self._hours(device, device, pick)

    def _hours(self, device: str, team: str, pick: int) -> None:
        hours = (next(self.fresh) % 96 + 1) / 4
        with open_store(self.paths[device]) as store:
            day = self._day(store, team)
            rows = store.query(
                "SELECT id FROM assignments WHERE clinic_day_id = ? ORDER BY id", [day["id"]]
            )
            assignment = rows[pick % len(rows)]["id"]
            set_assignment(
                store, assignment, status="attended", hours=hours, change_attendance=True
            )
        fields = self.work[device].fields
        fields[("assignments", assignment, "status")] = "attended"
        fields[("assignments", assignment, "hours")] = hours

    @rule(team=st.sampled_from(LAPTOPS), pick=st.integers(0, 10_000))
    def correct_hours(self, team: str, pick: int) -> None:
        """The coordinator types the hours of a volunteer of a team's day at the district
        (the team may type them too: a clash)."""
        self._hours("district", team, pick)

    @rule(device=st.sampled_from(DEVICES), k=st.integers(0, SHARED - 1))
    def register(self, device: str, k: int) -> None:
        """A register file of one shared person (every base holds them) with a new phone:
        two devices changing it clash."""
        phone = f"139{next(self.fresh):08d}"
        number, line = self.kit.shared_person(k, phone)
        path = self.folder / f"register-{device}-{k}.csv"
        self.kit.write_csv(path, [self.kit.register_header, line])
        with open_store(self.paths[device]) as store:
            before = store.scalar("SELECT id FROM persons WHERE id_number = ?", [number])
            result = import_register(store, path, today=DAYS[device], actor="tester")
            assert result.rejected == 0, result.problems
            person = store.scalar("SELECT id FROM persons WHERE id_number = ?", [number])
        assert before == person  # in the base: changed, not added
        self.work[device].fields[("persons", person, "phone")] = phone

    # -- bundles out, in, and back ----------------------------------------------------

    @rule(device=st.sampled_from(LAPTOPS))
    def export(self, device: str) -> None:
        self._export(device)

    @rule(device=st.sampled_from(LAPTOPS), step=st.sampled_from(exporting.STEPS))
    def export_interrupted(self, device: str, step: str) -> None:
        """An export stopped before one of its steps. A bundle it wrote is the one the
        next export delivers (the work since goes in the bundle after); one it did not
        write is made anew. An export that delivers an unfinished bundle does not
        reach the steps that make one (it may finish)."""
        out = self.folder / "bundles" / f"{device}-{len(self.sent)}-cut.bundle"
        out.parent.mkdir(exist_ok=True)
        made = None
        with self.kit.export_stopped_before(step) as cut:
            with open_store(self.paths[device]) as store:
                made = export_bundle(store, out, actor="tester")
        if cut.file_kept and device not in self.unfinished:
            self.unfinished[device] = self.work[device]
            self.work[device] = Work()
        self.way_back(device)
        if made is not None:
            self._exported(device, made, out)

    def _export(self, device: str) -> Exported:
        out = self.folder / "bundles" / f"{device}-{len(self.sent)}.bundle"
        out.parent.mkdir(exist_ok=True)
        with open_store(self.paths[device]) as store:
            made = export_bundle(store, out, actor="tester")
        self._exported(device, made, out)
        return made

    def _exported(self, device: str, made: Exported, out: Path) -> None:
        if made.path is None:
            assert not self.work[device], f"{device}'s work did not make a bundle"
            assert device not in self.unfinished, f"{device}'s unfinished bundle was lost"
            return
        assert made.again == (device in self.unfinished)
        if made.again:  # the bundle the stopped export wrote, byte for byte
            work = self.unfinished.pop(device)
        else:
            work, self.work[device] = self.work[device], Work()
        self.sent.append(Sent(device, made.sequence, out, work))

    @precondition(lambda self: self.sent)
    @rule(data=st.data())
    def deliver(self, data: st.DataObject) -> None:
        """Some bundles, in any order, duplicates and bundles delivered before too; in
        one import or one by one."""
        picked = data.draw(st.lists(st.sampled_from(self.sent), min_size=1, max_size=5))
        if data.draw(st.booleans()):
            self._import(picked)
        else:
            for one in picked:
                self._import([one])

    @precondition(lambda self: self.delivered)
    @rule(data=st.data())
    def deliver_again(self, data: st.DataObject) -> None:
        """A bundle applied before, imported again: the district's file does not change."""
        done = [s for s in self.sent if (s.device, s.sequence) in self.delivered]
        again = data.draw(st.sampled_from(done))
        before = self.kit.fingerprint(self.paths["district"])
        with open_store(self.paths["district"]) as store:
            results = import_bundles(store, [again.path], actor="tester")
        assert [r.already for r in results] == [True]
        assert self.kit.fingerprint(self.paths["district"]) == before

    @rule(device=st.sampled_from(LAPTOPS))
    def way_back(self, device: str) -> None:
        """The district's update for a laptop, imported there: its unsent edits stay. An
        update an interrupted export wrote is delivered first, the same file (the laptop
        may have it already); the district's changes since come in the next one."""
        out = self.folder / "updates" / f"{device}-{next(self.fresh)}.bundle"
        out.parent.mkdir(exist_ok=True)
        with open_store(self.paths["district"]) as store:
            made = export_update(store, device, out, actor="tester")
        if made.path is None:
            return
        self._take_update(device, out)
        if made.again:
            self.way_back(device)

    @rule(
        device=st.sampled_from(LAPTOPS),
        step=st.sampled_from(exporting.STEPS),
        took=st.booleans(),
    )
    def way_back_interrupted(self, device: str, step: str, took: bool) -> None:
        """The district's update export stopped before one of its steps. A file that left
        before the stop (copied to the stick) the laptop may import; the next update
        export delivers that same update, and the laptop ends with every change."""
        out = self.folder / "updates" / f"{device}-{next(self.fresh)}-cut.bundle"
        out.parent.mkdir(exist_ok=True)
        made = None
        with self.kit.export_stopped_before(step) as cut:
            with open_store(self.paths["district"]) as store:
                made = export_update(store, device, out, actor="tester")
        if cut.at is not None:
            if took and out.exists():
                self._take_update(device, out)
            return
        assert made is not None
        if made.path is not None:  # it delivered an earlier stopped update, or nothing new
            self._take_update(device, out)

    def _take_update(self, device: str, out: Path) -> None:
        """Update ``out`` imported on the laptop (after exporting again, when an export of
        the laptop was interrupted); imported again, it changes nothing."""
        taken = self.updates_taken.get(device, 0)
        if device in self.unfinished:
            with open_store(self.paths[device]) as laptop:
                try:
                    import_updates(laptop, [out], actor="tester")
                except InputError:  # the laptop says to export again first
                    self._export(device)
        with open_store(self.paths[device]) as laptop:
            (result,) = import_updates(laptop, [out], actor="tester")
            assert result.already == (result.sequence <= taken)
            assert result.sequence <= taken + 1
            self._holds(laptop, self.work[device], clashes=set())
        self.updates_taken[device] = max(taken, result.sequence)
        before = self.kit.fingerprint(self.paths[device])
        with open_store(self.paths[device]) as laptop:
            (again,) = import_updates(laptop, [out], actor="tester")
        assert again.already and self.kit.fingerprint(self.paths[device]) == before

    # -- what must hold ---------------------------------------------------------------

    def _import(self, bundles: list[Sent]) -> None:
        by_key = {(s.device, s.sequence): s for s in self.sent}
        with open_store(self.paths["district"]) as store:
            results = import_bundles(store, [s.path for s in bundles], actor="tester")
            applied = [
                by_key[(r.device, r.sequence)]
                for r in results
                if not r.already and r.waits_for is None
            ]
            for sent in applied:
                assert (sent.device, sent.sequence) not in self.delivered
                self.delivered.add((sent.device, sent.sequence))
            clashes = self._clashes(store)
            for index, sent in enumerate(applied):
                later = {key for s in applied[index + 1 :] for key in s.work.fields}
                self._holds(store, sent.work, clashes[sent.device], superseded=later)
            for result in results:
                if result.waits_for is not None:
                    held = by_key[(result.device, result.sequence)]
                    for table, row_id in held.work.rows:
                        assert not store.one(f"SELECT 1 FROM {table} WHERE id = ?", [row_id])

    def _clashes(self, store) -> dict[str, set[tuple[str, int]]]:
        """Per device, the rows of its changes that wait in the review list."""
        found: dict[str, set[tuple[str, int]]] = {name: set() for name in LAPTOPS}
        for clash in conflicts(store):
            found[clash["device"]].add((clash["table_name"], clash["row_key"].get("id")))
        return found

    def _holds(
        self,
        store,
        work: Work,
        clashes: set[tuple[str, int]],
        superseded: set[tuple[str, int, str]] = frozenset(),
    ) -> None:
        """Every row and field of ``work`` is in ``store``, or its row is a clash; a field
        a later bundle of the same import wrote may hold that bundle's value."""
        for table, row_id in work.rows:
            there = store.one(f"SELECT 1 FROM {table} WHERE id = ?", [row_id])
            assert there or (table, row_id) in clashes, f"{table} {row_id} lost"
        for (table, row_id, column), value in work.fields.items():
            if (table, row_id) in clashes or (table, row_id, column) in superseded:
                continue
            now = store.scalar(f"SELECT [{column}] FROM {table} WHERE id = ?", [row_id])
            assert now == value, f"{table} {row_id} {column}: {now!r}, not {value!r}"

    def teardown(self) -> None:
        """Every laptop's last bundle, all delivered (latest first: the earlier ones
        release them), the district's update to every laptop; then the figures."""
        try:
            for device in LAPTOPS:
                if self._export(device).again:  # then what the desk did after the stop
                    self._export(device)
            waiting = [s for s in self.sent if (s.device, s.sequence) not in self.delivered]
            if waiting:
                self._import(waiting[::-1])
            assert self.delivered == {(s.device, s.sequence) for s in self.sent}
            for device in LAPTOPS:
                self.way_back(device)
            self._figures_add_up()
            self._settle_all()
            for device in LAPTOPS:  # one more round trip: the laptops converge
                self._export(device)
            self._import([s for s in self.sent if (s.device, s.sequence) not in self.delivered])
            for device in LAPTOPS:
                self.way_back(device)
            self._registers_agree()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _settle_all(self) -> None:
        """The coordinator settles every clash: a laptop's person whose ID number the
        district has is merged into the district's person; anything else keeps the
        district's side."""
        with open_store(self.paths["district"]) as store:
            while waiting := conflicts(store):
                item = waiting[0]
                keep = "merged" if merge_kind(item) == "person" else "district"
                try:
                    settle(store, item["id"], keep, actor="tester")
                except InputError:
                    settle(store, item["id"], "district", actor="tester")

    def _registers_agree(self) -> None:
        """After the clashes are settled and one more round trip, every laptop holds the
        district's register: the same persons, ID numbers and merges (the district's
        persons a laptop left out came again once their clash was settled)."""

        def register(path: Path) -> dict[str, tuple[Any, Any]]:
            with open_store(path) as store:
                rows = store.query(
                    "SELECT p.uid, p.id_number, m.uid AS merged FROM persons p "
                    "LEFT JOIN persons m ON m.id = p.merged_into"
                )
            return {r["uid"]: (r["id_number"], r["merged"]) for r in rows}

        district = register(self.paths["district"])
        for name in LAPTOPS:
            assert register(self.paths[name]) == district, name

    def _figures_add_up(self) -> None:
        with open_store(self.paths["district"]) as store:
            days = {name: self._day(store, name)["id"] for name in DEVICES}
            merged = {name: figures(store, (day,)) for name, day in days.items()}
            season = figures(store, tuple(days.values()))
            assert figures(store, self.past) == self.past_figures
            sides = {
                name: self._district_side(store, rows)
                for name, rows in self._clashes(store).items()
            }
        assert merged["district"]["visits"] == len(self.made_visits["district"])
        for name in LAPTOPS:
            assert merged[name] == self._laptop_as_settled(name, days[name], sides[name]), name
            left_out = {row for (table, row), side in sides[name].items() if table == "visits"}
            assert merged[name]["visits"] == len(self.made_visits[name] - left_out)
        for figure in ("visits", "prescriptions", "hours"):
            total = sum(merged[name][figure] for name in DEVICES)
            assert season[figure] == pytest.approx(total), figure

    def _district_side(self, store, rows: set[tuple[str, int]]) -> dict:
        """(table, id) -> the district's row, None where it has none, for rows in clash."""
        return {
            (table, row): store.one(f"SELECT * FROM {table} WHERE id = ?", [row])
            for table, row in rows
            if row is not None
        }

    def _laptop_as_settled(self, name: str, day: int, sides: dict) -> dict:
        """The laptop's figures of its day, each of its clashes settled by keeping the
        district's side (what the district counts until the coordinator decides)."""
        copy = self.folder / f"{name}-as-settled.db"
        shutil.copy(self.paths[name], copy)
        conn = sqlite3.connect(copy)
        try:
            with conn:
                for (table, row), district_row in sides.items():
                    if district_row is None:
                        if table == "visits":
                            conn.execute("DELETE FROM handouts WHERE visit_id = ?", [row])
                            conn.execute("DELETE FROM visit_conditions WHERE visit_id = ?", [row])
                        conn.execute(f"DELETE FROM {table} WHERE id = ?", [row])
                    else:
                        sets = ", ".join(f"[{c}] = ?" for c in district_row)
                        conn.execute(
                            f"UPDATE {table} SET {sets} WHERE id = ?", [*district_row.values(), row]
                        )
        finally:
            conn.close()
        with open_store(copy) as store:
            return figures(store, (day,))


def test_a_district_on_one_machine(
    sync_district,
    tmp_path,
    sync_fingerprint,
    clinic_day,
    walk_in,
    valid_id,
    write_csv,
    register_header,
    shared_person,
    export_stopped_before,
):
    machine = type(
        "DistrictOnOneMachine",
        (DistrictOnOneMachine,),
        {
            "kit": Kit(
                sync_district,
                tmp_path,
                sync_fingerprint,
                clinic_day,
                walk_in,
                valid_id,
                write_csv,
                register_header,
                shared_person,
                export_stopped_before,
            )
        },
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=not os.environ.get("CLINIC_SYNC_EXPLORE"),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
