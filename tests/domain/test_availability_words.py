"""A volunteer's availability in words of the user's language, read back the same
(the volunteer form shows it; in English it showed "不限" and Chinese examples)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core.errors import FieldError
from clinic.core.planning.availability import parse_availability, words
from clinic.i18n import set_language

PATTERNS = st.tuples(
    st.sets(st.sampled_from("0123456"), min_size=1).map(lambda s: "".join(sorted(s))),
    st.booleans(),
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_words_read_back_as_the_same_pattern(lang):
    set_language(lang)
    try:

        @given(PATTERNS)
        def check(pattern):
            weekdays, holidays = pattern
            back = parse_availability(words(weekdays, holidays))
            if weekdays == "0123456" and holidays:
                assert (back.weekdays, back.holidays) == ("0123456", True)
            else:
                assert (back.weekdays, back.holidays) == (weekdays, holidays)

        check()
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["any", "weekends, holidays", "sat"]), ("zh", ["不限", "周末, 节假日", "周六"])],
)
def test_words_are_in_the_users_language(lang, expected):
    set_language(lang)
    try:
        shown = [words("0123456", True), words("56", True), words("5", False)]
    finally:
        set_language("en")
    assert shown == expected


def test_an_unknown_word_names_the_words_in_english_and_chinese():
    with pytest.raises(FieldError) as raised:
        parse_availability("sometimes")
    assert "weekends" in raised.value.message and "周末" in raised.value.message
