"""How many records of each kind there are (the home screen, `clinic status`,
the demo and the imports' checks).

The figures over a scope (places filled, follow-ups...) are clinic.store.figures."""

from __future__ import annotations

from typing import Any

from clinic.store.connection import Store


def counts(store: Store) -> dict[str, Any]:
    """How many records of each kind (for status and the home screen)."""
    return {table: count(store, table) for table in COUNTED if table != "organisations"}


COUNTED = (
    "townships",
    "villages",
    "households",
    "persons",
    "volunteers",
    "organisations",
    "clinic_days",
    "assignments",
    "visits",
    "handouts",
)


def count(store: Store, table: str) -> int:
    """Rows in one of the tables the app counts (a fixed list: never a name from input)."""
    if table not in COUNTED:
        raise ValueError(table)
    if table == "persons":  # a duplicate merged into another person is not a person here
        return store.scalar("SELECT count(*) FROM persons WHERE merged_into IS NULL")
    return store.scalar(f"SELECT count(*) FROM {table}")
