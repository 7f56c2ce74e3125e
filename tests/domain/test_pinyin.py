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


def test_listed_surname_keeps_both_readings():
    # 长 as a single surname: chang (the surname reading) and zhang (as it looks).
    assert {"zhangming", "changming"} <= name_keys("长明")
    assert full_pinyin("长明") == "changming"


# The ~100 most common Chinese surnames and how they read as surnames (by
# hand, not from pypinyin): a special surname has its surname reading and the
# common one, every other surname one reading only.
COMMON_SURNAMES: dict[str, tuple[str, ...]] = {
    **{
        c: (r,)
        for c, r in zip(
            "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘于蒋蔡余"
            "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
            "史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤",
            "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo "
            "zheng liang xie song tang xu han feng deng cao peng xiao tian dong yuan pan yu jiang "
            "cai yu du ye cheng su wei lv ding ren shen yao lu jiang cui zhong tan lu wang fan jin "
            "shi liao jia xia wei fu fang bai zou meng xiong qin qiu jiang yin xue yan duan lei hou "
            "long shi tao li he gu mao hao gong shao wan qian yan wu dai mo kong xiang tang".split(),
            strict=True,
        )
    },
    "曾": ("zeng", "ceng"),
    "单": ("shan", "dan"),
    "覃": ("qin", "tan"),
    "区": ("ou", "qu"),
    "仇": ("qiu", "chou"),
    "解": ("xie", "jie"),
    "朴": ("piao", "pu"),
    "查": ("zha", "cha"),
    "翟": ("zhai", "di"),
}


def expected_keys(surname: str, given: str = "明") -> set[str]:
    """The keys a name must have, from the table above."""
    rest = lazy_pinyin(given)
    keys = set()
    for reading in COMMON_SURNAMES[surname]:
        full = reading + "".join(rest)
        keys |= {full, reading[0] + "".join(s[0] for s in rest)}
        if "v" in full:
            keys.add(full.replace("v", "u"))
    return keys


@pytest.mark.parametrize("surname", list(COMMON_SURNAMES))
def test_common_surnames_only_their_real_readings(surname):
    assert name_keys(surname + "明") == expected_keys(surname)
    assert full_pinyin(surname + "明") == COMMON_SURNAMES[surname][0] + "ming"


def test_heteronyms_of_a_surname_are_not_indexed():
    # 丁 is not zheng, 王 not yu, 仇 not ju, 覃 not yan, 朴 not po, 单 not chan.
    for name, wrong in [
        ("丁淑", {"zs", "zhengshu"}),
        ("王芳", {"yf", "yufang"}),
        ("仇勇", {"jy", "juyong"}),
        ("覃明", {"yanming"}),
        ("朴明", {"poming"}),
        ("单丽", {"cl", "chanli"}),
    ]:
        assert not wrong & name_keys(name), name


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


def test_common_surnames_found_only_by_their_real_readings(store, add_person, search_names):
    """Every heteronym of every common surname, as initials and as full pinyin,
    finds exactly the people whose names read that way."""
    from pypinyin import Style, pinyin

    for surname in COMMON_SURNAMES:
        add_person(store, surname + "淑")
    wanted = {surname + "淑": expected_keys(surname, "淑") for surname in COMMON_SURNAMES}
    for surname in COMMON_SURNAMES:
        for reading in pinyin(surname, style=Style.NORMAL, heteronym=True)[0]:
            for query in (reading[0] + "s", reading + "shu"):
                found = set(search_names(store, query))
                assert found == {
                    name for name, keys in wanted.items() if any(k.startswith(query) for k in keys)
                }, query
    assert "丁淑" not in search_names(store, "zs")
    assert "丁淑" in search_names(store, "ds")


def plain_name_keys(name: str) -> set[str]:
    """name_keys as it was written before the surname's part was cached per first
    two characters: each reading of the surname joined with the rest, name by name."""
    import unicodedata

    from clinic.core.pinyin import _rest_keys, _surname_options

    name = unicodedata.normalize("NFKC", name or "").strip().lower()
    if not name:
        return set()
    surname_options, rest = _surname_options(name)
    rest_initials, rest_full, rest_v, rest_u = _rest_keys(rest)
    keys: set[str] = set()
    for surname in surname_options:
        syllables = [s for s in surname if s]
        if not syllables and not rest_full:
            continue
        keys.add("".join(s[0] for s in syllables) + rest_initials)
        keys.add("".join(syllables) + rest_full)
        if rest_v or any("v" in s for s in syllables):
            keys.add("".join(s.replace("v", "u") for s in syllables) + rest_u)
    keys.discard("")
    return {k for k in keys if k.isascii()}


@given(
    st.text(
        alphabet="曾单覃欧阳司马尉迟长孙吕女律张三明 ·abvüLÜ1１",
        max_size=6,
    )
)
def test_name_keys_with_cached_surnames_are_the_plain_ones(name):
    assert name_keys(name) == plain_name_keys(name)
