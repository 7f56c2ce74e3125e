"""Health talks (健康讲座): the rules, the figures, the summary, the exports, the CLI and F5."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from clinic.cli.main import cli
from clinic.core import talks as T
from clinic.core.desk.summary import summary, summary_lines
from clinic.core.errors import FieldError
from clinic.core.exports import DATASETS, export_dataset
from clinic.core.figures import day_scope, talk_figures
from clinic.core.reports import build_report, report_rows
from clinic.i18n import set_language
from clinic.store.rules import Scope

pytestmark = pytest.mark.usefixtures("no_demo_talks")


def _held_day(store) -> dict:
    return store.one(
        "SELECT id, date, organisation_id FROM clinic_days WHERE status = 'done' ORDER BY date LIMIT 1"
    )


def _in_transaction(store, sql: str, params=()) -> None:
    with store.transaction():
        store.conn.execute(sql, params)


# -- rules ----------------------------------------------------------------------------


def test_a_talk_is_recorded_with_its_speaker_and_trimmed_topic(demo_store, two_speakers):
    day = _held_day(demo_store)
    speaker = two_speakers(demo_store)[0]
    talk_id = T.add_talk(
        demo_store, day["id"], T.TalkInput(" 高血压防治 ", speaker["name"], "４５", " 折页 ")
    )
    talk = T.get_talk(demo_store, talk_id)
    assert (talk["topic"], talk["speaker_id"], talk["attendees"], talk["materials"]) == (
        "高血压防治",
        speaker["id"],
        45,
        "折页",
    )
    assert len(talk["uid"]) >= 16


@pytest.mark.parametrize(
    "talk, field",
    [
        (T.TalkInput("  ", "x", 1), "topic"),
        (T.TalkInput("讲座", "没有这个人", 1), "speaker"),
        (T.TalkInput("讲座", "", 1), "speaker"),
        (T.TalkInput("讲座", 999999, 1), "speaker"),
        (T.TalkInput("讲座", "SPEAKER", "10001"), "attendees"),
        (T.TalkInput("讲座", "SPEAKER", "-1"), "attendees"),
        (T.TalkInput("讲座", "SPEAKER", "2.5"), "attendees"),
        (T.TalkInput("讲座", "SPEAKER", ""), "attendees"),
    ],
)
def test_a_wrong_talk_is_refused_naming_the_field(demo_store, talk, field, two_speakers):
    day = _held_day(demo_store)
    name = two_speakers(demo_store)[0]["name"]
    if talk.speaker == "SPEAKER":
        talk = T.TalkInput(talk.topic, name, talk.attendees)
    with pytest.raises(FieldError) as err:
        T.add_talk(demo_store, day["id"], talk)
    assert err.value.field == field and err.value.message
    assert demo_store.scalar("SELECT count(*) FROM health_talks") == 0


@given(st.integers(min_value=-50, max_value=20000))
def test_attendees_are_a_whole_number_from_0_to_10000(n):
    if 0 <= n <= T.MAX_ATTENDEES:
        assert T.parse_attendees(str(n)) == n
    else:
        with pytest.raises(FieldError):
            T.parse_attendees(str(n))


def test_no_talk_on_a_cancelled_day_and_a_day_removed_takes_its_talks(demo_store, two_speakers):
    day = _held_day(demo_store)
    name = two_speakers(demo_store)[0]["name"]
    talk_id = T.add_talk(demo_store, day["id"], T.TalkInput("讲座", name, 10))
    _in_transaction(
        demo_store, "UPDATE clinic_days SET status = 'cancelled' WHERE id = ?", [day["id"]]
    )
    with pytest.raises(FieldError, match="cancelled"):
        T.add_talk(demo_store, day["id"], T.TalkInput("讲座", name, 10))
    with pytest.raises(FieldError, match="cancelled"):
        T.edit_talk(demo_store, talk_id, T.TalkInput("讲座", name, 11))
    demo_store.conn.execute("PRAGMA foreign_keys = ON")
    with demo_store.transaction():
        for table in ("handouts", "visit_conditions"):
            demo_store.conn.execute(
                f"DELETE FROM {table} WHERE visit_id IN "
                "(SELECT id FROM visits WHERE clinic_day_id = ?)",
                [day["id"]],
            )
        for table in ("visits", "assignments", "clinic_day_needs", "day_stock"):
            demo_store.conn.execute(f"DELETE FROM {table} WHERE clinic_day_id = ?", [day["id"]])
        demo_store.conn.execute("DELETE FROM clinic_days WHERE id = ?", [day["id"]])
    assert demo_store.scalar("SELECT count(*) FROM health_talks") == 0


def test_edit_and_delete(demo_store, two_speakers):
    day = _held_day(demo_store)
    a, b = two_speakers(demo_store)
    talk_id = T.add_talk(demo_store, day["id"], T.TalkInput("讲座", a["name"], 10))
    T.edit_talk(demo_store, talk_id, T.TalkInput("新主题", b["id"], 12, "手册"))
    talk = T.get_talk(demo_store, talk_id)
    assert (talk["topic"], talk["speaker"], talk["attendees"], talk["materials"]) == (
        "新主题",
        b["name"],
        12,
        "手册",
    )
    T.delete_talk(demo_store, talk_id)
    with pytest.raises(T.NotFoundError):
        T.get_talk(demo_store, talk_id)


# -- figures ------------------------------------------------------------------------------


@pytest.fixture
def record_three(two_speakers):
    """``record_three(store)``: three talks on the first day held, by two speakers."""

    def record(store) -> tuple[dict, list[dict]]:
        day = _held_day(store)
        a, b = two_speakers(store)
        T.add_talk(store, day["id"], T.TalkInput("高血压防治", a["name"], 40))
        T.add_talk(store, day["id"], T.TalkInput("高血压防治 ", b["name"], 20))
        T.add_talk(store, day["id"], T.TalkInput("合理用药", a["name"], 5))
        return day, [a, b]

    return record


def test_report_counts_talks_by_topic_and_speakers_organisation(demo_store, record_three):
    day, (a, b) = record_three(demo_store)
    talks = build_report(demo_store).talks
    assert (talks["total"], talks["attendees"]) == (3, 65)
    assert talks["by_topic"] == [
        {"topic": "高血压防治", "talks": 2, "attendees": 60},
        {"topic": "合理用药", "talks": 1, "attendees": 5},
    ]
    by_org = {o["organisation"]: (o["talks"], o["attendees"]) for o in talks["by_organisation"]}
    assert by_org == {a["short_name"]: (2, 45), b["short_name"]: (1, 20)}
    rows = [r for r in report_rows(build_report(demo_store)) if r[2] == 65]
    assert rows, "the report's table carries the attendees"


def test_a_talk_on_a_day_not_held_counts_nowhere(demo_store, two_speakers):
    planned = demo_store.one(
        "SELECT id FROM clinic_days WHERE status = 'planned' AND id NOT IN "
        "(SELECT clinic_day_id FROM visits) AND id NOT IN "
        "(SELECT clinic_day_id FROM assignments WHERE status = 'attended') LIMIT 1"
    )
    name = two_speakers(demo_store)[0]["name"]
    T.add_talk(demo_store, planned["id"], T.TalkInput("讲座", name, 30))
    assert talk_figures(demo_store, Scope())["total"] == 0
    assert len(T.talks_of_day(demo_store, planned["id"])) == 1


def test_report_json_is_the_same_in_both_languages(demo_path, demo_store, record_three):
    record_three(demo_store)
    out = {}
    for lang in ("zh", "en"):
        result = CliRunner().invoke(
            cli, ["--db", str(demo_path), "--lang", lang, "report", "--json"]
        )
        assert result.exit_code == 0, result.output
        out[lang] = json.loads(result.output)["talks"]
    set_language("en")
    assert out["zh"] == out["en"] and out["en"]["total"] == 3
    assert "label" not in json.dumps(out["en"])


def test_end_of_day_summary_lists_the_days_talks(demo_store, record_three):
    day, (a, _b) = record_three(demo_store)
    data = summary(demo_store, day["id"])
    assert (data["talks_total"], data["talk_attendees"], len(data["talks"])) == (3, 65, 3)
    text = "\n".join(summary_lines(data))
    assert "Health talks: 3 (65 attendees)" in text and a["name"] in text
    assert talk_figures(demo_store, day_scope(day["id"]))["total"] == 3


def test_talks_export_and_report_export(demo_store, tmp_path, today, record_three):
    record_three(demo_store)
    assert "talks" in DATASETS
    path = tmp_path / "talks.csv"
    result = export_dataset(demo_store, "talks", path, fmt="csv", actor="tester", today=today)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert result.rows == 3 and len(rows) == 3
    assert {r["Topic"] for r in rows} == {"高血压防治", "合理用药"}
    assert sum(int(r["Attendees"]) for r in rows) == 65
    audit = demo_store.one(
        "SELECT detail FROM audit_log WHERE action LIKE 'export%' ORDER BY id DESC"
    )
    assert "talks" in audit["detail"]
    report = tmp_path / "report.json"
    export_dataset(demo_store, "report", report, fmt="json", today=today)
    assert "高血压防治 — talks" in report.read_text(encoding="utf-8-sig")


# -- command line -------------------------------------------------------------------------


def test_day_talk_commands(demo_path, demo_store, two_speakers):
    day = _held_day(demo_store)
    name = two_speakers(demo_store)[0]["name"]
    db = ["--db", str(demo_path)]
    run = CliRunner().invoke
    added = run(
        cli,
        [
            *db,
            "day",
            "talk",
            "add",
            str(day["id"]),
            "--topic",
            "高血压防治",
            "--speaker",
            name,
            "--attendees",
            "45",
            "--materials",
            "折页",
        ],
    )
    assert added.exit_code == 0 and "高血压防治" in added.output
    bad = run(
        cli,
        [
            *db,
            "day",
            "talk",
            "add",
            str(day["id"]),
            "--topic",
            "x",
            "--speaker",
            name,
            "--attendees",
            "lots",
        ],
    )
    assert bad.exit_code == 1 and "whole number" in bad.output
    listed = json.loads(run(cli, [*db, "day", "talk", "list", str(day["id"]), "--json"]).output)
    assert [(t["topic"], t["speaker"], t["attendees"], t["materials"]) for t in listed] == [
        ("高血压防治", name, 45, "折页")
    ]
    shown = json.loads(run(cli, [*db, "day", "show", str(day["id"]), "--json"]).output)
    assert shown["talks"][0]["topic"] == "高血压防治"
    assert "高血压防治" in run(cli, [*db, "day", "show", str(day["id"])]).output
    talk_id = listed[0]["id"]
    assert run(cli, [*db, "day", "talk", "edit", str(talk_id), "--attendees", "50"]).exit_code == 0
    assert T.get_talk(demo_store, talk_id)["attendees"] == 50
    assert run(cli, [*db, "day", "talk", "delete", str(talk_id)]).exit_code == 0
    assert "No health talks" in run(cli, [*db, "day", "talk", "list"]).output


# -- F5 ----------------------------------------------------------------------------------
