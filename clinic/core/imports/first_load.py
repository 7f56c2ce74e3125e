"""A district's first register, read here and written by a second process at once.

Into a database without persons or households nothing can match, so what the
import writes follows from the file alone. Then this process reads, checks and
groups the rows and plans every id (:class:`.register_writer.HouseholdWriter`
with :class:`.register_writes.PlannedPlaces`), and a child process
(:mod:`.first_load_child`) makes the writes as they arrive on a pipe, in one
transaction: the file's reading and SQLite's writing run side by side on two
cores instead of one after the other. (A thread cannot do it: the reading
thread holds Python's lock for most of every switch interval, and the writer,
which needs it between rows, waited 0.1 to 1 s at a time.)

The child answers when it has committed. A bad row (without ``skip_bad``) or an
error here closes the pipe without "end": the child rolls back and nothing is
written, as in any import. If the database changed between the plan and the
child's write lock, the child writes nothing and :class:`NoLongerFresh` asks the
caller for an ordinary import.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
from collections.abc import Callable
from typing import Any

from clinic.core.children import READY, frame, python_child, stopped_child
from clinic.core.imports.register_fields import BATCH_ROWS, ImportResult, PersonRow, Progress
from clinic.core.imports.register_writer import HouseholdWriter, household_key
from clinic.core.imports.register_writes import PlannedPlaces, load_state
from clinic.i18n import current_language
from clinic.store import Store
from clinic.store.connection import connection_limits

_CHILD = "clinic.core.imports.first_load_child"
# The pipe's buffer: the reading side runs ahead of SQLite by up to this much.
_PIPE_BYTES = 1 << 20


class NoLongerFresh(Exception):
    """Not a user error: persons, households or places appeared between the plan
    and the child's write lock; nothing was written."""


class FirstLoad:
    """The reading side of a first load: :meth:`add` each checked row, then
    :meth:`commit`, or :meth:`abandon` (also on leaving a ``with`` block without
    a commit)."""

    def __init__(
        self,
        store: Store,
        result: ImportResult,
        progress: Progress | None = None,
        expected_rows: int = 0,
    ):
        self.result = result
        self.progress = progress
        self.expected_rows = expected_rows
        state = load_state(store)
        command, env = python_child(_CHILD)
        # A session of its own: Ctrl+C at the terminal stops this process, which
        # closes the pipe; the child then rolls back rather than dying mid-write.
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise RuntimeError("the first load's child has no pipes")
        self._stdin, self._stdout = stdin, stdout
        self._pipe = stdin.fileno()
        with contextlib.suppress(AttributeError, OSError):  # Linux only; capped by the system
            import fcntl

            fcntl.fcntl(self._pipe, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self._open = True
        try:
            self._start(store, state)
        except BaseException:
            self.abandon()
            raise

    def _start(self, store: Store, state: tuple) -> None:
        # The child writes for this connection: within its limits (read-only, the
        # most pages the file may grow to), in the user's language.
        limits = connection_limits(store)
        self.send("open", str(store.path), current_language(), state, limits)
        self.places = PlannedPlaces(store, self.send)
        self.writer = HouseholdWriter(
            store,
            self.result,
            keys=True,
            fresh=True,
            out=self.send,
            places=self.places.village_id,
            streaming=True,
        )
        # Households not written yet, by key, with their rows so far.
        self._unwritten: dict[tuple, list[PersonRow]] = {}
        self._rows = 0
        self.done = 0

    def __enter__(self) -> FirstLoad:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.abandon()

    def send(self, write: str, *args: Any) -> None:
        """One write for the child; once it is gone (it found the database changed,
        or failed) nothing more is sent: its answer says why."""
        if not self._open:
            return
        view = memoryview(frame((write, args)))
        try:
            while view:
                view = view[os.write(self._pipe, view) :]
        except BrokenPipeError:
            self._open = False

    def add(self, row: PersonRow) -> None:
        """A checked row. Households are written a batch at a time; a row of a
        household already written (its rows apart in the file) joins it."""
        key = household_key(row)
        members = self._unwritten.get(key)
        if members is not None:
            members.append(row)
        elif key in self.writer.written:
            self.writer.add_late(key, row)
        else:
            self._unwritten[key] = [row]
        self._rows += 1
        if self._rows >= BATCH_ROWS:
            self._write_batch()

    def _write_batch(self) -> None:
        if self._unwritten:
            self.writer.write(list(self._unwritten.items()))
        self.done += self._rows
        self._unwritten, self._rows = {}, 0
        if self.progress:
            self.progress(self.done, max(self.done, self.expected_rows))

    def commit(
        self,
        audit: Callable[[], tuple[str, str, str, int]],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Write what is left and the audit line (``audit()`` once everything else is
        written: actor, action, detail, rows); wait for the child's commit.
        :class:`NoLongerFresh`: nothing was written.

        While the child builds the indexes and commits, this process lets go of what
        it kept (and calls ``meanwhile``: the caller's rows, no longer needed once
        the child has said it writes them). Freed here, that is a tenth of the
        import's time no longer spent after it."""
        self._write_batch()
        self.writer.flush()
        self.result.villages_created = self.places.created
        self.send("record", *audit())
        self.send("end")
        status, value = self._answer(meanwhile)
        if status == "stale":
            raise NoLongerFresh
        if status == "error":
            raise value
        if status != "done":
            raise stopped_child(self.process.returncode)

    def abandon(self) -> None:
        """Nothing written: the child sees its input end and rolls back. Never raises:
        it runs while the caller's own error (a bad row, Ctrl+C) is on its way."""
        if self.process.returncode is None:
            with contextlib.suppress(Exception):
                self._answer()

    def _answer(self, meanwhile: Callable[[], None] | None = None) -> tuple[str, Any]:
        self._open = False
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        stdout = self._stdout
        out = stdout.read(1)
        if out == READY:
            self._let_go()
            if meanwhile is not None:
                meanwhile()
            out = b""
        out += stdout.read()
        stdout.close()
        self.process.wait()
        self._let_go()
        try:
            return pickle.loads(out)
        except Exception as exc:  # killed, or out of memory, perhaps after its commit
            raise stopped_child(self.process.returncode) from exc

    def _let_go(self) -> None:
        """Drop the writer and what it holds (every person of the file): it refers
        back to this object, a cycle only the cycle collector would free."""
        self.writer = self.places = None  # type: ignore[assignment]
        self._unwritten = {}
