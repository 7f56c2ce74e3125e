"""Open the one SQLite file the app keeps everything in.

Every connection gets WAL, foreign keys and a busy timeout, then the pending
migrations and changed seed catalogues are applied. ``Database(path)`` keeps
sqlite3's ``check_same_thread=True``: each thread opens its own Store.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinic.core.errors import DatabaseError, NotFoundError
from clinic.i18n import _

if TYPE_CHECKING:  # imported where a database is opened (the apart child needs none)
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000


def busy_timeout_pragma(ms: int = BUSY_TIMEOUT_MS) -> str:
    """How long a connection waits for another's write lock before SQLite says busy."""
    return f"PRAGMA busy_timeout = {int(ms)}"


BUSY_TIMEOUT_PRAGMA = busy_timeout_pragma()
# Copy every page of the -wal into the database file and empty the -wal.
CHECKPOINT_TRUNCATE = "PRAGMA wal_checkpoint(TRUNCATE)"


def new_uid() -> str:
    """A globally unique id for a record made on this laptop (for merging later).

    The hex of a random (version 4) UUID, made from the random bytes directly:
    ``uuid.uuid4().hex`` costs three times as much, felt when an import makes
    hundreds of thousands."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.hex()


def new_uids(count: int) -> list[str]:
    """``count`` uids for rows made together (a batch of an import): one random
    version 4 UUID whose last 32 bits count up from zero. Each is as unique as
    :func:`new_uid` (90 random bits per batch), and being in order they go into
    the uid index side by side instead of at ``count`` random places (a fifth
    of the time of writing a register's persons)."""
    if count >= 1 << 32:
        raise ValueError("at most 2**32 uids at once")
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    base = int.from_bytes(raw[:12], "big") << 32
    return [f"{base + i:032x}" for i in range(count)]


# -- keys that never collide (docs/decisions.md, "keys of merged laptops") ------------
# A laptop enrolled with ``clinic sync base`` is device number N >= 1; every row it
# makes gets an id in [N * 2**40, (N + 1) * 2**40). The district (and every database
# never enrolled) is device 0, [1, 2**40): its existing ids stay. Ids are counted here,
# in the device's range, not left to SQLite, whose max(id) + 1 would continue in the
# range of the last laptop merged into the district.

SETTING_SQL = "SELECT value FROM settings WHERE key = ?"
FOREIGN_KEYS_PRAGMA = "PRAGMA foreign_keys = ON"
DEVICE_SPAN = 1 << 40
DEVICE_NUMBER_KEY = "sync.device_number"
_ID_BASES: weakref.WeakKeyDictionary[sqlite_utils.Database, int] = weakref.WeakKeyDictionary()


def id_base(db: sqlite_utils.Database) -> int:
    """The first id of this database's device range (0 when it is not a laptop); read once
    per connection."""
    if db in _ID_BASES:
        return _ID_BASES[db]
    try:
        row = db.conn.execute(SETTING_SQL, [DEVICE_NUMBER_KEY])
        found = row.fetchone()
    except sqlite3.OperationalError:  # no settings table yet: a file being created
        return 0
    base = int(found[0]) * DEVICE_SPAN if found else 0
    _ID_BASES[db] = base
    return base


def forget_id_base(db: sqlite_utils.Database) -> None:
    """Read the device number again (after it was written on this connection)."""
    _ID_BASES.pop(db, None)


def new_ids(db: sqlite_utils.Database, table: str, count: int) -> list[int]:
    """``count`` fresh ids of ``table`` in this database's device range."""
    base = id_base(db)
    top = db.conn.execute(
        f"SELECT max(id) FROM [{table}] WHERE id >= ? AND id < ?", [base, base + DEVICE_SPAN]
    ).fetchone()[0]
    first = (top or base) + 1
    return list(range(first, first + count))


def in_parts(ids: list[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """``ids`` in parts of at most ``size``, each with its ``?, ?`` marks for ``IN (...)``:
    a statement binds a bounded number of values."""
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield part, ",".join("?" * len(part))


def insert_row(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """Insert one row and give back its new id (in the device's range on a laptop).

    The store's one reader of sqlite-utils' ``last_pk``, which is typed as
    optional: every table the app inserts into has an integer primary key."""
    if "id" not in row:
        row = {"id": new_ids(db, table, 1)[0], **row}
    pk = db.table(table).insert(row).last_pk
    if not isinstance(pk, int):
        raise TypeError(f"{table}: insert gave no integer id ({pk!r})")
    return pk


@dataclass
class Store:
    """A connection to the clinic database with the app's named queries hung off it."""

    path: Path
    db: sqlite_utils.Database = field(repr=False)
    cache: dict = field(default_factory=dict, repr=False)  # catalogues read once per connection

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One user action, one transaction: all of it is written or none.

        ``BEGIN IMMEDIATE`` takes the write lock up front (waiting up to the
        busy timeout), so a transaction that read first never fails later
        because another desk wrote in between. Nested calls are savepoints.
        """
        conn = self.conn
        try:
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
            conn.commit()
        except sqlite3.OperationalError as exc:
            raise DatabaseError.from_sqlite(exc, self.path) from exc

    def query(self, sql: str, params: Any = None) -> list[dict]:
        return list(self.db.query(sql, params or []))

    def rows(self, sql: str, params: Any = None) -> list[sqlite3.Row]:
        """Rows read by column name like :meth:`query`'s dicts, but made by sqlite3 in C:
        for the lookups of an import, where sqlite-utils' dicts cost a tenth of a second
        on a district's register."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: Any = None) -> dict | None:
        for row in self.db.query(sql, params or []):
            return row
        return None

    def scalar(self, sql: str, params: Any = None) -> Any:
        row = self.conn.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's PRAGMA data_version)."""
        return self.scalar("PRAGMA data_version")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """``with open_store(path) as store:`` closes the connection however the block ends."""
        self.close()


def _create_private(path: Path) -> None:
    """A new database file readable by its owner only: it holds health data."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def open_store(path: str | Path, *, migrate: bool = True, create: bool = True) -> Store:
    """Open the database at ``path``, ready to use; create it when ``create`` allows."""
    from clinic.store.migrations import apply_migrations, check_not_newer
    from clinic.store.seeds import apply_seeds
    from clinic.store.sync import ensure_first_snapshot

    path = Path(path)
    if not path.exists():
        if not create:
            raise NotFoundError(
                _(
                    "There is no database at {path}. Check --db, or create one with clinic demo or clinic import register."
                ).format(path=path)
            )
        try:
            _create_private(path)
        except FileExistsError:
            pass
        except OSError as exc:
            raise DatabaseError(
                _("Cannot open the database {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                )
            ) from exc
    try:
        import sqlite_utils  # with click, pluggy, dateutil: imported by whoever opens a store

        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = sqlite_utils.Database(conn)
        db.execute(BUSY_TIMEOUT_PRAGMA)
        db.execute(FOREIGN_KEYS_PRAGMA)
        # Deleted and overwritten values are zeroed where that costs no extra
        # I/O (an old phone number does not linger in a page); a purge turns
        # it fully on (docs/decisions.md).
        db.execute("PRAGMA secure_delete = FAST")
        store = Store(path=path, db=db)
        if migrate:
            try:
                check_not_newer(store)  # before the first write: a newer file stays untouched
            except DatabaseError:
                store.close()
                raise
        if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            apply_migrations(store)
            apply_seeds(store)
            ensure_first_snapshot(store)
        return store
    except sqlite3.DatabaseError as exc:
        raise DatabaseError.from_sqlite(exc, path) from exc
    except OSError as exc:
        raise DatabaseError(
            _("Cannot open the database {path}: {reason}").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc


# -- erasing for good (clinic.core.purge) ----------------------------------------------
# ``secure_delete`` makes SQLite overwrite deleted content with zeros instead of
# leaving it in free space; a TRUNCATE checkpoint then copies the zeroed pages
# into the database file and empties the -wal file, which held the old pages.


def set_busy_timeout(store: Store, ms: int) -> None:
    """Wait ``ms`` for another connection's write lock (a writer thread waits briefly
    and retries, saying so, rather than sitting the full default)."""
    store.conn.execute(busy_timeout_pragma(ms))


# What a connection may do, as PRAGMAs set on it: a process that writes for the
# connection works within the same (clinic.core.imports.first_load).
_LIMITS = ("query_only", "max_page_count")


def connection_limits(store: Store) -> dict[str, int]:
    """The connection's limits (read-only, the most pages the file may grow to)."""
    return {name: int(store.scalar(f"PRAGMA {name}")) for name in _LIMITS}


def apply_limits(store: Store, limits: dict[str, int]) -> None:
    """Set the limits :func:`connection_limits` read on another connection."""
    for name in _LIMITS:
        if name in limits:
            store.conn.execute(f"PRAGMA {name} = {int(limits[name])}")


def set_secure_delete(store: Store, mode: str) -> None:
    """``ON`` (every freed byte and page zeroed) or ``FAST`` (the app's default)."""
    assert mode in ("ON", "FAST", "OFF")
    store.conn.execute(f"PRAGMA secure_delete = {mode}")


def checkpoint_truncate(store: Store) -> bool:
    """Copy every page into the database file and empty the -wal; False while a reader holds old pages."""
    busy, _log, _done = store.conn.execute(CHECKPOINT_TRUNCATE).fetchone()
    return busy == 0
