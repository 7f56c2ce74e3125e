"""Commands of the reports area: ``clinic report [summary]`` and ``clinic export DATASET``.

Parsing and printing only; what counts is decided in clinic.core.reports and
clinic.core.exports.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.options import ENCODING_OPTION, LABELS_OPTION, output_option
from clinic.cli.streams import stderr_is_terminal, stdout_bytes
from clinic.core.errors import FieldError
from clinic.core.tabular import (
    FORMATS,
    format_from_name,
)
from clinic.i18n import _


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    from clinic.core.reports import parse_bound

    return parse_bound(value, end=param.name == "date_to")


def filter_options(func):
    """--year, --from, --to, --village (repeatable), --org (repeatable)."""
    func = click.option(
        "--year",
        type=click.IntRange(2000, 2100),
        default=None,
        metavar="YYYY",
        help=_("A calendar year: the same as --from YYYY-01-01 --to YYYY-12-31."),
    )(func)
    func = click.option(
        "--org",
        "orgs",
        multiple=True,
        metavar="O",
        help=_("Only clinic days run by this organisation (and its units); repeatable."),
    )(func)
    func = click.option(
        "--village",
        "villages",
        multiple=True,
        metavar="V",
        help=_("Only this village (龙山村, 中峰镇/龙山村) or township; repeatable."),
    )(func)
    func = click.option(
        "--to",
        "date_to",
        metavar="D",
        callback=_date,
        help=_(
            "Last day of the period (2025-12-31, 2025/12/31 ...; a year or month means its last day)."
        ),
    )(func)
    func = click.option(
        "--from",
        "date_from",
        metavar="D",
        callback=_date,
        help=_(
            "First day of the period (a year such as 2025 or a month such as 2025-06 means its first day)."
        ),
    )(func)
    return func


def _filters(date_from, date_to, villages, orgs, year=None):
    from clinic.core.reports import ReportFilters

    if year is not None:
        if date_from or date_to:
            raise click.UsageError(_("Give either --year or --from/--to, not both."))
        date_from, date_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return ReportFilters(
        date_from=date_from, date_to=date_to, villages=tuple(villages), orgs=tuple(orgs)
    )


@groups.report_group.command(
    "summary",
    help=_(
        "The coordinator's report: clinic days held, visits, people, households served and coverage "
        "by category, people with each tag, flags, health prescriptions by condition, referrals, "
        "volunteers and hours by organisation. Counts only, never names."
    ),
)
@filter_options
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@LABELS_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default=None,
    help=_("text (the default), json (as --json) or html: a printable A4 summary with charts."),
)
@output_option(_("With --format html: the file to write (default: standard output)."))
@pass_app
def summary_command(
    app: AppContext,
    date_from,
    date_to,
    villages,
    orgs,
    year,
    as_json: bool,
    labels: bool,
    fmt: str | None,
    output: Path | None,
) -> None:
    from clinic.core.figures import machine_output
    from clinic.core.reports import build_report, report_lines

    filters = _filters(date_from, date_to, villages, orgs, year)
    if fmt == "html":
        _summary_html(app, filters, output)
        return
    if output is not None:
        raise click.UsageError(_("-o writes the printable summary: give --format html."))
    as_json = as_json or fmt == "json"
    with app.open() as store:
        report = build_report(store, filters)
    if as_json:
        data = machine_output(report.as_dict(), labels=labels)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report_lines(report)))


def _summary_html(app: AppContext, filters, output: Path | None) -> None:
    """``clinic report --format html``: the printable summary, to a file or stdout."""
    from clinic.core.exports.summary import export_summary

    with app.open() as store:
        export_summary(
            store, stdout_bytes() if output is None else output, filters=filters, actor=app.who
        )
    if output is not None:
        click.echo(_("Wrote the summary to {file}.").format(file=output), err=True)


# Datasets that also print as a page: the follow-up lists per village (HTML).
PRINTABLE = {"follow-ups"}


def _make_export_command(name: str, help_text: str) -> None:
    printable = name in PRINTABLE
    formats = (*FORMATS, "html") if printable else FORMATS

    @groups.export_group.command(name, help=help_text)
    @filter_options
    @output_option(_("File to write (default: CSV to standard output)."))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=None,
        help=(
            _("html: printable lists, one page per village, for the next clinic there. ")
            if printable
            else ""
        )
        + _(
            "csv, xlsx or json (default: from the file name's .csv, .xlsx or .json; csv without a file)."
        ),
    )
    @ENCODING_OPTION
    @click.option(
        "--unmasked",
        is_flag=True,
        help=_("Write whole ID numbers and phones (recorded in the audit log)."),
    )
    @pass_app
    def command(
        app: AppContext, date_from, date_to, villages, orgs, year, output, fmt, encoding, unmasked
    ) -> None:
        from clinic.core.exports import export_dataset

        if fmt is None and printable and output is not None and output.suffix.lower() == ".html":
            fmt = "html"
        if fmt == "html":
            _printable_list(
                app, _filters(date_from, date_to, villages, orgs, year), output, unmasked
            )
            return
        if fmt is None and output is not None:
            try:
                fmt = format_from_name(output)
            except FieldError:
                raise FieldError(
                    _(
                        "Cannot tell the format of {file} from its extension: name it .csv, .xlsx or .json, "
                        "or give --format csv, xlsx or json."
                    ).format(file=output.name)
                ) from None
        fmt = fmt or "csv"
        with app.open() as store:
            if output is None:
                out = stdout_bytes()
                if fmt == "xlsx" and out.isatty():
                    raise FieldError(
                        _("An Excel file cannot be written to the terminal; name a file with -o.")
                    )
            else:
                out = output
            filters = _filters(date_from, date_to, villages, orgs, year)
            update, close = _progress(store, name, filters, output is not None)
            try:
                result = export_dataset(
                    store,
                    name,
                    out,
                    filters=filters,
                    fmt=fmt,
                    encoding=encoding,
                    unmasked=unmasked,
                    actor=app.who,
                    progress=update,
                )
            finally:
                close()
        if output is not None:
            click.echo(
                _("Wrote {rows} rows to {file}.").format(rows=result.rows, file=output), err=True
            )
        if unmasked:
            click.echo(
                _(
                    "Whole ID numbers and phones were written; this export is recorded in the audit log."
                ),
                err=True,
            )


def _printable_list(app: AppContext, filters, output: Path | None, unmasked: bool) -> None:
    """``clinic export follow-ups --format html``: the lists to print, per village."""
    from clinic.core.exports.follow_up_list import export_follow_up_list

    with app.open() as store:
        result = export_follow_up_list(
            store,
            stdout_bytes() if output is None else output,
            filters=filters,
            unmasked=unmasked,
            actor=app.who,
        )
    if output is not None:
        click.echo(
            _("Wrote {rows} follow-ups to {file}.").format(rows=result.rows, file=output), err=True
        )
    if unmasked:
        click.echo(
            _(
                "Whole ID numbers and phones were written; this export is recorded in the audit log."
            ),
            err=True,
        )


def _progress(store, name: str, filters, to_file: bool):
    """A progress bar on stderr for a long export to a file in a terminal."""
    if not to_file or not stderr_is_terminal():
        return None, lambda: None
    from clinic.cli.output import progress_bar
    from clinic.core.exports import count_rows

    total = count_rows(store, name, filters)
    update, close = progress_bar(_("Exporting"))
    return (lambda n: update(n, total)), close


def _register() -> None:
    from clinic.core.exports import DATASETS

    for ds in DATASETS.values():
        _make_export_command(ds.name, _(ds.help))


@groups.export_group.command(
    "pack",
    help=_(
        "The year-end pack: one Excel workbook with a summary sheet of charts (people served per "
        "month, coverage per village, health prescriptions by condition, hours by organisation) "
        "and one sheet per dataset (report, coverage, visits, health prescriptions, volunteer "
        "hours, follow-ups, health talks)."
    ),
)
@filter_options
@output_option(_("The workbook to write (.xlsx)."), required=True)
@click.option(
    "--unmasked",
    is_flag=True,
    help=_("Write whole ID numbers and phones (recorded in the audit log)."),
)
@pass_app
def pack_command(
    app: AppContext, date_from, date_to, villages, orgs, year, output: Path, unmasked: bool
) -> None:
    from clinic.core.exports.pack import export_pack

    if output.suffix.lower() != ".xlsx":
        raise FieldError(
            _("The pack is an Excel workbook: name the file .xlsx, not {file}.").format(
                file=output.name
            )
        )
    with app.open() as store:
        result = export_pack(
            store,
            output,
            filters=_filters(date_from, date_to, villages, orgs, year),
            unmasked=unmasked,
            actor=app.who,
        )
    click.echo(_("Wrote {rows} rows to {file}.").format(rows=result.rows, file=output), err=True)
    if unmasked:
        click.echo(
            _(
                "Whole ID numbers and phones were written; this export is recorded in the audit log."
            ),
            err=True,
        )


_register()
