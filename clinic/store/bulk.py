"""Fast bulk writes for generated data (the demo, benchmarks): executemany in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from clinic.store.connection import Store, new_ids
from clinic.store.places import village_id

# Page cache for a bulk write: the register of a district (200,000 persons,
# ~120 MB with its indexes) is written three times faster with it than with
# SQLite's default 2 MB, whose evicted pages are read back again and again.
BULK_CACHE_MIB = 64


@contextmanager
def large_cache(store: Store, mib: int = BULK_CACHE_MIB) -> Iterator[None]:
    """A larger page cache while the block runs (a bounded amount of memory)."""
    before = store.scalar("PRAGMA cache_size")
    _set_cache_size(store, -1024 * int(mib))
    try:
        yield
    finally:
        _set_cache_size(store, int(before))


def _set_cache_size(store: Store, size: int) -> None:
    """Pages (positive) or KiB (negative) of page cache."""
    store.conn.execute(f"PRAGMA cache_size = {int(size)}")


def insert_rows(
    store: Store, table: str, columns: Sequence[str], rows: Sequence[Sequence], ignore: bool = False
) -> None:
    if not rows:
        return
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    marks = ",".join("?" * len(columns))
    store.conn.executemany(f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def next_id(store: Store, table: str) -> int:
    """The id the next row of ``table`` gets (in the device's range on a laptop)."""
    return new_ids(store.db, table, 1)[0]


def ids_by(store: Store, table: str, column: str) -> dict[str, int]:
    return {row[column]: row["id"] for row in store.query(f"SELECT id, {column} FROM {table}")}


def ensure_villages(store: Store, places: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Create (township, village) pairs that are missing; return all their ids."""
    return {place: village_id(store, *place) for place in places}


def rows(store: Store, table: str) -> list[dict]:
    return store.query(f"SELECT * FROM {table}")
