"""One exception type per kind of user error.

Each carries a sentence already in the user's language; the CLI prints it and
exits with ``exit_code``, the TUI shows it in a notification or beside a field.
Exit codes: 1 bad input (a file, a value, a name that does not exist),
2 usage (click's own), 3 the database cannot be used (locked, full, damaged).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from clinic.i18n import _


class ClinicError(Exception):
    """Base of every error a user may see."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(ClinicError):
    """A value, a name or an option the user gave is not acceptable."""


class NotFoundError(InputError):
    """The user named something that is not in the database."""


@dataclass
class Problem:
    """One thing wrong in one row of an input file."""

    line: int  # file line number, header = 1
    column: str
    message: str
    value: str = ""

    def describe(self, file: str | Path) -> str:
        return _("{file}, line {line}, column {column}: {message}").format(
            file=Path(file).name, line=self.line, column=self.column or "-", message=self.message
        )


@dataclass
class ImportFileError(InputError):
    """A file that cannot be imported as it is; nothing was written."""

    file: Path
    problems: list[Problem] = field(default_factory=list)
    headline: str = ""

    def __post_init__(self) -> None:
        head = self.headline or _("{file}: {n} problem(s); nothing was imported.").format(
            file=Path(self.file).name, n=len(self.problems)
        )
        lines = [head] + [p.describe(self.file) for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(_("... and {n} more.").format(n=len(self.problems) - 200))
        ClinicError.__init__(self, "\n".join(lines))


class DatabaseError(ClinicError):
    """The database file cannot be used: locked, full, read-only or damaged."""

    exit_code = 3

    @classmethod
    def from_sqlite(cls, exc: sqlite3.Error, path: Path | str) -> DatabaseError:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            msg = _(
                "The database {path} is busy (another program is writing to it); nothing was changed. Try again in a moment."
            )
        elif "full" in text:
            msg = _(
                "The disk holding {path} is full; nothing was changed. Free some space and try again."
            )
        elif "readonly" in text or "read-only" in text:
            msg = _("The database {path} is read-only; nothing was changed.")
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            msg = _("{path} is not a clinic database or is damaged.")
        elif "unable to open" in text:
            msg = _("Cannot open the database {path}.")
        else:
            msg = _("The database {path} could not be used ({reason}); nothing was changed.")
        return cls(msg.format(path=path, reason=exc))
