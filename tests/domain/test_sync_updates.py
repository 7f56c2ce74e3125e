"""The way back (issue 11, point 6): the district's updates to its laptops.

A district (the small demo) and two laptops made from it. Each laptop's day of work
goes to the district; the district's update brings laptop A what B did and what the
district changed (users too); A's own change after its export stays on A and reaches
the district's review list with A's next bundle. An update imported twice changes
nothing; a tampered, foreign or out-of-order update is refused naming the file.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core.errors import BundleError
from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import conflicts
from clinic.core.sync.updating import export_update, import_updates
from clinic.core.users import User, add_user
from clinic.store import open_store

COORDINATOR = User(0, "测试协调员", frozenset({"coordinator"}), None)


@pytest.fixture
def update_for(district, tmp_path):
    """``update_for(device, name=None)``: the district's next update for ``device``, its path."""

    def write(device: str, name: str | None = None):
        out = tmp_path / "updates" / (name or f"{device}-{len(list(tmp_path.glob('updates/*')))}")
        out.parent.mkdir(exist_ok=True)
        with open_store(district) as store:
            made = export_update(store, device, out, actor="tester")
        assert made.path == out
        return out

    return write


def apply(laptop, *files):
    with open_store(laptop) as store:
        return import_updates(store, list(files), actor="tester")


@pytest.fixture
def merged(district, enrol, export_from, day_of_work, today, now):
    """Laptops A and B enrolled, a day of work on each, both bundles imported: (paths, work)."""
    paths = {"A": enrol("A"), "B": enrol("B")}
    work = {name: day_of_work(path, today, now, f"{name}走访") for name, path in paths.items()}
    with open_store(district) as store:
        import_bundles(store, [export_from(p) for p in paths.values()], actor="tester")
    return paths, work


def test_the_update_brings_a_laptop_the_others_work_and_the_districts_changes(
    district, merged, export_from, update_for
):
    paths, work = merged
    with open_store(district) as store:
        store.conn.execute("UPDATE persons SET phone = '13911112222' WHERE id = 1")
        store.conn.commit()
        add_user(store, "新来的护士", ["clerk"], "2468", by=COORDINATOR)
    update = update_for("A")
    (result,) = apply(paths["A"], update)
    assert (result.sequence, result.already, result.kept) == (1, False, 0)
    with open_store(paths["A"]) as laptop:
        assert laptop.one("SELECT 1 FROM persons WHERE uid = ?", [work["B"]["person_uid"]])
        assert laptop.one("SELECT 1 FROM handouts WHERE uid = ?", [work["B"]["handout_uid"]])
        assert laptop.scalar("SELECT phone FROM persons WHERE id = 1") == "13911112222"
        assert laptop.one("SELECT 1 FROM users WHERE name = '新来的护士'")
        assert laptop.one("SELECT 1 FROM persons WHERE uid = ?", [work["A"]["person_uid"]])
    # A's next bundle carries only its own bookkeeping, not the district's rows back
    bundle = export_from(paths["A"])
    with open_store(district) as store:
        (back,) = import_bundles(store, [bundle], actor="tester")
        assert back.conflicts == 0
        assert conflicts(store) == []
    from clinic.core.sync.bundle import unseal
    from clinic.core.sync.keys import district_private_key

    opened = unseal(str(bundle), bundle.read_bytes(), district_private_key(district))
    assert set(opened.header["counts"]) == {"audit_log"}


def test_an_update_imported_twice_changes_nothing(district, merged, update_for, sync_fingerprint):
    paths, _work = merged
    update = update_for("A")
    apply(paths["A"], update)
    before = sync_fingerprint(paths["A"])
    again = apply(paths["A"], update, update)
    assert [r.already for r in again] == [True, True]
    assert sync_fingerprint(paths["A"]) == before
    with open_store(district) as store:
        nothing = export_update(store, "A", None, actor="tester")
    assert nothing.path is None and nothing.sequence == 1


def test_the_laptops_change_after_its_export_stays_and_goes_to_review(
    district, enrol, export_from, update_for, day_of_work, today, now
):
    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        set_assignment(
            store, work["assignment"], status="attended", hours=3.0, change_attendance=True
        )
    with open_store(a) as laptop:  # after its export, not yet sent
        set_assignment(
            laptop, work["assignment"], status="attended", hours=5.0, change_attendance=True
        )
    (result,) = apply(a, update_for("A"))
    assert result.kept >= 1
    hours = "SELECT hours FROM assignments WHERE id = ?"
    with open_store(a) as laptop:
        assert laptop.scalar(hours, [work["assignment"]]) == 5.0
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        assert store.scalar(hours, [work["assignment"]]) == 3.0
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "assignments"]
        assert clash["bundle_new"]["hours"] == 5.0 and clash["current"]["hours"] == 3.0


@pytest.mark.parametrize("keep", ["district", "merged"])
def test_the_districts_side_kept_at_a_clash_reaches_the_laptop(
    district, enrol, export_from, update_for, day_of_work, today, now, keep
):
    """Both typed hours (district 3, laptop 5); the laptop's 5 went to review and the
    coordinator kept the district's 3 (whole, or field by field). The district's record
    of what A received already said 3, so no update carried it and A kept its 5 for
    good. Now the settled record goes with A's next update, and A takes the 3 (A left
    the row as it sent it); nothing travels back after."""
    from clinic.core.sync.review import settle

    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        set_assignment(
            store, work["assignment"], status="attended", hours=3.0, change_attendance=True
        )
    with open_store(a) as laptop:
        set_assignment(
            laptop, work["assignment"], status="attended", hours=5.0, change_attendance=True
        )
    apply(a, update_for("A"))
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "assignments"]
        fields = {"hours": "district"} if keep == "merged" else None
        settle(store, clash["id"], keep, actor="tester", fields=fields)
    apply(a, update_for("A"))
    hours = "SELECT hours FROM assignments WHERE id = ?"
    with open_store(a) as laptop:
        assert laptop.scalar(hours, [work["assignment"]]) == 3.0
        made = export_bundle(laptop, None, actor="tester")
    assert "assignments" not in made.counts
    with open_store(district) as store:
        assert not [c for c in conflicts(store) if c["table_name"] == "assignments"]
        assert store.scalar(hours, [work["assignment"]]) == 3.0


def test_a_coordinators_correction_of_what_a_laptop_sent_reaches_the_laptop(
    district, enrol, export_from, update_for, day_of_work, today, now
):
    """The laptop typed 5 hours and sent them; the coordinator corrects them to 3 at the
    district. The laptop left the row as it exported it, so its update takes the 3 (it
    kept its 5 as if unsent, and the two files disagreed for good with no clash to say
    so: found by the district state machine). Nothing travels back after."""
    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    with open_store(a) as laptop:
        set_assignment(
            laptop, work["assignment"], status="attended", hours=5.0, change_attendance=True
        )
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        set_assignment(
            store, work["assignment"], status="attended", hours=3.0, change_attendance=True
        )
    (result,) = apply(a, update_for("A"))
    assert result.kept == 0
    hours = "SELECT hours FROM assignments WHERE id = ?"
    with open_store(a) as laptop:
        assert laptop.scalar(hours, [work["assignment"]]) == 3.0
        made = export_bundle(laptop, None, actor="tester")
    assert "assignments" not in made.counts  # the correction does not come back as A's
    with open_store(district) as store:
        assert not [c for c in conflicts(store) if c["table_name"] == "assignments"]


def test_a_tampered_foreign_or_early_update_is_refused_and_nothing_changes(
    district, merged, update_for, sync_fingerprint, tmp_path
):
    paths, _work = merged
    first = update_for("A", "a-1")
    with open_store(district) as store:
        store.conn.execute("UPDATE persons SET phone = '13933334444' WHERE id = 2")
        store.conn.commit()
    second = update_for("A", "a-2")
    tampered = first.with_name("tampered")
    data = bytearray(first.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    before = sync_fingerprint(paths["A"])
    run = CliRunner().invoke(cli, ["--db", str(paths["A"]), "sync", "import", str(tampered)])
    assert run.exit_code == 1
    assert f"{tampered} cannot be imported" in run.output and "Nothing was changed" in run.output
    with pytest.raises(BundleError, match="another laptop"):
        apply(paths["B"], first)
    with pytest.raises(BundleError, match="update 1 has not been imported"):
        apply(paths["A"], second)
    with pytest.raises(BundleError, match="imported on the district database"):
        apply(paths["A"], next(tmp_path.glob("bundles/B-*")))  # a laptop's bundle
    assert sync_fingerprint(paths["A"]) == before
    assert [r.sequence for r in apply(paths["A"], second, first)] == [1, 2]


def test_the_commands_write_and_apply_an_update(district, merged, tmp_path):
    paths, work = merged

    def run(db, *args):
        return CliRunner().invoke(cli, ["--db", str(db), "sync", *args], catch_exceptions=False)

    out = tmp_path / "for-a.bundle"
    made = run(district, "export", "--for", "A", "-o", str(out))
    assert made.exit_code == 0 and "Update 1 for A saved" in made.output
    applied = run(paths["A"], "import", str(out))
    assert applied.exit_code == 0 and "update 1 of the district applied" in applied.output
    again = run(paths["A"], "import", str(out))
    assert "was imported before" in again.output
    nobody = run(district, "export", "--for", "C")
    assert nobody.exit_code == 1 and "No laptop named C" in nobody.output
    from_laptop = run(paths["A"], "export", "--for", "B")
    assert from_laptop.exit_code == 1 and "laptop's database" in from_laptop.output
    log = CliRunner().invoke(cli, ["--db", str(district), "audit", "--action", "sync_update"])
    assert "Wrote update 1 for the laptop A" in log.output
    with open_store(paths["A"]) as laptop:
        assert laptop.one("SELECT 1 FROM persons WHERE uid = ?", [work["B"]["person_uid"]])


def test_an_update_whose_records_point_at_a_person_the_laptop_registered_too(
    district, enrol, export_from, update_for, day_of_work, today, now, valid_id
):
    """The district and laptop A each registered a walk-in with one ID number and checked
    them in. The district's person cannot land on A (A has the number): the district's
    visit, consent and prescription of that person are left out on A too, the rest of the
    update arrives, A keeps its own person, and at the district A's person waits in the
    review list. The whole update was refused ("refer to records this laptop does not
    have") and A could take no update again (found by test_sync_district.py)."""
    number = valid_id("500110", "19560312", 15)
    a = enrol("A")
    ours = day_of_work(district, today, now, "区同号", id_number=number, birth="1956-03-12")
    theirs = day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    with open_store(district) as store:
        store.conn.execute("UPDATE persons SET phone = '13911112222' WHERE id = 1")
        store.conn.commit()
    (result,) = apply(a, update_for("A"))
    assert not result.already
    with open_store(a) as laptop:
        assert (
            laptop.scalar("SELECT uid FROM persons WHERE id_number = ?", [number])
            == (theirs["person_uid"])
        )
        assert laptop.one("SELECT 1 FROM visits WHERE uid = ?", [ours["visit_uid"]]) is None
        assert laptop.scalar("SELECT phone FROM persons WHERE id = 1") == "13911112222"
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        kinds = {(c["table_name"], c["kind"]) for c in conflicts(store)}
        assert ("persons", "constraint") in kinds
        assert (
            store.scalar("SELECT uid FROM persons WHERE id_number = ?", [number])
            == (ours["person_uid"])
        )


def test_the_laptops_own_row_changed_at_the_district_comes_back_changed_column_by_column(
    district, enrol, export_from, update_for, day_of_work, today, now
):
    """The laptop's walk-in, sent; at the district the coordinator corrects their phone,
    and on the laptop, after its export, a clerk corrects their name. The update brings
    the laptop's own row back as an insert: it was skipped whole (the district's phone
    never reached the laptop). Now the column the laptop left as it exported it takes
    the district's value, the column it changed since stays its own and reaches the
    district with its next bundle, and neither side loses anything."""
    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    person = "SELECT id, name, phone FROM persons WHERE uid = ?"
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        ours = store.one(person, [work["person_uid"]])
        store.conn.execute("UPDATE persons SET phone = '13955550000' WHERE id = ?", [ours["id"]])
        store.conn.commit()
    with open_store(a) as laptop:
        laptop.conn.execute("UPDATE persons SET name = '甲走访改' WHERE id = ?", [ours["id"]])
        laptop.conn.commit()
    (result,) = apply(a, update_for("A"))
    assert result.kept == 0  # no column changed on both sides
    with open_store(a) as laptop:
        assert laptop.one(person, [work["person_uid"]]) == {
            **ours,
            "name": "甲走访改",
            "phone": "13955550000",
        }
        made = export_bundle(laptop, tmp := a.parent / "after.bundle", actor="tester")
    assert made.counts["persons"] == {"update": 1}  # the name, not the district's phone
    with open_store(district) as store:
        (back,) = import_bundles(store, [tmp], actor="tester")
        assert back.conflicts == 0
        assert store.one(person, [work["person_uid"]]) == {
            **ours,
            "name": "甲走访改",
            "phone": "13955550000",
        }
