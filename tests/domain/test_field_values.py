"""A field's value in words where a user sees it by its column (a sync clash merged
field by field, the clinic-day form's clash): each column by its own rule, so an
organisation's id never reads as the village of the same number."""

from __future__ import annotations

from clinic.core.field_values import value_text
from clinic.core.sync.review import merge_fields


def _one(store, sql: str) -> dict:
    row = store.one(sql)
    assert row is not None
    return row


def test_ids_and_codes_read_as_the_forms_show_them(demo_store):
    village = _one(
        demo_store,
        "SELECT v.id, v.name, t.name AS township FROM villages v "
        "JOIN townships t ON t.id = v.township_id ORDER BY v.id LIMIT 1",
    )
    org = _one(demo_store, f"SELECT id, short_name FROM organisations WHERE id = {village['id']}")
    volunteer = _one(demo_store, "SELECT id, name FROM volunteers ORDER BY id LIMIT 1")
    same = village["id"]  # one number, a village and an organisation
    assert value_text(demo_store, "clinic_days", "village_id", same) == (
        village["township"] + village["name"]
    )
    assert value_text(demo_store, "clinic_days", "organisation_id", same) == org["short_name"]
    assert value_text(demo_store, "visits", "seen_by", volunteer["id"]) == volunteer["name"]
    assert value_text(demo_store, "clinic_days", "status", "cancelled") == "cancelled"
    assert value_text(demo_store, "assignments", "status", "no_show") == "no-show"
    assert value_text(demo_store, "persons", "sex", "F") == "female"
    assert value_text(demo_store, "persons", "walk_in", 1) == "yes"
    assert value_text(demo_store, "persons", "walk_in", 0) == "no"
    assert value_text(demo_store, "clinic_days", "venue", "村委会") == "村委会"
    assert value_text(demo_store, "clinic_days", "village_id", None) == ""
    assert value_text(demo_store, "clinic_days", "village_id", 10**12) == str(10**12)


def test_values_read_in_chinese(demo_store):
    from clinic.i18n import set_language

    set_language("zh")  # English again after the test (tests/conftest.py)
    assert value_text(demo_store, "clinic_days", "status", "cancelled") == "已取消"
    assert value_text(demo_store, "persons", "walk_in", 0) == "否"


def test_a_clash_merged_field_by_field_shows_words_and_masked_numbers(demo_store):
    village, other = [
        r["id"] for r in demo_store.query("SELECT id FROM villages ORDER BY id LIMIT 2")
    ]
    item = {
        "table_name": "clinic_days",
        "row_key": {"id": 1},
        "bundle_old": {"village_id": village, "status": "planned"},
        "bundle_new": {"village_id": other, "status": "cancelled"},
        "current": {"village_id": village, "status": "confirmed"},
    }
    fields = {f["field"]: f for f in merge_fields(demo_store, item)}
    assert fields["status"]["district_text"] == "confirmed"
    assert fields["status"]["laptop_text"] == "cancelled"
    assert fields["village_id"]["laptop_text"] == value_text(
        demo_store, "clinic_days", "village_id", other
    )
    assert not fields["village_id"]["laptop_text"].isdigit()
    person = {
        "table_name": "persons",
        "row_key": {"id": 1},
        "bundle_old": {"phone": None},
        "bundle_new": {"phone": "13812345678"},
        "current": {"phone": None},
    }
    (phone,) = merge_fields(demo_store, person)
    assert phone["laptop_text"] == "138****5678" and phone["district_text"] == "(empty)"
