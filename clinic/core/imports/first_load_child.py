"""The process that writes a district's first register (:mod:`.first_load`).

Started as ``python -S -m clinic.core.imports.first_load_child``. It reads frames
from its standard input: first ``("open", (path, language, state, limits))``, then the
register writes by name (:data:`.register_writes.WRITES`, nothing else), then
``("end", ())``. Everything is one transaction, taken with the write lock before
the first write: if the database is no longer as the reading process planned
its ids on (another desk wrote persons or villages meanwhile) nothing is written
and the answer says so; if the input ends without "end" (a bad row, the reading
process stopped) everything rolls back. On its standard output it writes ``R``
once it holds the write lock and the database is as planned (from then on the
rows are not needed for an ordinary import), then the answer, pickled:
``("done", None)``, ``("stale", None)``, ``("abandoned", None)`` or
``("error", exception)``.

Into an empty database the import only inserts: the indexes are built once after
the rows and the references are checked once at the end, as SQLite would have
refused them row by row.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from clinic.core.children import READY, answer_stream, frames, picklable_error
from clinic.core.errors import ClinicError, DatabaseError
from clinic.core.imports.register_writes import FILLED_TABLES, StoreWrites, load_state
from clinic.i18n import set_language
from clinic.store import bulk, open_store
from clinic.store.connection import apply_limits


class _Stale(Exception):
    """Not a user error: the database changed between the plan and the write lock."""


class _Abandoned(Exception):
    """Not a user error: the input ended before "end"; nothing is written."""


def load(
    path: Path,
    state: tuple,
    limits: dict[str, int],
    writes: Iterator[tuple[str, tuple]],
    ready: Callable[[], None],
) -> None:
    """Make ``writes`` in one transaction if the database is in ``state`` (then
    ``ready`` is called, before the first write), within the reading connection's
    ``limits``."""
    store = open_store(path, migrate=False, create=False)
    try:
        apply_limits(store, limits)
        with bulk.foreign_keys_off(store), store.transaction(), bulk.large_cache(store):
            if load_state(store) != tuple(state):
                raise _Stale
            ready()
            out = StoreWrites(store)
            with bulk.indexes_built_after(store, FILLED_TABLES):
                for write, args in writes:
                    if write == "end":
                        break
                    out.call(write, *args)
                else:
                    raise _Abandoned
            bulk.check_foreign_keys(store, ("townships", "villages", *FILLED_TABLES))
    finally:
        store.close()


def main() -> None:
    answer_out = answer_stream()
    writes = frames(sys.stdin.buffer)
    opening = next(writes, None)
    if opening is None or opening[0] != "open":
        return
    path, language, state, limits = opening[1]
    set_language(language)  # the child's sentences in the user's language
    try:
        load(Path(path), state, limits, writes, lambda: _say_ready(answer_out))
        answer: tuple = ("done", None)
    except _Stale:
        answer = ("stale", None)
    except _Abandoned:
        answer = ("abandoned", None)
    except sqlite3.OperationalError as exc:  # busy, full, read-only: as the app says them
        answer = ("error", DatabaseError.from_sqlite(exc, path))
    except ClinicError as exc:
        answer = ("error", exc)
    except Exception as exc:  # handed back to the reading process, which raises it
        answer = ("error", picklable_error(exc))
    # Nothing more is read: a reader still sending gets a broken pipe, not a full one
    # while this waits for it to read the answer.
    os.close(0)
    answer_out.write(pickle.dumps(answer))
    answer_out.close()
    # All is committed (or rolled back) and closed: the interpreter's teardown, freeing
    # what the load held, would only keep the reading process waiting.
    os._exit(0)


def _say_ready(answer_out: BinaryIO) -> None:
    answer_out.write(READY)
    answer_out.flush()


if __name__ == "__main__":
    main()
