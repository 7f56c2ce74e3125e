"""Volunteer and organisation rows used by the roster import and the demo."""

from __future__ import annotations

from typing import Any

from clinic.store.connection import Store, new_uid


def specialties(store: Store) -> list[dict]:
    return store.query("SELECT * FROM specialties ORDER BY sort_order")


def organisations(store: Store) -> list[dict]:
    return store.query("SELECT * FROM organisations ORDER BY sort_order, id")


def add_local_unit(store: Store, name: str, parent: dict) -> int:
    """A local unit (民进綦江区委会) of a catalogued organisation."""
    level = (
        "district"
        if "区委" in name or "县委" in name
        else ("general_branch" if "总支" in name else "branch")
    )
    return (
        store.db["organisations"]
        .insert(
            {
                "short_name": name,
                "name_zh": name,
                "name_en": f"{parent['name_en']} ({name})",
                "level": level,
                "parent_id": parent["id"],
                "sort_order": parent["sort_order"],
            }
        )
        .last_pk
    )


def find_volunteer(store: Store, name: str, phone: str | None) -> dict | None:
    return store.one("SELECT * FROM volunteers WHERE name = ? AND phone IS ?", [name, phone])


def save_volunteer(store: Store, values: dict[str, Any]) -> str:
    """Insert or update by (name, phone); returns 'created', 'updated' or 'unchanged'."""
    existing = find_volunteer(store, values["name"], values["phone"])
    if existing is None:
        store.db["volunteers"].insert({"uid": new_uid(), **values})
        return "created"
    changes = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changes:
        return "unchanged"
    store.db["volunteers"].update(existing["id"], changes)
    return "updated"


def same_name_and_phone(
    store: Store, name: str, phone: str | None, other_than: int | None
) -> dict | None:
    """Another volunteer with this name and phone (the roster's identity)."""
    return store.one(
        "SELECT id FROM volunteers WHERE name = ? AND phone IS ? AND id IS NOT ?",
        [name, phone, other_than],
    )


def mark_cadre(store: Store, volunteer_id: int) -> None:
    store.conn.execute("UPDATE volunteers SET is_cadre = 1 WHERE id = ?", [volunteer_id])


def specialty_names(store: Store) -> dict[str, tuple[str, str]]:
    """code → (name_zh, name_en), read once per connection (seeds change only at start)."""
    if "specialty_names" not in store.cache:
        store.cache["specialty_names"] = {
            r["code"]: (r["name_zh"], r["name_en"]) for r in specialties(store)
        }
    return store.cache["specialty_names"]
