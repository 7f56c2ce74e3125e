"""Masking IDs and phones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.privacy import mask_id, mask_phone


def test_mask_id():
    assert mask_id("500110196911269646") == "5001**********9646"
    assert mask_id("500222691126964") == "5002*******6964"
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_id(None) == ""
    assert mask_id("") == ""
    assert mask_id("12345678") == "********"
    assert mask_id("123") == "***"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("02312345678") == "023****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("48471234") == "023****1234"
    assert mask_phone(None) == ""
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"
    assert mask_phone("010-12345678") == "010****5678"


@settings(max_examples=200)
@given(st.text(alphabet="0123456789X", max_size=30))
def test_mask_id_reveals_at_most_8(number):
    masked = mask_id(number)
    assert len(masked) == len(number)
    revealed = [i for i, c in enumerate(masked) if c != "*"]
    assert len(revealed) <= 8
    assert all(masked[i] == number[i] for i in revealed)
    if len(number) > 8:
        assert masked[:4] == number[:4] and masked[-4:] == number[-4:]


@settings(max_examples=200)
@given(st.from_regex(r"1[3-9][0-9]{9}|023[0-9]{8}", fullmatch=True))
def test_mask_phone_reveals_at_most_7(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
