"""Jobs the tests run apart (clinic.core.sync.apart): module-level functions of an
importable module, as the child process imports them by name."""

from __future__ import annotations

import os
import signal

from clinic.store import sync as q


def stray_print_then(path, value):
    """Prints on its standard output, as a library might, then answers."""
    print("a library's stray line")
    return value


def killed_after(path):
    """Dies as a process killed after its commit would."""
    os.kill(os.getpid(), signal.SIGKILL)


def busy_apart(path):
    """Writes to ``path`` through apsw while another process holds the lock."""
    conn = q._apsw(path)
    conn.set_busy_timeout(50)
    conn.execute("BEGIN IMMEDIATE")
