"""What each kind of record is called in a sentence ("visits 2, consents 1"), by its
table: one list for the sync screen's counts, a merge's moved rows and whatever
else names tables to a user. A table without a label is named as it is.

And what each field of a record is called where a user sees it by its column (a
sync clash merged field by field, the clinic-day form's clash with another desk):
the words of the forms and exports that show the field (the same messages, so the
same translations). A column without a label is named as it is."""

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


_PLACE = {"village_id": N_("Village"), "group_no": N_("Group")}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "clinic_days": {
        "date": N_("Date"),
        "start_time": N_("Start"),
        "end_time": N_("End"),
        "village_id": N_("Village"),
        "venue": N_("Venue"),
        "organisation_id": N_("Organising organisation"),
        "status": N_("Status"),
        "notes": N_("Notes"),
    },
    "visits": {
        "arrived_at": N_("Arrived at"),
        "queue": N_("Queue"),
        "seen_by": N_("Seen by"),
        "sbp": N_("Systolic (mmHg)"),
        "dbp": N_("Diastolic (mmHg)"),
        "pulse": N_("Pulse (/min)"),
        "glucose": N_("Glucose (mmol/L)"),
        "glucose_fasting": N_("Glucose fasting or random"),
        "weight_kg": N_("Weight (kg)"),
        "height_cm": N_("Height (cm)"),
        "complaint": N_("Complaint"),
        "notes": N_("Notes"),
        "flags": N_("Flags"),
        "referral_to": N_("Referred to"),
        "follow_up_due": N_("Follow-up due"),
    },
    "persons": {
        **_PLACE,
        "household_id": N_("Household number"),
        "name": N_("Name"),
        "relation": N_("Relation to head"),
        "sex": N_("Sex"),
        "birth_date": N_("Birth date"),
        "id_number": N_("ID number"),
        "phone": N_("Phone"),
        "other_conditions": N_("Other conditions"),
        "family_doctor": N_("Family-doctor contract"),
        "walk_in": N_("Walk-in"),
    },
    "households": {
        **_PLACE,
        "number": N_("Household number"),
        "head_name": N_("Head of household"),
        "category": N_("Household category"),
        "cadre_id": N_("Paired cadre"),
    },
    "assignments": {"role": N_("Role"), "status": N_("Status"), "hours": N_("Hours")},
    "volunteers": {
        "name": N_("Name"),
        "phone": N_("Phone"),
        "organisation_id": N_("Organisation"),
        "specialty_code": N_("Specialty"),
        "licence_no": N_("Licence number"),
        "active": N_("Active"),
        "notes": N_("Notes"),
    },
    "health_talks": {
        "topic": N_("Topic"),
        "speaker_id": N_("Speaker"),
        "attendees": N_("Attendees"),
        "materials": N_("Materials handed out"),
    },
    "pairing_visits": {"date": N_("Date"), "notes": N_("Notes")},
}


def field_label(table: str, column: str) -> str:
    """Field ``column`` of a record of ``table`` in the user's language."""
    label = FIELD_LABELS.get(table, {}).get(column)
    return _(label) if label else column
