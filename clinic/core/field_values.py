"""A record's field value in words, where a user sees it by its column: a sync clash
merged field by field, the clinic-day form's clash with another desk.

A column holds an id or a code (``village_id`` 3, ``status`` ``planned``); the user
knows the village's name and the status's word. Each column is read by its own rule
(an organisation's id is never looked up among the villages). Numbers are masked
before they come here (``clinic.core.sync.review.masked_values``); a column without
a rule is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clinic.core import catalogues
from clinic.core.categories import category_label, sex_label
from clinic.core.planning.labels import assignment_label, day_status_label
from clinic.core.planning.needs import specialty_label
from clinic.i18n import _
from clinic.store import Store
from clinic.store import households as households_q
from clinic.store import volunteers as volunteers_q

Shown = Callable[[Any], str]


def _village(store: Store) -> Shown:
    names = {v["id"]: f"{v['township']}{v['name']}" for v in catalogues.villages(store)}
    return lambda value: names.get(value, str(value))


def _organisation(store: Store) -> Shown:
    names = {o["id"]: o["short_name"] for o in catalogues.organisations(store)}
    return lambda value: names.get(value, str(value))


def _volunteer(store: Store) -> Shown:
    def name(value: Any) -> str:
        row = volunteers_q.volunteer(store, value) if isinstance(value, int) else None
        return row["name"] if row else str(value)

    return name


def _household(store: Store) -> Shown:
    def number(value: Any) -> str:
        found = households_q.household_number(store, value) if isinstance(value, int) else None
        return found or str(value)

    return number


def _coded(label: Callable[[str], str]) -> Callable[[Store], Shown]:
    def rule(_store: Store) -> Shown:
        def text(value: Any) -> str:
            try:
                return label(value)
            except KeyError:
                return str(value)

        return text

    return rule


def _specialty(store: Store) -> Shown:
    return lambda value: specialty_label(store, value) or str(value)


def _yes_no(_store: Store) -> Shown:
    return lambda value: _("yes") if value else _("no")


_BY_COLUMN: dict[str, Callable[[Store], Shown]] = {
    "village_id": _village,
    "household_id": _household,
    "organisation_id": _organisation,
    "seen_by": _volunteer,
    "cadre_id": _volunteer,
    "speaker_id": _volunteer,
    "specialty_code": _specialty,
    "role": _specialty,
    "sex": _coded(sex_label),
    "category": _coded(category_label),
    "walk_in": _yes_no,
    "active": _yes_no,
    "family_doctor": _yes_no,
}
_BY_TABLE: dict[tuple[str, str], Callable[[Store], Shown]] = {
    ("clinic_days", "status"): _coded(day_status_label),
    ("assignments", "status"): _coded(assignment_label),
}


def value_texts(store: Store, table: str, column: str) -> Shown:
    """How values of ``column`` of ``table`` read: the function to call per value
    (read once, for a dialog's several values)."""
    rule = _BY_TABLE.get((table, column)) or _BY_COLUMN.get(column)
    return rule(store) if rule else str


def value_text(store: Store, table: str, column: str, value: Any) -> str:
    """One value of ``column`` of ``table`` in words (empty for no value)."""
    if value is None or value == "":
        return ""
    return value_texts(store, table, column)(value)
