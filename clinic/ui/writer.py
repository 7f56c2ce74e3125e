"""Writes from a screen, off the UI thread, in the order they were asked for.

Why: a write on the UI thread waits for SQLite's lock while another desk (or
an import, a backup) holds it, up to the busy timeout; the screen froze and
keys typed meanwhile were late (issue 10, "never frozen"). A :class:`Writer`
owns one thread and one connection of its own. ``submit`` returns at once;
the thread writes each job in turn. A job submitted with a ``key`` replaces a
job of the same key still waiting (a visit form saves its draft at every
key: only the newest draft matters, and drafts are never written out of
order). While the lock is held elsewhere the job is retried, never dropped,
and ``on_state("waiting")`` lets the screen say it is waiting for another desk.

The callbacks run on the writer's thread: a screen passes functions that hop
to the UI with ``App.call_from_thread``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clinic.core.database import Store, set_busy_timeout
from clinic.core.errors import ClinicError, DatabaseError, UnexpectedError

# After this long on one job the screen is told it is waiting (another desk
# holds the lock); a job is retried at this pace until it is written.
WAITING_AFTER_S = 0.3
RETRY_EVERY_S = 0.2


@dataclass
class _Job:
    key: str | None
    write: Callable[[Store], Any]
    done: Callable[[Any], None] | None
    failed: Callable[[ClinicError], None] | None


class Writer:
    """One background thread writing a screen's jobs in order (see the module)."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        on_state: Callable[[str], None] | None = None,
        *,
        busy_timeout_ms: int = 250,
    ) -> None:
        self._open_store = open_store
        self._on_state = on_state or (lambda state: None)
        self._busy_timeout_ms = busy_timeout_ms
        self._jobs: list[_Job] = []
        self._lock = threading.Condition()
        self._busy = False  # a job is being written
        self._closed = False
        self._store: Store | None = None
        self._thread = threading.Thread(target=self._run, name="clinic-writer", daemon=True)
        self._thread.start()

    # -- the screen's side ------------------------------------------------------------
    def submit(
        self,
        write: Callable[[Store], Any],
        *,
        key: str | None = None,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[ClinicError], None] | None = None,
    ) -> None:
        """Queue ``write(store)``; returns at once. A waiting job of the same
        ``key`` is replaced (its place in line is kept)."""
        job = _Job(key, write, done, failed)
        with self._lock:
            if self._closed:
                raise RuntimeError("writer closed")
            for index, waiting in enumerate(self._jobs):
                if key is not None and waiting.key == key:
                    self._jobs[index] = job
                    break
            else:
                self._jobs.append(job)
            self._lock.notify_all()

    @property
    def pending(self) -> int:
        """Jobs not written yet (the one being written included)."""
        with self._lock:
            return len(self._jobs) + (1 if self._busy else 0)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every job submitted so far is written; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._jobs or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def close(self, timeout: float | None = 10.0) -> bool:
        """Write what is queued, then stop the thread; False if it did not finish."""
        flushed = self.flush(timeout)
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(timeout)
        return flushed

    # -- the thread's side --------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    while not self._jobs and not self._closed:
                        self._lock.wait()
                    if not self._jobs:
                        return
                    job = self._jobs.pop(0)
                    self._busy = True
                try:
                    self._write(job)
                finally:
                    with self._lock:
                        self._busy = False
                        self._lock.notify_all()
        finally:
            if self._store is not None:
                self._store.close()

    def _connection(self) -> Store:
        """The writer's own connection, opened at its first job (opening may fail
        like a write: busy, or a database that cannot be used)."""
        if self._store is None:
            store = self._open_store()
            set_busy_timeout(store, self._busy_timeout_ms)
            self._store = store
        return self._store

    def _write(self, job: _Job) -> None:
        started = time.monotonic()
        waiting = False
        while True:
            try:
                result = job.write(self._connection())
            except sqlite3.OperationalError as raw:  # a write outside store.transaction()
                error: ClinicError = DatabaseError.from_sqlite(
                    raw, self._store.path if self._store else ""
                )
            except ClinicError as exc:
                error = exc
            except Exception as exc:  # the thread must live on: later saves wait behind it
                error = UnexpectedError.of(exc)
            else:
                if job.done is not None:
                    job.done(result)
                break
            if not (isinstance(error, DatabaseError) and error.busy):
                self._fail(job, error)
                break
            if not waiting and time.monotonic() - started >= WAITING_AFTER_S:
                waiting = True
                self._on_state("waiting")
            time.sleep(RETRY_EVERY_S)
        if waiting:
            self._on_state("written")

    def _fail(self, job: _Job, exc: ClinicError) -> None:
        if job.failed is not None:
            job.failed(exc)
        else:
            self._on_state("failed")
