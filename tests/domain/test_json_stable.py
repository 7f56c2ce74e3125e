"""Issue 9 point 6: ``--json`` keys and values never depend on ``--lang``.

Every command with ``--json`` runs in Chinese and in English on the edge-case
database (tests/support/figures_data.py) and must print the same JSON: codes, not
labels. Labels come only when asked for (``--labels``).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli


@pytest.fixture(scope="module")
def cadre_edge_db(edge_master, copy_database, tmp_path_factory):
    """The edge-case database with 甲医生 the cadre of every household (read only)."""
    from clinic.store import open_store

    master, ex = edge_master
    path = copy_database(master, tmp_path_factory.mktemp("json") / "edge.db")
    store = open_store(path)
    cadre = store.scalar("SELECT id FROM volunteers WHERE name = '甲医生'")
    store.conn.execute("UPDATE volunteers SET is_cadre = 1 WHERE id = ?", [cadre])
    store.conn.execute("UPDATE households SET cadre_id = ?", [cadre])
    store.conn.commit()
    store.close()
    return path, ex


def run(path, lang: str, args: list[str]) -> object:
    result = CliRunner().invoke(
        cli, ["--db", str(path), "--lang", lang, *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    if isinstance(data, dict):
        data.pop("seconds", None)  # the roster's solving time
    return data


def commands(ex) -> list[list[str]]:
    today = ex.today
    period = ["--from", (today - dt.timedelta(days=40)).isoformat()]
    period += ["--to", (today + dt.timedelta(days=40)).isoformat()]
    ahead = ["--from", (today + dt.timedelta(days=1)).isoformat()]
    ahead += ["--to", (today + dt.timedelta(days=40)).isoformat()]
    return [
        ["report", "--json"],
        ["report", "--json", "--village", ex.village],
        ["report", "day", "--date", today.isoformat(), "--json"],
        ["day", "list", *period, "--json"],
        ["day", "show", str(ex.day_a), "--json"],
        ["status", "--json"],
        ["find", "病人", "--json"],
        ["roster", *ahead, "--json"],
        ["day", "season", *ahead, "--json"],
        ["pairing", "list", "甲医生", "--json"],
    ]


@pytest.mark.parametrize("index", range(10))
def test_json_is_the_same_in_every_language(cadre_edge_db, index):
    path, ex = cadre_edge_db
    args = commands(ex)[index]
    zh, en = run(path, "zh", args), run(path, "en", args)
    assert zh == en
    assert zh  # something was printed


def test_labels_only_when_asked(cadre_edge_db):
    path, ex = cadre_edge_db
    plain = run(path, "zh", ["report", "--json"])
    assert "labels" not in plain and "label" not in json.dumps(plain)
    zh = run(path, "zh", ["report", "--json", "--labels"])
    en = run(path, "en", ["report", "--json", "--labels"])
    assert zh["labels"]["flag"]["bp_raised"] != en["labels"]["flag"]["bp_raised"]
    assert "血压" in zh["labels"]["flag"]["bp_raised"]
    assert {k: v for k, v in zh.items() if k != "labels"} == plain
    day = run(path, "en", ["report", "day", "--date", ex.today.isoformat(), "--json", "--labels"])
    assert day["labels"]["category"]["none"] == "No household on record"


@pytest.mark.parametrize(
    "name",
    ["visits", "handouts", "persons", "households", "coverage", "volunteer-hours", "follow-ups"],
)
def test_exported_json_is_the_same_in_every_language(cadre_edge_db, tmp_path, name):
    """Exported JSON is for programs too: codes (M, dibao, gp, overdue), not words."""
    path, _ex = cadre_edge_db
    files = {}
    for lang in ("zh", "en"):
        out = tmp_path / f"{lang}.json"
        result = CliRunner().invoke(
            cli, ["--db", str(path), "--lang", lang, "export", name, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        files[lang] = json.loads(out.read_text(encoding="utf-8"))
    assert files["zh"] == files["en"] and files["zh"]
