"""What every command needs: which database, which language, who is signed in.

The audit log names the signed-in user (``--user`` / CLINIC_USER); there is no
other way to choose the name it records. What the app does on its own (the
copy before an upgrade, the day's first backup) is recorded as ``system``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

import click
import platformdirs

from clinic.core.audit import SYSTEM_ACTOR
from clinic.core.database import Store, open_store
from clinic.core.users import User
from clinic.i18n import _


def default_db_path() -> Path:
    """The database in the user data folder, used when neither --db nor CLINIC_DB is given."""
    return Path(platformdirs.user_data_dir("clinic", appauthor=False)) / "clinic.db"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "unknown"


"""The audit log's actor for what no user asked for: the automatic backups."""


def new_pin(name: str) -> str:
    """A new PIN: from CLINIC_NEW_PIN (scripts), else typed twice at a hidden prompt."""
    pin = os.environ.get("CLINIC_NEW_PIN")
    if pin is not None:
        return pin
    return click.prompt(
        _("New PIN for {name}").format(name=name),
        hide_input=True,
        confirmation_prompt=_("The same PIN again"),
        err=True,
    )


@dataclass
class AppContext:
    db_path: Path
    lang: str
    user_name: str | None = None  # --user / CLINIC_USER
    user: User | None = None  # once signed in (clinic.cli.access)

    def open(self, create: bool = False, daily_backup: bool = True) -> Store:
        """The database. A file that does not exist is an error (a typo in
        --db, or ``clinic status`` before anything was made, must not look like
        an empty clinic) unless ``create``: only the commands that bring data
        in (the TUI, ``demo``, ``import``) make a new database.

        An older database is copied into backups/ before it is upgraded. The
        first open of the day also takes the daily backup (the TUI takes it in
        a worker instead, and passes ``daily_backup=False``)."""
        if self.db_path.exists():
            self._backup(upgrade=True)
        store = open_store(self.db_path, create=create)
        if daily_backup:
            self._backup(upgrade=False)
        return store

    def _backup(self, upgrade: bool) -> None:
        """The copy before an upgrade, or the day's first backup; a failure is a
        warning, never the end of the command (migrations are all-or-nothing)."""
        from clinic.cli.errors import warn
        from clinic.core.backup import backup_before_upgrade, daily_backup
        from clinic.core.errors import ClinicError
        from clinic.i18n import _

        try:
            if upgrade:
                backup_before_upgrade(self.db_path, actor=SYSTEM_ACTOR)
            else:
                daily_backup(self.db_path, actor=SYSTEM_ACTOR)
        except ClinicError as exc:
            warn(
                exc,
                _("Warning: no backup was taken before the upgrade: {reason}")
                if upgrade
                else _("Warning: the daily backup was not taken: {reason}"),
            )

    @property
    def who(self) -> str:
        """The audit log's actor: the signed-in user. Every command that writes
        signs in first (clinic.cli.access); only the TUI, until it signs in
        itself, falls back to the login name."""
        return self.user.name if self.user else _login_name()

    def sign_in(self, store: Store) -> User:
        """The user named by ``--user`` (or CLINIC_USER), with their PIN from
        CLINIC_PIN or typed at a hidden prompt; the audit log then names them.
        Once per command: a second call returns the same user."""
        from clinic.core import users
        from clinic.core.errors import SignInError

        if self.user is not None:
            return self.user
        if not self.user_name:
            raise SignInError(
                _(
                    "Sign in with --user NAME (or set CLINIC_USER): this command changes or reveals data."
                ),
                "sign_in",
            )
        pin = os.environ.get("CLINIC_PIN")
        if pin is None:
            pin = click.prompt(
                _("PIN for {name}").format(name=self.user_name), hide_input=True, err=True
            )
        self.user = users.sign_in(store, self.user_name, pin)
        return self.user


pass_app = click.make_pass_decorator(AppContext)
