"""Wording of counts and lists (issue 14, #18): flag names without instructions,
percentages rounded half up, short organisation names, a list joiner per
language, the follow-up default and the command palette in the user's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core import desk
from clinic.core import vitals as V
from clinic.core.desk import summary as day_summary
from clinic.core.desk import visits
from clinic.core.reports import build_report, percent, percent_text, report_lines
from clinic.i18n import join_list, set_language

URGENT = ("bp_urgent", "glucose_high", "glucose_low")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flag_names_carry_no_instruction(lang):
    set_language(lang)
    for code in V.FLAG_NAME:
        name = V.flag_label(code)
        assert ":" not in name and "：" not in name, name
        assert V.flag_message(code).startswith(name)
    for code in URGENT:
        assert V.flag_message(code) != V.flag_label(code)  # the desk still says what to do
    assert (
        V.flag_label("bp_urgent")
        == {"en": "Blood pressure URGENT (≥180/110)", "zh": "血压危急（≥180/110）"}[lang]
    )
    assert (
        V.Flag("bp_urgent", "urgent").message
        == {
            "en": "Blood pressure URGENT (≥180/110): see a doctor now",
            "zh": "血压危急（≥180/110）：立即请医生处理",
        }[lang]
    )


def test_report_counts_flags_by_name(demo_store):
    set_language("zh")
    report = build_report(demo_store)
    assert report.flags, "the demo has flagged visits"
    text = "\n".join(report_lines(report))
    for flag in report.flags:
        assert f"{flag['label']}：{flag['visits']}" in text
    assert "立即" not in text and "15分钟后复测" not in text


@pytest.mark.parametrize(
    "part,whole,digits,shown",
    [
        (9, 16, 1, "56.3%"),  # 56.25: float round() gives 56.2
        (1, 8, 1, "12.5%"),
        (1, 3, 1, "33.3%"),
        (2, 3, 1, "66.7%"),
        (65, 200, 0, "33%"),  # 32.5
        (1, 40, 0, "3%"),  # 2.5
        (0, 7, 1, "0.0%"),
        (3, 0, 1, "-"),
    ],
)
def test_percent_rounds_half_up(part, whole, digits, shown):
    assert percent_text(percent(part, whole, digits), digits) == shown


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_percent_is_decimal_half_up(part, whole):
    exact = Decimal(100 * part) / Decimal(whole)
    assert percent(part, whole) == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_village_coverage_uses_the_same_rounding(demo_store, today):
    from clinic.core.planning import village_overview

    for r in village_overview(demo_store, today):
        assert r["coverage"] == (percent(r["served"], r["households"]) or 0.0)


def test_organisations_by_short_name(demo_store):
    set_language("en")
    report = build_report(demo_store)
    shorts = {r["short_name"] for r in demo_store.query("SELECT short_name FROM organisations")}
    labels = [o["label"] for o in report.volunteers["by_organisation"]] + [
        o["label"] for o in report.by_organiser
    ]
    assert labels and set(labels) <= shorts | {"No organisation"}


@pytest.mark.parametrize(
    "lang,items,joined",
    [
        ("en", ["杨才琴"], "杨才琴"),
        ("en", ["杨才琴", "杜琴荣"], "杨才琴 and 杜琴荣"),
        ("en", ["杨才琴", "杜琴荣", "Li Wei"], "杨才琴, 杜琴荣 and Li Wei"),
        ("zh", ["杨才琴", "杜琴荣", "Li Wei"], "杨才琴、杜琴荣、Li Wei"),
        ("en", [], ""),
    ],
)
def test_join_list_per_language(lang, items, joined):
    set_language(lang)
    assert join_list(items) == joined


def test_english_summary_thanks_with_english_joiner():
    data = {"volunteers": [{"name": "杨才琴"}, {"name": "杜琴荣"}], "seen": 12}
    set_language("en")
    assert day_summary.thanks(data) == "Thank you, 杨才琴 and 杜琴荣: 12 people were seen today."
    set_language("zh")
    assert "杨才琴、杜琴荣" in day_summary.thanks(data)


def test_follow_up_default_in_the_users_language():
    flags = V.flags_for(150, 95, None, None)
    set_language("zh")
    proposed = desk.default_follow_up(flags, [])
    assert proposed == "3个月"
    assert visits._parse_follow_up(proposed, "2026-11-30") == "2027-02-28"
    set_language("en")
    assert desk.default_follow_up(flags, []) == "3m"
