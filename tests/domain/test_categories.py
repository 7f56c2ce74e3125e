"""Household categories, person tags and sex."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.categories import (
    CATEGORIES,
    TAGS,
    category_label,
    parse_category,
    parse_sex,
    parse_tags,
    sex_label,
    tag_label,
)
from clinic.core.errors import FieldError
from clinic.i18n import set_language


@pytest.mark.parametrize(
    "text,code",
    [
        ("脱贫户", "lifted"),
        ("建档立卡贫困户", "lifted"),
        ("建卡贫困户", "lifted"),
        ("贫困户", "lifted"),
        ("Lifted out of poverty", "lifted"),
        ("registered poor", "lifted"),
        ("LIFTED", "lifted"),
        ("监测对象", "monitored"),
        ("监测户", "monitored"),
        ("边缘易致贫户", "monitored"),
        ("突发严重困难户", "monitored"),
        ("脱贫不稳定户", "monitored"),
        ("Under monitoring", "monitored"),
        ("低保户", "dibao"),
        ("低保", "dibao"),
        ("农村低保户", "dibao"),
        ("Minimum-income (dibao)", "dibao"),
        ("特困供养", "tekun"),
        ("特困户", "tekun"),
        ("特困人员", "tekun"),
        ("五保户", "tekun"),
        ("Destitute support (tekun)", "tekun"),
        ("一般农户", "ordinary"),
        ("一般户", "ordinary"),
        ("普通农户", "ordinary"),
        ("非贫困户", "ordinary"),
        ("", "ordinary"),
        (None, "ordinary"),
        ("  ", "ordinary"),
        (" 低保户 ", "dibao"),
        ("低保 户", "dibao"),
    ],
)
def test_parse_category(text, code):
    assert parse_category(text) == code


@pytest.mark.parametrize("text", ["富裕户", "poor", "x"])
def test_unknown_category(text):
    with pytest.raises(FieldError) as err:
        parse_category(text)
    assert text in err.value.message


def test_category_labels():
    assert CATEGORIES == ("lifted", "monitored", "dibao", "tekun", "ordinary")
    assert [category_label(c) for c in CATEGORIES] == [
        "Lifted out of poverty",
        "Under monitoring",
        "Minimum-income (dibao)",
        "Destitute support (tekun)",
        "Ordinary",
    ]
    set_language("zh")
    assert [category_label(c) for c in CATEGORIES] == [
        "脱贫户",
        "监测对象",
        "低保户",
        "特困供养",
        "一般农户",
    ]
    with pytest.raises(FieldError) as err:
        parse_category("富裕户")
    assert "脱贫户、监测对象" in err.value.message


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_labels_read_back(lang):
    set_language(lang)
    for code in CATEGORIES:
        assert parse_category(category_label(code)) == code
    for code in TAGS:
        assert parse_tags(tag_label(code)) == [code]
    for code in ("M", "F"):
        assert parse_sex(sex_label(code)) == code


@pytest.mark.parametrize(
    "text,codes",
    [
        ("", []),
        (None, []),
        ("残疾人", ["disabled"]),
        ("残疾人;留守老人", ["disabled", "left_behind_elderly"]),
        ("残疾；留守老人，签约", ["disabled", "left_behind_elderly", "family_doctor"]),
        ("残疾人、家庭医生签约", ["disabled", "family_doctor"]),
        ("残疾人/已签约", ["disabled", "family_doctor"]),
        ("残疾人 留守老人", ["disabled", "left_behind_elderly"]),
        ("残疾人,残疾", ["disabled"]),
        ("family doctor, disabled", ["family_doctor", "disabled"]),
        ("Left-behind elderly; Disabled", ["left_behind_elderly", "disabled"]),
        (" ; 、", []),
    ],
)
def test_parse_tags(text, codes):
    assert parse_tags(text) == codes


def test_unknown_tag():
    with pytest.raises(FieldError) as err:
        parse_tags("残疾人、高血压")
    assert "高血压" in err.value.message


def test_tag_labels():
    assert [tag_label(t) for t in TAGS] == [
        "Disabled",
        "Left-behind elderly",
        "Family-doctor contract",
    ]
    set_language("zh")
    assert [tag_label(t) for t in TAGS] == ["残疾人", "留守老人", "家庭医生签约"]


@pytest.mark.parametrize(
    "text,code",
    [
        ("男", "M"),
        ("女", "F"),
        ("M", "M"),
        ("f", "F"),
        ("Male", "M"),
        ("FEMALE", "F"),
        (" 男 ", "M"),
        ("", None),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_sex(text, code):
    assert parse_sex(text) == code


@pytest.mark.parametrize("text", ["1", "2", "男性", "man", "x"])
def test_unknown_sex(text):
    with pytest.raises(FieldError):
        parse_sex(text)


def test_sex_labels():
    assert sex_label("M") == "male"
    set_language("zh")
    assert (sex_label("M"), sex_label("F")) == ("男", "女")


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(["残疾人", "残疾", "留守老人", "签约", "家庭医生签约", "已签约"]),
        max_size=6,
    ),
    st.lists(
        st.sampled_from([";", "；", ",", "，", "、", "/", " ", "　", " ; "]), min_size=6, max_size=6
    ),
)
def test_tags_any_separator(words, seps):
    text = "".join(w + s for w, s in zip(words, seps, strict=False))
    codes = parse_tags(text)
    assert len(codes) == len(set(codes))
    assert set(codes) == {parse_tags(w)[0] for w in words}
