"""The database as the screens and commands reach it: open it, and what it holds.

The front ends (``clinic.ui``, ``clinic.cli``) import nothing from ``clinic.store``
(an import-linter contract in pyproject.toml says so): the connection type and
the way to open one are re-exported here, with the few questions about the
database as a whole that a screen or command asks.
"""

from __future__ import annotations

from typing import Any

from clinic.store import Store, open_store
from clinic.store import counts as _counts
from clinic.store import migrations as _migrations
from clinic.store.connection import set_busy_timeout

__all__ = [
    "Store",
    "has_persons",
    "open_store",
    "record_counts",
    "schema_version",
    "set_busy_timeout",
]


def schema_version(store: Store) -> int:
    """The number of the newest migration applied to this file (``clinic status``)."""
    return _migrations.schema_version(store)


def record_counts(store: Store) -> dict[str, Any]:
    """How many records of each kind the file holds (home screen, ``clinic status``)."""
    return _counts.counts(store)


def has_persons(store: Store) -> bool:
    """Whether anyone is registered: ``clinic demo`` refuses to mix into real data."""
    return _counts.count(store, "persons") > 0
