"""Signed-in users for the screen tests, without a slow scrypt per test.

Every app a Pilot test opens is signed in (the TUI starts with a sign-in). A
PIN's scrypt hash takes tens of milliseconds on purpose; the one hash of the
tests' PIN is computed once per session and stored for every test user, through
the store's own ``insert_user``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from clinic.core.users import ROLES, User, hash_pin
from clinic.store import open_store
from clinic.store import users as users_q

PIN = "2468"  # the PIN of every test user


@functools.cache
def pin_hash() -> str:
    return hash_pin(PIN)


def ensure_user(
    path: Path | str,
    name: str = "tester",
    roles: tuple[str, ...] | frozenset[str] = ROLES,
    volunteer_id: int | None = None,
) -> User:
    """The user ``name`` of the database at ``path`` (added once, with the tests' PIN)."""
    with open_store(Path(path)) as store:
        row = users_q.user_named(store, name)
        if row is None:
            user_id = users_q.insert_user(store, name, pin_hash(), roles, volunteer_id)
            return User(user_id, name, frozenset(roles), volunteer_id)
    found = frozenset(r for r in (row["roles"] or "").split(",") if r)
    return User(row["id"], row["name"], found, row["volunteer_id"])
