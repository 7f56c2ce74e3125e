"""The title of a clinic day's team on F5: where, who came, and what the figures count."""

from __future__ import annotations

from clinic.core import planning as p
from clinic.core.database import Store
from clinic.i18n import _
from clinic.ui.prose import Prose, prose
from clinic.ui.talks import talk_note
from clinic.ui.text import sentence, shown


def team_title(store: Store, day: dict) -> Prose:
    """The day, then (once attendance is recorded) who came, why reports count the day as
    held, which hours are the planned length, and the day's health talks; its lines
    broken as Chinese is (a narrow box at 80 columns)."""
    seen = p.attendance(store, day["id"])
    title = _("Team of {date} {village} ({venue})").format(
        date=day["date"], village=shown(day["village"]), venue=shown(day["venue"] or "-")
    )
    if seen["attended"] or seen["no_show"]:
        title += "\n" + _("signed up {n}, came {came}, did not come {missed}").format(
            n=p.signed_up(seen), came=len(seen["attended"]), missed=len(seen["no_show"])
        )
    if day["held"] and day["status"] != "done" and seen["attended"]:
        title += "\n" + _(
            "Attendance is recorded: reports count this day as held, though it is not marked done."
        )
    if any(a["status"] == "attended" and a["hours"] is None for a in seen["attended"]):
        title += "\n" + _("* hours not typed: the day's planned length is counted (h: type them)")
    return prose(sentence(title + talk_note(store, day["id"])))
