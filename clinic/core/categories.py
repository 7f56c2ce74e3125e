"""Household categories, person tags and sex: codes, the words for them, labels.

Registers name the same category in several ways (policy names changed over
the years: 建档立卡贫困户 became 脱贫户), so every known spelling maps to one
stable code, and a word we do not know is an error rather than a silent
"ordinary": a wrong category would skew the reports the coordinator files.
"""

from __future__ import annotations

import re
import unicodedata

from clinic.core.errors import FieldError
from clinic.i18n import N_, _, current_language

CATEGORIES: tuple[str, ...] = ("lifted", "monitored", "dibao", "tekun", "ordinary")
DEFAULT_CATEGORY = "ordinary"

_CATEGORY_LABELS = {
    "lifted": N_("Lifted out of poverty"),
    "monitored": N_("Under monitoring"),
    "dibao": N_("Minimum-income (dibao)"),
    "tekun": N_("Destitute support (tekun)"),
    "ordinary": N_("Ordinary"),
}

# Short forms for narrow list columns.
_CATEGORY_SHORT = {
    "lifted": N_("Lifted"),
    "monitored": N_("Monitored"),
    "dibao": N_("Dibao"),
    "tekun": N_("Tekun"),
    "ordinary": N_("Ordinary"),
}

_CATEGORY_WORDS = {
    "lifted": [
        "脱贫户",
        "建档立卡贫困户",
        "建卡贫困户",
        "贫困户",
        "lifted",
        "lifted out of poverty",
        "registered poor",
    ],
    "monitored": [
        # 脱贫不稳定户 is one of the three kinds of 防止返贫监测对象.
        "监测对象",
        "监测户",
        "边缘易致贫户",
        "突发严重困难户",
        "脱贫不稳定户",
        "monitored",
        "under monitoring",
    ],
    "dibao": ["低保户", "低保", "农村低保户", "dibao", "minimum-income", "minimum income"],
    "tekun": [
        "特困供养",
        "特困户",
        "特困人员",
        "五保户",
        "tekun",
        "destitute support",
        "destitute",
    ],
    "ordinary": ["一般农户", "一般户", "普通农户", "非贫困户", "ordinary"],
}

TAGS: tuple[str, ...] = ("disabled", "left_behind_elderly", "family_doctor")

_TAG_LABELS = {
    "disabled": N_("Disabled"),
    "left_behind_elderly": N_("Left-behind elderly"),
    "family_doctor": N_("Family-doctor contract"),
}

_TAG_WORDS = {
    "disabled": ["残疾人", "残疾", "disabled"],
    "left_behind_elderly": [
        "留守老人",
        "left_behind_elderly",
        "left-behind elderly",
        "left-behind",
        "left behind elderly",
    ],
    "family_doctor": [
        "签约",
        "家庭医生签约",
        "已签约",
        "family_doctor",
        "family doctor",
        "family-doctor contract",
        "family doctor contract",
    ],
}

SEXES: tuple[str, ...] = ("M", "F")
_SEX_LABELS = {"M": N_("male"), "F": N_("female")}
_SEX_WORDS = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}

# ; ； , ， 、 / and whitespace separate tags (full-width forms fold under NFKC).
_TAG_SPLIT = re.compile(r"[;,、/]+")


def _key(text: str) -> str:
    """Fold a word for lookup: NFKC, case, surrounding and repeated spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def _index(words: dict[str, list[str]]) -> dict[str, str]:
    return {_key(word): code for code, spellings in words.items() for word in spellings}


_CATEGORY_INDEX = _index(_CATEGORY_WORDS)
_CATEGORY_INDEX.update({_key(label): code for code, label in _CATEGORY_LABELS.items()})
_TAG_INDEX = _index(_TAG_WORDS)
_TAG_INDEX.update({_key(label): code for code, label in _TAG_LABELS.items()})


def _choices(labels: list[str]) -> str:
    return ("、" if current_language() == "zh" else ", ").join(labels)


def parse_category(text: str | None) -> str:
    """The category code for any known spelling; blank means ordinary (most
    households in a register carry no category at all)."""
    key = _key(text or "")
    if not key:
        return DEFAULT_CATEGORY
    code = _CATEGORY_INDEX.get(key)
    if code is None:
        # Chinese labels as shown in the zh interface also read back.
        code = _CATEGORY_INDEX.get(key.replace(" ", ""))
    if code is None:
        raise FieldError(
            _("Unknown household category {value}; use one of: {choices}.").format(
                value=(text or "").strip(),
                choices=_choices([category_label(c) for c in CATEGORIES]),
            )
        )
    return code


def category_label(code: str) -> str:
    """The category's name in the current language."""
    return _(_CATEGORY_LABELS[code])


def category_short(code: str) -> str:
    """The category's name for a narrow column (脱贫户, Lifted)."""
    return _(_CATEGORY_SHORT[code])


def _parse_tag(word: str) -> str | None:
    return _TAG_INDEX.get(_key(word))


def parse_tags(text: str | None) -> list[str]:
    """Tag codes from a cell such as "残疾人、留守老人"; order kept, repeats
    dropped. Unknown words raise FieldError."""
    found: list[str] = []
    normal = unicodedata.normalize("NFKC", text or "")
    for part in _TAG_SPLIT.split(normal):
        if not part.strip():
            continue
        # A whole part may be a spelling with a space ("family doctor");
        # otherwise spaces separate tags too.
        whole = _parse_tag(part)
        words = [part] if whole else part.split()
        for word in words:
            code = _parse_tag(word)
            if code is None:
                raise FieldError(
                    _("Unknown tag {value}; use one of: {choices}.").format(
                        value=word.strip(), choices=_choices([tag_label(t) for t in TAGS])
                    )
                )
            if code not in found:
                found.append(code)
    return found


def tag_label(code: str) -> str:
    """The tag's name in the current language."""
    return _(_TAG_LABELS[code])


def parse_sex(text: str | None) -> str | None:
    """ "M", "F", or None for a blank cell. Only 男/女/M/F/male/female:
    codes like 1/2 differ between systems, so they are refused."""
    key = _key(text or "")
    if not key:
        return None
    code = _SEX_WORDS.get(key)
    if code is None:
        raise FieldError(
            _("Unknown sex {value}; write 男 or 女 (M or F).").format(value=(text or "").strip())
        )
    return code


def sex_label(code: str) -> str:
    """ "男"/"女" in Chinese, "male"/"female" in English."""
    return _(_SEX_LABELS[code])
