"""apsw writes a live database only in a process of its own (clinic.core.sync.apart).

apsw brings its own SQLite. In one process with the app's sqlite3 connections, the
two libraries do not see each other's file locks: an apsw connection closing on the
district's file deleted its write-ahead log, and what the app's still-open
connection wrote next was lost ("disk I/O error" for the next reader). These tests
keep the app's connection open across an import, as the TUI and the CLI do.
"""

from __future__ import annotations

import sqlite3

import pytest

from clinic.core.sync.importing import import_bundles
from clinic.core.sync.updating import export_update, import_updates
from clinic.store import open_store
from clinic.store import sync as q
from clinic.store.audit import record


def _seen_by_a_new_connection(path, action: str) -> int:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[
            0
        ]
    finally:
        conn.close()


def test_the_districts_writes_after_an_import_are_kept(
    district, enrol, export_from, day_of_work, today, now
):
    laptop = enrol("A")
    day_of_work(laptop, today, now, "甲走访")
    bundle = export_from(laptop)
    with open_store(district) as store:
        (result,) = import_bundles(store, [bundle], actor="tester")
        assert not result.already and result.conflicts == 0
        record(store, "tester", "after_import", {})
        assert _seen_by_a_new_connection(district, "after_import") == 1
        assert _seen_by_a_new_connection(district, "sync_import") == 1
    assert _seen_by_a_new_connection(district, "after_import") == 1


def test_a_laptops_writes_after_its_update_are_kept(
    district, enrol, day_of_work, tmp_path, today, now
):
    laptop = enrol("A")
    day_of_work(district, today, now, "区走访")
    out = tmp_path / "A.update"
    with open_store(district) as store:
        export_update(store, "A", out, actor="tester")
    with open_store(laptop) as store:
        (done,) = import_updates(store, [out], actor="tester")
        assert not done.already
        record(store, "tester", "after_update", {})
        assert _seen_by_a_new_connection(laptop, "after_update") == 1


def test_a_refusal_made_apart_reaches_the_user_in_their_language(
    district, enrol, export_from, day_of_work, today, now
):
    """The child's sentence comes back as the same error, in the language of the app."""
    from clinic.core.errors import BundleError
    from clinic.i18n import set_language

    laptop = enrol("A")
    day_of_work(laptop, today, now, "甲走访")
    bundle = export_from(laptop)
    with open_store(laptop) as store:  # the village of the laptop's walk-in
        used = store.scalar(
            "SELECT v.id FROM persons p JOIN villages v ON v.id = p.village_id "
            "WHERE p.id >= 1099511627776 LIMIT 1"
        )
    assert used is not None
    set_language("zh")
    try:
        with open_store(district) as store:
            store.conn.execute("PRAGMA foreign_keys = OFF")  # the district lost that village
            store.conn.execute("DELETE FROM households WHERE village_id = ?", [used])
            store.conn.execute("DELETE FROM persons WHERE village_id = ?", [used])
            store.conn.execute("DELETE FROM villages WHERE id = ?", [used])
            store.conn.commit()
            with pytest.raises(BundleError) as refused:
                import_bundles(store, [bundle], actor="tester")
    finally:
        set_language("en")
    said = str(refused.value)  # made in the child, in the app's language
    assert bundle.name in said and "本数据库中没有的记录" in said and "未作任何改动" in said


def test_apsw_will_not_open_a_file_this_process_has_open(district):
    with open_store(district):
        with pytest.raises(RuntimeError, match="open in this process"):
            q.read_settings(district, (q.SEQUENCE_KEY,))


def test_the_childs_answer_survives_a_stray_print(apart_jobs, tmp_path):
    from clinic.core.sync.apart import run_apart

    assert run_apart(apart_jobs.stray_print_then, tmp_path, {"kept": 1}) == {"kept": 1}


def test_a_child_killed_before_it_answers_is_one_sentence(apart_jobs, tmp_path):
    from clinic.core.errors import InputError
    from clinic.core.sync.apart import run_apart

    with pytest.raises(InputError, match="stopped before it could say how it went"):
        run_apart(apart_jobs.killed_after, tmp_path)


def test_a_busy_database_apart_is_the_apps_busy_error(apart_jobs, district):
    """The writer waits for a busy database; the child's apsw BusyError arrives as the
    app's DatabaseError with ``busy`` set, naming the file."""
    from clinic.core.errors import DatabaseError
    from clinic.core.sync.apart import run_apart

    other = sqlite3.connect(district, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseError) as busy:
            run_apart(apart_jobs.busy_apart, district)
    finally:
        other.rollback()
        other.close()
    assert busy.value.busy and str(district) in busy.value.message
