"""Clashes settled by merging (issue 11, point 5): field by field, and a laptop's person
whose ID number the district already has merged into the district's person with
everything that waited for them. District and laptops are the fixtures of
tests/domain/conftest.py."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import merges
from clinic.core.errors import InputError
from clinic.core.reports.building import build_report
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.review import Typed, conflicts, merge_fields, settle
from clinic.store import open_store


def _set(path, sql, params):
    with open_store(path) as store:
        store.conn.execute(sql, params)
        store.conn.commit()


def day_clash(district, enrol, export_from, today) -> tuple[int, int]:
    """Today's clinic day: notes changed on both sides, venue on the laptop only; the
    clash's id and the day's."""
    a = enrol("A")
    with open_store(district) as store:
        day = store.scalar("SELECT id FROM clinic_days WHERE date = ?", [today.isoformat()])
    sql = "UPDATE clinic_days SET notes = ?, venue = ? WHERE id = ?"
    _set(district, "UPDATE clinic_days SET notes = ? WHERE id = ?", ["区里备注", day])
    _set(a, sql, ["笔记本备注", "村委会二楼", day])
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
    return clash["id"], day


def test_a_clash_shows_each_field_with_both_values(district, enrol, export_from, today):
    conflict_id, _day = day_clash(district, enrol, export_from, today)
    with open_store(district) as store:
        (item,) = conflicts(store)
        fields = {f["field"]: f for f in merge_fields(store, item)}
    assert fields["notes"]["district"] == "区里备注" and fields["notes"]["laptop"] == "笔记本备注"
    assert fields["notes"]["clash"] and not fields["venue"]["clash"]
    assert fields["notes"]["typed"]


@pytest.mark.parametrize(
    "choice, notes",
    [("district", "区里备注"), ("laptop", "笔记本备注"), (Typed(" 两边都对 "), "两边都对")],
)
def test_a_field_clash_is_merged_field_by_field(district, enrol, export_from, today, choice, notes):
    conflict_id, day = day_clash(district, enrol, export_from, today)
    with open_store(district) as store:
        settle(store, conflict_id, "merged", actor="tester", fields={"notes": choice})
        row = store.one("SELECT notes, venue FROM clinic_days WHERE id = ?", [day])
        assert row == {"notes": notes, "venue": "村委会二楼"}  # the laptop's venue: not contested
        assert conflicts(store) == []
        detail = json.loads(
            store.scalar("SELECT detail FROM audit_log WHERE action = 'sync_settle'")
        )
        picked = "typed" if isinstance(choice, Typed) else choice
        assert detail["kept"] == "merged" and detail["fields"]["notes"] == picked
        assert "两边都对" not in json.dumps(detail, ensure_ascii=False)  # never the values


@pytest.mark.parametrize(
    "fields, match",
    [
        ({}, "choose district or laptop for notes"),
        ({"notes": "both"}, "Choose district or laptop for notes, not both"),
        ({"notes": "laptop", "colour": "laptop"}, "has no field colour"),
        ({"notes": "laptop", "status": Typed("done")}, "has no field status"),
        ({"notes": "laptop", "venue": Typed("x"), "start_time": "laptop"}, "no field start_time"),
    ],
)
def test_a_wrong_merge_is_refused_in_words_and_nothing_changes(
    district, enrol, export_from, today, fields, match, tables_digest
):
    conflict_id, _day = day_clash(district, enrol, export_from, today)
    before = tables_digest(district)
    with open_store(district) as store, pytest.raises(InputError, match=match):
        settle(store, conflict_id, "merged", actor="tester", fields=fields)
    assert tables_digest(district) == before


def test_a_value_is_typed_only_for_free_text(district, enrol, export_from, today):
    a = enrol("A")
    with open_store(district) as store:
        assignment = store.scalar("SELECT min(id) FROM assignments")
    _set(district, "UPDATE assignments SET hours = 3 WHERE id = ?", [assignment])
    _set(a, "UPDATE assignments SET hours = 5 WHERE id = ?", [assignment])
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
        with pytest.raises(InputError, match="only for a free-text field; for hours"):
            settle(store, clash["id"], "merged", actor="tester", fields={"hours": Typed("4")})
        settle(store, clash["id"], "merged", actor="tester", fields={"hours": "laptop"})
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 5


def test_the_command_merges_a_clash_and_says_what_is_wrong(district, enrol, export_from, today):
    conflict_id, day = day_clash(district, enrol, export_from, today)

    def run(*args):
        return CliRunner().invoke(
            cli, ["--db", str(district), "sync", "settle", str(conflict_id), *args]
        )

    bad = run("--keep", "merged", "--field", "notes")
    assert bad.exit_code == 1 and "--field NAME=district" in bad.output
    bad = run("--keep", "laptop", "--field", "notes=laptop")
    assert bad.exit_code == 1 and "go with --keep merged" in bad.output
    bad = run("--keep", "merged", "--field", "notes=laptop", "--set", "notes=x")
    assert bad.exit_code == 1 and "given twice" in bad.output
    bad = run("--keep", "merged")
    assert bad.exit_code == 1 and "choose district or laptop for notes" in bad.output
    good = run("--keep", "merged", "--set", "notes=合并后的备注", "--field", "venue=district")
    assert good.exit_code == 0 and "merged field by field" in good.output
    with open_store(district) as store:
        row = store.one("SELECT notes, venue FROM clinic_days WHERE id = ?", [day])
    assert row["notes"] == "合并后的备注" and row["venue"] != "村委会二楼"
    log = CliRunner().invoke(cli, ["--db", str(district), "audit", "--action", "sync_settle"])
    assert f"Settled conflict {conflict_id} (clinic_days): merged field by field" in log.output


@pytest.mark.parametrize("deleted_on", ["district", "laptop"])
def test_a_deleted_and_edited_record_cannot_be_merged(
    district, enrol, export_from, today, deleted_on, delete_and_edit
):
    a = enrol("A")
    delete_and_edit(district, a, today, deleted_on)
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
        words = "no longer has this record" if deleted_on == "district" else "no fields to merge"
        with pytest.raises(InputError, match=words):
            settle(store, clash["id"], "merged", actor="tester")
        assert conflicts(store) == [clash]


def test_a_person_erased_on_the_laptop_and_changed_here_is_erased_when_the_laptop_is_kept(
    district, enrol, export_from
):
    from clinic.core.purge import purge_person

    a = enrol("A")
    with open_store(district) as store:
        person = store.scalar("SELECT min(person_id) FROM visits")
    _set(district, "UPDATE persons SET other_conditions = '痛风' WHERE id = ?", [person])
    with open_store(a) as laptop:
        purge_person(laptop, person, "tester")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
        assert (clash["table_name"], clash["op"]) == ("persons", "DELETE")
        settle(store, clash["id"], "laptop", actor="tester")
        assert store.one("SELECT 1 FROM persons WHERE id = ?", [person]) is None
        assert store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [person]) == 0
        assert store.one("SELECT 1 FROM audit_log WHERE action = 'purge_person'")
        assert store.one("SELECT 1 FROM audit_log WHERE action = 'sync_settle'")
        assert conflicts(store) == []


@pytest.mark.parametrize("seen", ["another day", "the same day"])
def test_a_laptops_person_with_the_districts_id_number_is_merged_with_all_their_work(
    district, enrol, export_from, today, now, valid_id, day_of_work, seen
):
    """The walk-in of laptop B has the ID number of the district's person (from laptop A):
    settled as merged, B's visit, handout and consent land on the district's person (a
    visit of the same day stays with B's record, counted as the district person's), the
    figures count one person, and the merge is undone like any other."""
    import datetime as dt

    number = valid_id("500110", "19560312", 15)
    a, b = enrol("A"), enrol("B")
    day_b = today
    if seen == "another day":
        with open_store(district) as store:
            day_b = dt.date.fromisoformat(
                store.scalar(
                    "SELECT max(date) FROM clinic_days WHERE date < ? AND status != 'cancelled'",
                    [today.isoformat()],
                )
            )
    work_a = day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    work_b = day_of_work(b, day_b, now, "乙同号", id_number=number, birth="1956-03-12")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        report = build_report(store).as_dict()
        import_bundles(store, [export_from(b)], actor="tester")
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "persons"]
        held = [c for c in conflicts(store) if c["kind"] == "held"]
        assert {c["table_name"] for c in held} >= {"visits", "consents", "handouts"}
    run = CliRunner().invoke(
        cli, ["--db", str(district), "sync", "settle", str(clash["id"]), "--keep", "merged"]
    )
    assert run.exit_code == 0, run.output
    assert "merged into the district's person" in run.output
    with open_store(district) as store:
        kept = store.scalar("SELECT id FROM persons WHERE id_number = ?", [number])
        assert store.scalar("SELECT uid FROM persons WHERE id = ?", [kept]) == work_a["person_uid"]
        twin = store.one(
            "SELECT id, merged_into, id_number FROM persons WHERE uid = ?", [work_b["person_uid"]]
        )
        visit_b = store.scalar("SELECT person_id FROM visits WHERE uid = ?", [work_b["visit_uid"]])
        assert visit_b == (kept if seen == "another day" else twin["id"])
        assert store.one("SELECT 1 FROM handouts WHERE uid = ?", [work_b["handout_uid"]])
        assert twin["merged_into"] == kept and twin["id_number"] is None
        assert store.scalar("SELECT count(*) FROM consents WHERE person_id = ?", [kept]) == 2
        assert conflicts(store) == []
        after = build_report(store).as_dict()
        assert after["people"] == report["people"] and after["visits"] == report["visits"] + 1
        (merge,) = merges.merges(store)
        assert (merge["reason"], merge["conflict_id"]) == ("sync", clash["id"])
        detail = json.loads(
            store.scalar("SELECT detail FROM audit_log WHERE action = 'sync_settle'")
        )
        assert detail["merge"] == merge["id"] and detail["held"] == len(held)
    undo = CliRunner().invoke(cli, ["--db", str(district), "persons", "unmerge", str(merge["id"])])
    assert undo.exit_code == 0 and "stays without an ID number" in undo.output
    with open_store(district) as store:
        assert (
            store.scalar("SELECT person_id FROM visits WHERE uid = ?", [work_b["visit_uid"]])
            == twin["id"]
        )
        assert build_report(store).as_dict()["people"] == report["people"] + 1


def test_a_disability_certificate_number_in_a_clash_is_masked():
    """A person tag's detail is the certificate's number: masked in the review list, the
    CLI's --json and the merge dialog, as the register shows it."""
    from clinic.core.sync.review import masked_conflict

    number = "51010119800101123X11"
    item = {
        "table_name": "person_tags",
        "row_key": {"person_id": 7, "tag": "disabled"},
        "bundle_old": {"detail": None},
        "bundle_new": {"detail": number},
        "current": {"detail": "51010119800101987611"},
    }
    shown = masked_conflict(item)
    assert number not in str(shown) and "987611" not in str(shown)
    assert shown["bundle_new"]["detail"].startswith("5101") and "*" in shown["bundle_new"]["detail"]
    visit = masked_conflict({**item, "table_name": "visits"})
    assert visit["bundle_new"]["detail"] == number  # another table's detail is not a number


def _seen_again(path, person_uid: str, date, now) -> str:
    """The laptop's walk-in checked in again on the clinic day of ``date`` and given a
    health prescription (the laptop's next bundle carries it); the visit's uid."""
    from clinic.core import desk
    from clinic.core.desk import handouts

    with open_store(path) as store:
        day = desk.get_day(
            store, store.scalar("SELECT id FROM clinic_days WHERE date = ?", [date.isoformat()])
        )
        person = store.scalar("SELECT id FROM persons WHERE uid = ?", [person_uid])
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        visit, _new = desk.check_in(store, day, person, volunteer, now)
        template = next(t for t in handouts.templates(store) if t.code == "hypertension")
        handouts.hand_out(store, day, visit, [handouts.Pick(template.id, ["salt"])], volunteer, now)
        return store.scalar("SELECT uid FROM visits WHERE id = ?", [visit])


def _same_number_on_two_laptops(district, enrol, export_from, today, now, valid_id, day_of_work):
    """Laptop A's walk-in, imported, and laptop B's with the same ID number, exported (not
    yet imported): (laptop B, B's first bundle, B's walk-in's uid, the next day B works)."""
    import datetime as dt

    number = valid_id("500110", "19560312", 15)
    a, b = enrol("A"), enrol("B")
    day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    work_b = day_of_work(b, today, now, "乙同号", id_number=number, birth="1956-03-12")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        later = dt.date.fromisoformat(
            store.scalar(
                "SELECT min(date) FROM clinic_days WHERE date > ? AND status != 'cancelled'",
                [today.isoformat()],
            )
        )
    return b, export_from(b), work_b["person_uid"], later


def _kept_and_twin(store, twin_uid: str) -> tuple[int, int]:
    twin = store.one("SELECT id, merged_into FROM persons WHERE uid = ?", [twin_uid])
    return twin["merged_into"], twin["id"]


def test_a_later_bundles_rows_held_for_the_laptops_person_follow_the_merge(
    district, enrol, export_from, today, now, valid_id, day_of_work
):
    """B's next bundle (the same walk-in seen again) came before the clash was settled:
    its visit and prescription wait for B's person; settling the clash as merged puts
    them in with the rest, on the district's person, and the audit says so."""
    b, first, twin_uid, later = _same_number_on_two_laptops(
        district, enrol, export_from, today, now, valid_id, day_of_work
    )
    visit_uid = _seen_again(b, twin_uid, later, now)
    with open_store(district) as store:
        import_bundles(store, [first, export_from(b)], actor="tester")
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "persons"]
        assert store.one("SELECT 1 FROM visits WHERE uid = ?", [visit_uid]) is None
        assert {c["sequence"] for c in conflicts(store) if c["kind"] == "held"} == {1, 2}
        settle(store, clash["id"], "merged", actor="tester")
        kept, _twin = _kept_and_twin(store, twin_uid)
        assert conflicts(store) == []
        assert store.scalar("SELECT person_id FROM visits WHERE uid = ?", [visit_uid]) == kept
        detail = json.loads(
            store.scalar("SELECT detail FROM audit_log WHERE action = 'sync_settle'")
        )
        assert detail["later_bundles"] == [2]
    log = CliRunner().invoke(cli, ["--db", str(district), "audit", "--action", "sync_settle"])
    assert "in later bundles 2" in log.output


def test_a_bundle_after_the_merge_brings_the_laptops_person_to_the_kept_one(
    district, enrol, export_from, today, now, valid_id, day_of_work
):
    """B's next bundle came after the merge: its visit of B's walk-in (merged, hidden)
    lands on the district's person, recorded in the merge (an undo gives it back) and in
    the audit log, naming the bundle."""
    b, first, twin_uid, later = _same_number_on_two_laptops(
        district, enrol, export_from, today, now, valid_id, day_of_work
    )
    with open_store(district) as store:
        import_bundles(store, [first], actor="tester")
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "persons"]
        settle(store, clash["id"], "merged", actor="tester")
    visit_uid = _seen_again(b, twin_uid, later, now)
    with open_store(district) as store:
        import_bundles(store, [export_from(b)], actor="tester")
        kept, twin = _kept_and_twin(store, twin_uid)
        assert store.scalar("SELECT person_id FROM visits WHERE uid = ?", [visit_uid]) == kept
        assert conflicts(store) == []
        row = store.one("SELECT detail, rows FROM audit_log WHERE action = 'person_merge_follow'")
        detail = json.loads(row["detail"])
        assert (detail["kept"], detail["merged"], detail["visits"]) == (kept, twin, 1)
        assert detail["bundles"] == "B 2"
        (merge,) = merges.merges(store)
        merges.unmerge(store, merge["id"], actor="tester")
        assert store.scalar("SELECT person_id FROM visits WHERE uid = ?", [visit_uid]) == twin
    log = CliRunner().invoke(
        cli, ["--db", str(district), "audit", "--action", "person_merge_follow"]
    )
    assert f"Records of #{twin} that came later (bundles B 2) moved to #{kept}" in log.output
