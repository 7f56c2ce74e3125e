"""Pinyin search keys for names, and query classification."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from clinic.core.pinyin import full_pinyin, initials, name_keys, query_kind


def test_plain_name():
    assert name_keys("张三") == {"zs", "zhangsan"}
    assert initials("张三") == "zs"
    assert full_pinyin("张三") == "zhangsan"


@pytest.mark.parametrize(
    "name,wanted",
    [
        ("曾凡", {"zengfan", "cengfan", "zf", "cf"}),
        ("单雄信", {"shanxiongxin", "danxiongxin", "sxx", "dxx"}),
        ("覃明", {"qinming", "tanming", "qm", "tm"}),
        ("区大伟", {"oudawei", "qudawei", "odw", "qdw"}),
        ("仇勇", {"qiuyong", "chouyong"}),
        ("解红", {"xiehong", "jiehong"}),
        ("朴明", {"piaoming", "puming"}),
        ("查文", {"zhawen", "chawen"}),
        ("尉迟恭", {"yuchigong", "ycg"}),
    ],
)
def test_every_surname_reading(name, wanted):
    assert wanted <= name_keys(name)


@pytest.mark.parametrize(
    "name,main_full,main_initials",
    [
        ("曾凡", "zengfan", "zf"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("区大伟", "oudawei", "odw"),
    ],
)
def test_main_keys_use_the_surname_reading(name, main_full, main_initials):
    assert full_pinyin(name) == main_full
    assert initials(name) == main_initials


@pytest.mark.parametrize(
    "name,full,inits",
    [
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("司马光", "simaguang", "smg"),
        ("上官婉儿", "shangguanwaner", "sgwe"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("司徒雷", "situlei", "stl"),
        ("东方明", "dongfangming", "dfm"),
        ("皇甫嵩", "huangfusong", "hfs"),
        ("令狐冲", "linghuchong", "lhc"),
        ("公孙胜", "gongsunsheng", "gss"),
        ("慕容复", "murongfu", "mrf"),
        ("夏侯惇", "xiahoudun", "xhd"),
        ("端木蓉", "duanmurong", "dmr"),
        ("宇文化", "yuwenhua", "ywh"),
    ],
)
def test_compound_surnames(name, full, inits):
    keys = name_keys(name)
    assert full in keys and inits in keys


def test_u_umlaut_written_v_and_u():
    keys = name_keys("吕秀英")
    assert {"lvxiuying", "luxiuying", "lxy"} <= keys
    assert {"nvwa", "nuwa"} <= name_keys("女娲")


def test_first_character_heteronyms_are_included():
    # 长 as a single surname: both zhang and chang.
    assert {"zhangming", "changming"} <= name_keys("长明")


def test_non_chinese_kept_lower_case():
    assert name_keys("John Smith") == {"johnsmith", "js"}
    assert name_keys("张John") == {"zhangjohn", "zj"}
    assert {"ayigulimaimaiti", "ayglmmt"} <= name_keys("阿依古丽·买买提")
    assert name_keys("") == set()
    assert name_keys("   ") == set()


def test_keys_are_lower_ascii():
    for name in ["张三", "䶮", "𪚥大", "Ōu Yang", "王·小明", "李4"]:
        for key in name_keys(name):
            assert key.isascii() and key == key.lower() and key


@pytest.mark.parametrize(
    "q,kind",
    [
        ("500110196911269646", "digits"),
        ("11010519491231002X", "digits"),
        ("1101x", "digits"),
        ("138 1234", "digits"),
        ("１３８", "digits"),
        ("zs", "latin"),
        ("zhang san", "latin"),
        ("ZS", "latin"),
        ("张三", "hanzi"),
        ("张s", "hanzi"),
        ("3组张", "hanzi"),
        ("LS0001", "household"),
        ("ls-0001", "household"),
        ("x1", "household"),
        ("", "empty"),
        ("   ", "empty"),
        ("@#!", "mixed"),
        ("a.b", "mixed"),
    ],
)
def test_query_kind(q, kind):
    assert query_kind(q) == kind


# Characters for generated names (CJK Unified Ideographs block); a few (兙, 瓩,
# ...) have no reading in pypinyin and are dropped from keys, tested apart.
hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(
    lambda c: lazy_pinyin(c)[0].isascii()
)


def test_character_without_reading_is_skipped():
    assert name_keys("张兙") == {"zhang", "z"}


@settings(max_examples=200)
@given(st.text(alphabet=hanzi, min_size=1, max_size=4))
def test_generated_names(name):
    keys = name_keys(name)
    assert full_pinyin(name) in keys and initials(name) in keys
    for key in keys:
        assert key.isascii() and key.isalpha() and key == key.lower()
    # Each initials key has one letter per syllable.
    assert any(len(k) == len(name) for k in keys) or len(keys) == 0


@settings(max_examples=200)
@given(
    st.sampled_from(["曾", "单", "覃", "区", "仇", "解", "朴", "查"]),
    st.text(alphabet=hanzi, min_size=1, max_size=2),
)
def test_both_surname_spellings_find_the_person(surname, given_name):
    keys = name_keys(surname + given_name)
    # Given-name characters take their common (per-character) reading.
    syllables = [lazy_pinyin(c)[0] for c in given_name]
    rest = "".join(syllables)
    for reading in {
        "曾": ("zeng", "ceng"),
        "单": ("shan", "dan"),
        "覃": ("qin", "tan"),
        "区": ("ou", "qu"),
        "仇": ("qiu", "chou"),
        "解": ("xie", "jie"),
        "朴": ("piao", "pu"),
        "查": ("zha", "cha"),
    }[surname]:
        assert reading + rest in keys
        assert reading[0] + "".join(x[0] for x in syllables) in keys


@settings(max_examples=200)
@given(st.text(max_size=12))
def test_query_kind_total(q):
    assert query_kind(q) in {"digits", "latin", "hanzi", "household", "mixed", "empty"}
