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

import datetime as dt

import pytest

from clinic.core.desk import handouts
from clinic.core.planning.assignments import set_assignment
from clinic.core.reports import report_for_scope
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import conflicts, settle
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store
from clinic.store.rules import Scope


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


# -- the rows left out are sent again once the coordinator settles the clash -------------

TABLES = ("persons", "consents", "visits", "handouts")


def _figures(store, date) -> dict:
    """The report's figures of the clinic day of ``date`` (what F8 and clinic report show)."""
    day = store.scalar("SELECT id FROM clinic_days WHERE date = ?", [date.isoformat()])
    report = report_for_scope(store, Scope(day_ids=(day,)), {})
    return {
        "visits": report.visits,
        "people": report.people,
        "households": report.households["served"],
        "prescriptions": report.prescriptions["total"],
        "volunteers": report.volunteers["people"],
        "hours": report.volunteers["hours"],
    }


def _rows(store, uids: list[str]) -> dict:
    """The rows of ``TABLES`` that belong to the persons of ``uids``, by uid: what both
    sides must hold alike (their person, consents, visits, prescriptions)."""
    marks = ", ".join("?" * len(uids))
    people = f"SELECT id FROM persons WHERE uid IN ({marks})"
    found = {}
    for table, where in (
        ("persons", f"id IN ({people})"),
        ("consents", f"person_id IN ({people})"),
        ("visits", f"person_id IN ({people})"),
        ("handouts", f"visit_id IN (SELECT id FROM visits WHERE person_id IN ({people}))"),
    ):
        for row in store.query(f"SELECT * FROM {table} WHERE {where}", uids):
            found[(table, row["uid"] if "uid" in row else row["id"])] = row
    return found


@pytest.mark.parametrize("district_day", ["same", "other"])
def test_a_row_left_out_comes_again_once_the_clash_is_settled_and_both_sides_converge(
    district, enrol, export_from, update_for, day_of_work, today, now, valid_id, district_day
):
    """District person P and the laptop's walk-in W with one ID number, each with a visit
    (on the same clinic day, or on two). The update leaves P out on the laptop, with their
    visit; the laptop's bundle brings W to the review list; the coordinator merges W into
    P. The next update brings the laptop P, W merged into P, and W's visits where the
    merge put them: the laptop's figures are the district's, and nothing is lost."""
    number = valid_id("500110", "19560312", 19)
    a = enrol("A")
    ours_day = today if district_day == "same" else dt.date(2026, 11, 28)
    ours = day_of_work(district, ours_day, now, "区同号", id_number=number, birth="1956-03-12")
    theirs = day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    with open_store(a) as laptop:
        (first,) = import_updates(laptop, [update_for("A")], actor="tester")
        assert first.left_out >= 3  # P, their consent, visit and prescription
        assert laptop.one("SELECT 1 FROM persons WHERE uid = ?", [ours["person_uid"]]) is None
    with open_store(district) as store:
        (result,) = import_bundles(store, [export_from(a)], actor="tester")
        assert result.conflicts
        clash = next(
            c for c in conflicts(store) if (c["table_name"], c["kind"]) == ("persons", "constraint")
        )
        settle(store, clash["id"], "merged", actor="tester")
        assert conflicts(store) == []
    with open_store(a) as laptop:
        (second,) = import_updates(laptop, [update_for("A")], actor="tester")
        assert (second.already, second.kept, second.left_out) == (False, 0, 0)
    # one more round: the laptop's bundle changes nothing at the district, and the
    # district has nothing more for the laptop
    with open_store(district) as store:
        (back,) = import_bundles(store, [export_from(a)], actor="tester")
        assert back.conflicts == 0 and conflicts(store) == []
    with open_store(district) as store:
        assert export_update(store, "A", None, actor="tester").path is None
    uids = [ours["person_uid"], theirs["person_uid"]]
    with open_store(a) as laptop, open_store(district) as store:
        kept = laptop.scalar("SELECT id FROM persons WHERE uid = ?", [ours["person_uid"]])
        merged = laptop.one("SELECT * FROM persons WHERE uid = ?", [theirs["person_uid"]])
        assert (merged["merged_into"], merged["id_number"]) == (kept, None)
        assert laptop.scalar("SELECT id_number FROM persons WHERE id = ?", [kept]) == number
        assert _rows(laptop, uids) == _rows(store, uids)
        for uid in (ours["visit_uid"], theirs["visit_uid"], ours["handout_uid"]):
            assert store.one(
                "SELECT 1 FROM visits WHERE uid = ? UNION ALL SELECT 1 FROM handouts WHERE uid = ?",
                [uid, uid],
            )
        assert store.one("SELECT 1 FROM handouts WHERE uid = ?", [theirs["handout_uid"]])
        if district_day == "other":  # the merge moved W's visit to P, on both sides
            moved = "SELECT person_id FROM visits WHERE uid = ?"
            assert laptop.scalar(moved, [theirs["visit_uid"]]) == kept
        for date in {today, ours_day}:
            assert _figures(laptop, date) == _figures(store, date), date
        # search keys, rebuilt on the laptop (they do not travel), are the district's: the
        # merged walk-in's name finds the person kept, as the merge made them at the district
        keys = "SELECT key FROM person_keys WHERE person_id = ? ORDER BY key"
        assert laptop.query(keys, [kept]) == store.query(keys, [kept])
        assert "y:jiatonghao" in [r["key"] for r in laptop.query(keys, [kept])]
        assert laptop.query(keys, [merged["id"]]) == []


def test_the_laptops_own_row_coming_back_with_a_number_it_has_elsewhere_is_left_out(
    district, enrol, export_from, update_for, day_of_work, today, now, valid_id
):
    """The district gives the laptop's walk-in an ID number the laptop has since typed for
    another walk-in. Taking the district's value would clash there: the row stays as the
    laptop has it and is named in its next bundle (the rest of the update arrives; the
    update was not refused whole)."""
    first, second = (valid_id("500110", "19560312", n) for n in (23, 25))
    a = enrol("A")
    sent = day_of_work(a, today, now, "甲一", id_number=first, birth="1956-03-12")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        store.conn.execute(
            "UPDATE persons SET id_number = ? WHERE uid = ?", [second, sent["person_uid"]]
        )
        store.conn.execute("UPDATE persons SET phone = '13944445555' WHERE id = 1")
        store.conn.commit()
    day_of_work(a, today, now, "甲二", id_number=second, birth="1956-03-12")
    with open_store(a) as laptop:
        (result,) = import_updates(laptop, [update_for("A")], actor="tester")
        assert (result.already, result.left_out) == (False, 1)
        assert "left out" in result.sentence()
        assert laptop.scalar("SELECT phone FROM persons WHERE id = 1") == "13944445555"
        number = "SELECT id_number FROM persons WHERE uid = ?"
        assert laptop.scalar(number, [sent["person_uid"]]) == first
        person = laptop.scalar("SELECT id FROM persons WHERE uid = ?", [sent["person_uid"]])
    bundle = export_from(a)
    from clinic.core.sync.bundle import unseal
    from clinic.core.sync.keys import district_private_key

    header = unseal(str(bundle), bundle.read_bytes(), district_private_key(district)).header
    assert header["left_out"] == [["persons", {"id": person}]]
