"""The sync tests' shared steps (tests/domain/test_sync_*.py), reached through the
fixtures of tests/domain/conftest.py: a file's fingerprint, a walk-in registered at
the desk, a day of a laptop's work, and a district with its laptops built once and
copied for each run of the state machine (tests/domain/test_sync_district.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from clinic.core import desk
from clinic.core.desk import handouts
from clinic.store import Store, open_store

# The items ticked on every health prescription handed out by laptop_work.
TICKED = ["salt", "activity"]


def fingerprint(path: Path | str) -> str:
    """Every row of every table of the file (a database's state, to the byte)."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY 1"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def clinic_day(store: Store, date: dt.date) -> dict:
    """The clinic day of ``date``, as the desk holds it."""
    return desk.get_day(
        store, store.scalar("SELECT id FROM clinic_days WHERE date = ?", [date.isoformat()])
    )


def delete_and_edit(district: Path, laptop: Path, date: dt.date, deleted_on: str) -> int:
    """Remove the first assignment of ``date`` on one side (``"district"`` or
    ``"laptop"``) and mark it attended for 4 hours on the other: the clash of a
    record deleted on one side and edited on the other. Returns its id."""
    from clinic.core.planning.assignments import remove_assignment, set_assignment

    with open_store(district) as store:
        assignment = store.scalar(
            "SELECT min(a.id) FROM assignments a JOIN clinic_days d ON d.id = a.clinic_day_id "
            "WHERE d.date = ?",
            [date.isoformat()],
        )
    sides = {"district": district, "laptop": laptop}
    edited_on = "laptop" if deleted_on == "district" else "district"
    with open_store(sides[deleted_on]) as store:
        remove_assignment(store, assignment)
    with open_store(sides[edited_on]) as store:
        set_assignment(store, assignment, status="attended", hours=4.0, change_attendance=True)
    return assignment


def walk_in(
    store: Store,
    today: dt.date,
    now: dt.datetime,
    name: str,
    *,
    village_id: int | None = None,
    id_number: str = "",
    birth: str = "66",
    sex: str = "M",
    phone: str = "",
) -> int:
    """A walk-in typed at the desk and registered with their consent (a likely duplicate
    confirmed), through the desk's services; the person's id."""
    volunteer = store.scalar("SELECT min(id) FROM volunteers")
    clean = desk.clean_walk_in(
        desk.WalkIn(
            name=name,
            sex=sex,
            birth=birth,
            village_id=village_id or store.scalar("SELECT min(id) FROM villages"),
            id_number=id_number,
            phone=phone,
        ),
        today,
    )
    return desk.add_walk_in(
        store,
        clean,
        desk.Consent(explained_by=volunteer),
        at=now.isoformat(timespec="seconds"),
        actor="tester",
        volunteer_id=volunteer,
        confirm_duplicate=True,
    )


def laptop_work(
    path: Path, today: dt.date, now: dt.datetime, name: str, id_number: str = "", birth: str = "66"
) -> dict:
    """A day's work on a laptop through the desk's services: a walk-in registered, checked
    in and given a health prescription (items :data:`TICKED`); and the day's first
    assignment (for the tests that change it)."""
    with open_store(path) as store:
        day = clinic_day(store, today)
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        person = walk_in(
            store, today, now, name, village_id=day["village_id"], id_number=id_number, birth=birth
        )
        visit, _new = desk.check_in(store, day, person, volunteer, now)
        template = next(t for t in handouts.templates(store) if t.code == "hypertension")
        (handout,) = handouts.hand_out(
            store, day, visit, [handouts.Pick(template.id, TICKED)], volunteer, now
        )
        assignment = store.scalar(
            "SELECT min(id) FROM assignments WHERE clinic_day_id = ?", [day["id"]]
        )
        return {
            "person_uid": store.scalar("SELECT uid FROM persons WHERE id = ?", [person]),
            "visit_uid": store.scalar("SELECT uid FROM visits WHERE id = ?", [visit]),
            "handout_uid": store.scalar("SELECT uid FROM handouts WHERE id = ?", [handout]),
            "assignment": assignment,
            "ticked": list(TICKED),
        }


# -- a district on one machine ---------------------------------------------------------


def shared_person(k: int, phone: str) -> tuple[str, str]:
    """Register person ``k`` of the few every device of a district may edit: (their ID
    number, their line of a register file, with ``phone``). A man born 1956-03-12 of
    中峰镇/龙山村, head of household S900k."""
    from clinic.core.idnumbers import check_character

    first = f"50011019560312{61 + 2 * k:03d}"  # an odd sequence number: a man
    number = first + check_character(first)
    name = f"登记{k}"
    line = f"S900{k},{name},户主,男,{number},1956-03-12,{phone},中峰镇,龙山村,3组,脱贫户,,,{name}"
    return number, line


@dataclass(frozen=True)
class District:
    """A district database and its laptops' databases (in one folder): ``laptops`` maps
    each laptop's name to its file; ``shared``, the ID numbers of the register persons
    (:func:`shared_person`) the district held when the laptops were enrolled."""

    folder: Path
    district: Path
    laptops: dict[str, Path]
    shared: tuple[str, ...] = ()

    def copy_to(self, target: Path) -> District:
        """The whole folder copied (databases, the district's key, every laptop's and the
        district's sync copies): a fresh district, without enrolling again."""
        shutil.copytree(self.folder, target)
        return District(
            target,
            target / self.district.relative_to(self.folder),
            {n: target / p.relative_to(self.folder) for n, p in self.laptops.items()},
            self.shared,
        )


def build_district(
    demo: Path,
    folder: Path,
    names: tuple[str, ...],
    actor: str,
    *,
    register_header: str,
    shared: int = 0,
) -> District:
    """A copy of ``demo`` as the district, its register given ``shared`` persons of
    :func:`shared_person` (a register file with ``register_header``), and one laptop per
    name made from it as ``clinic sync base`` makes them, each opened once (its first
    snapshot); every file checkpointed, so the folder can be copied as it is."""
    from clinic.core.imports import import_register
    from clinic.core.sync.enrol import make_base

    folder.mkdir(parents=True)
    district = folder / "district.db"
    _checkpoint(demo)
    shutil.copy(demo, district)
    people = [shared_person(k, f"1380000000{k}") for k in range(shared)]
    if people:
        register = folder / "shared-register.csv"
        lines = [register_header, *(line for _number, line in people)]
        register.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
        with open_store(district) as store:
            import_register(store, register, actor=actor, today=dt.date(2026, 11, 1))
    laptops = {}
    for name in names:
        out = folder / "laptops" / f"{name}.db"
        with open_store(district) as store:
            make_base(store, name, out, actor=actor)
        open_store(out).close()
        laptops[name] = out
    for path in folder.rglob("*.db"):
        _checkpoint(path)
    return District(folder, district, laptops, tuple(number for number, _line in people))


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


class _PowerCut(Exception):
    """An export stopped half-way (a crash, a USB stick pulled)."""


@dataclass
class Stopped:
    at: str | None = None  # the step the export stopped before (None: it did not reach it)

    @property
    def file_kept(self) -> bool:
        """Whether the export had written its file to the app's own folder (bundles/ or
        updates/): from ``_hand_over`` on."""
        from clinic.core.sync.exporting import STEPS

        return self.at is not None and STEPS.index(self.at) >= STEPS.index("_hand_over")


@contextmanager
def export_stopped_before(step: str) -> Iterator[Stopped]:
    """Exports in the block (a laptop's bundle or the district's update) stop before
    ``step`` of clinic.core.sync.exporting.STEPS, as if the power went: the block ends
    there, and ``.at`` says whether it did."""
    from clinic.core.sync import exporting

    stopped = Stopped()

    def cut(*_args: object, **_kwargs: object) -> None:
        stopped.at = step
        raise _PowerCut(step)

    with mock.patch.object(exporting, step, cut):
        try:
            yield stopped
        except _PowerCut:
            pass
