"""Erasing a person's data on request (PIPL)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from clinic.cli.main import cli


def visited_person(store):
    return store.one(
        "SELECT p.id, p.uid, p.name, p.id_number, p.household_id FROM persons p "
        "JOIN visits v ON v.person_id = p.id JOIN handouts h ON h.visit_id = v.id "
        "WHERE p.id_number IS NOT NULL LIMIT 1"
    )


def test_purge_removes_everything_about_the_person(demo_store, demo_path):
    person = visited_person(demo_store)
    result = CliRunner().invoke(
        cli, ["--db", str(demo_path), "--as", "王主任", "purge", f"#{person['id']}", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert person["id_number"] not in result.output
    for table, column in (
        ("persons", "id"),
        ("visits", "person_id"),
        ("consents", "person_id"),
        ("person_keys", "person_id"),
        ("person_tags", "person_id"),
    ):
        assert (
            demo_store.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?", [person["id"]])
            == 0
        )
    assert (
        demo_store.scalar("SELECT count(*) FROM households WHERE id = ?", [person["household_id"]])
        == 1
    )
    audit = demo_store.one("SELECT * FROM audit_log WHERE action = 'purge_person'")
    assert audit["actor"] == "王主任" and json.loads(audit["detail"])["person_uid"] == person["uid"]
    assert person["name"] not in audit["detail"] and person["id_number"] not in audit["detail"]


def test_purge_by_id_number_asks_first(demo_store, demo_path):
    person = visited_person(demo_store)
    result = CliRunner().invoke(
        cli, ["--db", str(demo_path), "purge", person["id_number"]], input="n\n"
    )
    assert result.exit_code == 0 and "Nothing was erased" in result.output
    assert demo_store.scalar("SELECT count(*) FROM persons WHERE id = ?", [person["id"]]) == 1


def test_purge_unknown_person(demo_path):
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "purge", "#999999", "--yes"])
    assert result.exit_code == 1 and "No person #999999" in result.output
