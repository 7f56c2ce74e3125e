"""Vital signs: plausible ranges refuse slips, flags follow the national norms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core import vitals as V
from clinic.core.errors import FieldError


def codes(sbp=None, dbp=None, glucose=None, fasting=None):
    return [f.code for f in V.flags_for(sbp, dbp, glucose, fasting)]


def test_bp_thresholds():
    assert codes(139, 89) == []
    assert codes(140, 80) == ["bp_raised"]
    assert codes(120, 90) == ["bp_raised"]
    assert codes(180, 90) == ["bp_urgent"]
    assert codes(150, 110) == ["bp_urgent"]


def test_glucose_thresholds():
    assert codes(glucose=6.9, fasting=True) == []
    assert codes(glucose=7.0, fasting=True) == ["glucose_diabetes"]
    assert codes(glucose=7.0, fasting=False) == []
    assert codes(glucose=11.1, fasting=False) == ["glucose_diabetes"]
    assert codes(glucose=16.7, fasting=False) == ["glucose_high", "glucose_diabetes"]
    assert codes(glucose=3.9) == ["glucose_low"]
    assert codes(glucose=4.0) == []


def test_urgent_flags_come_first():
    flags = V.flags_for(150, 95, 2.8, False)
    assert [f.level for f in flags] == ["urgent", "raised"]


@pytest.mark.parametrize("text", ["140/90", "140 90", "140-90", "１４０／９０", " 140/90 "])
def test_bp_spellings(text):
    assert V.parse_bp(text) == (140, 90)


@pytest.mark.parametrize(
    "text, field",
    [
        ("1400/90", "bp"),
        ("140", "bp"),
        ("90/140", "bp"),
        ("300/90", "sbp"),
        ("140/20", "dbp"),
    ],
)
def test_bp_refusals(text, field):
    with pytest.raises(FieldError) as info:
        V.parse_bp(text)
    assert info.value.field == field
    assert info.value.message


@pytest.mark.parametrize(
    "name, text",
    [
        ("glucose", "900"),
        ("glucose", "0.5"),
        ("pulse", "500"),
        ("weight_kg", "600"),
        ("height_cm", "16"),
        ("pulse", "abc"),
    ],
)
def test_out_of_range_refused_in_words(name, text):
    with pytest.raises(FieldError) as info:
        V.parse_number(text, name)
    assert "plausible" in info.value.message or "not a number" in info.value.message
    # (110, mg/dL typed into a mmol/L field, is named so: test_a_glucose_typed_in_mg_per_dl…)


def test_read_form_keeps_valid_values_beside_a_wrong_one():
    vitals = V.read_form({"bp": "150/95", "glucose": "99", "pulse": "72"}, fasting=True)
    assert (vitals.sbp, vitals.dbp, vitals.pulse, vitals.glucose) == (150, 95, 72, None)
    assert set(vitals.problems) == {"glucose"}


@given(st.integers(61, 280), st.integers(31, 160))
def test_any_plausible_pair_reads_back_or_is_refused_in_words(sbp, dbp):
    try:
        assert V.parse_bp(f"{sbp}/{dbp}") == (sbp, dbp)
        assert sbp > dbp
    except FieldError as exc:
        assert sbp <= dbp and exc.field == "bp"


@given(st.text(max_size=12))
def test_parse_bp_never_crashes(text):
    try:
        V.parse_bp(text)
    except FieldError:
        pass


@pytest.mark.parametrize(
    "name, text, done",
    [
        ("bp", "140/9", False),
        ("bp", "140/90", True),
        ("bp", "140/1", False),
        ("bp", "140/10", False),
        ("bp", "140/100", True),
        ("bp", "140 85", True),
        ("bp", "１４０／９０", True),
        ("glucose", "6", False),
        ("glucose", "6.", False),
        ("glucose", "6.1", True),
        ("glucose", "16.7", True),
        ("pulse", "72", False),
    ],
)
def test_when_a_reading_is_complete(name, text, done):
    assert V.looks_complete(name, text) is done


def test_a_glucose_typed_in_mg_per_dl_is_named_so():
    with pytest.raises(FieldError) as info:
        V.parse_number("110", "glucose")
    assert "mg/dL" in info.value.message and "6.1" in info.value.message
    with pytest.raises(FieldError) as info:
        V.parse_number("900", "glucose")  # not a mg/dL reading either: the plain range
    assert "mg/dL" not in info.value.message and "1.1–33.3" in info.value.message
