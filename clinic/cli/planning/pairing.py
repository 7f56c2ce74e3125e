"""clinic pairing pair / visit / list: households paired with village cadres."""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.planning import options
from clinic.cli.planning.options import date_option, echo_json
from clinic.i18n import _

pairing_group = groups.command_group(
    "pairing", _("Cadres paired with households (结对帮扶): pairs, visits, weekend lists.")
)


@pairing_group.command(
    "pair", help=_("Pair a cadre with a household (by household number or head's name).")
)
@click.argument("cadre")
@click.argument("household")
@pass_app
def pairing_pair(app: AppContext, cadre: str, household: str) -> None:
    from clinic.core import planning as p

    with app.open() as store:
        vol = p.find_volunteer(store, cadre)
        hh = p.find_household(store, household)
        p.pair(store, hh["id"], vol["id"])
        click.echo(
            _("{cadre} is paired with the household of {head} ({village}).").format(
                cadre=vol["name"], head=hh["head_name"], village=hh["village"]
            )
        )


@pairing_group.command("visit", help=_("Record a cadre's visit to a paired household."))
@click.argument("cadre")
@click.argument("household")
@click.option(
    "--date",
    "date",
    callback=date_option,
    metavar="D",
    help=_("Date of the visit (default: today)."),
)
@click.option("--notes", default="", help=_("What was seen or done."))
@pass_app
def pairing_visit(
    app: AppContext, cadre: str, household: str, date: str | None, notes: str
) -> None:
    from clinic.core import planning as p

    with app.open() as store:
        vol = p.find_volunteer(store, cadre)
        hh = p.find_household(store, household)
        day = date or options.today().isoformat()
        if p.log_pairing_visit(store, hh["id"], vol["id"], day, notes):
            click.echo(_("Visit recorded."))
        else:
            click.echo(_("A visit on {date} was recorded already.").format(date=day))


@pairing_group.command(
    "list",
    help=_(
        "A cadre's weekend list: paired households, flags and follow-ups due, the most urgent first."
    ),
)
@click.argument("cadre")
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def pairing_list(app: AppContext, cadre: str, as_json: bool) -> None:
    from clinic.core import planning as p
    from clinic.core.categories import category_label

    with app.open() as store:
        vol = p.find_volunteer(store, cadre)
        rows = p.weekend_list(store, vol["id"], options.today())
        if as_json:
            echo_json(rows)
            return
        if not rows:
            click.echo(_("{name} is not paired with any household.").format(name=vol["name"]))
            return
        sat, sun = p.next_weekend(options.today())
        click.echo(
            _("{name}: {n} households; next weekend {sat}–{sun}.").format(
                name=vol["name"], n=len(rows), sat=sat, sun=sun
            )
        )
        for r in rows:
            flags = ", ".join(p.flag_label(f) for f in r["flags"])
            due = (
                ""
                if not r["follow_up_due"]
                else _("follow-up due {date}, overdue").format(date=r["follow_up_due"])
                if r["overdue"]
                else _("follow-up due {date}").format(date=r["follow_up_due"])
            )
            last = (
                _("last visit {date}").format(date=r["last_visit"])
                if r["last_visit"]
                else _("never visited")
            )
            click.echo(
                f"  {r['number'] or '-'}  {r['head_name']}  {r['village']}  {category_label(r['category'])}  "
                f"{last}  {due}  {flags}".rstrip()
            )
