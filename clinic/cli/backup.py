"""Commands for backups: ``clinic backup [FILE]`` and ``clinic restore FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.i18n import _


@groups.cli.command(
    "backup",
    help=_(
        "Copy the database, consistent even while desks are writing, checked, readable by you only. Default FILE: backups/clinic-DATE-TIME.db beside the database."
    ),
)
@click.argument("file", required=False, type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
@pass_app
def backup_command(app: AppContext, file: Path | None, as_json: bool) -> None:
    from clinic.core.backup import take_backup

    with app.open(daily_backup=False):
        pass  # the same checks as every command: the file exists, its schema is known
    result = take_backup(app.db_path, file, actor=app.who)
    if as_json:
        click.echo(json.dumps({"file": str(result.path), "bytes": result.size}))
        return
    click.echo(
        _("Backup saved: {path} ({size} KB), checked.").format(
            path=result.path, size=max(result.size // 1024, 1)
        )
    )


@groups.cli.command(
    "restore",
    help=_(
        "Replace the database with a backup, after checking it; the replaced file is kept beside it (NAME.replaced-DATE-TIME). Quit every clinic window using the database first."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
@pass_app
def restore_command(app: AppContext, file: Path, yes: bool) -> None:
    from clinic.core.backup import restore

    def confirm() -> bool:
        """Asked once FILE has passed its checks, only when a database would be replaced."""
        if yes or not app.db_path.exists():
            return True
        return click.confirm(
            _("Replace {db} with {file}? The current file is kept beside it.").format(
                db=app.db_path, file=file
            ),
            default=False,
        )

    result = restore(app.db_path, file, actor=app.who, confirm=confirm)
    if result is None:
        click.echo(_("Nothing was changed."))
        return
    click.echo(_("Restored {path} from {file}.").format(path=result.path, file=result.source))
    if result.kept:
        click.echo(_("The replaced file is kept as {path}.").format(path=result.kept))
