"""The demo's users: one per role, with fixed PINs printed by ``clinic demo``.

The PINs are fixed so a training can write them on the board; they are for
demo databases only (a demo is synthetic, and says so in its settings), never
for a database holding real people.
"""

from __future__ import annotations

from clinic.core import users
from clinic.core.demo.synthetic import SPECIALTY_MIX
from clinic.store import Store
from clinic.store import catalogues as catalogues_q

# name, roles, PIN, the specialty of the volunteer the user is (or None).
DEMO_USERS: tuple[tuple[str, tuple[str, ...], str, str | None], ...] = (
    ("演示协调员", ("coordinator",), "1001", None),
    ("演示医生", ("clinician",), "2002", "gp"),
    ("演示登记员", ("clerk",), "3003", None),
    ("演示药师", ("pharmacist",), "4004", "pharmacist"),
)


def add_demo_users(store: Store, volunteer_ids: list[int]) -> list[dict]:
    """Add the demo users (the coordinator first, who adds the others); the
    clinician and the pharmacist are demo volunteers of that specialty."""
    added: list[dict] = []
    by = None
    for name, roles, pin, specialty in DEMO_USERS:
        volunteer_id = None
        if specialty is not None and SPECIALTY_MIX.index(specialty) < len(volunteer_ids):
            volunteer_id = volunteer_ids[SPECIALTY_MIX.index(specialty)]
        user = users.add_user(store, name, roles, pin, by=by, volunteer_id=volunteer_id)
        by = by or user
        added.append({"name": name, "roles": list(roles), "pin": pin})
    return added


def is_demo(store: Store) -> bool:
    """Whether this database was made by ``clinic demo`` (synthetic, no real person)."""
    return catalogues_q.setting(store, "demo") is not None
