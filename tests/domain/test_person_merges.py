"""Duplicate persons merged into one and the merge undone (issue 11, point 5).

A walk-in typed at the desk with the name and phone of a registered person is
listed as a likely duplicate (the desk's own rule); merging moves their visit,
health prescription and consent to the person kept and hides the duplicate from
the registers, the search and the counts of people; undoing gives every table
back exactly as it was.
"""

from __future__ import annotations

import json

import pytest

from clinic.core import merges
from clinic.core.errors import InputError, NotFoundError
from clinic.core.reports.building import build_report
from clinic.core.search import find_persons
from clinic.store import open_store
from clinic.store import person_merges as merges_q


def _people(store) -> int:
    return build_report(store).as_dict()["people"]


def test_every_table_that_refers_to_a_person_has_a_merge_rule(demo_store):
    """A table added later that points at persons fails here until RULES says what a merge
    does with its rows (and every merge refuses until then)."""
    found = set(merges_q.person_references(demo_store))
    assert found, "the schema's foreign keys to persons were not found"
    assert found == set(merges.RULES), found ^ set(merges.RULES)


def test_a_table_without_a_rule_stops_the_merge_before_anything_is_written(
    twins, tables_digest, monkeypatch
):
    path, kept, twin = twins
    rules = dict(merges.RULES)
    del rules[("consents", "person_id")]
    monkeypatch.setattr(merges, "RULES", rules)
    before = tables_digest(path)
    with open_store(path) as store, pytest.raises(merges.UnknownReference, match="consents"):
        merges.merge(store, kept, twin, actor="tester")
    assert tables_digest(path) == before


def test_a_walk_in_twin_is_listed_as_a_likely_duplicate(twins):
    path, kept, twin = twins
    with open_store(path) as store:
        pairs = merges.duplicates(store)
    (pair,) = [p for p in pairs if {p.keep["id"], p.other["id"]} == {kept, twin}]
    assert (pair.keep["id"], pair.other["id"], pair.reason) == (kept, twin, "phone")


def test_a_merge_moves_every_row_hides_the_twin_and_counts_one_person(twins):
    path, kept, twin = twins
    with open_store(path) as store:
        name = store.scalar("SELECT name FROM persons WHERE id = ?", [kept])
        visits = store.scalar("SELECT count(*) FROM visits WHERE person_id IN (?, ?)", [kept, twin])
        handouts = store.scalar(
            "SELECT count(*) FROM handouts h JOIN visits v ON v.id = h.visit_id "
            "WHERE v.person_id IN (?, ?)",
            [kept, twin],
        )
        people = _people(store)
        assert {hit.id for hit in find_persons(store, name, limit=50)} >= {kept, twin}
        done = merges.merge(store, kept, twin, actor="tester")
        assert done.moved["visits"] == 1 and done.moved["consents"] == 1
        assert done.stayed["person_keys"] > 0  # the same name and phone: the same keys
        assert store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [kept]) == visits
        assert store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [twin]) == 0
        assert (
            store.scalar(
                "SELECT count(*) FROM handouts h JOIN visits v ON v.id = h.visit_id "
                "WHERE v.person_id = ?",
                [kept],
            )
            == handouts
        )
        assert store.scalar("SELECT merged_into FROM persons WHERE id = ?", [twin]) == kept
        hits = {hit.id for hit in find_persons(store, name, limit=50)}
        assert kept in hits and twin not in hits
        assert _people(store) == people - 1
        assert [p for p in merges.duplicates(store) if twin in (p.keep["id"], p.other["id"])] == []
        audit = store.one("SELECT detail, rows FROM audit_log WHERE action = 'person_merge'")
        detail = json.loads(audit["detail"])
        assert (detail["kept"], detail["merged"], detail["visits"]) == (kept, twin, 1)


def test_an_undo_gives_back_every_table_and_every_figure(twins, tables_digest):
    path, kept, twin = twins
    before = tables_digest(path)
    with open_store(path) as store:
        report = build_report(store).as_dict()
        done = merges.merge(store, kept, twin, actor="tester")
    assert tables_digest(path) != before
    with open_store(path) as store:
        undone = merges.unmerge(store, done.merge_id, actor="tester")
        assert undone["moved_back"] == sum(done.moved.values())
        assert build_report(store).as_dict() == report
        assert store.one("SELECT 1 FROM audit_log WHERE action = 'person_unmerge'")
        with pytest.raises(InputError, match="undone already"):
            merges.unmerge(store, done.merge_id, actor="tester")
    assert tables_digest(path) == before


@pytest.mark.parametrize(
    "case, match",
    [
        ("self", "into themselves"),
        ("merged", "merged into"),
        ("missing", "no person"),
    ],
)
def test_a_merge_that_makes_no_sense_is_refused_in_words(twins, case, match):
    path, kept, twin = twins
    with open_store(path) as store:
        if case == "self":
            args = (kept, kept)
        elif case == "merged":
            merges.merge(store, kept, twin, actor="tester")
            args = (kept, twin)
        else:
            args = (kept, 10**9)
        before = store.scalar("SELECT count(*) FROM person_merges")
        with pytest.raises(InputError, match=match):
            merges.merge(store, *args, actor="tester")
        assert store.scalar("SELECT count(*) FROM person_merges") == before


def test_two_visits_on_one_day_stay_apart_and_count_one_person(twins, seen_today):
    """Seen at two desks on one day: the duplicate's visit cannot move (one visit a day per
    person), so it stays with them, and the figures count it as the kept person's."""
    path, kept, twin = twins
    with open_store(path) as store:
        seen_today(store, kept)
        report = build_report(store).as_dict()
        done = merges.merge(store, kept, twin, actor="tester")
        assert done.stayed["visits"] == 1 and "visits" not in done.moved
        after = build_report(store).as_dict()
        assert after["people"] == report["people"] - 1
        assert after["visits"] == report["visits"]
        merges.unmerge(store, done.merge_id, actor="tester")
        assert build_report(store).as_dict() == report


def test_an_undo_waits_for_a_later_merge_of_the_same_persons(twins, add_person):
    path, kept, twin = twins
    with open_store(path) as store:
        third = add_person(store, "第三人")
        first = merges.merge(store, kept, twin, actor="tester")
        second = merges.merge(store, kept, third, actor="tester")
        with pytest.raises(InputError, match=f"Merge {second.merge_id} came after"):
            merges.unmerge(store, first.merge_id, actor="tester")
        merges.unmerge(store, second.merge_id, actor="tester")
        merges.unmerge(store, first.merge_id, actor="tester")
        with pytest.raises(NotFoundError):
            merges.unmerge(store, 999, actor="tester")


def test_erasing_a_person_erases_the_duplicates_merged_into_them(twins):
    """PIPL: the duplicate is the same human; erasing the kept person leaves nothing of
    either (and the merge records go with them)."""
    from clinic.core.purge import purge_person

    path, kept, twin = twins
    with open_store(path) as store:
        merges.merge(store, kept, twin, actor="tester")
        purge_person(store, kept, "tester")
        for person in (kept, twin):
            assert store.one("SELECT 1 FROM persons WHERE id = ?", [person]) is None
        assert store.scalar("SELECT count(*) FROM person_merges") == 0
        assert store.scalar("SELECT count(*) FROM person_merge_rows") == 0


def test_a_pair_marked_two_persons_is_not_listed_again(twins):
    path, kept, twin = twins
    with open_store(path) as store:
        assert merges.mark_distinct(store, twin, kept, actor="tester") is True
        assert merges.mark_distinct(store, kept, twin, actor="tester") is False  # once
        assert not [p for p in merges.duplicates(store) if twin in (p.keep["id"], p.other["id"])]
        audit = store.one("SELECT detail FROM audit_log WHERE action = 'person_distinct'")
        assert json.loads(audit["detail"]) == {"first": min(kept, twin), "second": max(kept, twin)}
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'person_distinct'") == 1


def test_the_duplicates_numbers_find_the_kept_person_and_an_undo_gives_their_keys_back(
    demo_path, add_person, tables_digest, today, valid_id
):
    """The merged person's search keys follow them to the kept person (their ID number
    finds the kept person, at the search and at the desk's walk-in check); an undo gives
    the keys back even when the kept person's own keys were rebuilt meanwhile."""
    from clinic.core import desk
    from clinic.core.errors import DuplicateWarning
    from clinic.core.search import search_keys
    from clinic.store import person_keys as keys_q

    number = valid_id("500110", "19560312", 15)
    with open_store(demo_path) as store:
        kept = add_person(store, "甲某")
        twin = add_person(store, "甲某", id_number=number, phone="13900001111")
    before = tables_digest(demo_path)
    with open_store(demo_path) as store:
        done = merges.merge(store, kept, twin, actor="tester")
        assert [hit.id for hit in find_persons(store, number[-6:], limit=5)] == [kept]
        village = store.scalar("SELECT village_id FROM persons WHERE id = ?", [kept])
        clean = desk.clean_walk_in(
            desk.WalkIn(
                name="甲某", sex="M", birth="1956-03-12", village_id=village, id_number=number
            ),
            today,
        )
        with pytest.raises(DuplicateWarning) as told:
            desk.check_walk_in(store, clean)
        assert [row["id"] for row in told.value.candidates] == [kept]
        with store.transaction():  # the kept person's keys rebuilt (an edit of their name)
            keys_q.replace_keys(store, kept, search_keys("甲某", None, None))
        merges.unmerge(store, done.merge_id, actor="tester")
    assert tables_digest(demo_path) == before
