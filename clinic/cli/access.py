"""Which command needs which right: the one table of the command line (issue 10).

Every command that writes or reveals data needs a signed-in user (``--user``
or CLINIC_USER; the PIN from CLINIC_PIN or a hidden prompt); commands that
only read masked data need nobody. :func:`guard_commands` wraps every command
of the ``clinic`` tree once, at start-up, so the sign-in happens before the
command's own code runs and no command can forget it; a command missing from
:data:`RULES` stops the program at start-up (and fails the tests), so a new
command cannot slip through without a rule.

What a right allows is :mod:`clinic.core.users` (``require``), shared with the
TUI; this module only says which right each command asks for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import click

from clinic.cli.context import AppContext
from clinic.core.errors import SignInError
from clinic.core.sync import rights as sync_rights
from clinic.i18n import _

SIGNED_IN = "signed_in"
"""Any signed-in user, whatever their roles."""

Params = dict[str, Any]
Rule = str | None | Callable[[Params, AppContext], str | None]


def _exports(params: Params, app: AppContext) -> str | None:
    """Exports write files of personal data and are audited: signed in; whole
    numbers need the coordinator's right."""
    return "export_unmasked" if params.get("unmasked") else SIGNED_IN


def _sync_export(params: Params, app: AppContext) -> str | None:
    """A laptop's bundle or the district's update for a laptop (clinic.core.sync.rights)."""
    return sync_rights.export_right(bool(params.get("device"))) or SIGNED_IN


def _applied(params: Params, app: AppContext) -> str | None:
    """A plan is shown to anyone (masked); writing it (``--apply``) needs a user."""
    return SIGNED_IN if params.get("do_apply") else None


def _printed(params: Params, app: AppContext) -> str | None:
    """The figures on screen or as JSON need nobody; the printable summary
    (``--format html``) is a document of the programme, audited: a user."""
    return SIGNED_IN if params.get("fmt") == "html" else None


def _imports(params: Params, app: AppContext) -> str | None:
    """A dry run writes nothing (no rows, no rejected-rows file) and prints only
    line numbers and reasons, never a cell: no sign-in. An import: a coordinator."""
    return None if params.get("dry_run") else "import_registers"


def _demo(params: Params, app: AppContext) -> str | None:
    """A new demo database needs nobody; ``--force`` over a database that is not
    a demo destroys it, so only its coordinator may."""
    if not params.get("force") or not app.db_path.exists():
        return None
    from clinic.core.database import open_store
    from clinic.core.demo import is_demo

    with open_store(app.db_path) as store:
        return None if is_demo(store) else "purge"


# Command path (as typed after ``clinic``) -> the right it needs: None (masked
# reading, no sign-in), SIGNED_IN, a right of clinic.core.users.RIGHTS, or a
# function of the command's options giving one of those. A group's entry
# covers every command in it.
RULES: dict[str, Rule] = {
    "status": None,
    "find": None,
    "report": None,
    "report summary": _printed,
    "day list": None,
    "day show": None,
    "day talk list": None,
    "pairing list": None,
    "demo": _demo,
    "day add": SIGNED_IN,
    "day assign": SIGNED_IN,
    "day status": SIGNED_IN,
    "day season": _applied,
    "roster": _applied,
    "day talk add": SIGNED_IN,
    "day talk edit": SIGNED_IN,
    "day talk delete": SIGNED_IN,
    "pairing pair": SIGNED_IN,
    "pairing visit": SIGNED_IN,
    "export": _exports,
    "import": _imports,
    "purge": "purge",
    # A backup or a replica is a whole, unmasked copy; a restore replaces everything.
    "backup": "export_unmasked",
    "replicate": "export_unmasked",
    "restore": "purge",
    "user add": "manage_users",
    "user list": "manage_users",
    "user passwd": SIGNED_IN,  # your own PIN; anyone's needs manage_users (core)
    "user disable": "manage_users",
    "user enable": "manage_users",
    "audit": "manage_users",
    # Laptops and bundles: the rule is clinic.core.sync.rights, shared with the TUI.
    "sync base": sync_rights.ENROL,
    "sync import": sync_rights.IMPORT,
    "sync status": sync_rights.REVIEW,
    "sync conflicts": sync_rights.REVIEW,
    "sync settle": sync_rights.REVIEW,
    # Duplicate persons: listed (masked) and merged or unmerged by a coordinator.
    "persons": "merge_persons",
    # Browser desks show only the sign-in (each tab signs in as its user); a
    # coordinator opens the clinic's network to them.
    "serve": "serve_desks",
    "sync export": _sync_export,
}

# Commands that may run on a database file that does not exist yet.
STARTS_A_DATABASE = {"user add", "restore", "demo"}
# Commands that would create the database; without users they need the first one.
CREATES_A_DATABASE = {"import register", "import volunteers"}
# The one command a database without users may run to get its first coordinator.
FIRST_USER = "user add"


def first_coordinator_sentence() -> str:
    return _(
        "This database has no users yet: create the first coordinator with "
        "`clinic user add NAME --role coordinator`, then sign in with --user NAME."
    )


def rule_for(path: str) -> Rule:
    """The rule of a command path: its own entry, or its nearest group's."""
    words = path.split()
    while words:
        key = " ".join(words)
        if key in RULES:
            return RULES[key]
        words.pop()
    raise LookupError(f"clinic {path}: no entry in clinic.cli.access.RULES")


def right_needed(path: str, params: Params, app: AppContext) -> str | None:
    rule = rule_for(path)
    return rule(params, app) if callable(rule) else rule


def check_access(app: AppContext, path: str, params: Params) -> None:
    """Sign the user in when ``path`` with ``params`` needs it, and check their
    right; ``app.user`` is then who the audit log names."""
    right = right_needed(path, params, app)
    if right is None:
        return
    if not app.db_path.exists():
        if path in STARTS_A_DATABASE:
            return
        if path in CREATES_A_DATABASE:
            raise SignInError(first_coordinator_sentence(), "first_user")
    from clinic.core import users

    with app.open(daily_backup=False) as store:
        if users.needs_first_user(store):
            if path == FIRST_USER or (path in STARTS_A_DATABASE and right == "purge"):
                return
            app.user = _offer_first_coordinator(store)
        user = app.sign_in(store)
    if right != SIGNED_IN:
        users.require(user, right)


def _interactive() -> bool:
    """Whether someone at a terminal can answer (not a script, not a pipe)."""
    import sys

    return sys.stdin.isatty()


def _offer_first_coordinator(store):
    """A database without users (made before sign-in existed): in a terminal,
    offer to add its first coordinator now; else say how, and stop."""
    if not _interactive():
        raise SignInError(first_coordinator_sentence(), "first_user")
    click.echo(first_coordinator_sentence(), err=True)
    if not click.confirm(_("Add the first coordinator now?"), default=True, err=True):
        raise SignInError(first_coordinator_sentence(), "first_user")
    from clinic.cli.context import new_pin
    from clinic.core import users

    name = click.prompt(_("Name of the first coordinator"), err=True)
    return users.add_user(store, name, {"coordinator"}, new_pin(name), by=None)


def commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    """Every command below ``group`` with its path (``day talk add``), groups not included."""
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, path)
        else:
            yield " ".join(path), command


def guard_commands(root: click.Group) -> None:
    """Put :func:`check_access` before every command of ``root``; a command
    without a rule is a programming error, found here at start-up."""
    for path, command in commands(root):
        rule_for(path)
        if command.callback is not None and not getattr(command.callback, "guarded", False):
            command.callback = _guarded(path, command.callback)


def _guarded(path: str, callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        check_access(ctx.ensure_object(AppContext), path, ctx.params)
        return callback(*args, **kwargs)

    run.guarded = True  # type: ignore[attr-defined]
    return run
