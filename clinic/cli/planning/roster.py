"""clinic roster (the optimal roster for a period) and clinic export roster / ics."""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.options import ENCODING_OPTION, LABELS_OPTION, output_option
from clinic.cli.planning.options import (
    echo_json,
    period,
    period_options,
)
from clinic.cli.streams import stdout_bytes
from clinic.core.errors import FieldError, InputError
from clinic.i18n import _, ngettext


# -- clinic roster ----------------------------------------------------------------------
@groups.cli.command(
    "roster",
    help=_(
        "Fill the open places of the clinic days in a period with the optimal roster: "
        "most places filled, then the fairest spread, then members of the organising "
        "organisation. Shows the plan; --apply writes it."
    ),
)
@period_options(_("Last day (default: 3 months after the first)."))
@click.option(
    "--apply", "do_apply", is_flag=True, help=_("Write the new assignments (status invited).")
)
@click.option(
    "--replan",
    is_flag=True,
    help=_("Plan again the unconfirmed invitations an earlier roster made."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@LABELS_OPTION
@pass_app
def roster_command(
    app: AppContext, date_from, date_to, do_apply, replan, as_json, labels: bool
) -> None:
    from clinic.core import planning as p

    start, end = period(date_from, date_to)
    with app.open() as store:
        if do_apply:
            plan = p.apply_roster(store, start, end, replan=replan)
        else:
            plan = p.plan_roster(store, start, end, replan=replan)
        data = plan.to_json(store)
        data["applied"] = bool(do_apply)
        if as_json:
            echo_json(data, labels=labels)
            return
        for w in data["warnings"]:
            click.echo(_("Warning: {text}").format(text=w), err=True)
        for a in data["assignments"]:
            mark = " *" if a["organising_member"] else ""
            click.echo(
                f"{a['date']}  {a['village']}  {a['role_name']}: {a['volunteer_label']}{mark}"
            )
        if data["unfilled"]:
            click.echo("")
            click.echo(_("Places that stay open:"))
            for u in data["unfilled"]:
                click.echo(f"  {u['date']} {u['village']} ×{u['places']}  {u['why']}")
        click.echo("")
        click.echo(p.roster_summary(data))
        if spread := p.roster_spread(data):
            click.echo(spread)
        if not data["optimal"]:
            click.echo(
                _("The optimiser stopped at its time limit: the plan is good but not proven best.")
            )
        if do_apply:
            click.echo(
                _("Written: {n} new assignments (status invited).").format(
                    n=len(data["assignments"])
                )
            )
        else:
            click.echo(_("Nothing written; run again with --apply to write this roster."))


# -- exports ---------------------------------------------------------------------------
@groups.export_group.command(
    "roster",
    help=_(
        "The roster as a table, by clinic day (default) or by volunteer. Phones masked unless --unmasked."
    ),
)
@period_options(_("Last day (default: 3 months after the first)."))
@click.option(
    "--by",
    type=click.Choice(["day", "volunteer"]),
    default="day",
    show_default=True,
    help=_("Order rows by clinic day or by volunteer."),
)
@output_option(_("File to write (default: CSV to standard output)."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json"]),
    default=None,
    help=_("csv, xlsx or json (default: from the file name, else csv)."),
)
@ENCODING_OPTION
@click.option(
    "--unmasked", is_flag=True, help=_("Write whole phone numbers (recorded in the audit log).")
)
@pass_app
def export_roster(app: AppContext, date_from, date_to, by, output, fmt, encoding, unmasked) -> None:
    from clinic.core.planning.schedule_exports import export_roster as export
    from clinic.core.tabular import format_for_path

    start, end = period(date_from, date_to)
    fmt = fmt or (format_for_path(output) if output else "csv")
    with app.open() as store:
        result = export(
            store,
            output if output is not None else stdout_bytes(),
            date_from=start,
            date_to=end,
            by=by,
            fmt=fmt,
            encoding=encoding,
            unmasked=unmasked,
            actor=app.who,
        )
    if output is not None:
        click.echo(
            _("Wrote {rows} rows to {file}.").format(rows=result.rows, file=output), err=True
        )


@groups.export_group.command(
    "ics",
    help=_(
        "iCalendar files (.ics) of volunteers' clinic days, for phone calendars: one volunteer (--volunteer) or everyone with a clinic day in the period (--all, one file each in a folder)."
    ),
)
@click.option(
    "--volunteer",
    default=None,
    metavar="NAME",
    help=_("The volunteer's name (or #number when two share a name)."),
)
@click.option(
    "--all",
    "everyone",
    is_flag=True,
    help=_("Every volunteer with a clinic day in the period, one file each (needs -o FOLDER)."),
)
@period_options(_("Last day (default: one year after the first)."))
@output_option(
    _("File to write (default: standard output); with --all, the folder."), file_only=False
)
@pass_app
def export_ics(app: AppContext, volunteer, everyone, date_from, date_to, output) -> None:
    from clinic.core import planning as p
    from clinic.core.planning import schedule_exports as exports

    if bool(volunteer) == bool(everyone):
        raise InputError(_("Name one volunteer with --volunteer, or use --all."))
    if everyone and output is None:
        raise FieldError(_("With --all, name the folder for the files with -o."), "output")
    start, end = period(date_from, date_to, days=366)
    with app.open() as store:
        if everyone:
            result = exports.export_calendars(
                store, output, date_from=start, date_to=end, actor=app.who
            )
            click.echo(
                _("Wrote {n} calendar files to {folder}.").format(n=result.rows, folder=output),
                err=True,
            )
            return
        vol = p.find_volunteer(store, volunteer)
        result = exports.export_calendar(
            store,
            vol["id"],
            output if output is not None else stdout_bytes(),
            date_from=start,
            date_to=end,
            actor=app.who,
        )
    if output is not None:
        click.echo(
            ngettext(
                "Wrote {n} clinic day to {file}.", "Wrote {n} clinic days to {file}.", result.rows
            ).format(n=result.rows, file=output),
            err=True,
        )
