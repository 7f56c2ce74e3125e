"""Search keys never travel (issue 11 speed, point 9): each side rebuilds them.

``person_keys`` is derived from each person's name and numbers. An export no
longer compares the whole index, and a bundle carries none of it. Whoever applies
a changeset (the district importing a bundle, a laptop importing its update)
rebuilds the keys of the persons it brought, in the same transaction, so the
desk's check-in search finds them there as it finds its own.
"""

from __future__ import annotations

from clinic.core.pinyin import name_keys
from clinic.core.search import find_persons, search_keys
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_bundles
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store


def _keys(path, uid: str) -> set[str]:
    with open_store(path) as store:
        rows = store.query(
            "SELECT k.key FROM person_keys k JOIN persons p ON p.id = k.person_id WHERE p.uid = ?",
            [uid],
        )
    return {r["key"] for r in rows}


def _found(path, query: str, uid: str, today) -> bool:
    with open_store(path) as store:
        wanted = store.scalar("SELECT id FROM persons WHERE uid = ?", [uid])
        return wanted in {hit.id for hit in find_persons(store, query, limit=50, today=today)}


def test_a_laptops_walk_in_is_found_at_the_district(
    district, enrol, day_of_work, valid_id, tmp_path, today, now
):
    laptop = enrol("A")
    id_number = valid_id("500110", "19660304", 417)
    made = day_of_work(laptop, today, now, "欧阳新芳", id_number=id_number, birth="1966-03-04")
    bundle = tmp_path / "A.bundle"
    with open_store(laptop) as store:
        made_bundle = export_bundle(store, bundle, actor="tester")
    assert "persons" in made_bundle.counts and "person_keys" not in made_bundle.counts
    with open_store(district) as store:
        assert import_bundles(store, [bundle], actor="tester")[0].conflicts == 0
    expected = search_keys("欧阳新芳", id_number, None)
    assert _keys(district, made["person_uid"]) == _keys(laptop, made["person_uid"]) == expected
    initials = min(name_keys("欧阳新芳"), key=len)
    for query in ("欧阳新芳", initials, id_number[-4:]):
        assert _found(district, query, made["person_uid"], today), query


def test_a_districts_walk_in_is_found_on_the_laptop_after_its_update(
    district, enrol, day_of_work, tmp_path, today, now
):
    laptop = enrol("A")
    made = day_of_work(district, today, now, "司马平安")
    out = tmp_path / "A.update"
    with open_store(district) as store:
        update = export_update(store, "A", out, actor="tester")
    assert "persons" in update.counts and "person_keys" not in update.counts
    assert not _found(laptop, "司马平安", made["person_uid"], today)
    with open_store(laptop) as store:
        import_updates(store, [out], actor="tester")
    assert _keys(laptop, made["person_uid"]) == search_keys("司马平安", None, None)
    assert _found(laptop, "司马平安", made["person_uid"], today)


def test_keeping_a_laptops_phone_in_the_review_list_rebuilds_its_keys(
    district, enrol, tmp_path, today
):
    from clinic.core.sync.review import conflicts, settle

    laptop = enrol("A")
    with open_store(district) as store:
        row = store.one("SELECT id, uid FROM persons WHERE phone IS NOT NULL LIMIT 1")
    person, uid = row["id"], row["uid"]
    for path, phone in ((laptop, "13900001111"), (district, "13700002222")):
        with open_store(path) as store, store.transaction():
            store.conn.execute("UPDATE persons SET phone = ? WHERE id = ?", [phone, person])
            store.conn.execute(
                "UPDATE person_keys SET key = ? WHERE person_id = ? AND key LIKE 'p:%'",
                ["p:" + phone[::-1], person],
            )
    bundle = tmp_path / "A.bundle"
    with open_store(laptop) as store:
        export_bundle(store, bundle, actor="tester")
    with open_store(district) as store:
        import_bundles(store, [bundle], actor="tester")
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "persons"]
        settle(store, clash["id"], "laptop", actor="tester")
    assert "p:" + "13900001111"[::-1] in _keys(district, uid)
    assert "p:" + "13700002222"[::-1] not in _keys(district, uid)
    assert _found(district, "1111", uid, today) and not _found(district, "2222", uid, today)
