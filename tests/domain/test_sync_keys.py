"""Keys that never collide (issue 11, point 1): rows made on laptop N get ids in N's range.

The district is device 0: its ids, old and new, stay as SQLite picks them; a laptop's
base keeps every id of the district's rows.
"""

from __future__ import annotations

from clinic.core import desk
from clinic.store import open_store
from clinic.store.connection import DEVICE_SPAN

UID_TABLES = ("persons", "consents", "visits", "audit_log")


def _walk_in(store, today, now, name: str) -> int:
    village = store.scalar("SELECT min(id) FROM villages")
    clean = desk.clean_walk_in(
        desk.WalkIn(name=name, sex="F", birth="70", village_id=village), today
    )
    volunteer = store.scalar("SELECT min(id) FROM volunteers")
    return desk.add_walk_in(
        store,
        clean,
        desk.Consent(explained_by=volunteer),
        at=now.isoformat(timespec="seconds"),
        actor="tester",
        volunteer_id=volunteer,
        confirm_duplicate=True,
    )


def _new_rows(path, today, now, name: str) -> dict[str, set[int]]:
    """A walk-in checked in on today's clinic day, through the desk's services; the ids made."""
    with open_store(path) as store:
        before = {t: store.scalar(f"SELECT coalesce(max(id), 0) FROM {t}") for t in UID_TABLES}
        person = _walk_in(store, today, now, name)
        day = desk.get_day(
            store, store.scalar("SELECT id FROM clinic_days WHERE date = ?", [today.isoformat()])
        )
        volunteer = store.scalar("SELECT min(id) FROM volunteers")
        desk.check_in(store, day, person, volunteer, now)
        return {
            t: {r["id"] for r in store.query(f"SELECT id FROM {t} WHERE id > ?", [before[t]])}
            for t in UID_TABLES
        }


def test_two_laptops_new_records_never_collide(district, enrol, today, now):
    a, b = enrol("A"), enrol("B")
    made_a = _new_rows(a, today, now, "甲新人")
    made_b = _new_rows(b, today, now, "乙新人")
    for table in UID_TABLES:
        assert made_a[table] and made_b[table], table
        assert all(1 * DEVICE_SPAN < i < 2 * DEVICE_SPAN for i in made_a[table]), table
        assert all(2 * DEVICE_SPAN < i < 3 * DEVICE_SPAN for i in made_b[table]), table
    made_district = _new_rows(district, today, now, "区新人")
    assert all(i < DEVICE_SPAN for ids in made_district.values() for i in ids)


def test_a_register_imported_on_a_laptop_takes_its_range(
    enrol, tmp_path, today, good_rows, write_csv
):
    """The register import writes in bulk, with ids it counts itself (clinic.store.bulk)."""
    from clinic.core.imports import import_register

    a = enrol("A")
    with open_store(a) as store:
        before = {t: store.scalar(f"SELECT max(id) FROM {t}") for t in ("persons", "households")}
        import_register(store, write_csv(tmp_path / "r.csv", good_rows()), today=today)
        for table, top in before.items():
            ids = [r["id"] for r in store.query(f"SELECT id FROM {table} WHERE id > ?", [top])]
            assert ids and all(DEVICE_SPAN < i < 2 * DEVICE_SPAN for i in ids), table


def test_the_base_keeps_the_districts_ids(district, enrol):
    with open_store(district) as store:
        before = store.query("SELECT id, uid FROM persons ORDER BY id")
        top = store.scalar("SELECT max(id) FROM visits")
    a = enrol("A")
    with open_store(a) as laptop:
        assert laptop.query("SELECT id, uid FROM persons ORDER BY id") == before
    with open_store(district) as store:
        assert store.query("SELECT id, uid FROM persons ORDER BY id") == before
        assert store.scalar("SELECT max(id) FROM visits") == top < DEVICE_SPAN


def test_the_district_keeps_its_range_after_a_merge(district, enrol, export_from, today, now):
    """Once laptop rows are in the district, SQLite's max(id) + 1 would be in a laptop's
    range: the district's next rows must stay below 2^40."""
    from clinic.core.sync.importing import import_bundles

    a = enrol("A")
    _new_rows(a, today, now, "甲新人")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        assert store.scalar("SELECT max(id) FROM persons") > DEVICE_SPAN
    made = _new_rows(district, today, now, "区新人")
    assert all(0 < i < DEVICE_SPAN for ids in made.values() for i in ids)
    with open_store(district) as store:
        imports = store.query("SELECT id FROM audit_log WHERE action = 'sync_import'")
        assert imports and all(r["id"] < DEVICE_SPAN for r in imports)
