"""Dates as registers write them, read into ``datetime.date``.

Spreadsheets made on Chinese Windows hold 2024-05-31, 2024/5/31, 2024.5.31,
2024年5月31日, 20240531, a date with a time of 00:00:00, or, when a cell was
formatted as a number, Excel's serial day count (45443 = 2024-05-31). All of
them are accepted; day-first or month-first forms (31/5/2024) are not,
because they cannot be told apart.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from clinic.core.errors import FieldError, NotARealDate
from clinic.i18n import _

# Excel's 1900 date system counts 1900-02-29, a day that never was (a Lotus
# 1-2-3 bug kept for compatibility): serial 60. From serial 61 on, day 0 is
# effectively 1899-12-30; before it, 1899-12-31.
_EPOCH = date(1899, 12, 30)
_EPOCH_BEFORE_MARCH_1900 = date(1899, 12, 31)
_FAKE_LEAP_DAY = 60
SERIAL_MIN, SERIAL_MAX = 1, 80000  # 1900-01-01 .. 2119-01-10

_TIME = re.compile(r"[ T]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_SEPARATED = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"(\d{1,5})(\.\d*)?")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The spellings registers use most, exactly as typed (ASCII digits, no spaces):
# read at once, without normalising the text first.
_PLAIN = re.compile(
    r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})日?"
    r"|([0-9]{2})([0-9]{2}))"
)


def from_excel_serial(serial: float) -> date:
    """The date for an Excel (1900 system) serial number; a fraction is the
    time of day and is dropped."""
    days = int(serial) if math.isfinite(serial) else 0
    if not SERIAL_MIN <= days <= SERIAL_MAX or days == _FAKE_LEAP_DAY:
        raise FieldError(
            _("{value} is not a date; write it like 2024-05-31.").format(value=_show(serial))
        )
    if days < _FAKE_LEAP_DAY:
        return _EPOCH_BEFORE_MARCH_1900 + timedelta(days=days)
    return _EPOCH + timedelta(days=days)


def to_excel_serial(day: date) -> int:
    """The Excel serial number of a date (inverse of from_excel_serial)."""
    if day < date(1900, 3, 1):
        return (day - _EPOCH_BEFORE_MARCH_1900).days
    return (day - _EPOCH).days


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _make(value: str, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise NotARealDate(_("{value} is not a real date.").format(value=value)) from None


def parse_date(value: str | int | float | date | datetime) -> date:
    """Read a date from a cell or a form field. Raises FieldError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise FieldError(_("{value} is not a date; write it like 2024-05-31.").format(value=value))
    if isinstance(value, int | float):
        if value != value:  # NaN from an empty spreadsheet cell
            raise FieldError(_("The date is empty."))
        return from_excel_serial(value)
    if type(value) is str and len(value) == 10 and _ISO.fullmatch(value):  # noqa: E721
        return _make(value, value[:4], value[5:7], value[8:])  # the common case, at once
    if type(value) is str and (plain := _PLAIN.fullmatch(value)):  # noqa: E721
        year, _sep, *parts = plain.groups()
        month, day = [p for p in parts if p is not None]
        return _make(value, year, month, day)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        raise FieldError(_("The date is empty."))
    shown = text
    text = _TIME.sub("", text)
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        match = pattern.fullmatch(text)
        if match:
            return _make(shown, *match.groups())
    match = _SERIAL.fullmatch(text)
    if match:
        return from_excel_serial(float(text) if match.group(2) else int(text))
    raise FieldError(_("{value} is not a date; write it like 2024-05-31.").format(value=shown))


def age_on(birth: date, on: date) -> int:
    """Age in completed years on a day (someone born on 29 February turns a
    year older on 1 March in common years). Raises FieldError if ``on`` is
    before the birth date: one of the two was mistyped."""
    if on < birth:
        raise FieldError(
            _("The birth date {birth} is after {date}.").format(
                birth=birth.isoformat(), date=on.isoformat()
            )
        )
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    """The (year, month) ``step`` months after (or, negative, before) the given one."""
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def month_span(year: int, month: int, months: int = 1) -> tuple[date, date]:
    """The first day of the month and the last day of the ``months``-th month from it
    (the calendar's shown month, and the period ``r``/``R`` roster)."""
    end_year, end_month = shift_month(year, month, months - 1)
    following_year, following_month = shift_month(end_year, end_month, 1)
    return date(year, month, 1), date(following_year, following_month, 1) - timedelta(days=1)
