"""The month calendar beside the list of clinic days: one cell per date, clinic days marked."""

from __future__ import annotations

import calendar
import datetime as dt

from rich.text import Text
from textual.widgets import Static

from clinic.i18n import _, current_language


def month_title(year: int, month: int) -> str:
    if current_language() == "zh":
        return f"{year}年{month}月"
    return f"{calendar.month_name[month]} {year}"


def _short_weekday(index: int) -> str:
    if current_language() == "zh":
        return "一二三四五六日"[index]
    return ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")[index]


def _pad(text: str, width: int) -> str:
    """Centre ``text`` in ``width`` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    room = max(0, width - cell_len(text))
    return " " * (room - room // 2) + text + " " * (room // 2)


class MonthCalendar(Static):
    """Seven columns, Monday first; a clinic day shows its count of days, the chosen date reversed."""

    def show(
        self, year: int, month: int, days: list[dict], chosen: str | None, today: dt.date
    ) -> None:
        by_date: dict[str, list[dict]] = {}
        for d in days:
            by_date.setdefault(d["date"], []).append(d)
        text = Text()
        text.append(month_title(year, month).center(35) + "\n", style="bold")
        text.append("".join(_pad(_short_weekday(i), 5) for i in range(7)) + "\n", style="dim")
        for week in calendar.Calendar(0).monthdayscalendar(year, month):
            for day in week:
                if day == 0:
                    text.append(" " * 5)
                    continue
                iso = f"{year:04d}-{month:02d}-{day:02d}"
                here = by_date.get(iso, [])
                cell = f"{day:>2}" + ("•" * min(len(here), 2)).ljust(2)
                style = ""
                if here:
                    statuses = {d["status"] for d in here}
                    style = (
                        "bold red strike"
                        if statuses == {"cancelled"}
                        else (
                            "bold green"
                            if all(d["filled"] >= d["needed"] for d in here)
                            else "bold yellow"
                        )
                    )
                if iso == today.isoformat():
                    style += " underline"
                if iso == chosen:
                    style += " reverse"
                text.append(" " + cell, style=style.strip() or None)
            text.append("\n")
        text.append(
            "\n" + _("• clinic day · green: all places filled · yellow: places open"), style="dim"
        )
        self.update(text)
