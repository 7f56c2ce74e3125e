"""Commands of the desk area (attached to the groups in clinic.cli.main).

``clinic report day [--date D] [--json]``: the end-of-day summary of one
clinic day, the same figures as the desk's summary screen.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from clinic.cli import main as _m
from clinic.cli.context import AppContext, pass_app
from clinic.cli.options import LABELS_OPTION
from clinic.i18n import _


@_m.report_group.command(
    "day",
    help=_(
        "The end-of-day summary of one clinic day: people seen by household category and tag, flags, health prescriptions by condition, referrals, volunteers and hours. Without --date: the most recent clinic day up to today."
    ),
)
@click.option(
    "--date",
    "date_text",
    metavar="DATE",
    help=_("The clinic day's date (2026-11-24, 2026/11/24, 20261124 ...)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the figures as JSON."))
@LABELS_OPTION
@pass_app
def report_day(app: AppContext, date_text: str | None, as_json: bool, labels: bool) -> None:
    from clinic.core.dates import parse_date
    from clinic.core.desk.summary import find_day, summary, summary_lines
    from clinic.core.figures import machine_output

    on = parse_date(date_text) if date_text else None
    with app.open() as store:
        day = find_day(store, on, dt.date.today())
        data = summary(store, day["id"])
    if as_json:
        click.echo(json.dumps(machine_output(data, labels=labels), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(summary_lines(data)))
