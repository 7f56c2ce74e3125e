"""``clinic audit``: the audit log, newest first, for a coordinator.

The filters, paging and words are :mod:`clinic.core.audit` (the TUI's audit
screen shows the same); this module parses the options and prints.
"""

from __future__ import annotations

import json

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.i18n import _


@groups.cli.command(
    "audit",
    help=_(
        "The audit log, newest first: who imported, exported, backed up, erased or managed users, and when (coordinators only; numbers masked)."
    ),
)
@click.option("--from", "date_from", metavar="D", help=_("From this day on (2026-11-01 ...)."))
@click.option("--to", "date_to", metavar="D", help=_("Up to this day, included."))
@click.option("--user", "user", metavar="NAME", help=_("Only what this user did."))
@click.option(
    "--action",
    metavar="ACTION",
    help=_("Only this action (export, export_unmasked, purge_person, backup, user_add ...)."),
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=100,
    show_default=True,
    help=_("At most this many rows."),
)
@click.option(
    "--page",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help=_("Which page of --limit rows."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def audit_command(
    app: AppContext,
    date_from: str | None,
    date_to: str | None,
    user: str | None,
    action: str | None,
    limit: int,
    page: int,
    as_json: bool,
) -> None:
    from clinic.core import audit

    filters = audit.parse_filters(date_from, date_to, user, action)
    with app.open() as store:
        total = audit.count(store, filters)
        rows = audit.entries(store, filters, limit=limit, offset=(page - 1) * limit)
    if as_json:
        data = {"total": total, "page": page, "entries": [r.as_json() for r in rows]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(_("Nothing in the audit log matches."))
        return
    for r in rows:
        count = "" if r.rows is None else " " + _("({n} rows)").format(n=r.rows)
        click.echo(f"{r.at}  {r.actor}  {r.description}{count}")
    shown = (page - 1) * limit + len(rows)
    if shown < total:
        click.echo(
            _("Rows {first}-{last} of {total}; --page {next} shows more.").format(
                first=(page - 1) * limit + 1, last=shown, total=total, next=page + 1
            ),
            err=True,
        )
