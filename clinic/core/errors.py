"""Every error a user may see: one base class, one subclass per kind.

Each carries a sentence already in the user's language. One function per front
end turns it into what the user sees: :func:`clinic.cli.errors.report_error`
(the sentence on stderr, then ``exit_code``) and :func:`clinic.ui.errors.show_error`
(beside the field it names, else on the form, else a notification).
Exit codes: 1 bad input (a file, a value, a name that does not exist),
2 usage (click's own), 3 the database cannot be used (locked, full, damaged).

No other module defines a user-facing exception (``tests/test_errors.py``
checks). The kinds::

    ClinicError                 exit 1
      InputError                a value, a name or an option is not acceptable
        FieldError              one value, named by ``field`` (what core validators raise)
          IdNumberError         ... an ID number, with the ``kind`` of fault
        FormError               several fields of one form at once (``problems``)
        NotFoundError           names something that is not in the database
        RefusedError            a rule of the domain refuses the action (``code``)
        ConfirmationNeeded      allowed only once the user says yes
        DuplicateWarning        a new person who looks like one already registered
        ImportFileError         a file that cannot be imported (``Problem`` rows)
      SheetTemplateError        a hand-edited sheet template cannot be drawn
      DatabaseError             exit 3: locked, full, read-only or damaged

The validation style (docs/decisions.md): a validator raises a
:class:`FieldError`; a form that shows every wrong field at once gathers them
with :func:`collecting` and, when the form is submitted, raises a
:class:`FormError`. Importers collect ``Problem`` rows into an
:class:`ImportFileError`. Warnings (accepted, but worth saying) are lists of
sentences, never exceptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from clinic.i18n import _


class ClinicError(Exception):
    """Base of every error a user may see."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnexpectedError(ClinicError):
    """Something nobody foresaw, named by its type only (its message may hold a name or a
    number); what was committed before it stays."""

    @classmethod
    def of(cls, exc: BaseException) -> UnexpectedError:
        return cls(
            _(
                "Unexpected error: {error}. What was saved before is safe; set CLINIC_DEBUG=1 to see the details."
            ).format(error=type(exc).__name__)
        )


class InputError(ClinicError):
    """A value, a name or an option the user gave is not acceptable."""


class FieldError(InputError):
    """One value the user typed is wrong; ``field`` names the form field or
    option it came from ("" when the validator cannot know: the form that
    called it names it with :meth:`at`)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field

    def at(self, field: str) -> FieldError:
        """The same error, named for ``field`` when it names no field yet."""
        if not self.field:
            self.field = field
        return self


class NotARealDate(FieldError):
    """A date written the right way that does not exist (2023-02-30): a form that says
    only how to write a date would not tell the user what is wrong."""


class IdNumberError(FieldError):
    """An ID number that cannot be accepted; ``kind`` (clinic.core.idnumbers.KINDS)
    says what is wrong, so an import can count the faults by kind."""

    def __init__(self, message: str, kind: str, field: str = "id_number"):
        super().__init__(message, field)
        self.kind = kind


class FormError(InputError):
    """Several fields of one form are wrong; ``problems`` maps each field to its
    sentence, in the order of the form. The message is all of them, one a line."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("\n".join(problems.values()))
        self.problems = dict(problems)

    @property
    def field(self) -> str:
        """The first wrong field: where the user goes to fix it."""
        return next(iter(self.problems), "")


@contextmanager
def collecting(problems: dict[str, str], field: str) -> Iterator[None]:
    """Run a validator for ``field``; a FieldError it raises is noted in
    ``problems`` instead of raised, so a form can show every wrong field at once."""
    try:
        yield
    except FieldError as exc:
        problems[field] = exc.message


class NotFoundError(InputError):
    """The user named something that is not in the database."""


class BundleError(InputError):
    """A laptop's bundle that cannot be imported (clinic.core.sync): the message names
    the file and why, and nothing was changed."""


class RefusedError(InputError):
    """A rule of the domain refuses the action as asked (no consent on record, a
    volunteer a hard rule keeps off a clinic day); ``code`` names the rule."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


class SignInError(ClinicError):
    """Signing in failed (a wrong name or PIN, a locked or disabled user), or the
    user signed in may not do what was asked (``code``: the right lacking)."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


class ConfirmationNeeded(InputError):
    """The action changes something already recorded (an attendance): the front
    end asks the user, then repeats it with the confirmation given. ``code`` says
    what is confirmed, so the CLI can name the option that gives the yes."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


class DuplicateWarning(InputError):
    """A walk-in that looks like someone already registered; ``candidates`` are
    the registered persons it may be."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


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


class SheetTemplateError(ClinicError):
    """A sheet template (edited by hand) that cannot be drawn."""


class DatabaseError(ClinicError):
    """The database file cannot be used: locked, full, read-only or damaged."""

    exit_code = 3
    # True when another connection holds the lock: worth waiting for.
    busy = False

    @classmethod
    def from_sqlite(cls, exc: Exception, path: Path | str) -> DatabaseError:
        text = str(exc).lower()
        busy = "locked" in text or "busy" in text
        if busy:
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
        error = cls(msg.format(path=path, reason=exc))
        error.busy = busy
        return error
