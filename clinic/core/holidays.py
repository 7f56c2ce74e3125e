"""China's public holidays (法定节假日), from the maintained ``holidays`` package.

One source of truth for every rule that asks "is this date a holiday?": a volunteer who does not
serve on holidays, and season planning, which leaves holidays out. Nothing is downloaded: the
package ships its data, and a newer release of it (``pip install -U holidays``) brings the State
Council's arrangement for the next year.

The package knows the holidays themselves for any year (春节 and the other lunar festivals are
computed), but the days off moved to bridge them and the weekend days worked instead (调休) only for
the years whose arrangement it carries. For a later year those moved days are its estimate, and
:func:`coverage_warning` says so in words instead of leaving a silent gap.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holiday_data
from holidays.countries.china import ChinaStaticHolidays

from clinic.i18n import _, current_language


@lru_cache(maxsize=1)
def arrangement_known_until() -> int:
    """The last year whose official arrangement (days off moved, weekend days worked) the
    installed package carries."""
    return max(ChinaStaticHolidays.special_public_holidays)


@lru_cache(maxsize=64)
def _year(year: int, language: str) -> dict[str, str]:
    names = holiday_data.China(years=year, language="zh_CN" if language == "zh" else "en_US")
    return {day.isoformat(): name for day, name in sorted(names.items())}


def holidays_between(date_from: str, date_to: str) -> dict[str, str]:
    """Every public holiday (days off moved included) from ``date_from`` to ``date_to``, ISO
    date → name in the user's language (春节, National Day …)."""
    out: dict[str, str] = {}
    language = current_language()
    for year in range(int(date_from[:4]), int(date_to[:4]) + 1):
        out.update(
            (day, name)
            for day, name in _year(year, language).items()
            if date_from <= day <= date_to
        )
    return out


def is_holiday(date: str) -> bool:
    return date in _year(int(date[:4]), "en")


def holiday_name(date: str) -> str | None:
    return _year(int(date[:4]), current_language()).get(date)


@lru_cache(maxsize=64)
def _worked_weekend_days(year: int) -> frozenset[str]:
    """Saturdays and Sundays that are working days (调休) in an arrangement the package carries."""
    days = set()
    for entry in ChinaStaticHolidays.special_public_holidays.get(year, ()):
        if len(entry) == 4:  # (month, day off, month, day worked instead)
            worked = dt.date(year, entry[2], entry[3])
            if worked.weekday() >= 5:
                days.add(worked.isoformat())
    return frozenset(days)


def is_working_weekend_day(date: str) -> bool:
    """A Saturday or Sunday worked to bridge a holiday (调休上班): villagers and volunteers work."""
    return date in _worked_weekend_days(int(date[:4]))


def coverage_warning(date_from: str, date_to: str) -> str | None:
    """Words for a period reaching beyond the years whose holiday arrangement is known, or None."""
    known = arrangement_known_until()
    last = int(date_to[:4])
    if last <= known:
        return None
    first = max(int(date_from[:4]), known + 1)
    years = str(first) if first == last else f"{first}–{last}"
    return _(
        "The State Council's holiday arrangement for {years} is not in the holidays package yet "
        "(it has them up to {known}): the holidays are known, the days off moved are estimated, "
        "the weekend days worked (调休) unknown. Update it (pip install -U holidays) once published."
    ).format(years=years, known=known)
