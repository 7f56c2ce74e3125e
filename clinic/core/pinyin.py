"""Search keys for names: pinyin initials and full pinyin.

Clerks find people by typing "zs" or "zhangsan" for 张三 as often as the
characters. A plain pinyin library reads several surnames wrongly (曾 as
céng, 单 as dān, ...), and clerks spell them both ways, so a surname is
indexed under its real readings: the surname reading and the character's
common reading. Other heteronyms are not indexed: 丁 is never "zheng", so
"zs" does not find 丁淑. The given name takes the common reading of each
character. ü is indexed both as v (as pypinyin and most input methods write
it: lv) and as u (lu), because both are typed.

Readings are cached per character: converting a whole register (tens of
thousands of names) must take about a second.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames read differently from the character's common reading (pypinyin's
# default): the surname reading first (the main key), then the common reading,
# because people spell names the way they look. Domain.md's list (曾 to 查),
# and a few more surnames pypinyin reads wrongly. A surname not listed is
# indexed under its common reading only.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "曾": ("zeng", "ceng"),
    "单": ("shan", "dan"),
    "覃": ("qin", "tan"),
    "区": ("ou", "qu"),
    "仇": ("qiu", "chou"),
    "解": ("xie", "jie"),
    "朴": ("piao", "pu"),
    "查": ("zha", "cha"),
    "翟": ("zhai", "di"),
    "卜": ("bu", "bo"),
    "薄": ("bo", "bao"),
    "缪": ("miao", "mou"),
    "盖": ("ge", "gai"),
    "乐": ("yue", "le"),
    "都": ("du", "dou"),
    "种": ("chong", "zhong"),
    "重": ("chong", "zhong"),
    "召": ("shao", "zhao"),
    "秘": ("bi", "mi"),
    "繁": ("po", "fan"),
    "能": ("nai", "neng"),
    "员": ("yun", "yuan"),
    "句": ("gou", "ju"),
    "长": ("chang", "zhang"),
    "隗": ("wei", "kui"),
    "阚": ("kan", "han"),
}

# Two-character surnames, with their syllables (correct reading first).
COMPOUND_SURNAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "欧阳": (("ou", "yang"),),
    "司马": (("si", "ma"),),
    "上官": (("shang", "guan"),),
    "诸葛": (("zhu", "ge"),),
    "尉迟": (("yu", "chi"), ("wei", "chi")),
    "司徒": (("si", "tu"),),
    "东方": (("dong", "fang"),),
    "皇甫": (("huang", "fu"),),
    "令狐": (("ling", "hu"),),
    "公孙": (("gong", "sun"),),
    "慕容": (("mu", "rong"),),
    "长孙": (("zhang", "sun"), ("chang", "sun")),
    "夏侯": (("xia", "hou"),),
    "端木": (("duan", "mu"),),
    "宇文": (("yu", "wen"),),
}

_PINYIN = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@lru_cache(maxsize=65536)
def _reading(char: str) -> str | None:
    """The common reading of one character, or None if it has none."""
    syllable = lazy_pinyin(char, style=Style.NORMAL)[0]
    return syllable if _PINYIN.fullmatch(syllable) else None


def _first_readings(char: str) -> tuple[str, ...]:
    """The readings of a name's first character as a surname: the listed
    surname readings, else the common reading (not every heteronym)."""
    if char in SURNAME_READINGS:
        return SURNAME_READINGS[char]
    reading = _reading(char)
    return (reading,) if reading else ()


def _tokens(text: str) -> list[tuple[str, ...] | str]:
    """Split a name into pinyin syllables (options per character) and Latin
    words (kept lower-cased, one token per word)."""
    tokens: list[tuple[str, ...] | str] = []
    word = ""
    for char in text:
        if _CJK.match(char):
            if word:
                tokens.append(word)
                word = ""
            syllable = _reading(char)
            if syllable:
                tokens.append((syllable,))
        elif char.isalnum():
            word += char
        elif word:  # spaces, middle dots (阿依古丽·买买提), punctuation
            tokens.append(word)
            word = ""
    if word:
        tokens.append(word)
    return tokens


def _surname_options(name: str) -> tuple[list[tuple[str, ...]], str]:
    """Alternative syllable sequences for the surname, and the rest of the name."""
    compound = COMPOUND_SURNAMES.get(name[:2])
    if compound:
        options = [tuple(s) for s in compound]
        # Also the way the characters look (how a clerk unsure of it types).
        looks = [(r, _reading(name[1]) or "") for r in _first_readings(name[0])]
        options += [o for o in looks if o not in options]
        return options, name[2:]
    if _CJK.match(name[0]) and _first_readings(name[0]):
        return [(r,) for r in _first_readings(name[0])], name[1:]
    return [()], name


def name_keys(name: str) -> set[str]:
    """Every key the name can be found by: initials ("zs") and full pinyin
    ("zhangsan"), lower-case ASCII, for each reading of the surname and with
    ü as both v and u."""
    name = unicodedata.normalize("NFKC", name or "").strip().lower()
    if not name:
        return set()
    surnames, cut = _surname_parts(name[:2])
    rest_initials, rest_full, rest_v, rest_u = _rest_keys(name[cut:])
    keys: set[str] = set()
    for initials, full, has_v, full_u in surnames:
        if not full and not rest_full:
            continue
        keys.add(initials + rest_initials)
        keys.add(full + rest_full)
        if rest_v or has_v:
            keys.add(full_u + rest_u)
    keys.discard("")
    return {k for k in keys if k.isascii()}


@lru_cache(maxsize=65536)
def _surname_parts(head: str) -> tuple[tuple[tuple[str, str, bool, str], ...], int]:
    """The surname's part of the keys, from a name's first two characters (all
    that :func:`_surname_options` reads; a register has a few hundred): per
    reading its initials, its full pinyin, whether it has ü (v) and its full
    pinyin with ü written u; and how many characters the surname takes."""
    options, rest = _surname_options(head)
    parts = []
    for surname in options:
        syllables = [s for s in surname if s]
        parts.append(
            (
                "".join(s[0] for s in syllables),
                "".join(syllables),
                any("v" in s for s in syllables),
                "".join(s.replace("v", "u") for s in syllables),
            )
        )
    return tuple(parts), len(head) - len(rest)


@lru_cache(maxsize=65536)
def _rest_keys(rest: str) -> tuple[str, str, bool, str]:
    """The part of the keys that comes from the name after its surname, the
    same whatever the surname's reading (and for many people: given names
    repeat, a register of 200,000 has a few thousand): its initials, its full
    pinyin, whether a pinyin syllable has ü (v), and its full pinyin with ü
    written u (:func:`_v_to_u`)."""
    tokens = _tokens(rest)
    syllables = [t[0] if isinstance(t, tuple) else t for t in tokens]
    has_v = any("v" in t[0] for t in tokens if isinstance(t, tuple))
    return (
        "".join(s[0] for s in syllables),
        "".join(syllables),
        has_v,
        _v_to_u((), tokens),
    )


def _v_to_u(surname: tuple[str, ...], rest_tokens: list[tuple[str, ...] | str]) -> str:
    """Full pinyin with ü written u (lu for 吕); Latin words keep their v."""
    parts = [s.replace("v", "u") for s in surname if s]
    for token in rest_tokens:
        parts.append(token[0].replace("v", "u") if isinstance(token, tuple) else token)
    return "".join(parts)


def spells_whole_syllables(name: str, typed: str) -> bool:
    """Whether ``typed`` (lower-case pinyin) is the name's first syllables, whole: "wang"
    is 汪超's (wang·chao) but not 万刚明's (wan·gang·ming), though both full keys start
    with it. A search puts such names first; any reading of the surname counts, and ü
    written v or u."""
    if not typed:
        return False
    for syllables in _syllables(name):
        spelled = ""
        for syllable in syllables:
            spelled += syllable
            if len(spelled) >= len(typed):
                if typed in (spelled, spelled.replace("v", "u")):
                    return True
                break
    return False


def _syllables(name: str) -> list[list[str]]:
    """A name's syllables (Latin words whole), for each reading of its surname, the
    surname's own reading first; none for an empty name."""
    name = unicodedata.normalize("NFKC", name or "").strip().lower()
    if not name:
        return []
    surname_options, rest = _surname_options(name)
    tokens = [t[0] if isinstance(t, tuple) else t for t in _tokens(rest)]
    return [[*(s for s in surname if s), *tokens] for surname in surname_options]


def initials(name: str) -> str:
    """The main initials key (correct surname reading): for an indexed column."""
    return _main_key(name)[0]


def full_pinyin(name: str) -> str:
    """The main full-pinyin key (correct surname reading): for an indexed column."""
    return _main_key(name)[1]


def _main_key(name: str) -> tuple[str, str]:
    readings = _syllables(name)
    if not readings:
        return "", ""
    syllables = readings[0]
    return "".join(s[0] for s in syllables), "".join(syllables)


def query_kind(q: str) -> str:
    """What a search box query looks like, so the caller can pick the column:
    "digits" (ID number or phone, maybe ending in X), "latin" (pinyin),
    "hanzi" (characters), "household" (letters and digits, e.g. LS0001),
    "mixed" (anything else), "empty"."""
    text = "".join(unicodedata.normalize("NFKC", q or "").split())
    if not text:
        return "empty"
    if _CJK.search(text):
        return "hanzi"
    if re.fullmatch(r"[0-9]+[xX]?", text):
        return "digits"
    if re.fullmatch(r"[A-Za-z]+", text):
        return "latin"
    if re.fullmatch(r"[A-Za-z0-9\-_]+", text):
        return "household"
    return "mixed"
