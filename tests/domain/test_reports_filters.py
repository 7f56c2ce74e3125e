"""Period bounds as a coordinator types them: dates, whole years, whole months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core.errors import InputError
from clinic.core.reports import parse_bound


@pytest.mark.parametrize(
    "text,end,expected",
    [
        ("2025", False, dt.date(2025, 1, 1)),
        ("2025", True, dt.date(2025, 12, 31)),
        ("２０２５年", True, dt.date(2025, 12, 31)),
        ("2024年2月", True, dt.date(2024, 2, 29)),
        ("2025-02", True, dt.date(2025, 2, 28)),
        ("2025/12", True, dt.date(2025, 12, 31)),
        ("2025.6", False, dt.date(2025, 6, 1)),
        ("2025年5月31日", True, dt.date(2025, 5, 31)),
        ("", True, None),
        (None, False, None),
    ],
)
def test_bounds(text, end, expected):
    assert parse_bound(text, end=end) == expected


def test_nonsense_is_an_input_error():
    for text in ("2025-13", "next year", "2025-13-45"):
        with pytest.raises(InputError):
            parse_bound(text, end=False)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)), st.booleans())
def test_any_iso_date_is_itself(day, end):
    assert parse_bound(day.isoformat(), end=end) == day


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_a_month_covers_exactly_its_days(year, month):
    first = parse_bound(f"{year}-{month:02d}", end=False)
    last = parse_bound(f"{year}年{month}月", end=True)
    assert first.day == 1 and first.month == last.month == month
    assert (last + dt.timedelta(days=1)).day == 1
