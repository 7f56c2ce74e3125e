"""Words for codes shown in lists (statuses, weekdays), in the user's language."""

from __future__ import annotations

from clinic.i18n import N_, _

STATUS = {
    "planned": N_("planned"),
    "confirmed": N_("confirmed"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def status_label(code: str) -> str:
    return _(STATUS.get(code, code))


def weekday_label(weekday: int) -> str:
    return _(WEEKDAYS[weekday])


def sex_short(code: str | None) -> str:
    return {"M": _("M"), "F": _("F")}.get(code or "", "")
