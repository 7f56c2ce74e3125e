"""The one place the command line turns a user error into what the user sees.

Every command raises :class:`clinic.core.errors.ClinicError` (or a subclass)
and leaves the rest here: the sentence, already in the user's language, goes
to stderr and the command ends with the error's exit code (1 bad input,
3 database unusable; 2 is click's usage error). Nothing else in ``clinic.cli``
prints an error or picks an exit code.
"""

from __future__ import annotations

import click

from clinic.core.errors import ClinicError, ConfirmationNeeded
from clinic.i18n import N_, _

# The option that says yes to each ConfirmationNeeded (its code), in words.
CONFIRM_HINTS = {"attendance": N_("Add --change-attendance to change it.")}


def error_text(exc: ClinicError) -> str:
    """What the user reads for ``exc``. A change that needs a yes says how to
    give it on the command line (the TUI asks instead)."""
    if isinstance(exc, ConfirmationNeeded) and exc.code in CONFIRM_HINTS:
        return exc.message + " " + _(CONFIRM_HINTS[exc.code])
    return exc.message


def report_error(exc: ClinicError) -> int:
    """Write the sentence of ``exc`` to stderr; return the exit code to end with."""
    click.echo(error_text(exc), err=True)
    return exc.exit_code


def warn(exc: ClinicError, template: str) -> None:
    """A user error that does not end the command (a daily backup not taken):
    ``template`` with ``{reason}`` in it, on stderr."""
    click.echo(template.format(reason=exc.message), err=True)
