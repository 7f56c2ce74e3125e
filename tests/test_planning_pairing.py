"""Pairing (结对帮扶): a cadre paired with households, visits logged, the weekend list."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p


def test_pair_visit_and_weekend_list(demo_path, demo_store):
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
    weekend = p.weekend_list(demo_store, cadre["id"], dt.date(2026, 11, 24))
    assert len(weekend) == 2
    assert p.next_weekend(dt.date(2026, 11, 24)) == (dt.date(2026, 11, 28), dt.date(2026, 11, 29))


def test_unknown_household(demo_path):
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "pairing", "pair", "#1", "NO-SUCH"])
    assert result.exit_code == 1 and "No household" in result.output
