"""Writer processes for the backup tests: rows committed while backups are taken.

Each writer commits one audit row per transaction (actor ``writerN``, detail
``{"seq": i}``) through the app's audit writer, and only after the commit
appends ``i`` to its own log file: a number in the log is a committed row.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_rows(db_path: str, writer: int, log_path: str, stop) -> None:
    """Commit rows until ``stop`` (a multiprocessing Event) is set."""
    from clinic.store import open_store
    from clinic.store.audit import record

    with open_store(db_path, migrate=False) as store, open(log_path, "a") as log:
        seq = 0
        while not stop.is_set():
            record(store, f"writer{writer}", "test_write", {"seq": seq})
            log.write(f"{seq}\n")
            log.flush()
            os.fsync(log.fileno())
            seq += 1


def committed(log_path: str | Path) -> set[int]:
    """The rows a writer had committed when its log was read."""
    text = Path(log_path).read_text() if Path(log_path).exists() else ""
    return {int(line) for line in text.splitlines() if line.strip()}
