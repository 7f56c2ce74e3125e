"""The store: migrations, pragmas, seeds, and clear errors for unusable files."""

from __future__ import annotations

import sqlite3

import pytest

from clinic.core.errors import DatabaseError
from clinic.store import open_store
from clinic.store.migrations import migration_files, schema_version, split_statements


def test_new_database_is_migrated_and_seeded(store):
    assert schema_version(store) == max(int(name[:4]) for name, _sql in migration_files())
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA busy_timeout") >= 5000
    assert store.scalar("SELECT count(*) FROM organisations") == 10
    assert (
        store.scalar("SELECT short_name FROM organisations ORDER BY sort_order LIMIT 1") == "民革"
    )
    assert store.scalar("SELECT count(*) FROM specialties WHERE clinical = 1") >= 15
    codes = {r["code"] for r in store.query("SELECT code FROM prescription_templates")}
    assert {
        "hypertension",
        "diabetes",
        "chd",
        "stroke",
        "copd",
        "osteoporosis",
        "arthritis",
        "oral",
    } <= codes


def test_templates_have_both_languages_sections_and_items(store):
    import json

    for row in store.query("SELECT * FROM prescription_templates"):
        body = json.loads(row["body"])
        assert row["title_zh"] and row["title_en"] and row["version"]
        assert [s["code"] for s in body["sections"]] == ["lifestyle", "treatment", "warning"]
        for section in body["sections"]:
            assert section["items"], row["code"]
            for item in section["items"]:
                assert item["zh"] and item["en"] and isinstance(item["default"], bool)


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "x.db"
    first = open_store(path)
    first.close()
    again = open_store(path)
    applied = again.scalar("SELECT count(*) FROM _sqlite_migrations")
    assert applied == len(migration_files())
    assert again.scalar("SELECT count(*) FROM organisations") == 10
    again.close()


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.conn.execute("INSERT INTO villages (township_id, name) VALUES (999, 'x')")


def test_failed_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.conn.execute("INSERT INTO townships (name) VALUES ('石角镇')")
            raise RuntimeError("boom")
    assert store.scalar("SELECT count(*) FROM townships") == 0


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is a shopping list, not a database\n" * 100)
    with pytest.raises(DatabaseError) as err:
        open_store(path)
    assert "notes.db" in err.value.message and err.value.exit_code == 3


def test_locked_database_is_a_clear_error(tmp_path, monkeypatch):
    import clinic.store.connection as connection

    path = tmp_path / "busy.db"
    open_store(path).close()
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 50)
    store = open_store(path, migrate=False)
    store.conn.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(DatabaseError) as err:
        with store.transaction():
            store.conn.execute("INSERT INTO townships (name) VALUES ('石角镇')")
    assert "busy" in err.value.message
    blocker.rollback()
    blocker.close()


def test_split_statements_keeps_triggers_whole():
    sql = "CREATE TABLE a (x);\n-- note; with a semicolon\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n"
    assert len(split_statements(sql)) == 2
