"""Dates in every form a register uses, Excel serials, ages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.dates import age_on, from_excel_serial, parse_date, to_excel_serial
from clinic.core.errors import FieldError
from clinic.i18n import set_language

D = date(2024, 5, 31)


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-31",
        "2024/5/31",
        "2024.5.31",
        "2024年5月31日",
        "2024年05月31日",
        "2024年5月31号",
        "20240531",
        "45443",
        "45443.0",
        "45443.75",
        45443,
        45443.0,
        "2024-05-31 00:00:00",
        "2024/5/31 0:00",
        "2024-05-31T08:30:00",
        "2024年5月31日 00:00:00",
        "２０２４－０５－３１",
        "２０２４年５月３１日",
        " 2024-05-31 ",
        D,
        datetime(2024, 5, 31, 14, 5),
    ],
)
def test_accepted_forms(value):
    assert parse_date(value) == D


@pytest.mark.parametrize(
    "value,message",
    [
        ("", "empty"),
        ("   ", "empty"),
        (float("nan"), "empty"),
        ("2024-02-30", "real"),
        ("2023年2月29日", "real"),
        ("20241301", "real"),
        ("31/5/2024", "not a date"),
        ("5/31/2024", "not a date"),
        ("yesterday", "not a date"),
        ("0", "not a date"),
        ("60", "not a date"),  # Excel's 1900-02-29 never existed
        (80001, "not a date"),
        (-1, "not a date"),
        (float("inf"), "not a date"),
        (True, "not a date"),
        ("2024-05", "not a date"),
    ],
)
def test_rejected(value, message):
    with pytest.raises(FieldError) as err:
        parse_date(value)
    assert message in err.value.message


def test_excel_1900_system_edges():
    assert from_excel_serial(1) == date(1900, 1, 1)
    assert from_excel_serial(59) == date(1900, 2, 28)
    assert from_excel_serial(61) == date(1900, 3, 1)
    assert from_excel_serial(45443) == D
    assert to_excel_serial(D) == 45443
    assert to_excel_serial(date(1900, 1, 1)) == 1


def test_chinese_message():
    set_language("zh")
    with pytest.raises(FieldError) as err:
        parse_date("2024-02-30")
    assert err.value.message == "2024-02-30 是不存在的日期。"


def test_age_on():
    assert age_on(date(1950, 6, 1), date(2024, 5, 31)) == 73
    assert age_on(date(1950, 5, 31), date(2024, 5, 31)) == 74
    assert age_on(date(1952, 2, 29), date(2023, 2, 28)) == 70
    assert age_on(date(1952, 2, 29), date(2023, 3, 1)) == 71
    assert age_on(D, D) == 0
    with pytest.raises(FieldError):
        age_on(date(2024, 6, 1), D)


dates = st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31))
FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y%m%d}",
    lambda d: f"{d:%Y-%m-%d} 00:00:00",
    lambda d: f"{d:%Y/%m/%d}",
    lambda d: str(to_excel_serial(d)),
    lambda d: f"{to_excel_serial(d)}.0",
    lambda d: to_excel_serial(d),
    lambda d: float(to_excel_serial(d)),
]


@settings(max_examples=200)
@given(dates, st.sampled_from(FORMATS))
def test_every_format_parses_back(day, render):
    assert parse_date(render(day)) == day


@settings(max_examples=200)
@given(st.integers(1, 80000).filter(lambda n: n != 60))
def test_excel_serial_round_trip(serial):
    assert to_excel_serial(from_excel_serial(serial)) == serial


@settings(max_examples=200)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_age_is_monotonic_and_matches_birthdays(a, b):
    birth, on = min(a, b), max(a, b)
    age = age_on(birth, on)
    assert age >= 0
    assert birth.year + age <= on.year <= birth.year + age + 1
