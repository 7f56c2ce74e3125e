"""Village groups (村民小组; in Chongqing also 社) as a number.

"3组", "三组", "3社", "第三村民小组" and "03组" are the same group, and
registers from different cadres mix them, so the group is stored as an int
and shown with ``group_label``.
"""

from __future__ import annotations

import re
import unicodedata

from clinic.core.errors import FieldError
from clinic.i18n import _

MAX_GROUP = 99

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Suffixes, longest first. 生产队/队 are the pre-1980s names of the same unit
# and survive in old records.
_GROUP = re.compile(
    r"(?:group|grp\.?|no\.?)?\s*第?\s*(?P<n>[0-9]+|[零〇一二两三四五六七八九十]+)\s*"
    r"(?:村民小组|村民组|小组|组|社|生产队|队)?",
    re.IGNORECASE,
)


def chinese_to_int(text: str) -> int | None:
    """Read a Chinese numeral up to 99 (三, 十二, 二十一); None if it is not one."""
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        if "十" in ones or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
            return None
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    return None


def int_to_chinese(n: int) -> str:
    """Write 1..99 as a Chinese numeral: 3 → 三, 12 → 十二, 21 → 二十一."""
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    tens, ones = divmod(n, 10)
    return (names[tens] if tens > 1 else "") + "十" + (names[ones] if ones else "")


def parse_group(text: str | int) -> int:
    """The group number from any common spelling. Raises FieldError."""
    raw = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
    if re.fullmatch(r"\d+\.0+", raw):  # 3.0 from a numeric spreadsheet cell
        raw = raw.partition(".")[0]
    match = _GROUP.fullmatch(raw)
    number: int | None = None
    if match:
        digits = match.group("n")
        number = int(digits) if digits.isdigit() else chinese_to_int(digits)
    if number is None or not 1 <= number <= MAX_GROUP:
        raise FieldError(
            _("{value} is not a group number; write it like 3组, 三组 or 第三村民小组.").format(
                value=raw
            )
        )
    return number


def group_label(n: int) -> str:
    """ "3组" in Chinese, "Group 3" in English."""
    return _("Group {n}").format(n=n)
