"""Seasons and holidays: several villages per date, holidays from the maintained package (with a
warning where its arrangement stops), a season ending on a clinic weekday, the F7 dialog."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import holidays as h
from clinic.core import planning as p
from clinic.core.errors import InputError
from clinic.i18n import set_language

pytestmark = pytest.mark.usefixtures("cli_today")


def _saturdays(first: str, last: str) -> list[str]:
    day, end, out = dt.date.fromisoformat(first), dt.date.fromisoformat(last), []
    while day <= end:
        if day.weekday() == 5 and not h.is_holiday(day.isoformat()):
            out.append(day.isoformat())
        day += dt.timedelta(days=1)
    return out


def test_holidays_come_from_the_package_for_every_year():
    """Only 元旦 of 2027 was known, so a season proposed 2027-02-06, 春节 itself."""
    assert h.is_holiday("2027-02-06") and h.is_holiday("2026-10-01") and h.is_holiday("2028-01-26")
    assert not h.is_holiday("2026-12-05")
    set_language("zh")
    assert h.holiday_name("2027-02-06") == "春节"
    assert h.holidays_between("2027-02-01", "2027-02-28")["2027-02-06"] == "春节"
    set_language("en")
    assert "Spring Festival" in h.holiday_name("2027-02-06")
    # 2026-02-14, a Saturday, was worked to bridge the Spring Festival (调休).
    assert h.is_working_weekend_day("2026-02-14") and not h.is_working_weekend_day("2026-02-21")


def test_a_year_beyond_the_known_arrangement_is_warned_about_in_words():
    known = h.arrangement_known_until()
    assert h.coverage_warning(f"{known}-01-01", f"{known}-12-31") is None
    warning = h.coverage_warning(f"{known}-12-01", f"{known + 1}-03-31")
    assert warning and f"arrangement for {known + 1} is not in the holidays package" in warning
    assert f"up to {known}" in warning and "pip install -U holidays" in warning
    set_language("zh")
    assert f"{known + 1} 年的国务院放假安排" in h.coverage_warning(
        f"{known + 1}-01-01", f"{known + 1}-02-01"
    )


def test_the_seeded_holiday_table_is_gone(store):
    """One source of truth: the package. The table that knew one year is dropped."""
    assert store.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'holidays'") == 0


def test_a_season_leaves_out_holidays_and_says_so(store, today, add_village):
    for name in ("甲村", "乙村", "丙村", "丁村", "戊村"):
        add_village(store, name, name[0] + "镇")
    plan = p.propose_season(store, "2027-01-30", "2027-02-20", today, weekdays="5")
    dates = [d.date for d in plan.days]
    assert "2027-02-06" not in dates and dates == ["2027-01-30", "2027-02-13", "2027-02-20"]
    assert "2027-02-06" in plan.skipped and "Spring Festival" in plan.skipped["2027-02-06"]
    assert "Left out: 2027-02-06" in plan.skipped_text()
    assert plan.warning == h.coverage_warning("2027-01-30", "2027-02-20")


def test_several_villages_per_date_when_every_saturday_is_taken(store, add_village, today, add_day):
    """With every Saturday holding a clinic day, per day 1 used to say "no village left to plan"
    with villages waiting; it now says why, and per day 2 plans a second village on each date."""
    first = add_village(store, "甲村", "甲镇")
    for name in ("乙村", "丙村", "丁村", "戊村", "己村", "庚村", "辛村"):
        add_village(store, name, name[0] + "镇")
    saturdays = _saturdays("2026-12-01", "2026-12-31")
    for i, date in enumerate(saturdays):
        add_day(store, first if i == 0 else add_village(store, f"占{i}村", f"占{i}镇"), date=date)
    waiting = len(p.where_next(store, today)) - len(saturdays)
    full = p.propose_season(store, "2026-12-01", "2026-12-31", today, per_day=1)
    assert full.days == [] and full.waiting == waiting and full.full_dates == len(saturdays)
    said = full.explain()
    assert f"{waiting} villages still wait" in said and "allow more clinic days per date" in said
    two = p.propose_season(store, "2026-12-01", "2026-12-31", today, per_day=2)
    assert [d.date for d in two.days] == saturdays  # one more village on each date
    assert len({d.village_id for d in two.days}) == len(two.days)
    p.add_season(store, two.days, None, {"gp": 1}, today=today)
    per_date = store.query(
        "SELECT date, COUNT(*) AS n, COUNT(DISTINCT village_id) AS v FROM clinic_days GROUP BY date"
    )
    assert all(r["n"] == 2 == r["v"] for r in per_date)


def test_a_season_starts_today_or_later(store, add_village, today):
    add_village(store)
    with pytest.raises(InputError, match="in the past"):
        p.propose_season(store, "2026-11-01", "2026-12-31", today)


@pytest.mark.parametrize("weekdays", ["5", "56", "6", "0246"])
@pytest.mark.parametrize("start", ["2026-11-30", "2026-12-05", "2027-02-28"])
def test_the_default_end_of_a_season_is_a_chosen_weekday(start, weekdays):
    """The default end was start + 90 days, a Monday; it is the last chosen weekday 13 weeks on."""
    end = dt.date.fromisoformat(p.default_season_end(start, weekdays))
    first = dt.date.fromisoformat(start)
    assert str(end.weekday()) in weekdays
    assert first + dt.timedelta(weeks=12) < end <= first + dt.timedelta(weeks=13)


def test_day_season_on_the_command_line_warns_and_plans_several_per_date(demo_path):
    runner = CliRunner()
    args = ["--db", str(demo_path), "day", "season", "--from", "2027-01-02"]
    text = runner.invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert "Warning: The State Council's holiday arrangement for 2027" in text.stderr
    assert "2027-02-06" not in text.stdout.split("Left out")[0]
    data = json.loads(runner.invoke(cli, [*args, "--per-day", "3", "--json"]).output)
    assert data["to"] == p.default_season_end("2027-01-02", "5")
    assert "2027-02-06" in data["left_out"] and "warnings" not in data  # words: with --labels
    worded = json.loads(runner.invoke(cli, [*args, "--json", "--labels"]).output)
    assert worded["warnings"] and "2027-02-06" in worded["left_out_why"]
    per_date = {}
    for d in data["days"]:
        per_date.setdefault(d["date"], []).append(d["village"])
    assert max(len(v) for v in per_date.values()) == 3
    assert all(len(set(v)) == len(v) for v in per_date.values())


def test_a_season_leaves_out_weekend_days_worked_instead_of_a_holiday(store, add_village):
    """2026-02-14 and 2026-02-28 were Saturdays worked (调休) around the Spring Festival."""
    for name in ("甲村", "乙村", "丙村"):
        add_village(store, name, name[0] + "镇")
    plan = p.propose_season(store, "2026-02-14", "2026-02-28", dt.date(2026, 1, 5), weekdays="5")
    assert [d.date for d in plan.days] == ["2026-02-21"]
    assert plan.skipped == {
        "2026-02-14": "a working day (调休)",
        "2026-02-28": "a working day (调休)",
    }
    assert plan.warning is None
