"""Files the app writes: sheets, exports, calendars, rejected rows, backups.

They hold names and health data, so every one is

* private: created 0600, in folders created 0700, whatever the umask;
* atomic: written to a temporary file beside the target, flushed to disk and
  renamed into place, so a crash, a full disk or a cancelled export leaves
  either the old file or the whole new one, never half of it;
* safely named: a file name made from user data (a volunteer's name) can
  neither climb out of its folder nor start a formula or hide itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from clinic.core.errors import InputError
from clinic.i18n import _

FILE_MODE = 0o600
FOLDER_MODE = 0o700

# Names Windows refuses whatever the extension (the files travel to coordinators' PCs).
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
_RESERVED |= {f"LPT{i}" for i in range(1, 10)}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_MAX_NAME = 60


def private_folder(folder: Path) -> Path:
    """``folder`` and any missing parents, created 0700 (existing ones are left as they are)."""
    folder = Path(folder)
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    try:
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    except OSError as exc:
        raise InputError(
            _("Cannot create the folder {path}: {reason}").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from exc
    return folder


def app_folder(folder: Path) -> Path:
    """A folder the app owns (sheets, exports, backups): created if missing and
    always tightened to 0700, also when an earlier version made it wider."""
    private_folder(folder)
    os.chmod(folder, FOLDER_MODE)
    return Path(folder)


def write_atomic(path: Path, fill: Callable[[BinaryIO], None]) -> Path:
    """Write ``path`` through ``fill(stream)``: private, all or nothing.

    The folder must exist: a mistyped folder is an error, not a new folder
    (callers create the app's own folders with :func:`app_folder`). The temporary file is made 0600 by ``mkstemp`` in the target's folder (a
    rename stays on one file system), synced before the rename, and removed
    if ``fill`` or anything after it fails, including a cancel.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".part", dir=folder)
    except OSError as exc:
        raise InputError(_cannot_write(path, folder, exc)) from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            fill(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return path


def _cannot_write(path: Path, folder: Path, exc: OSError) -> str:
    """The sentence for a file that cannot even be started: most often a folder
    that does not exist (a typo), else the system's reason (no permission, a
    read-only stick)."""
    if not folder.is_dir():
        return _("Cannot write {file}: the folder {folder} does not exist.").format(
            file=path, folder=folder
        )
    return _("Cannot write {file}: {reason}").format(file=path, reason=exc.strerror or exc)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    def fill(stream: BinaryIO) -> None:
        stream.write(data)

    return write_atomic(path, fill)


def write_document(target: str | Path | IO[bytes], data: bytes) -> None:
    """A finished document (a printable page) to a file, atomically, or to a stream
    (standard output) as it is: the one way the exports write bytes made in memory."""
    if isinstance(target, str | Path):
        write_bytes_atomic(Path(target), data)
    else:
        target.write(data)
        target.flush()


def safe_file_name(text: str, fallback: str = "file") -> str:
    """A file name made from ``text`` (a person's name, say) that is safe anywhere.

    Path separators, control and reserved characters become ``_``; leading
    dots, dashes and formula starters (``= + - @``) go, so the name neither
    hides, nor reads as an option, nor runs as a formula when a spreadsheet
    lists it; Windows' reserved device names get a ``_``; the result is
    NFC-normalised and at most 60 characters. Chinese names pass unchanged.
    """
    name = unicodedata.normalize("NFC", text or "")
    name = _UNSAFE.sub("_", name)
    name = name.strip().lstrip(".=+-@_ \t").rstrip(". ")
    name = re.sub(r"_{2,}", "_", name)[:_MAX_NAME].rstrip(". ")
    if not name:
        return fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name
