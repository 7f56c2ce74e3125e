"""clinic day season: a season of clinic days proposed over weeks, added with --apply."""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.options import LABELS_OPTION, NEEDS_OPTION, ORG_OPTION
from clinic.cli.planning import options
from clinic.cli.planning.options import (
    echo_json,
    needs_option,
    period_options,
)
from clinic.i18n import _, ngettext


@groups.day_group.command(
    "season",
    help=_(
        "Plan a season: one clinic day per chosen weekday in the neediest villages "
        '(the "where next" ranking). Shows the plan; --apply creates the days.'
    ),
)
@period_options(_("Last day (default: the last of the chosen weekdays 13 weeks after the first)."))
@click.option(
    "--weekday",
    "weekday",
    default="周六",
    show_default=True,
    metavar="W",
    help=_("Which weekdays: 周六, 周六,周日, sat, 56 ..."),
)
@click.option(
    "--per-day",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help=_(
        "At most this many clinic days on one date in the district (those already planned "
        "count), each in another village."
    ),
)
@ORG_OPTION
@NEEDS_OPTION
@click.option(
    "--apply", "do_apply", is_flag=True, help=_("Create the clinic days (status planned).")
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@LABELS_OPTION
@pass_app
def day_season(
    app: AppContext, date_from, date_to, weekday, per_day, org, needs, do_apply, as_json, labels
) -> None:
    from clinic.core import planning as p

    days = p.parse_weekdays(weekday)
    start = date_from or options.today().isoformat()
    end = date_to or p.default_season_end(start, days)
    with app.open() as store:
        plan = p.propose_season(store, start, end, options.today(), weekdays=days, per_day=per_day)
        org_id = p.find_organisation(store, org)
        need = needs_option(store, needs)
        ids = (
            p.add_season(store, plan.days, org_id, need, today=options.today()) if do_apply else []
        )
        if as_json:
            echo_json(
                {
                    "applied": do_apply,
                    "from": start,
                    "to": end,
                    "per_day": per_day,
                    "ids": ids,
                    "days": [
                        {
                            "date": s.date,
                            "township": s.township,
                            "village": s.village,
                            "score": s.score,
                            "why": s.reasons,
                        }
                        for s in plan.days
                    ],
                    "left_out": sorted(plan.skipped),
                    "left_out_why": plan.skipped,
                    "villages_waiting": plan.waiting,
                    "summary": plan.explain(),
                    "warnings": [plan.warning] if plan.warning else [],
                },
                labels=labels,
            )
            return
        if plan.warning:
            click.echo(_("Warning: {text}").format(text=plan.warning), err=True)
        for s in plan.days:
            click.echo(f"{s.date}  {s.township}{s.village}  {s.score:g}  {_('; ').join(s.reasons)}")
        if plan.skipped:
            click.echo(plan.skipped_text())
        click.echo(plan.explain())
        if plan.days and do_apply:
            click.echo(
                ngettext(
                    "Created {n} clinic day (status planned).",
                    "Created {n} clinic days (status planned).",
                    len(ids),
                ).format(n=len(ids))
            )
        elif plan.days:
            click.echo(_("Nothing written; run again with --apply to create these clinic days."))
