"""The Sync screen's jobs run in a process of their own, as ``clinic sync`` does.

Why: the sync opens the live database through apsw, whose wheel carries its own
SQLite, while the app holds connections through Python's sqlite3, a second SQLite
in the same process. POSIX locks belong to a process, so one library cannot see the
other's: closing apsw's connection took itself for the last one and deleted the
``-wal`` and ``-shm`` files under the app's open connections (the next write said
"disk I/O error", and writes to the deleted log would be lost). A child process
has locks of its own, like the command line beside an open app, which is safe.

The child (``python -m clinic.ui.sync_process``, not multiprocessing: under Textual
the standard streams are not files, and multiprocessing's helper process wants
them) reads its job from standard input, opens the database, runs one service of
:mod:`clinic.core.sync` in the user's language and writes back its result or its
:class:`ClinicError`, pickled (a pipe between two processes of this app).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from clinic.core.errors import ClinicError, InputError
from clinic.i18n import _, current_language, set_language


def _jobs() -> dict[str, Any]:
    from clinic.core.sync.bundle import UPDATE_MAGIC, files_in
    from clinic.core.sync.enrol import make_base
    from clinic.core.sync.exporting import export_bundle
    from clinic.core.sync.importing import import_each
    from clinic.core.sync.updating import export_update, import_updates

    return {
        "export_bundle": lambda store, out, actor: export_bundle(store, out, actor=actor),
        "export_update": lambda store, device, out, actor: export_update(
            store, device, out, actor=actor
        ),
        "import_bundles": lambda store, where, actor: import_each(
            store, files_in(where), actor=actor
        ),
        "import_update": lambda store, where, actor: import_updates(
            store, files_in(where, UPDATE_MAGIC), actor=actor
        ),
        "enrol": lambda store, name, out, actor: make_base(store, name, out, actor=actor),
    }


def _unexpected(exc: BaseException) -> InputError:
    return InputError(
        _(
            "Unexpected error: {error}. What was saved before is safe; set CLINIC_DEBUG=1 to see the details."
        ).format(error=type(exc).__name__)
    )


def _died(stderr: bytes) -> BaseException | None:
    """The exception a child died of, by its name on the last line of its traceback (only
    the name: its message may hold a path or a person's name)."""
    last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    name = last[0].partition(":")[0].strip()
    return type(name, (Exception,), {})() if name.isidentifier() else None


def _child(db_path: str, lang: str, job: str, args: tuple[Any, ...]) -> Any:
    """In the child: the job on its own connection; a file system's refusal (a stick
    pulled out, a read-only folder) becomes one sentence, as the core's file helpers
    say most of them already."""
    from clinic.core.database import open_store

    set_language(lang)
    try:
        with open_store(Path(db_path), migrate=False) as store:
            return _jobs()[job](store, *args)
    except OSError as exc:
        raise InputError(
            _("The file could not be written or read: {reason}").format(reason=exc.strerror or exc)
        ) from None


def run(db_path: Path, job: str, *args: Any) -> Any:
    """``job`` (a name of :func:`_jobs`) on ``db_path`` in a child process; waits for it
    (call it off the UI thread). Its ClinicError is raised here."""
    request = pickle.dumps((str(db_path), current_language(), job, args))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "clinic.ui.sync_process"],
            input=request,
            capture_output=True,
            check=False,
        )
        kind, value = pickle.loads(done.stdout)
    except Exception as exc:  # the child died before it could answer
        raise _unexpected(_died(done.stderr) or exc) from exc
    if kind == "error":
        raise value
    return value


def main() -> None:
    db_path, lang, job, args = pickle.loads(sys.stdin.buffer.read())
    try:
        answer: tuple[str, Any] = ("ok", _child(db_path, lang, job, args))
    except ClinicError as exc:
        answer = ("error", exc)
    except Exception as exc:
        if os.environ.get("CLINIC_DEBUG"):
            raise
        answer = ("error", _unexpected(exc))
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
