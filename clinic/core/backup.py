"""Backups and restores of the one database file.

A backup is a consistent copy taken while desks go on writing (``VACUUM
INTO``: one read transaction), checked (``PRAGMA integrity_check``) and only
then given its name (written beside as a hidden temporary file, then renamed),
readable by its owner only (0600) in a folder only its owner lists (0700). The
app takes one the first time it opens the database each day and keeps the
last ``CLINIC_BACKUP_KEEP`` (14 unless set; 0 turns daily backups off).

A restore checks the file first (a database, a clinic database, not damaged,
not from a newer app), refuses while another desk or command has the database
open, keeps the file it replaces beside it (``clinic.db.replaced-…``), and
puts the new one in place with a single rename.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from clinic.core.errors import DatabaseError, InputError, NotFoundError
from clinic.core.files import app_folder, private_folder
from clinic.i18n import _
from clinic.store import backup as q
from clinic.store import open_store
from clinic.store.audit import record as record_audit
from clinic.store.migrations import applied_in_file, known_names, newer_schema_message

DEFAULT_KEEP = 14
KEEP_ENV = "CLINIC_BACKUP_KEEP"
_NAME = re.compile(r"^clinic-(\d{4}-\d{2}-\d{2})-\d{6}(-\d+)?\.db$")


@dataclass
class BackupResult:
    path: Path
    size: int
    pruned: list[Path]


@dataclass
class RestoreResult:
    path: Path
    source: Path
    kept: Path | None
    schema: int


def backups_folder(db_path: Path) -> Path:
    """Backups live beside the database, in backups/."""
    return Path(db_path).resolve().parent / "backups"


def backup_name(now: dt.datetime) -> str:
    return f"clinic-{now:%Y-%m-%d-%H%M%S}.db"


def keep_count(value: str | None = None) -> int:
    """How many daily backups to keep: CLINIC_BACKUP_KEEP, else 14."""
    text = os.environ.get(KEEP_ENV, "") if value is None else value
    if not text.strip():
        return DEFAULT_KEEP
    try:
        keep = int(text)
    except ValueError:
        keep = -1
    if keep < 0:
        raise InputError(
            _("{name} must be a whole number of backups to keep (0 turns them off).").format(
                name=KEEP_ENV
            )
        )
    return keep


def _sync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (not every system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """An empty 0600 file in the target's folder; removed unless renamed into place."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise InputError(
            _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
        ) from exc
    try:
        yield tmp
    finally:
        _remove_with_side_files(tmp)


def _remove_with_side_files(path: Path) -> None:
    """Remove ``path`` and the -wal/-shm that checking a WAL-mode copy leaves beside it."""
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _place(tmp: Path, target: Path) -> None:
    """Flush ``tmp`` to disk, then give it its name in one rename."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    _sync_folder(target.parent)


def _check_copy(path: Path, shown: Path) -> dict:
    """The checks a backup passes before it is named, and a file before it is restored."""
    try:
        info = q.inspect_copy(path)
    except sqlite3.DatabaseError as exc:
        raise InputError(
            _("{path} is not a clinic database or is damaged.").format(path=shown)
        ) from exc
    if info["integrity"] != "ok":
        raise InputError(
            _("{path} is damaged ({problem}).").format(path=shown, problem=info["integrity"])
        )
    if not info["clinic"]:
        raise InputError(_("{path} is not a clinic database.").format(path=shown))
    return info


def take_backup(
    db_path: Path,
    target: Path | None = None,
    *,
    actor: str,
    now: dt.datetime | None = None,
    daily: bool = False,
) -> BackupResult:
    """Copy the database to ``target`` (default: backups/clinic-DATE-TIME.db), checked, 0600."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise NotFoundError(_("There is no database at {path}.").format(path=db_path))
    now = now or dt.datetime.now()
    if target is None:
        target = _free_name(backups_folder(db_path) / backup_name(now))
    target = Path(target)
    if target.is_dir():
        raise InputError(_("{path} is a folder; give a file name.").format(path=target))
    if target.exists():
        raise InputError(_("{path} already exists; choose another name.").format(path=target))
    if target.parent == backups_folder(db_path):
        app_folder(target.parent)  # the app's own: 0700 even if made wider before
    else:
        private_folder(target.parent)
    with _temporary_beside(target) as tmp:
        try:
            q.vacuum_into(db_path, tmp)
        except sqlite3.DatabaseError as exc:
            where = target if "full" in str(exc).lower() else db_path
            raise DatabaseError.from_sqlite(exc, where) from exc
        try:
            _check_copy(tmp, target)
        except InputError as exc:
            raise DatabaseError(
                _("The copy of {path} failed its check, so no backup was made: {problem}").format(
                    path=db_path, problem=exc.message
                )
            ) from exc
        try:
            _place(tmp, target)
        except OSError as exc:
            raise InputError(
                _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
            ) from exc
    size = target.stat().st_size
    try:
        with open_store(db_path, create=False) as store:
            record_audit(
                store, actor, "backup", {"file": str(target), "bytes": size, "daily": daily}
            )
    except BaseException:
        target.unlink(missing_ok=True)  # no copy of the data without its audit row
        raise
    return BackupResult(path=target, size=size, pruned=[])


def _free_name(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3 … when a backup was taken in the same second."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def daily_backup_due(db_path: Path, today: dt.date) -> bool:
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return True
    stamp = today.isoformat()
    return not any(
        (m := _NAME.match(entry.name)) and m.group(1) == stamp for entry in folder.iterdir()
    )


def _taken_order(path: Path) -> tuple[str, int]:
    """clinic-DATE-TIME.db before clinic-DATE-TIME-2.db (plain name order puts -2 first)."""
    parts = path.stem.split("-")
    if len(parts) == 6:  # clinic, Y, M, D, HHMMSS, n
        return "-".join(parts[:5]), int(parts[5])
    return path.stem, 1


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups named clinic-DATE-TIME.db in ``folder``."""
    found = [p for p in folder.iterdir() if _NAME.match(p.name)] if folder.is_dir() else []
    found.sort(key=_taken_order)
    old = found[: max(len(found) - keep, 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def daily_backup(
    db_path: Path, *, actor: str, now: dt.datetime | None = None
) -> BackupResult | None:
    """The first open of the day takes a backup and prunes old ones; later opens do nothing."""
    now = now or dt.datetime.now()
    keep = keep_count()
    if keep == 0 or not Path(db_path).exists() or not daily_backup_due(db_path, now.date()):
        return None
    result = take_backup(db_path, actor=actor, now=now, daily=True)
    result.pruned = prune(backups_folder(db_path), keep)
    return result


def backup_before_upgrade(
    db_path: Path, *, actor: str, now: dt.datetime | None = None
) -> Path | None:
    """Before migrations change an older database, a copy of it as it was (never pruned).

    Nothing is done for a new, empty file, an up-to-date one, or a newer one
    (which the app refuses anyway).
    """
    try:
        applied = applied_in_file(db_path)
    except sqlite3.DatabaseError:
        return None  # not readable as a database: opening it says why
    known = known_names()
    if not applied or not known - set(applied) or set(applied) - known:
        return None
    now = now or dt.datetime.now()
    newest = max(int(name[:4]) for name in applied)
    target = (
        backups_folder(db_path) / f"clinic-{now:%Y-%m-%d-%H%M%S}-before-upgrade-from-{newest}.db"
    )
    return take_backup(db_path, target, actor=actor, now=now).path


def restore(
    db_path: Path,
    source: Path,
    *,
    actor: str,
    now: dt.datetime | None = None,
    confirm: Callable[[], bool] | None = None,
) -> RestoreResult | None:
    """Replace the database with the checked copy of ``source``; the old file is kept beside it.

    ``confirm`` is asked once the file has passed its checks; None when it says no.
    """
    db_path, source = Path(db_path), Path(source)
    now = now or dt.datetime.now()
    if not source.is_file():
        raise NotFoundError(_("There is no file {path}.").format(path=source))
    wal = Path(f"{source}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        # Copied (or left) while open: the last changes are in the -wal, not in FILE.
        raise InputError(
            _(
                "{path} has unsaved changes in {wal} beside it; open it once (clinic --db {path} status), then restore it."
            ).format(path=source, wal=wal.name)
        )
    private_folder(db_path.resolve().parent)
    with _temporary_beside(db_path) as tmp:
        try:
            with open(source, "rb") as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except OSError as exc:
            raise InputError(
                _("Cannot read {path}: {reason}").format(path=source, reason=exc.strerror or exc)
            ) from exc
        info = _check_copy(tmp, source)
        message = newer_schema_message(source, info["migrations"], info["app_versions"])
        if message:
            raise DatabaseError(message)
        if confirm is not None and not confirm():
            return None
        kept = _set_aside(db_path, now) if db_path.exists() else None
        _place(tmp, db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with open_store(db_path, create=False) as store:  # brings an older schema up to date
        from clinic.store.migrations import schema_version

        schema = schema_version(store)
        record_audit(
            store,
            actor,
            "restore",
            {"file": str(source), "kept": str(kept) if kept else None, "schema": schema},
        )
    return RestoreResult(path=db_path, source=source, kept=kept, schema=schema)


def _set_aside(db_path: Path, now: dt.datetime) -> Path:
    """Keep the file about to be replaced as ``NAME.replaced-DATE-TIME``, complete in itself."""
    try:
        alone = q.take_exclusive(db_path)
    except sqlite3.DatabaseError:
        alone = True  # a damaged database is exactly what a restore replaces
    if not alone:
        raise DatabaseError(
            _(
                "The database {path} is open in the app or a command on this computer; quit every clinic window using it and run clinic restore again. Nothing was changed."
            ).format(path=db_path)
        )
    kept = db_path.with_name(f"{db_path.name}.replaced-{now:%Y%m%d-%H%M%S}")
    try:
        os.link(db_path, kept)
    except OSError:
        shutil.copy2(db_path, kept)
    os.chmod(kept, 0o600)
    return kept
