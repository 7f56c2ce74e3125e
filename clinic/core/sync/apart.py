"""Writing a live database through apsw, in a process of its own.

apsw carries its own copy of SQLite, beside the one Python's sqlite3 module
uses for every other connection of the app. Two copies of SQLite in one process
do not see each other's POSIX file locks: when an apsw connection to the
district's file closed, it believed itself the file's last user, checkpointed
and deleted the write-ahead log under the app's open sqlite3 connections, and
what the app wrote next was lost ("disk I/O error" for the next reader). So the
session extension's work on a live database (applying bundles, an update) runs
in a child process, where apsw is the only SQLite holding the file and the locks
work across processes as SQLite expects.

The child is a fresh interpreter (``python -m clinic.core.sync.apart``), safe
beside the TUI's threads and whatever ``__main__`` started the app; the call and
its answer (the result, or the ClinicError with its sentence) cross as pickles on
its standard input and output. Its start is paid per import, not per bundle: it
runs with ``-S`` (no site module) and imports only the module of the function it
runs (:mod:`.applying` for bundles), which leaves SQLite's own work most of a
day's import.
"""

from __future__ import annotations

import importlib
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import apsw

from clinic.core.children import answer_stream, picklable_error, python_child, stopped_child
from clinic.core.errors import DatabaseError
from clinic.i18n import current_language, set_language

T = TypeVar("T")


def run_apart(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a new process: its result, or the exception it raised there.
    ``fn`` is a module-level function whose first argument is the database's path; its
    arguments and result are picklable. SQLite's refusals (busy, full, read-only) come
    back as :class:`DatabaseError`, so a busy database is waited for as the app's own."""
    call = pickle.dumps((current_language(), fn.__module__, fn.__qualname__, args))
    import subprocess  # the app's side only: the child spares its import

    command, env = python_child(__name__)
    done = subprocess.run(command, input=call, capture_output=True, env=env, check=False)
    try:
        ok, value = pickle.loads(done.stdout)
    except Exception as exc:  # killed, or out of memory, perhaps after its commit
        raise stopped_child(done.returncode) from exc
    if not ok:
        raise value
    return value


def _serve() -> None:
    """The child: the answer goes out on the standard output it was given."""
    answer_out = answer_stream()
    language, module, name, args = pickle.loads(sys.stdin.buffer.read())
    set_language(language)  # the child's sentences in the user's language
    fn = getattr(importlib.import_module(module), name)
    try:
        answer = (True, fn(*args))
    except apsw.Error as exc:  # busy, full, read-only: the sentence the app's own say
        where = args[0] if args and isinstance(args[0], Path) else ""
        answer = (False, DatabaseError.from_sqlite(exc, where))
    except Exception as exc:  # handed back to the caller, who raises it
        answer = (False, picklable_error(exc))
    answer_out.write(pickle.dumps(answer))
    answer_out.flush()


if __name__ == "__main__":
    _serve()
