"""The way back, after a row was left out on a laptop (issue 11, point 6).

The district and a laptop each registered a walk-in with one ID number. The district's
person cannot land on the laptop (it has the number), so the first update leaves that
person out there, and the person's visit with them. The district goes on working with
its person; every later update brings rows of them (another prescription handed out
at their visit) whose parent the update does not carry again: the laptop was told
once. Found by the district state machine (test_sync_district.py): the second update
was refused whole ("its records refer to records this laptop does not have") and the
laptop could take no update again.
"""

from __future__ import annotations

import pytest

from clinic.core.desk import handouts
from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import conflicts
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store


@pytest.fixture
def update_for(district, tmp_path):
    """``update_for(device)``: the district's next update for ``device``, its path."""

    def write(device: str):
        out = tmp_path / "updates" / f"{device}-{len(list(tmp_path.glob('updates/*')))}"
        out.parent.mkdir(exist_ok=True)
        with open_store(district) as store:
            made = export_update(store, device, out, actor="tester")
        assert made.path == out
        return out

    return write


def _hand_out_again(path, clinic_day, today, now, visit_uid: str) -> str:
    """One more health prescription at the visit ``visit_uid``, through the desk; its uid."""
    with open_store(path) as store:
        day = clinic_day(store, today)
        visit = store.scalar("SELECT id FROM visits WHERE uid = ?", [visit_uid])
        template = next(t for t in handouts.templates(store) if t.code == "hypertension")
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        (made,) = handouts.hand_out(
            store, day, visit, [handouts.Pick(template.id, ["salt"])], volunteer, now
        )
        return store.scalar("SELECT uid FROM handouts WHERE id = ?", [made])


def test_a_later_update_of_a_row_left_out_on_the_laptop_is_accepted_and_loses_nothing(
    district, enrol, export_from, update_for, day_of_work, clinic_day, today, now, valid_id
):
    number = valid_id("500110", "19560312", 17)
    a = enrol("A")
    ours = day_of_work(district, today, now, "区同号", id_number=number, birth="1956-03-12")
    theirs = day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    with open_store(a) as laptop:
        (first,) = import_updates(laptop, [update_for("A")], actor="tester")
    assert not first.already
    # the district hands its person another prescription and changes a shared row;
    # the laptop, after its update, types hours it has not sent
    again = _hand_out_again(district, clinic_day, today, now, ours["visit_uid"])
    with open_store(district) as store:
        store.conn.execute("UPDATE persons SET phone = '13955556666' WHERE id = 1")
        store.conn.execute(
            "UPDATE persons SET phone = '13977778888' WHERE uid = ?", [ours["person_uid"]]
        )
        store.conn.commit()
    with open_store(a) as laptop:
        set_assignment(
            laptop, theirs["assignment"], status="attended", hours=4.5, change_attendance=True
        )
    with open_store(a) as laptop:
        (second,) = import_updates(laptop, [update_for("A")], actor="tester")
        # nothing of the laptop's clashed: the district's person it never had is not its own
        assert (second.sequence, second.already, second.kept) == (2, False, 0)
        assert laptop.scalar("SELECT phone FROM persons WHERE id = 1") == "13955556666"
        assert laptop.one("SELECT 1 FROM handouts WHERE uid = ?", [again]) is None
        assert (
            laptop.scalar("SELECT uid FROM persons WHERE id_number = ?", [number])
            == theirs["person_uid"]
        )
        hours = "SELECT hours FROM assignments WHERE id = ?"
        assert laptop.scalar(hours, [theirs["assignment"]]) == 4.5
    # the laptop's work reaches the district: its person waits in the review list, its
    # visit and prescription with it; the district's own rows of its person stay
    with open_store(district) as store:
        (result,) = import_bundles(store, [export_from(a)], actor="tester")
        assert not result.already and result.waits_for is None
        clashes = {(c["table_name"], c["kind"]) for c in conflicts(store)}
        assert {("persons", "constraint"), ("visits", "held"), ("handouts", "held")} <= clashes
        assert store.scalar(hours, [theirs["assignment"]]) == 4.5
        assert store.one("SELECT 1 FROM handouts WHERE uid = ?", [again])
        assert (
            store.scalar("SELECT uid FROM persons WHERE id_number = ?", [number])
            == ours["person_uid"]
        )
    # and the next update is taken too (nothing the laptop lacks stops it for good)
    again_later = _hand_out_again(district, clinic_day, today, now, ours["visit_uid"])
    with open_store(a) as laptop:
        (third,) = import_updates(laptop, [update_for("A")], actor="tester")
        assert not third.already
        assert laptop.one("SELECT 1 FROM handouts WHERE uid = ?", [again_later]) is None
