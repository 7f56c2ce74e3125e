"""Fast bulk writes for generated data (the demo, benchmarks): executemany in the caller's transaction."""

from __future__ import annotations

import sqlite3
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


def is_empty(store: Store, table: str) -> bool:
    return store.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None


@contextmanager
def indexes_built_after(store: Store, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for the block and build them
    again after it (inside the caller's transaction).

    Filling an empty table and then sorting each index once is faster than
    keeping every index up to date row by row (a register of 200,000 persons:
    their five indexes, the search keys' person index). Unique indexes are
    built again too, so a duplicate still fails the transaction, only at the
    end. Primary keys and UNIQUE constraints stay. On an error the caller's
    rollback restores the indexes; while the block runs, a query that needs a
    dropped index scans: only for tables nobody queries during the block.
    """
    marks = ",".join("?" * len(tables))
    indexes = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY rowid",
        list(tables),
    ).fetchall()
    for name, _sql in indexes:
        store.conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        store.conn.execute(sql)


@contextmanager
def foreign_keys_off(store: Store) -> Iterator[None]:
    """Foreign keys unchecked while the block runs: wrap a transaction that
    only inserts and calls :func:`check_foreign_keys` before it ends.

    Checking each row's references as it is inserted is a tenth of loading a
    register into an empty database (200,000 persons, their tags, conditions
    and search keys); checking the filled tables once at the end costs a
    hundredth. With the keys off, ON DELETE actions do not run, hence inserts
    only. The pragma has no effect inside a transaction: the block must start
    outside one.
    """
    if store.conn.in_transaction:
        raise RuntimeError("foreign keys can only be switched off outside a transaction")
    before = int(store.scalar("PRAGMA foreign_keys"))
    store.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA foreign_keys = {before}")


def check_foreign_keys(store: Store, tables: Sequence[str]) -> None:
    """Raise what SQLite raises for a reference that points nowhere (before
    the commit, so the transaction rolls back as it would have) if a row of
    ``tables`` has one."""
    for table in tables:
        broken = store.conn.execute(f'PRAGMA foreign_key_check("{table}")').fetchone()
        if broken is not None:
            raise sqlite3.IntegrityError(
                f"FOREIGN KEY constraint failed: {table} row {broken[1]} -> {broken[2]}"
            )


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
