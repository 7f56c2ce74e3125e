"""Status codes of days and assignments, their labels, and the small text parsers
(ISO dates, HH:MM times) every planning module shares.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from clinic.core.errors import (
    FieldError,
)
from clinic.i18n import N_, _

DAY_STATUSES = ("planned", "confirmed", "done", "cancelled")
# A day whose status says it is over: its team is no longer checked, nor is it called past.
ENDED_DAY_STATUSES = ("done", "cancelled")
ASSIGNMENT_STATUSES = ("invited", "confirmed", "declined", "attended", "no_show")
ASSIGNMENT_LABELS = {
    "invited": N_("invited"),
    "confirmed": N_("confirmed"),
    "declined": N_("declined"),
    "attended": N_("attended"),
    "no_show": N_("no-show"),
}
DAY_LABELS = {
    "planned": N_("planned"),
    "confirmed": N_("confirmed"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def assignment_label(code: str) -> str:
    return _(ASSIGNMENT_LABELS.get(code, code))


def day_status_label(code: str) -> str:
    return _(DAY_LABELS.get(code, code))


def norm_text(text: str) -> str:
    """Typed text compared as written: full-width forms folded (NFKC), ends trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def iso(value: str | dt.date) -> str:
    from clinic.core.dates import parse_date

    return value.isoformat() if isinstance(value, dt.date) else parse_date(value).isoformat()


def parse_time(text: str) -> str:
    m = _TIME.match(norm_text(text))
    if not m:
        raise FieldError(_("{value} is not a time; write HH:MM, e.g. 08:30.").format(value=text))
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_dates(text: str) -> list[str]:
    """ "2026-12-05, 2026/12/12" → ISO dates (for the unavailable field)."""
    return [iso(part) for part in re.split(r"[,;，；、\s]+", norm_text(text)) if part]
