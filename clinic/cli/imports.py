"""``clinic import register`` and ``clinic import volunteers``: files checked
then written, with their counts and problems in words or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.output import echo_json, progress_bar
from clinic.i18n import _


def report_import(result, as_json: bool, kind: str) -> None:
    data = result.as_dict()
    if as_json:
        echo_json(data)
        return
    if result.ignored_columns:
        click.echo(
            _("Columns not recognised (ignored): {columns}").format(
                columns=", ".join(result.ignored_columns)
            ),
            err=True,
        )
    if result.problems:
        for problem in result.problems:
            click.echo(problem.describe(result.file), err=True)
    prefix = _("Dry run, nothing written: ") if result.dry_run else ""
    if kind == "register":
        click.echo(
            prefix
            + _(
                "{rows} rows: households {hc} new, {hu} updated, {hn} unchanged; persons {pc} new, {pu} updated, {pn} unchanged; {rejected} rejected."
            ).format(
                rows=result.rows,
                hc=result.households["created"],
                hu=result.households["updated"],
                hn=result.households["unchanged"],
                pc=result.persons["created"],
                pu=result.persons["updated"],
                pn=result.persons["unchanged"],
                rejected=result.rejected,
            )
        )
    else:
        click.echo(
            prefix
            + _(
                "{rows} rows: volunteers {c} new, {u} updated, {n} unchanged; {rejected} rejected."
            ).format(
                rows=result.rows,
                c=result.created,
                u=result.updated,
                n=result.unchanged,
                rejected=result.rejected,
            )
        )
    if result.rejected_file:
        click.echo(
            _("Rejected rows, with the reason, are in {file}").format(file=result.rejected_file)
        )


IMPORT_OPTIONS = [
    click.argument("file", type=click.Path(path_type=Path)),
    click.option(
        "--skip-bad",
        is_flag=True,
        help=_(
            "Import the good rows; write the rejected ones with a reason column to FILE.rejected.csv beside the input (ID and phone numbers masked unless --unmasked; recorded in the audit log)."
        ),
    ),
    click.option(
        "--unmasked",
        is_flag=True,
        help=_(
            "With --skip-bad: write whole ID and phone numbers into FILE.rejected.csv (recorded in the audit log)."
        ),
    ),
    click.option(
        "--dry-run",
        is_flag=True,
        help=_("Check the file and report what would change, without writing."),
    ),
    click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON.")),
]


def import_options(func):
    for option in reversed(IMPORT_OPTIONS):
        func = option(func)
    return func


@groups.import_group.command(
    "register",
    help=_(
        "Import a village household register (.csv or .xlsx, one row per person). See the README for the columns."
    ),
)
@import_options
@click.option(
    "--township", help=_("Township for every row (when the file has no township column).")
)
@click.option("--village", help=_("Village for every row (when the file has no village column)."))
@pass_app
def import_register_command(
    app: AppContext,
    file: Path,
    skip_bad: bool,
    unmasked: bool,
    dry_run: bool,
    as_json: bool,
    township: str | None,
    village: str | None,
) -> None:
    from clinic.core.imports import import_register

    update, close = progress_bar(_("Importing"))
    with app.open(create=True) as store:
        try:
            result = import_register(
                store,
                file,
                skip_bad=skip_bad,
                dry_run=dry_run,
                township=township,
                village=village,
                actor=app.who,
                unmasked=unmasked,
                progress=None if as_json else update,
            )
        finally:
            close()
    report_import(result, as_json, "register")


@groups.import_group.command(
    "volunteers",
    help=_(
        "Import a volunteer roster (.csv or .xlsx, one row per volunteer). See the README for the columns."
    ),
)
@import_options
@pass_app
def import_volunteers_command(
    app: AppContext, file: Path, skip_bad: bool, unmasked: bool, dry_run: bool, as_json: bool
) -> None:
    from clinic.core.planning.volunteer_import import import_volunteers

    update, close = progress_bar(_("Importing"))
    with app.open(create=True) as store:
        try:
            result = import_volunteers(
                store,
                file,
                skip_bad=skip_bad,
                dry_run=dry_run,
                actor=app.who,
                progress=None if as_json else update,
                unmasked=unmasked,
            )
        finally:
            close()
    report_import(result, as_json, "volunteers")
