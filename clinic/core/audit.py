"""The audit viewer: who did what, newest first, for ``clinic audit`` and the TUI.

Only a coordinator reads it (the front ends check ``manage_users``). Rows are
shown masked like everything else: the log should hold no ID or phone number
(``clinic.store.audit``), and any run of digits long enough to be one is masked
again here, so a detail written carelessly one day is still not shown whole.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from clinic.core.dates import parse_date
from clinic.core.errors import FieldError
from clinic.core.privacy import mask_id, mask_phone
from clinic.i18n import N_, _, translation_for
from clinic.store import Store
from clinic.store import audit as q
from clinic.store import users as users_q

PAGE_SIZE = 100
# The actor of what the app does by itself (the copy before an upgrade, the
# day's first backup): no user asked for it, and no login name stands for one.
SYSTEM_ACTOR = "system"

# What each action means, in words; the details fill the braces ("-" when absent).
ACTION_LABELS = {
    "import_register": N_("Imported the register {file}"),
    "import_volunteers": N_("Imported the volunteer roster {file}"),
    "export": N_("Exported {dataset} to {file}"),
    "export_unmasked": N_("Exported {dataset} with whole ID and phone numbers to {file}"),
    "backup": N_("Backup {file}"),
    "restore": N_("Restored the database from {file}"),
    "replicate": N_("Replication to {folder}"),
    "purge_person": N_("Erased a person: {visits} visits, {handouts} health prescriptions"),
    "walk_in": N_("Registered a walk-in"),
    "conditions_recorded": N_("Recorded chronic conditions assessed at a visit"),
    "user_add": N_("Added the user {user}"),
    "user_pin": N_("Changed the PIN of {user}"),
    "user_enable": N_("Let {user} sign in again"),
    "user_disable": N_("Stopped {user} from signing in"),
    "sign_in_failed": N_("Wrong PIN"),
    "sync_enrol": N_("Enrolled the laptop {device} as number {number}"),
    "sync_export": N_("Exported bundle {sequence} to {file}"),
    "sync_import": N_("Imported bundle {sequence} of the laptop {device}: {changes} changes"),
    "sync_settle": N_("Settled conflict {conflict} ({table}): kept the district's record"),
    "person_merge": N_(
        "Merged person #{merged} into #{kept} (merge {merge}): {visits} visits moved"
    ),
    "person_merge_follow": N_(
        "Records of #{merged} that came later (bundles {bundles}) moved to #{kept} (merge {merge}): {visits} visits"
    ),
    "person_unmerge": N_("Undid merge {merge}: #{merged} is on the register again"),
    "person_distinct": N_("Marked #{first} and #{second} as two different persons"),
    "sync_update": N_("Wrote update {sequence} for the laptop {device} to {file}"),
    "sync_update_import": N_(
        "Applied the district's update {sequence}: {changes} changes, {kept} of this laptop's kept"
    ),
}

# Each action's short name, for the log's Action column and filter (the code, typed,
# is read too): a Chinese coordinator read "export", "user_add", "sign_in_failed".
ACTION_NAMES = {
    "import_register": N_("Register import"),
    "import_volunteers": N_("Roster import"),
    "export": N_("Export"),
    "export_unmasked": N_("Export, numbers whole"),
    "backup": N_("Backup"),
    "restore": N_("Restore"),
    "replicate": N_("Replication"),
    "purge_person": N_("Erasure"),
    "walk_in": N_("Walk-in"),
    "conditions_recorded": N_("Conditions on record"),
    "user_add": N_("User added"),
    "user_pin": N_("PIN changed"),
    "user_enable": N_("User enabled"),
    "user_disable": N_("User disabled"),
    "sign_in_failed": N_("Wrong PIN"),
    "sync_enrol": N_("Laptop enrolled"),
    "sync_export": N_("Bundle exported"),
    "sync_import": N_("Bundle imported"),
    "sync_settle": N_("Conflict settled"),
    "person_merge": N_("Persons merged"),
    "person_merge_follow": N_("Merge followed"),
    "person_unmerge": N_("Merge undone"),
    "person_distinct": N_("Not duplicates"),
    "sync_update": N_("Update written"),
    "sync_update_import": N_("Update applied"),
}


def action_name(code: str) -> str:
    """An action's short name in the user's language (the code for one unknown here)."""
    name = ACTION_NAMES.get(code)
    return _(name) if name else code


def action_code(typed: str) -> str:
    """The code of the action a user typed in the filter: its name in either language
    or its code, case and spaces aside; anything else is kept as typed."""
    wanted = " ".join(typed.split()).casefold()
    chinese = translation_for("zh").gettext
    for code, name in ACTION_NAMES.items():
        if wanted in (code, name.casefold(), chinese(name).casefold()):
            return code
    return typed.strip()


# Digits long enough to be an ID number (15 or 18, the last maybe X) or a phone.
_ID_DIGITS = re.compile(r"\d{17}[\dXx]|\d{15}")
_PHONE_DIGITS = re.compile(r"\d{7,14}")


@dataclass(frozen=True)
class AuditFilters:
    """The viewer's filters; every one optional, dates inclusive."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    user: str | None = None
    action: str | None = None

    def query_args(self) -> dict[str, Any]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "actor": " ".join(self.user.split()) if self.user else None,
            "action": self.action.strip() if self.action else None,
        }


@dataclass(frozen=True)
class AuditEntry:
    """One row of the log as shown: ``description`` in the user's language."""

    id: int
    at: str
    actor: str
    action: str
    rows: int | None
    description: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def action_name(self) -> str:
        return action_name(self.action)

    def as_json(self) -> dict[str, Any]:
        """Codes, not words (the description is left out), for scripts."""
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "rows": self.rows,
            "detail": self.detail,
        }


def parse_filters(
    date_from: str | None = None,
    date_to: str | None = None,
    user: str | None = None,
    action: str | None = None,
) -> AuditFilters:
    """Filters as typed (dates in any form ``parse_date`` reads; blanks ignored)."""
    start = parse_date(date_from.strip()) if date_from and date_from.strip() else None
    end = parse_date(date_to.strip()) if date_to and date_to.strip() else None
    if start and end and start > end:
        raise FieldError(
            _("The period starts after it ends: {start} to {end}.").format(start=start, end=end)
        )
    code = action_code(action) if action and action.strip() else None
    return AuditFilters(start, end, (user or "").strip() or None, code)


def mask_text(text: str) -> str:
    """``text`` with every run of digits that could be an ID number or phone masked."""
    text = _ID_DIGITS.sub(lambda m: mask_id(m.group()), text)
    return _PHONE_DIGITS.sub(lambda m: mask_phone(m.group()), text)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        value = {"text": text}
    return _masked(value if isinstance(value, dict) else {"value": value})


class _Blanks(dict):
    def __missing__(self, key: str) -> str:
        return "-"


def describe(action: str, detail: dict[str, Any], user_names: dict[int, str]) -> str:
    """One action in words, in the user's language."""
    template = ACTION_LABELS.get(action)
    if template is None:
        shown = ", ".join(f"{k}={v}" for k, v in detail.items())
        return f"{action} {shown}".strip()
    values = _Blanks({k: v for k, v in detail.items() if v not in (None, "")})
    if "dataset" in values:
        values["dataset"] = _dataset_title(str(values["dataset"]))
    if "user_id" in detail:
        values["user"] = user_names.get(detail["user_id"], f"#{detail['user_id']}")
    if action == "backup" and detail.get("daily"):
        return _("Daily backup {file}").format_map(values)
    if action == "sync_settle" and detail.get("kept") == "laptop":
        return _("Settled conflict {conflict} ({table}): kept the laptop's change").format_map(
            values
        )
    if action == "sync_settle" and detail.get("kept") == "merged":
        if detail.get("later_bundles"):
            values["later"] = ", ".join(str(n) for n in detail["later_bundles"])
            return _(
                "Settled conflict {conflict} ({table}): merged the laptop's person into the district's (merge {merge}), with what waited for them in later bundles {later}"
            ).format_map(values)
        if "merge" in detail:
            return _(
                "Settled conflict {conflict} ({table}): merged the laptop's person into the district's (merge {merge})"
            ).format_map(values)
        return _("Settled conflict {conflict} ({table}): merged field by field").format_map(values)
    if action == "sign_in_failed" and detail.get("locked"):
        return _("Wrong PIN; the user is locked for a few minutes")
    return _(template).format_map(values)


def _dataset_title(code: str) -> str:
    """An export's dataset in words ("follow-ups" → "Follow-up lists"), else its code."""
    from clinic.core.exports.datasets import DATASETS  # the exports load with the first

    found = DATASETS.get(code)
    return _(found.title) if found else code


def entries(
    store: Store, filters: AuditFilters, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[AuditEntry]:
    """One page of the log matching ``filters``, newest first, masked and described."""
    user_names = {u["id"]: u["name"] for u in users_q.users(store)}
    result = []
    for row in q.audit_rows(store, **filters.query_args(), limit=limit, offset=offset):
        detail = _detail(row["detail"])
        result.append(
            AuditEntry(
                row["id"],
                row["at"],
                row["actor"],
                row["action"],
                row["rows"],
                describe(row["action"], detail, user_names),
                detail,
            )
        )
    return result


def count(store: Store, filters: AuditFilters) -> int:
    """How many rows match ``filters`` (for "page 2 of 7")."""
    return q.count_audit_rows(store, **filters.query_args())


def actions(store: Store) -> list[str]:
    """The actions found in the log, for the filters' hints."""
    return q.audit_actions(store)
