"""``clinic audit`` and its service (issue 10): newest first, filtered by period,
user and action, paged, in words or JSON, numbers masked, for coordinators only;
and ``clinic demo``'s users, one per role, who can sign in."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import audit
from clinic.core.errors import FieldError

PHONE, ID = "13812345678", "500110195603120116"


def run(db, *args, env=None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env)


@pytest.fixture
def logged(demo_path):
    """The demo with a few known rows, on known days, after its own."""
    from clinic.store import open_store
    from clinic.store.audit import record

    with open_store(demo_path) as store, store.transaction():
        store.conn.execute("DELETE FROM audit_log")
        record(store, "王敏", "export", {"dataset": "persons", "file": "a.csv"}, 12)
        record(store, "李华", "export_unmasked", {"dataset": "visits", "file": f"{PHONE}.csv"}, 3)
        record(store, "王敏", "backup", {"file": "b.db", "daily": True, "note": ID})
        dates = ["2026-11-01 08:00:00", "2026-11-15 09:00:00", "2026-11-20 10:00:00"]
        for row_id, at in zip(
            [r["id"] for r in store.query("SELECT id FROM audit_log ORDER BY id")],
            dates,
            strict=True,
        ):
            store.conn.execute("UPDATE audit_log SET at = ? WHERE id = ?", [at, row_id])
    return demo_path


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_newest_first_in_words_with_numbers_masked(logged):
    result = run(logged, "audit")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2026-11-20 10:00:00  王敏  Daily backup b.db")
    assert (
        "李华  Exported Visits with whole ID and phone numbers to 138****5678.csv (3 rows)"
        in (lines[1])
    )
    assert lines[2].endswith("Exported Persons to a.csv (12 rows)")  # the dataset named
    assert PHONE not in result.stdout and ID not in result.stdout


def test_filters_by_period_user_and_action(logged):
    assert [e["actor"] for e in _json(run(logged, "audit", "--json"))["entries"]] == [
        "王敏",
        "李华",
        "王敏",
    ]
    by_user = _json(run(logged, "audit", "--user", "王敏", "--json"))
    assert by_user["total"] == 2 and {e["actor"] for e in by_user["entries"]} == {"王敏"}
    by_action = _json(run(logged, "audit", "--action", "export_unmasked", "--json"))
    assert [e["actor"] for e in by_action["entries"]] == ["李华"]
    assert by_action["entries"][0]["detail"]["file"] == "138****5678.csv"
    period = _json(run(logged, "audit", "--from", "2026-11-15", "--to", "2026-11-15", "--json"))
    assert [e["action"] for e in period["entries"]] == ["export_unmasked"]
    assert _json(run(logged, "audit", "--from", "2026-11-16", "--json"))["total"] == 1


def test_pages_of_rows(logged):
    first = _json(run(logged, "audit", "--limit", "2", "--json"))
    second = _json(run(logged, "audit", "--limit", "2", "--page", "2", "--json"))
    assert first["total"] == second["total"] == 3
    assert [e["id"] for e in first["entries"] + second["entries"]] == sorted(
        (e["id"] for e in first["entries"] + second["entries"]), reverse=True
    )
    words = run(logged, "audit", "--limit", "2")
    assert "--page 2 shows more" in words.stderr


def test_bad_dates_and_an_empty_result_are_sentences(logged):
    bad = run(logged, "audit", "--from", "2026-13-45")
    assert bad.exit_code == 1 and "2026-13-45" in bad.stderr and "Traceback" not in bad.output
    backwards = run(logged, "audit", "--from", "2026-11-20", "--to", "2026-11-01")
    assert backwards.exit_code == 1 and "starts after it ends" in backwards.stderr
    none = run(logged, "audit", "--user", "nobody")
    assert none.exit_code == 0 and "Nothing in the audit log matches" in none.stdout


def test_the_audit_log_is_for_coordinators(logged):
    refused = run(logged, "audit", env={"CLINIC_USER": "演示药师", "CLINIC_PIN": "4004"})
    assert refused.exit_code == 1 and "only a coordinator may" in refused.stderr
    nobody = run(logged, "audit", env={"CLINIC_USER": None, "CLINIC_PIN": None})
    assert nobody.exit_code == 1 and "Sign in" in nobody.stderr


def test_in_chinese(logged):
    result = run(logged, "--lang", "zh", "audit", "--action", "export")
    assert result.exit_code == 0, result.output
    assert "导出" in result.stdout and "a.csv" in result.stdout
    assert "persons" not in result.stdout and "人员" in result.stdout  # the dataset in words


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("en", "Export"), ("en", " export "), ("zh", "导出"), ("zh", "export"), ("en", "导出")],
)
def test_an_action_is_filtered_by_its_name_in_either_language_or_its_code(logged, lang, typed):
    found = _json(run(logged, "--lang", lang, "audit", "--action", typed, "--json"))
    assert [e["action"] for e in found["entries"]] == ["export"]


def test_every_action_has_a_name_in_both_languages():
    from clinic.i18n import set_language

    assert set(audit.ACTION_NAMES) == set(audit.ACTION_LABELS)
    set_language("zh")
    try:
        names = [audit.action_name(code) for code in audit.ACTION_NAMES]
    finally:
        set_language("en")
    assert all(not name.isascii() for name in names), names
    assert len(set(names)) == len(names)
    assert audit.action_name("something_new") == "something_new"


def test_the_service_masks_any_number_and_names_users(store):
    from clinic.core.users import add_user
    from clinic.store.audit import record

    first = add_user(store, "王敏", {"coordinator"}, "2580", by=None)
    record(store, "王敏", "odd", f"not json {ID}")
    (odd, added) = audit.entries(store, audit.AuditFilters())
    assert added.description == "Added the user 王敏" and added.detail["user_id"] == first.id
    assert ID not in odd.description and "5001**********0116" in odd.description
    assert audit.parse_filters(" 2026-11-01 ", "", " 王敏 ", "").date_from == dt.date(2026, 11, 1)
    with pytest.raises(FieldError):
        audit.parse_filters("2026-11-02", "2026-11-01")


def test_demo_users_are_printed_and_sign_in(tmp_path):
    from clinic.core import users
    from clinic.store import open_store

    db = tmp_path / "demo.db"
    data = _json(run(db, "demo", "--json"))
    assert data["database"] == str(db)
    assert sorted(r for u in data["users"] for r in u["roles"]) == sorted(users.ROLES)
    with open_store(db) as store:
        for u in data["users"]:
            signed = users.sign_in(store, u["name"], u["pin"])
            assert sorted(signed.roles) == u["roles"]
            if u["roles"] == ["clinician"]:
                doctor = store.one(
                    "SELECT specialty_code FROM volunteers WHERE id = ?", [signed.volunteer_id]
                )
                assert doctor["specialty_code"] == "gp"
    words = run(db, "demo", "--no-tui", "--force")
    assert words.exit_code == 0, words.output
    for u in data["users"]:
        assert f"{u['name']} (" in words.stdout and f"PIN {u['pin']}" in words.stdout


def test_demo_force_over_a_real_database_needs_its_coordinator(year_path):
    refused = run(year_path, "demo", "--no-tui", "--force", env={"CLINIC_USER": None})
    assert refused.exit_code == 1 and "Sign in" in refused.stderr
