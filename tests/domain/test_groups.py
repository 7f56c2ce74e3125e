"""Village groups: every spelling reads as one number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.errors import FieldError
from clinic.core.groups import chinese_to_int, group_label, int_to_chinese, parse_group
from clinic.i18n import set_language


@pytest.mark.parametrize(
    "text,n",
    [
        ("3组", 3),
        ("三组", 3),
        ("3社", 3),
        ("三社", 3),
        ("第三村民小组", 3),
        ("第3村民小组", 3),
        ("十二组", 12),
        ("二十一社", 21),
        ("3", 3),
        ("03组", 3),
        ("３组", 3),
        (" 3 组 ", 3),
        ("第十村民小组", 10),
        ("九十九组", 99),
        ("两组", 2),
        ("3小组", 3),
        ("三村民组", 3),
        ("3队", 3),
        ("第3生产队", 3),
        ("Group 3", 3),
        ("group 12", 12),
        (3, 3),
        ("3.0", 3),
    ],
)
def test_accepted(text, n):
    assert parse_group(text) == n


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0组",
        "100组",
        "组",
        "三十十组",
        "十十组",
        "3组4",
        "abc",
        "三四组",
        "一百组",
        "-3",
        "3.5",
    ],
)
def test_rejected(text):
    with pytest.raises(FieldError):
        parse_group(text)


def test_labels():
    assert group_label(3) == "Group 3"
    set_language("zh")
    assert group_label(3) == "3组"
    with pytest.raises(FieldError) as err:
        parse_group("x")
    assert "组号" in err.value.message


def test_chinese_numerals():
    assert [int_to_chinese(n) for n in (1, 10, 11, 20, 21, 99)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert chinese_to_int("二十") == 20
    assert chinese_to_int("二二") is None


def _chinese(n: int) -> str:
    """An independent renderer, so the test does not trust the module's own."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones - 1]
    head = "" if tens == 1 else digits[tens - 1]
    return head + "十" + (digits[ones - 1] if ones else "")


groups = st.integers(1, 99)


@settings(max_examples=200)
@given(
    groups,
    st.sampled_from(
        ["{n}组", "{n}社", "第{n}村民小组", "{n}", "0{n}组", "{c}组", "{c}社", "第{c}村民小组"]
    ),
)
def test_every_spelling_reads_back(n, form):
    assert parse_group(form.format(n=n, c=_chinese(n))) == n


@settings(max_examples=200)
@given(groups)
def test_label_round_trips(n):
    assert parse_group(group_label(n)) == n
    assert int_to_chinese(n) == _chinese(n)
    assert chinese_to_int(_chinese(n)) == n
