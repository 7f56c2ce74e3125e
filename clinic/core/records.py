"""What each kind of record is called in a sentence ("visits 2, consents 1"), by its
table: one list for the sync screen's counts, a merge's moved rows and whatever
else names tables to a user. A table without a label is named as it is."""

from __future__ import annotations

from clinic.i18n import N_, _

RECORD_LABELS = {
    "assignments": N_("roster places"),
    "audit_log": N_("audit entries"),
    "clinic_day_needs": N_("places needed"),
    "clinic_days": N_("clinic days"),
    "consents": N_("consents"),
    "day_stock": N_("stock counts"),
    "handouts": N_("health prescriptions"),
    "health_talks": N_("health talks"),
    "households": N_("households"),
    "organisations": N_("organisations"),
    "pairing_visits": N_("pairing visits"),
    "person_conditions": N_("chronic conditions"),
    "person_keys": N_("search keys"),
    "person_tags": N_("tags"),
    "persons": N_("persons"),
    "townships": N_("townships"),
    "villages": N_("villages"),
    "visit_conditions": N_("visit conditions"),
    "visits": N_("visits"),
    "volunteer_unavailable": N_("volunteers' days away"),
    "volunteers": N_("volunteers"),
}


def record_label(table: str) -> str:
    """The records of ``table`` in the user's language."""
    return _(RECORD_LABELS[table]) if table in RECORD_LABELS else table
