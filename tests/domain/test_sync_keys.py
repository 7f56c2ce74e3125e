"""Keys that never collide (issue 11, point 1): rows made on laptop N get ids in N's range.

The district is device 0: its ids, old and new, stay as SQLite picks them; a laptop's
base keeps every id of the district's rows.
"""

from __future__ import annotations

import pytest

from clinic.core import desk
from clinic.store import open_store
from clinic.store.connection import DEVICE_SPAN

UID_TABLES = ("persons", "consents", "visits", "audit_log")


@pytest.fixture
def new_rows(walk_in, clinic_day, today, now):
    """``new_rows(path, name)``: a walk-in checked in on today's clinic day, through the
    desk's services; the ids made, per table."""

    def made(path, name: str) -> dict[str, set[int]]:
        with open_store(path) as store:
            before = {t: store.scalar(f"SELECT coalesce(max(id), 0) FROM {t}") for t in UID_TABLES}
            person = walk_in(store, today, now, name, sex="F", birth="70")
            volunteer = store.scalar("SELECT min(id) FROM volunteers")
            desk.check_in(store, clinic_day(store, today), person, volunteer, now)
            return {
                t: {r["id"] for r in store.query(f"SELECT id FROM {t} WHERE id > ?", [before[t]])}
                for t in UID_TABLES
            }

    return made


def test_two_laptops_new_records_never_collide(district, enrol, new_rows):
    a, b = enrol("A"), enrol("B")
    made_a = new_rows(a, "甲新人")
    made_b = new_rows(b, "乙新人")
    for table in UID_TABLES:
        assert made_a[table] and made_b[table], table
        assert all(1 * DEVICE_SPAN < i < 2 * DEVICE_SPAN for i in made_a[table]), table
        assert all(2 * DEVICE_SPAN < i < 3 * DEVICE_SPAN for i in made_b[table]), table
    made_district = new_rows(district, "区新人")
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


def test_the_district_keeps_its_range_after_a_merge(district, enrol, export_from, new_rows):
    """Once laptop rows are in the district, SQLite's max(id) + 1 would be in a laptop's
    range: the district's next rows must stay below 2^40."""
    from clinic.core.sync.importing import import_bundles

    a = enrol("A")
    new_rows(a, "甲新人")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        assert store.scalar("SELECT max(id) FROM persons") > DEVICE_SPAN
    made = new_rows(district, "区新人")
    assert all(0 < i < DEVICE_SPAN for ids in made.values() for i in ids)
    with open_store(district) as store:
        imports = store.query("SELECT id FROM audit_log WHERE action = 'sync_import'")
        assert imports and all(r["id"] < DEVICE_SPAN for r in imports)
