"""Commands about one person in the registers: ``clinic find`` (search, numbers
masked) and ``clinic purge`` (erasure on request, PIPL)."""

from __future__ import annotations

from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.output import echo_json
from clinic.i18n import _


@groups.cli.command(
    "find",
    help=_(
        "Find persons by name, pinyin initials or full pinyin, last 4+ digits of the ID number or phone, or household number. Numbers are masked."
    ),
)
@click.argument("query")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help=_("At most this many results."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def find_command(app: AppContext, query: str, limit: int, as_json: bool) -> None:
    from dataclasses import asdict

    from clinic.core.categories import category_label
    from clinic.core.search import find_persons

    with app.open() as store:
        hits = find_persons(store, query, limit=limit)
    if as_json:
        echo_json([asdict(hit) for hit in hits])
        return
    if not hits:
        click.echo(_("Nobody found for {query}.").format(query=query))
        return
    for hit in hits:
        age = "" if hit.age is None else _("{age} y").format(age=hit.age)
        sex = {"M": _("M"), "F": _("F")}.get(hit.sex or "", "")
        place = f"{hit.township or ''}{hit.village or ''}"
        household = hit.household_number or ""
        category = category_label(hit.category) if hit.category else ""
        click.echo(
            f"{hit.name}\t{sex}\t{age}\t{place}\t{household}\t{category}\t{hit.id_masked}\t{hit.phone_masked}"
        )


@groups.cli.command(
    "purge",
    help=_(
        "Erase one person's data on request (PIPL): the record, visits, health prescriptions and consents. Name them by #number (see clinic find --json) or by the whole ID number."
    ),
)
@click.argument("person")
@click.option("--yes", is_flag=True, help=_("Do not ask for confirmation."))
@pass_app
def purge_command(app: AppContext, person: str, yes: bool) -> None:
    from clinic.core.purge import find_one, purge_person
    from clinic.core.search import PersonHit

    with app.open() as store:
        row = find_one(store, person)
        import datetime as dt

        hit = PersonHit.from_row(row, dt.date.today())
        click.echo(
            _("{name}, {village}, household {household}, ID {id}").format(
                name=hit.name,
                village=hit.village or "-",
                household=hit.household_number or "-",
                id=hit.id_masked or "-",
            )
        )
        if not yes and not click.confirm(
            _("Erase this person and everything recorded about them?"), default=False
        ):
            click.echo(_("Nothing was erased."))
            return
        result = purge_person(store, row["id"], app.who)
    click.echo(
        _(
            "Erased {name}: {visits} visits, {handouts} health prescriptions, {consents} consents."
        ).format(name=result.name, **result.removed)
    )
    _report_purge(result, app.db_path)


def _report_purge(result, db_path: Path) -> None:
    """What else the purge did, and what the coordinator must still delete by hand."""
    if result.head and result.head.new_head:
        click.echo(
            _(
                "They were the head of household {household}: the household's head is now {name} ({relation}); check it in the register."
            ).format(
                household=result.head.household_number or "-",
                name=result.head.new_head,
                relation=result.head.relation or "-",
            )
        )
    elif result.head:
        click.echo(
            _(
                "They were the head of household {household}, which has no other member: its head's name is cleared."
            ).format(household=result.head.household_number or "-")
        )
    if result.sheets:
        click.echo(_("Printed sheets deleted: {n}.").format(n=len(result.sheets)))
    if result.exports:
        click.echo(_("These exports may hold them; delete those copies too:"))
        for e in result.exports:
            line = _("  {dataset}, {date}, {file}").format(
                dataset=e["dataset"], date=e["date"], file=e["file"] or "-"
            )
            click.echo(line + (" " + _("(unmasked)") if e["unmasked"] else ""))
    if result.backups:
        click.echo(
            _(
                "{n} backups in {folder}, taken before this purge, still hold them: delete them if the request covers backups."
            ).format(n=len(result.backups), folder=result.backups[0].parent)
        )
    if result.replicas:
        click.echo(
            _(
                "Replicas keep every past change, so they still hold them: {folders}. Stop clinic replicate, delete those folders and .{name}-litestream beside the database, then start it again."
            ).format(folders=", ".join(result.replicas), name=db_path.name)
        )
    if not result.wal_cleared:
        click.echo(
            _(
                "Another desk or command has the database open, so erased pages may remain in its -wal file until every clinic window using it is closed."
            ),
            err=True,
        )
