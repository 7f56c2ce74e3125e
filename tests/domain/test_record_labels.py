"""Every kind of record a user is told about has its name in words (clinic.core.records):
the sync screen's counts of a bundle, a merge's moved rows."""

from __future__ import annotations

from clinic.core.records import RECORD_LABELS, record_label
from clinic.i18n import set_language
from clinic.store import open_store
from clinic.store.sync import synced_tables


def test_every_table_a_bundle_carries_has_a_name(demo_path):
    with open_store(demo_path) as store:
        tables = synced_tables(store.conn)
    assert tables and not [t for t in tables if t not in RECORD_LABELS]


def test_the_names_are_in_the_users_language():
    set_language("zh")
    try:
        assert record_label("handouts") == "健康处方"
        assert record_label("audit_log") == "审计记录"
        assert all(record_label(t) != RECORD_LABELS[t] for t in RECORD_LABELS)
    finally:
        set_language("en")
    assert record_label("handouts") == "health prescriptions"
    assert record_label("sqlite_stat1") == "sqlite_stat1"
