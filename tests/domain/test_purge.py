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
        cli,
        ["--db", str(demo_path), "--user", "演示协调员", "purge", f"#{person['id']}", "--yes"],
        env={"CLINIC_PIN": "1001"},  # the demo's coordinator: the audit log names them
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
    assert (
        audit["actor"] == "演示协调员"
        and json.loads(audit["detail"])["person_uid"] == person["uid"]
    )
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


def head_with_visit(store):
    """A head of household with a visit, an ID number, a phone and a name no one else has."""
    return store.one(
        "SELECT p.id, p.uid, p.name, p.id_number, p.phone, p.household_id, h.number "
        "FROM persons p JOIN households h ON h.id = p.household_id AND h.head_name = p.name "
        "WHERE p.phone IS NOT NULL AND p.id_number IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id) "
        "AND (SELECT count(*) FROM persons q WHERE q.name = p.name) = 1 "
        "AND (SELECT count(*) FROM persons q WHERE q.household_id = p.household_id) > 1 "
        "ORDER BY p.id LIMIT 1"
    )


def raw_bytes(demo_path):
    """Every byte of the database file, its -wal file and the sheets folder."""
    files = [demo_path, demo_path.with_name(demo_path.name + "-wal")]
    files += [p for p in (demo_path.parent / "sheets").rglob("*") if p.is_file()]
    return b"".join(p.read_bytes() for p in files if p.exists())


def test_after_purge_no_byte_of_the_person_is_left(demo_path):
    from clinic.core.desk import sheets
    from clinic.store import open_store
    from clinic.store.audit import record

    store = open_store(demo_path)
    person = head_with_visit(store)
    visit_ids = [
        r["id"] for r in store.query("SELECT id FROM visits WHERE person_id = ?", [person["id"]])
    ]
    other_visit = store.scalar("SELECT id FROM visits WHERE person_id != ? LIMIT 1", [person["id"]])
    folder = sheets.sheets_folder(demo_path)
    for visit in [*visit_ids, other_visit]:
        sheets.save_sheet(sheets.build_sheet(store, visit), folder, visit)
    # A detail that (against the rule) holds the name, and fresh pages in the -wal.
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    record(store, "desk", "note", {"about": person["name"], "phone": person["phone"]})
    with store.transaction():
        store.conn.execute(
            "UPDATE persons SET other_conditions = ? WHERE id = ?", [person["name"], person["id"]]
        )
    secrets = [person[k].encode("utf-8") for k in ("name", "id_number", "phone")]
    assert all(s in raw_bytes(demo_path) for s in secrets), "the test can see them before"
    runner = CliRunner()
    export = runner.invoke(
        cli, ["--db", str(demo_path), "export", "persons", "-o", str(demo_path.parent / "all.csv")]
    )
    assert export.exit_code == 0, export.output
    store.close()

    result = runner.invoke(cli, ["--db", str(demo_path), "purge", f"#{person['id']}", "--yes"])
    assert result.exit_code == 0, result.output

    left = raw_bytes(demo_path)
    for secret in secrets:
        assert secret not in left
    other_sheets = list(folder.rglob(f"*_{other_visit}_*"))
    assert len(other_sheets) == 2, "other people's sheets stay"
    assert f"Printed sheets deleted: {2 * len(visit_ids)}." in result.output
    assert "all.csv" in result.output and "persons" in result.output
    with open_store(demo_path) as after:
        head = after.scalar(
            "SELECT head_name FROM households WHERE id = ?", [person["household_id"]]
        )
        members = [
            r["name"]
            for r in after.query(
                "SELECT name FROM persons WHERE household_id = ?", [person["household_id"]]
            )
        ]
        assert head in members
        assert f"the household's head is now {head}" in result.output
        assert after.scalar("PRAGMA integrity_check") == "ok"


def test_purging_the_last_member_clears_the_head_name(demo_path):
    from clinic.store import open_store

    with open_store(demo_path) as store:
        person = head_with_visit(store)
        with store.transaction():
            store.conn.execute(
                "DELETE FROM persons WHERE household_id = ? AND id != ?",
                [person["household_id"], person["id"]],
            )
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "purge", f"#{person['id']}", "--yes"])
    assert result.exit_code == 0, result.output
    assert "its head's name is cleared" in result.output
    with open_store(demo_path) as store:
        assert (
            store.scalar("SELECT head_name FROM households WHERE id = ?", [person["household_id"]])
            == ""
        )
