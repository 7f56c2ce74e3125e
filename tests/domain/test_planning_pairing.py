"""Pairing (结对帮扶): a cadre paired with households, visits logged, the weekend list."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p


def test_pair_visit_and_weekend_list(demo_path, demo_store, today):
    cadre = demo_store.one(
        "SELECT id, name FROM volunteers WHERE name IN "
        "(SELECT name FROM volunteers GROUP BY name HAVING COUNT(*) = 1) LIMIT 1"
    )
    flagged = demo_store.one(
        "SELECT h.number FROM households h JOIN persons pe ON pe.household_id = h.id "
        "JOIN visits v ON v.person_id = pe.id WHERE v.follow_up_due IS NOT NULL AND h.number IS NOT NULL LIMIT 1"
    )
    quiet = demo_store.one(
        "SELECT h.number FROM households h WHERE h.number IS NOT NULL AND NOT EXISTS (SELECT 1 FROM persons pe "
        "JOIN visits v ON v.person_id = pe.id WHERE pe.household_id = h.id) LIMIT 1"
    )
    runner = CliRunner()
    db = ["--db", str(demo_path)]
    for number in (quiet["number"], flagged["number"]):
        result = runner.invoke(cli, [*db, "pairing", "pair", cadre["name"], number])
        assert result.exit_code == 0, result.output
    assert demo_store.scalar("SELECT is_cadre FROM volunteers WHERE id = ?", [cadre["id"]]) == 1
    result = runner.invoke(
        cli,
        [
            *db,
            "pairing",
            "visit",
            cadre["name"],
            quiet["number"],
            "--date",
            "2026-11-21",
            "--notes",
            "送药上门",
        ],
    )
    assert result.exit_code == 0
    rows = json.loads(runner.invoke(cli, [*db, "pairing", "list", cadre["name"], "--json"]).output)
    assert [r["number"] for r in rows][0] == flagged["number"]  # follow-up due comes first
    quiet_row = next(r for r in rows if r["number"] == quiet["number"])
    assert quiet_row["last_visit"] == "2026-11-21" and quiet_row["flags"] == []
    weekend = p.weekend_list(demo_store, cadre["id"], today)
    assert len(weekend) == 2
    assert p.next_weekend(dt.date(2026, 11, 24)) == (dt.date(2026, 11, 28), dt.date(2026, 11, 29))


def test_unknown_household(demo_path):
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "pairing", "pair", "#1", "NO-SUCH"])
    assert result.exit_code == 1 and "No household" in result.output


def test_demo_pairs_households_with_cadres_only(demo_store):
    from clinic.core.demo import MAX_PAIRED

    rows = demo_store.query(
        "SELECT v.id, v.is_cadre, COUNT(h.id) AS n FROM volunteers v "
        "LEFT JOIN households h ON h.cadre_id = v.id GROUP BY v.id"
    )
    cadres = [r for r in rows if r["is_cadre"]]
    assert cadres and all(0 < r["n"] <= MAX_PAIRED for r in cadres)
    assert all(r["n"] == 0 for r in rows if not r["is_cadre"])


def test_overdue_follow_up_said_in_words_cli(demo_path, demo_store, cadre_with_due_dates):
    name, late, ahead = cadre_with_due_dates(demo_store)
    for lang, word in (
        ("zh", "2020-01-04 应随访，已逾期"),
        ("en", "follow-up due 2020-01-04, overdue"),
    ):
        out = (
            CliRunner()
            .invoke(cli, ["--db", str(demo_path), "--lang", lang, "pairing", "list", name])
            .output
        )
        lines = {line.split()[0]: line for line in out.splitlines()[1:]}
        assert word in lines[late]
        assert "2099-01-04" in lines[ahead] and "overdue" not in lines[ahead]
        assert "逾期" not in lines[ahead]


def test_follow_up_text():
    assert p.follow_up_text({"follow_up_due": "2026-11-20", "overdue": True}) == (
        "2026-11-20 (overdue)"
    )
    assert p.follow_up_text({"follow_up_due": "2026-12-20", "overdue": False}) == "2026-12-20"
    assert p.follow_up_text({"follow_up_due": None, "overdue": False}) == ""


def test_a_visit_is_recorded_once_a_day_and_notes_are_added_to_it(demo_store, today):
    """A second v on the weekend list (or the command run twice) recorded a second
    visit to the same household on the same day."""
    cadre = demo_store.scalar("SELECT id FROM volunteers ORDER BY id LIMIT 1")
    household = demo_store.scalar("SELECT id FROM households ORDER BY id LIMIT 1")
    day = today.isoformat()
    assert p.log_pairing_visit(demo_store, household, cadre, day) is True
    assert p.log_pairing_visit(demo_store, household, cadre, day, "量了血压") is False
    assert p.log_pairing_visit(demo_store, household, cadre, day, "送了药") is False
    assert p.log_pairing_visit(demo_store, household, cadre, day, "送了药") is False
    rows = demo_store.query(
        "SELECT notes FROM pairing_visits WHERE household_id = ? AND cadre_id = ? AND date = ?",
        [household, cadre, day],
    )
    assert rows == [{"notes": "量了血压; 送了药"}]
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert p.log_pairing_visit(demo_store, household, cadre, tomorrow) is True
