"""The ``clinic`` command: opens the TUI, or runs one of the subcommands.

Subcommands live in modules named for what they do (``database``, ``imports``,
``persons``, ``desk``, ``planning``, ``reports``, ``backup``, ``talks``,
``users``, ``audit``); each attaches its commands to the groups defined here,
and :mod:`clinic.cli.access` then puts the sign-in each needs before it. The user's language is chosen before any help text is built, so
``--help`` speaks it too. Exit codes: 0 ok, 1 bad input, 2 usage, 3 database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from click_default_group import DefaultGroup

from clinic.cli.context import AppContext, default_db_path
from clinic.cli.errors import report_error
from clinic.core.errors import ClinicError
from clinic.i18n import _, set_language

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


GLOBAL_OPTIONS = ("--db", "--lang", "--as", "--user")


class ReaderWentAway(Exception):
    """Standard output was closed by its reader (``clinic export persons | head``).

    Not a user error: control flow from ``ClinicGroup.invoke`` to ``main``, which
    ends with exit code 0; no user ever sees it.
    """


# Commands with an option of their own named like a global one: there, the
# option after the command is theirs (``clinic audit --user NAME`` filters by
# user; sign in before the command or with CLINIC_USER).
OWN_OPTIONS = {"audit": {"--user"}}


def _command_word(args: list[str]) -> str | None:
    """The first word that is neither an option nor a global option's value."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return None
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" not in arg:
            i += 2
            continue
        if not arg.startswith("-"):
            return arg
        i += 1
    return None


def hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--db``/``--lang``/``--as``/``--user`` typed after the command to the front.

    Users type ``clinic status --db FILE`` as often as ``clinic --db FILE
    status``; both mean the same. Everything after ``--`` is left alone, and
    so is an option the command has of its own (:data:`OWN_OPTIONS`).
    """
    own = OWN_OPTIONS.get(_command_word(args) or "", set())
    front: list[str] = []
    rest: list[str] = []
    seen_command = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            width = 1 if "=" in arg else 2
            stays = i == 0 or (seen_command and name in own)
            (rest if stays else front).extend(args[i : i + width])
            i += width
            continue
        seen_command = seen_command or not arg.startswith("-")
        rest.append(arg)
        i += 1
    return front + rest


class ClinicGroup(DefaultGroup):
    """The ``clinic`` group: global options anywhere, and user errors as sentences.

    A ClinicError becomes its sentence and exit code here rather than only in
    ``main`` so that click's CliRunner (the tests) sees the same output and
    exit codes as a user does. A closed pipe is caught here too, before click
    would turn it into exit code 1.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ClinicError as exc:
            ctx.exit(report_error(exc))
        except BrokenPipeError as exc:
            raise ReaderWentAway() from exc


def _retired_as(value: str | None) -> None:
    """``--as NAME`` wrote any name into the audit log; the log now names the
    signed-in user, so the option only says what replaced it."""
    if value is not None:
        raise click.UsageError(
            _(
                "--as is retired: sign in with --user NAME (or CLINIC_USER); "
                "the audit log names the signed-in user."
            )
        )


def _early_language(argv: list[str]) -> str | None:
    """Find ``--lang`` before click parses, so help texts are built in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _choose_language(explicit: str | None) -> str:
    from clinic.cli.click_i18n import install

    lang = set_language(explicit)
    install(lang)
    return lang


_choose_language(_early_language(sys.argv[1:]))


@click.group(
    cls=ClinicGroup,
    invoke_without_command=True,
    context_settings=CONTEXT_SETTINGS,
    help=_(
        "Free village clinics (义诊): registers, clinic days, health prescriptions and reports.\n\nWithout a command, opens the terminal app."
    ),
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CLINIC_DB",
    help=_("Database file (default: in the user data folder; or set CLINIC_DB)."),
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help=_("Language of the app: zh (简体中文) or en. Default: the locale."),
)
@click.option(
    "--as",
    "retired_as",
    default=None,
    hidden=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _retired_as(value),
)
@click.option(
    "--user",
    "user_name",
    envvar="CLINIC_USER",
    default=None,
    help=_(
        "Sign in as this user (or set CLINIC_USER); the PIN is asked for, or taken from CLINIC_PIN."
    ),
)
@click.version_option(package_name="clinic", message="clinic %(version)s")
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | None,
    lang: str | None,
    user_name: str | None,
) -> None:
    language = _choose_language(lang)
    from clinic.cli.click_i18n import localise_metavars

    localise_metavars(ctx.command, language)
    ctx.obj = AppContext(db_path=db_path or default_db_path(), lang=language, user_name=user_name)
    if ctx.invoked_subcommand is None:
        from clinic.cli.tui import run_tui

        run_tui(ctx.obj)


def command_group(name: str, help: str) -> click.Group:
    """A group of commands under ``clinic`` (``clinic NAME ...``), with the app's
    help settings; a group holds commands only, so it does nothing itself."""
    return cli.group(name, context_settings=CONTEXT_SETTINGS, help=help)(_holds_commands)


def _holds_commands() -> None:
    """The callback of a group that only holds commands."""


import_group = command_group("import", _("Import registers and rosters from CSV or Excel files."))
export_group = command_group(
    "export",
    _("Export data sets to CSV, Excel or JSON (ID and phone numbers masked unless --unmasked)."),
)


@cli.group(
    "report",
    cls=DefaultGroup,
    default="summary",
    default_if_no_args=True,
    context_settings=CONTEXT_SETTINGS,
    help=_("Figures for a period or for one clinic day."),
)
def report_group() -> None:
    pass


day_group = command_group("day", _("Plan and list clinic days."))


# Command modules attach themselves to the groups above.
from clinic.cli import (  # noqa: E402,F401
    audit,
    backup,
    database,
    desk,
    imports,
    merges,
    persons,
    planning,
    reports,
    serve,
    sync,
    talks,
    users,
)
from clinic.cli.access import guard_commands  # noqa: E402
from clinic.cli.click_i18n import localise_metavars  # noqa: E402

guard_commands(cli)
localise_metavars(cli, _early_language(sys.argv[1:]) or "en")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run click, turning every user error into one sentence."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=args, prog_name="clinic", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except ClinicError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        return 130
    except (BrokenPipeError, ReaderWentAway):
        return _reader_went_away()
    except Exception as exc:  # noqa: BLE001 - the last guard: never a traceback
        if os.environ.get("CLINIC_DEBUG"):
            raise
        click.echo(
            _("Unexpected error: {error}. Set CLINIC_DEBUG=1 to see the details.").format(
                error=type(exc).__name__
            ),
            err=True,
        )
        return 1
    # With standalone_mode off, click returns the exit code of ctx.exit().
    return code if isinstance(code, int) else 0


def _reader_went_away() -> int:
    """Output piped into ``head`` that closed early: not an error for the user.

    Point stdout at /dev/null so the interpreter's final flush does not fail
    (which would turn the exit code into 1 and print a complaint).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def entry() -> None:  # pragma: no cover - console script shim
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_went_away()
    sys.exit(code)
