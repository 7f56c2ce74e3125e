"""What every command needs: which database, which language, who is acting."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import click
import platformdirs

from clinic.store import Store, open_store


def default_db_path() -> Path:
    """The database in the user data folder, used when neither --db nor CLINIC_DB is given."""
    return Path(platformdirs.user_data_dir("clinic", appauthor=False)) / "clinic.db"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "unknown"


@dataclass
class AppContext:
    db_path: Path
    lang: str
    actor: str | None = None

    def open(self, create: bool = False) -> Store:
        """The database. A file that does not exist is an error (a typo in
        --db, or ``clinic status`` before anything was made, must not look like
        an empty clinic) unless ``create``: only the commands that bring data
        in (the TUI, ``demo``, ``import``) make a new database."""
        return open_store(self.db_path, create=create)

    @property
    def who(self) -> str:
        return self.actor or _login_name()


pass_app = click.make_pass_decorator(AppContext)
