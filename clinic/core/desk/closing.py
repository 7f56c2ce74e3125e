"""Closing a visit: what Ctrl+D on the visit form does after the save, and Ctrl+T
on the queue moving a visit that holds vitals or a consult to done.

A visit closed from the queue is closed as its form would close it: the values
checked, the draft ended, the printable sheet saved again, and the conditions it
assessed offered for the person's record. Moving it to done without that left a
consult half-finished ("done", still a draft) and never asked the question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic.core.desk import chronic
from clinic.core.desk.visits import VisitForm, save_visit
from clinic.core.errors import FormError, InputError, SignInError
from clinic.core.users import User
from clinic.i18n import _
from clinic.store import Store
from clinic.store import persons as persons_q
from clinic.store import visits as visits_q


@dataclass(frozen=True)
class Closed:
    """What follows a visit's close: whose visit, why its sheet could not be saved
    again (None: saved, or no sheet), and the conditions to offer for the record
    (None: none)."""

    visit_id: int
    name: str
    sheet_problem: str | None
    proposal: chronic.Proposal | None


def after_close(store: Store, visit_id: int) -> Closed:
    """Once a visit is closed (on the writer's thread): the printable sheet again,
    with the final follow-up date and readings, and the question to ask."""
    from clinic.core.desk import sheets  # jinja2 loads with the first sheet

    reason = sheets.resave_visit_sheet(store, store.path, visit_id)
    return Closed(
        visit_id,
        person_name(store, visit_id),
        reason if isinstance(reason, str) else None,
        chronic.proposal(store, visit_id),
    )


def holds_record(form: VisitForm) -> bool:
    """Whether a visit's form holds anything typed: vitals, a consult, conditions."""
    return bool(form.conditions) or any(str(v).strip() for v in form.values.values())


def close_recorded(
    store: Store,
    day: dict,
    visit_id: int,
    form: VisitForm,
    volunteer_id: int | None,
    now: dt.datetime,
    *,
    by: User,
) -> Closed:
    """Close a visit whose ``form`` (as stored: :func:`load_visit_form`) holds vitals or a
    consult, as Ctrl+D on the form does: only a clinician, and only when every value is
    right (the message names the person, what is wrong, and how to correct it)."""
    name = person_name(store, visit_id)
    if not by.may("record_consult"):
        raise SignInError(
            _(
                "{name}'s visit holds vitals or a consult: only a clinician closes it "
                "(Ctrl+O opens it, Ctrl+D closes it)."
            ).format(name=name),
            "record_consult",
        )
    try:
        save_visit(store, day, visit_id, form, now, volunteer_id, by=by, finish=True)
    except FormError as exc:
        raise InputError(
            _("{name}'s visit is not closed: {problems} Ctrl+O opens it to correct.").format(
                name=name, problems=" ".join(exc.problems.values())
            )
        ) from exc
    return after_close(store, visit_id)


def person_name(store: Store, visit_id: int) -> str:
    """The name of the visit's person (a sentence about the visit names them)."""
    visit = visits_q.visit(store, visit_id) or {}
    return (persons_q.person(store, visit.get("person_id", 0)) or {}).get("name", "")
