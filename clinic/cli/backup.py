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
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from-replica",
    "replica",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("Restore the newest state held in a replica folder (see clinic replicate)."),
)
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
@pass_app
def restore_command(app: AppContext, file: Path | None, replica: Path | None, yes: bool) -> None:
    from clinic.core.errors import InputError

    if (file is None) == (replica is None):
        raise InputError(_("Give either a backup FILE or --from-replica FOLDER."))
    if replica is None:
        _restore(app, file, yes)
        return
    import tempfile

    from clinic.core.files import private_folder
    from clinic.core.replicate import restore_from_replica

    private_folder(app.db_path.resolve().parent)
    with tempfile.TemporaryDirectory(dir=app.db_path.resolve().parent) as tmp:
        rebuilt = Path(tmp) / "replica.db"
        restore_from_replica(replica, rebuilt)
        _restore(app, rebuilt, yes, shown=replica)


def _restore(app: AppContext, file: Path, yes: bool, shown: Path | None = None) -> None:
    from clinic.core.backup import restore

    def confirm() -> bool:
        """Asked once FILE has passed its checks, only when a database would be replaced."""
        if yes or not app.db_path.exists():
            return True
        return click.confirm(
            _("Replace {db} with {file}? The current file is kept beside it.").format(
                db=app.db_path, file=shown or file
            ),
            default=False,
        )

    result = restore(app.db_path, file, actor=app.who, confirm=confirm)
    if result is None:
        click.echo(_("Nothing was changed."))
        return
    click.echo(_("Restored {path} from {file}.").format(path=result.path, file=shown or file))
    if result.kept:
        click.echo(_("The replaced file is kept as {path}.").format(path=result.kept))


@groups.cli.command(
    "replicate",
    help=_(
        "Copy every change to the database into a second folder or a USB drive as it happens (Litestream; pip install 'clinic[replicate]'). Runs until Ctrl+C; --once copies what is new and stops."
    ),
)
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=_("The replica folder (created readable by you only)."),
)
@click.option("--once", is_flag=True, help=_("Copy what is new once, then stop."))
@pass_app
def replicate_command(app: AppContext, folder: Path, once: bool) -> None:
    import subprocess

    from clinic.core import replicate

    with app.open() as store:
        replicate.record_replication(store, app.who, folder, once=once)
    args = replicate.replicate_command(app.db_path, folder, once=once)
    if not once:
        click.echo(
            _("Replicating {db} to {folder}; keep this window open (Ctrl+C stops).").format(
                db=app.db_path, folder=folder
            ),
            err=True,
        )
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _out, err = process.communicate()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(10)
        click.echo(_("Replication stopped."), err=True)
        return
    if process.returncode != 0:
        from clinic.core.errors import ClinicError

        lines = (err or "").strip().splitlines()
        raise ClinicError(
            _("Litestream stopped with an error: {reason}").format(
                reason=lines[-1] if lines else process.returncode
            )
        )
    if once:
        click.echo(_("Replica in {folder} is up to date.").format(folder=folder))
