"""The day's queue: rows and counts, states (waiting, with doctor, done), which queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from clinic.core import vitals as V
from clinic.core.desk import closing
from clinic.core.desk.days import minutes_between, stamp, visit
from clinic.core.desk.visits import clinician, load_visit_form
from clinic.core.errors import (
    ConfirmationNeeded,
    InputError,
    NotFoundError,
)
from clinic.core.users import User
from clinic.i18n import _
from clinic.store import Store
from clinic.store import days as days_q
from clinic.store import visits as visits_q

STATES = ("waiting", "with_doctor", "done")


def queue_rows(
    store: Store, day: dict, now: dt.datetime, specialty: str | None = None
) -> list[dict]:
    """The day's queue with minutes waited (until called, or until now)."""
    rows = visits_q.queue(store, day["id"], specialty)
    clock = now if day["date"] == now.date().isoformat() else None
    for row in rows:
        end = row["called_at"] or row["done_at"] or clock
        row["waited"] = minutes_between(row["arrived_at"], end) if end else None
        row["flag_list"] = V.parse_flags(row["flags"])
    return rows


def queue_counts(rows: list[dict]) -> dict[str, int]:
    """How many of the queue's visits are in each state (the queue's title), every state named."""
    return {state: sum(1 for r in rows if r["state"] == state) for state in STATES}


def set_state(
    store: Store,
    day: dict,
    visit_id: int,
    state: str,
    volunteer_id: int | None,
    now: dt.datetime,
    *,
    by: User,
) -> None:
    """Move a visit to ``state``. Anyone at the desk may (a clerk calls the next
    person); the visit is "seen by" someone only when a clinician moves it."""
    if state not in STATES:
        raise InputError(_("Unknown queue state {state}.").format(state=state))
    with store.transaction():
        visit = visits_q.visit(store, visit_id)
        if not visit:
            raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
        values: dict[str, Any] = {"state": state, "updated_at": stamp(day, now)}
        seen_by = clinician(by, volunteer_id) if by.may("record_consult") else None
        if state == "with_doctor":
            values["called_at"] = visit["called_at"] or stamp(day, now)
            values["seen_by"] = visit["seen_by"] or seen_by
        elif state == "done":
            values["done_at"] = stamp(day, now)
            values["called_at"] = visit["called_at"] or stamp(day, now)
            values["seen_by"] = visit["seen_by"] or seen_by
        else:
            values["called_at"] = None
            values["done_at"] = None
        visits_q.update_visit(store, visit_id, values)


@dataclass(frozen=True)
class Advanced:
    """Where Ctrl+T moved a visit, and, when it closed one holding a consult, what
    follows the close (the sheet, the question about conditions)."""

    state: str
    closed: closing.Closed | None = None


NEXT_STATE = {"waiting": "with_doctor", "with_doctor": "done", "done": "waiting"}


def next_state(state: str) -> str:
    """The state Ctrl+T moves a visit to: waiting, with a doctor, done, and round again."""
    return NEXT_STATE[state]


def advance_state(
    store: Store,
    day: dict,
    visit_id: int,
    volunteer_id: int | None,
    now: dt.datetime,
    *,
    by: User,
    reopen: bool = False,
) -> Advanced:
    """Move a visit on to its next queue state (see ``next_state``). A visit whose form
    holds vitals or a consult is moved to done as Ctrl+D on its form closes it
    (:func:`clinic.core.desk.closing.close_recorded`): checked, the draft ended, and
    what follows the close returned. A finished visit goes back to waiting only with
    ``reopen`` (ConfirmationNeeded asks): it went back at a key, and its form then
    opened without the "done: ask before changing" guard."""
    current = visit(store, visit_id)
    if not current:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    following = next_state(current["state"])
    if current["state"] == "done" and not reopen:
        raise ConfirmationNeeded(
            _(
                "{name}'s visit is done. Put them back in the queue, waiting? What was "
                "recorded stays."
            ).format(name=closing.person_name(store, visit_id)),
            "reopen",
        )
    if following == "done":
        form = load_visit_form(store, visit_id)  # read once: looked at, then saved
        if closing.holds_record(form):
            closed = closing.close_recorded(store, day, visit_id, form, volunteer_id, now, by=by)
            return Advanced(following, closed)
    set_state(store, day, visit_id, following, volunteer_id, now, by=by)
    return Advanced(following)


def set_queue(store: Store, visit_id: int, specialty: str | None) -> None:
    with store.transaction():
        visits_q.update_visit(store, visit_id, {"queue": specialty or None})


def queue_stamp(store: Store, day_id: int) -> tuple:
    """Changes whenever the day's queue does: another desk's change is polled for by it."""
    return visits_q.queue_stamp(store, day_id)


def queue_codes(store: Store, day_id: int) -> set[str]:
    """The specialties the day's visits are queued for or the day needs."""
    return days_q.day_queue_codes(store, day_id)
