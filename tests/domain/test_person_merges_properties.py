"""Merge then undo gives back every table exactly, whatever two persons hold
(hypothesis): tags and conditions on record (some on both), consents, visits on days
(some on a day both were seen) with health prescriptions. After the merge nothing but
what could not move (a tag or condition the kept person has, a visit of a day they
were seen too) refers to the merged person."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.core import merges
from clinic.store.connection import new_ids

TAGS = ("disabled", "left_behind_elderly", "veteran")
CONDITIONS = ("hypertension", "diabetes", "copd")

side = st.fixed_dictionaries(
    {
        "tags": st.sets(st.sampled_from(TAGS)),
        "conditions": st.sets(st.sampled_from(CONDITIONS)),
        "consents": st.integers(0, 2),
        "days": st.sets(st.integers(0, 4), max_size=3),
        "handouts": st.integers(0, 2),
    }
)


def _give(store, person: int, held: dict, days: list[int], template: int) -> None:
    with store.transaction() as db:
        for tag in held["tags"]:
            db.execute("INSERT INTO person_tags (person_id, tag) VALUES (?, ?)", [person, tag])
        for code in held["conditions"]:
            db.execute(
                "INSERT INTO person_conditions (person_id, condition_code) VALUES (?, ?)",
                [person, code],
            )
        for _n in range(held["consents"]):
            db.execute(
                "INSERT INTO consents (id, uid, person_id, given_at, signed_by) "
                "VALUES (?, ?, ?, '2026-11-01', 'self')",
                [new_ids(store.db, "consents", 1)[0], uuid.uuid4().hex, person],
            )
        for index in held["days"]:
            visit = new_ids(store.db, "visits", 1)[0]
            db.execute(
                "INSERT INTO visits (id, uid, clinic_day_id, person_id, arrived_at) "
                "VALUES (?, ?, ?, ?, '2026-11-01T09:00')",
                [visit, uuid.uuid4().hex, days[index], person],
            )
            for _n in range(held["handouts"]):
                db.execute(
                    "INSERT INTO handouts (id, uid, visit_id, template_id, given_at) "
                    "VALUES (?, ?, ?, ?, '2026-11-01T09:10')",
                    [new_ids(store.db, "handouts", 1)[0], uuid.uuid4().hex, visit, template],
                )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kept_side=side, merged_side=side)
def test_merge_then_undo_gives_back_every_table(
    demo_store, add_person, tables_digest, kept_side, merged_side
):
    store = demo_store
    days = [r[0] for r in store.conn.execute("SELECT id FROM clinic_days ORDER BY id LIMIT 5")]
    template = store.scalar("SELECT min(id) FROM prescription_templates")
    kept = add_person(store, "甲某")
    other = add_person(store, "乙某", phone="13900001111")
    _give(store, kept, kept_side, days, template)
    _give(store, other, merged_side, days, template)
    before = tables_digest(store.path)

    done = merges.merge(store, kept, other, actor="tester")
    stays = {
        "person_tags": len(merged_side["tags"] & kept_side["tags"]),
        "person_conditions": len(merged_side["conditions"] & kept_side["conditions"]),
        "visits": len(merged_side["days"] & kept_side["days"]),
    }
    for (table, column), _rule in merges.RULES.items():
        if table in ("persons", "person_merges"):
            continue
        left = store.scalar(f"SELECT count(*) FROM [{table}] WHERE [{column}] = ?", [other])
        assert left == stays.get(table, 0), table
    assert done.moved.get("consents", 0) == merged_side["consents"]

    merges.unmerge(store, done.merge_id, actor="tester")
    assert tables_digest(store.path) == before
