"""Users who sign in, and their roles (migration 0041).

Rows hold the PIN's hash only; checking a PIN and the rules of roles are
``clinic.core.users``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clinic.store.connection import Store, insert_row, new_uid

USER_SELECT = """
    SELECT u.id, u.uid, u.name, u.volunteer_id, u.pin_hash, u.active, u.failed_sign_ins,
           u.locked_until, u.created_at, u.pin_changed_at,
           (SELECT group_concat(r.role, ',') FROM
               (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role) r) AS roles
    FROM users u
"""


def users(store: Store) -> list[dict[str, Any]]:
    """Every user, active or not, by name."""
    return store.query(USER_SELECT + " ORDER BY u.name COLLATE NOCASE")


def user_named(store: Store, name: str) -> dict[str, Any] | None:
    """The user with this name (case does not matter), or None."""
    return store.one(USER_SELECT + " WHERE u.name = ? COLLATE NOCASE", [name])


def count_users(store: Store) -> int:
    return store.scalar("SELECT count(*) FROM users") or 0


def insert_user(
    store: Store, name: str, pin_hash: str, roles: Iterable[str], volunteer_id: int | None
) -> int:
    with store.transaction() as db:
        user_id = insert_row(
            db,
            "users",
            {"uid": new_uid(), "name": name, "pin_hash": pin_hash, "volunteer_id": volunteer_id},
        )
        set_roles(store, user_id, roles)
    return user_id


def set_roles(store: Store, user_id: int, roles: Iterable[str]) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM user_roles WHERE user_id = ?", [user_id])
        store.conn.executemany(
            "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
            [(user_id, role) for role in sorted(set(roles))],
        )


def update_user(store: Store, user_id: int, values: dict[str, Any]) -> None:
    with store.transaction() as db:
        db.table("users").update(user_id, values)


def count_active_with_role(store: Store, role: str) -> int:
    return (
        store.scalar(
            "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
            "WHERE u.active = 1 AND r.role = ?",
            [role],
        )
        or 0
    )
