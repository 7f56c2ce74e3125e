"""The clinic-day desk: open a day, check people in, record visits and consent.

Callers write ``from clinic.core import desk`` and ``desk.check_in(...)``: the
services of the first six modules below are re-exported here. The health
prescriptions, the sheet, printing, the day's summary and chronic conditions
are imported from their own module (``from clinic.core.desk import sheets``).

Modules:

- ``days``: choosing or opening a clinic day, who works it, stamps and lookups.
- ``consent``: consent (PIPL) before any health data.
- ``checkin``: finding a person and checking them in.
- ``queue``: the day's queue, its states and which queue a visit is in.
- ``walk_ins``: a person typed at the desk, duplicates, added and checked in.
- ``visits``: the visit form: read, default follow-up, save, load back.
- ``handouts``: health prescription templates, suggestions, hand-out, sheet stock.
- ``sheets``: the printable sheet of a visit (text and A5 HTML), saved to a folder.
- ``printing``: sending a saved sheet to the printer or a browser.
- ``summary``: the end-of-day summary (F9, ``clinic report day``).
- ``chronic``: chronic conditions assessed at a finished visit.
- ``closing``: what follows a visit's close (Ctrl+D on the form, Ctrl+T on the queue).

Vitals (readings and flags) stay in ``clinic.core.vitals``: reports, exports
and figures use them too.
"""

from __future__ import annotations

from clinic.core.desk.checkin import (
    check_in,
    checked_in_among,
    find,
    matched_number,
)
from clinic.core.desk.consent import (
    Consent,
    has_consent,
    needs_consent,
    record_consent,
)
from clinic.core.desk.days import (
    age_on,
    create_walk_in_day,
    day_label,
    days_for_desk,
    fill_hours,
    find_day,
    get_day,
    join_desk,
    minutes_between,
    person,
    seen_counts,
    stamp,
    visit,
    visit_for,
    volunteer,
    volunteers_for_day,
)
from clinic.core.desk.queue import (
    NEXT_STATE,
    STATES,
    Advanced,
    advance_state,
    next_state,
    queue_codes,
    queue_counts,
    queue_rows,
    queue_stamp,
    set_queue,
    set_state,
)
from clinic.core.desk.visits import (
    FLAG_FOLLOW_UP,
    FORM_FIELDS,
    QUARTERLY,
    SaveResult,
    VisitForm,
    conditions_catalogue,
    default_follow_up,
    load_visit_form,
    read_visit_form,
    save_visit,
    save_visit_edit,
    specialties_catalogue,
    visit_context,
    visit_edit,
    visit_fields,
    visit_form_of,
    visit_handouts,
)
from clinic.core.desk.walk_ins import (
    CleanWalkIn,
    WalkIn,
    add_walk_in,
    check_walk_in,
    clean_walk_in,
    likely_duplicates,
)

__all__ = [
    "CleanWalkIn",
    "Consent",
    "FLAG_FOLLOW_UP",
    "FORM_FIELDS",
    "NEXT_STATE",
    "QUARTERLY",
    "STATES",
    "SaveResult",
    "VisitForm",
    "WalkIn",
    "add_walk_in",
    "Advanced",
    "advance_state",
    "age_on",
    "check_in",
    "check_walk_in",
    "checked_in_among",
    "clean_walk_in",
    "conditions_catalogue",
    "create_walk_in_day",
    "day_label",
    "days_for_desk",
    "default_follow_up",
    "fill_hours",
    "find",
    "find_day",
    "get_day",
    "has_consent",
    "join_desk",
    "likely_duplicates",
    "load_visit_form",
    "matched_number",
    "minutes_between",
    "needs_consent",
    "next_state",
    "person",
    "queue_codes",
    "queue_counts",
    "queue_rows",
    "queue_stamp",
    "read_visit_form",
    "record_consent",
    "save_visit",
    "save_visit_edit",
    "seen_counts",
    "set_queue",
    "set_state",
    "specialties_catalogue",
    "stamp",
    "visit",
    "visit_context",
    "visit_edit",
    "visit_fields",
    "visit_form_of",
    "visit_handouts",
    "visit_for",
    "volunteer",
    "volunteers_for_day",
]
