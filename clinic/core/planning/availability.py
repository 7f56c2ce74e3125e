"""When a volunteer can serve: a weekday pattern and whether public holidays are fine.

Rosters write it in words ("周末;节假日", "工作日", "周六", "不限"); the store
keeps weekdays as digits (0 = Monday … 6 = Sunday) and a holidays flag.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from clinic.core.errors import FieldError
from clinic.i18n import _, current_language

WEEKDAY_WORDS = {
    "周一": "0",
    "星期一": "0",
    "礼拜一": "0",
    "mon": "0",
    "monday": "0",
    "周二": "1",
    "星期二": "1",
    "礼拜二": "1",
    "tue": "1",
    "tuesday": "1",
    "周三": "2",
    "星期三": "2",
    "礼拜三": "2",
    "wed": "2",
    "wednesday": "2",
    "周四": "3",
    "星期四": "3",
    "礼拜四": "3",
    "thu": "3",
    "thursday": "3",
    "周五": "4",
    "星期五": "4",
    "礼拜五": "4",
    "fri": "4",
    "friday": "4",
    "周六": "5",
    "星期六": "5",
    "礼拜六": "5",
    "sat": "5",
    "saturday": "5",
    "周日": "6",
    "周天": "6",
    "星期日": "6",
    "星期天": "6",
    "礼拜天": "6",
    "sun": "6",
    "sunday": "6",
    "周末": "56",
    "双休日": "56",
    "weekend": "56",
    "weekends": "56",
    "工作日": "01234",
    "weekday": "01234",
    "weekdays": "01234",
}
HOLIDAY_WORDS = {"节假日", "法定节假日", "假日", "节日", "holiday", "holidays", "public holidays"}
ANY_WORDS = {"不限", "均可", "随时", "都可以", "任意", "any", "anytime", "any time"}


@dataclass(frozen=True)
class Availability:
    weekdays: str  # sorted digits 0..6
    holidays: bool

    def serves_on(self, weekday: int, is_holiday: bool) -> bool:
        if is_holiday:
            return self.holidays
        return str(weekday) in self.weekdays


def parse_availability(text: str | None) -> Availability:
    """Words like "周末;节假日" → Availability. Empty means any time."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not text:
        return Availability("0123456", True)
    days: set[str] = set()
    holidays = False
    for word in re.split(r"[;；,，、/\s]+", text):
        if not word:
            continue
        if word in ANY_WORDS:
            return Availability("0123456", True)
        if word in HOLIDAY_WORDS:
            holidays = True
        elif word in WEEKDAY_WORDS:
            days.update(WEEKDAY_WORDS[word])
        else:
            raise FieldError(
                _(
                    "Unknown time {value}; use weekends, weekdays, mon…sun, holidays or any "
                    "(周末, 工作日, 周一…周日, 节假日, 不限)."
                ).format(value=word)
            )
    return Availability("".join(sorted(days)), holidays)


# The words :func:`words` writes, per language; all of them read back by parse_availability.
_WORDS = {
    "zh": {
        "any": "不限",
        "weekends": "周末",
        "weekdays": "工作日",
        "holidays": "节假日",
        "days": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    },
    "en": {
        "any": "any",
        "weekends": "weekends",
        "weekdays": "weekdays",
        "holidays": "holidays",
        "days": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    },
}


def words(weekdays: str, holidays: bool) -> str:
    """The pattern in words of the user's language that :func:`parse_availability`
    reads back (a form's field: "周末, 节假日", "weekends, holidays")."""
    w = _WORDS["zh" if current_language() == "zh" else "en"]
    if weekdays == "0123456" and holidays:
        return str(w["any"])
    if weekdays == "56":
        parts = [str(w["weekends"])]
    elif weekdays == "01234":
        parts = [str(w["weekdays"])]
    else:
        parts = [w["days"][int(d)] for d in weekdays]
    if holidays:
        parts.append(str(w["holidays"]))
    return ", ".join(parts)


def describe(weekdays: str, holidays: bool) -> str:
    """Back to words, in the user's language."""
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    if weekdays == "0123456" and holidays:
        return _("any time")
    parts = []
    if weekdays == "56":
        parts.append(_("weekends"))
    elif weekdays == "01234":
        parts.append(_("weekdays"))
    else:
        parts.extend(names[int(d)] for d in weekdays)
    if holidays:
        parts.append(_("holidays"))
    return ", ".join(parts) if parts else _("never")
