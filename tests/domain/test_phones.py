"""Phones: mobiles and Chongqing landlines in one stored form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.errors import FieldError
from clinic.core.phones import is_mobile, normalise_phone
from clinic.i18n import set_language


@pytest.mark.parametrize(
    "text,expected",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("013812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("13812345678.0", "13812345678"),
        (13812345678, "13812345678"),
        ("023-12345678", "02312345678"),
        ("(023)12345678", "02312345678"),
        ("（023）12345678", "02312345678"),
        ("023 4847 1234", "02348471234"),
        ("02348471234", "02348471234"),
        ("48471234", "02348471234"),
        ("4847-1234", "02348471234"),
        ("+86 23 4847 1234", "02348471234"),
    ],
)
def test_accepted(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12812345678",  # 12x is not a mobile range
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "010-12345678",  # Beijing landline
        "0831-1234567",
        "1234567",
        "138l2345678",  # letter l for 1
        "phone",
        "+1 650 555 1234",
    ],
)
def test_rejected(text):
    with pytest.raises(FieldError):
        normalise_phone(text)


@pytest.mark.parametrize("text", ["1.38123E+10", "1.3812345678E+10", "2.3484712E+9"])
def test_excel_scientific_notation(text):
    with pytest.raises(FieldError) as err:
        normalise_phone(text)
    assert "Excel" in err.value.message


def test_empty():
    with pytest.raises(FieldError) as err:
        normalise_phone("  ")
    assert "empty" in err.value.message


def test_chinese_message():
    set_language("zh")
    with pytest.raises(FieldError) as err:
        normalise_phone("12345")
    assert "手机号" in err.value.message and "023" in err.value.message


def test_is_mobile():
    assert is_mobile("13812345678")
    assert not is_mobile("02312345678")
    assert not is_mobile("")


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
landlines = st.from_regex(r"023[0-9]{8}", fullmatch=True)


@settings(max_examples=200)
@given(st.one_of(mobiles, landlines))
def test_stored_form_is_idempotent(phone):
    assert normalise_phone(phone) == phone
    assert normalise_phone(normalise_phone(phone)) == phone


@settings(max_examples=200)
@given(
    mobiles, st.sampled_from(["", "+86", "+86 ", "86", "0086 "]), st.sampled_from(["", " ", "-"])
)
def test_mobile_spellings(mobile, prefix, sep):
    text = prefix + mobile[:3] + sep + mobile[3:7] + sep + mobile[7:]
    assert normalise_phone(text) == mobile


@settings(max_examples=200)
@given(
    st.from_regex(r"[0-9]{8}", fullmatch=True),
    st.sampled_from(["023-{}", "(023){}", "023 {}", "{}", "023{}"]),
)
def test_landline_spellings(local, form):
    assert normalise_phone(form.format(local)) == "023" + local


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_anything_either_normalises_to_a_stored_form_or_raises(text):
    try:
        phone = normalise_phone(text)
    except FieldError:
        return
    assert is_mobile(phone) or (phone.startswith("023") and len(phone) == 11 and phone.isdigit())
    assert normalise_phone(phone) == phone
