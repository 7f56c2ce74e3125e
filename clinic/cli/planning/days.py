"""clinic day add / list / show / assign / status: clinic days and who serves on them."""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.options import NEEDS_OPTION, ORG_OPTION
from clinic.cli.planning import options
from clinic.cli.planning.options import date_option, echo_json, needs_option, period, period_options
from clinic.i18n import _


@groups.day_group.command(
    "add",
    help=_(
        "Plan a clinic day: clinic day add --date 2026-12-19 --village 龙山村 --org 民进 --needs 全科=2,中医=1,护士=2,药师=1"
    ),
)
@click.option(
    "--date",
    "date",
    required=True,
    callback=date_option,
    metavar="D",
    help=_("The date (2026-12-19, 2026/12/19, 2026年12月19日 ...)."),
)
@click.option(
    "--village",
    required=True,
    metavar="V",
    help=_("The village (龙山村, or 中峰镇龙山村 when two share a name)."),
)
@ORG_OPTION
@NEEDS_OPTION
@click.option("--start", default="08:30", show_default=True, metavar="HH:MM", help=_("Start time."))
@click.option("--end", default="12:00", show_default=True, metavar="HH:MM", help=_("End time."))
@click.option(
    "--venue",
    default="",
    metavar="TEXT",
    help=_("Where in the village (村委会活动室, 卫生室 ...)."),
)
@click.option(
    "--status",
    type=click.Choice(["planned", "confirmed", "done"]),
    default="planned",
    show_default=True,
    help=_("Status of the new day (done: a clinic day already held, for a date gone by)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def day_add(app: AppContext, date, village, org, needs, start, end, venue, status, as_json) -> None:
    from clinic.core import holidays
    from clinic.core import planning as p

    with app.open() as store:
        day = p.DayInput(
            date=date,
            village_id=p.find_village(store, village),
            organisation_id=p.find_organisation(store, org),
            needs=needs_option(store, needs),
            start_time=p.parse_time(start),
            end_time=p.parse_time(end),
            venue=venue,
            status=status,
        )
        day_id = p.add_day(store, day, today=options.today())
        row = p.get_day(store, day_id)
        if warning := holidays.coverage_warning(date, date):
            click.echo(_("Warning: {text}").format(text=warning), err=True)
        if as_json:
            echo_json({**_day_json(store, row), "needs": day.needs})
        else:
            said = (
                _("Clinic day {id} recorded as held: {date} {village}, needs {needs}.")
                if status == "done"
                else _("Clinic day {id} planned: {date} {village}, needs {needs}.")
            )
            click.echo(
                said.format(
                    id=day_id,
                    date=date,
                    village=row["village"],
                    needs=p.format_needs(store, day.needs) or "-",
                )
            )


def _day_json(store, row: dict) -> dict:
    return {
        "id": row["id"],
        "date": row["date"],
        "start": row["start_time"],
        "end": row["end_time"],
        "township": row["township"],
        "village": row["village"],
        "venue": row["venue"],
        "organisation": row["organisation"],
        "status": row["status"],
        "held": bool(row["held"]),
        "needed": row["needed"],
        "filled": row["filled"],
        "assigned": row["assigned"],
    }


@groups.day_group.command(
    "list", help=_("List clinic days in a period with places needed and filled.")
)
@period_options(_("Last day (default: 3 months after the first)."))
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def day_list(app: AppContext, date_from, date_to, as_json) -> None:
    from clinic.core import planning as p

    start, end = period(date_from, date_to)
    with app.open() as store:
        rows = p.list_days(store, start, end)
        if as_json:
            echo_json([{**_day_json(store, r), "needs": r["needs"]} for r in rows])
            return
        if not rows:
            click.echo(_("No clinic days from {start} to {end}.").format(start=start, end=end))
            return
        for r in rows:
            click.echo(
                f"{r['id']:>5}  {r['date']} {r['start_time']}-{r['end_time']}  {r['township']}{r['village']}  "
                f"{r['organisation'] or '-'}  {p.day_status_label(r['status'])}  "
                f"{r['filled']}/{r['needed']}  {p.format_needs(store, r['needs'])}"
            )


@groups.day_group.command("show", help=_("One clinic day: needs, who is on it, and attendance."))
@click.argument("day_id", type=int)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def day_show(app: AppContext, day_id: int, as_json: bool) -> None:
    from clinic.core import planning as p
    from clinic.core import talks as T

    with app.open() as store:
        row = p.get_day(store, day_id)
        lines = p.day_needs(store, day_id)
        people = p.team_of_day(store, day_id)
        talks = T.talks_of_day(store, day_id)
        if as_json:
            echo_json(
                {
                    **_day_json(store, row),
                    "needs": [
                        {
                            "role": n.role,
                            "needed": n.needed,
                            "filled": n.filled,
                            "assigned": n.assigned,
                        }
                        for n in lines
                    ],
                    "assignments": [
                        {
                            "id": a["id"],
                            "volunteer": a["name"],
                            "role": a["role"],
                            "status": a["status"],
                            "hours": a["hours"],
                            "counted_hours": a["counted_hours"],
                            "source": a["source"],
                        }
                        for a in people
                    ],
                    "talks": [T.talk_json(t) for t in talks],
                }
            )
            return
        click.echo(
            f"{row['date']} {row['start_time']}-{row['end_time']} {row['township']}{row['village']} "
            f"{row['venue']} {row['organisation'] or ''} {p.day_status_label(row['status'])}"
        )
        for n in lines:
            extra = f" (+{n.assigned - n.filled})" if n.assigned > n.filled else ""
            click.echo(f"  {p.specialty_label(store, n.role)}: {n.filled}/{n.needed}{extra}")
        for a in people:
            hours = "" if a["counted_hours"] is None else f"{a['counted_hours']:g}"
            if hours and a["hours"] is None:
                hours += "*"
            click.echo(
                f"  #{a['id']} {a['name']} {p.specialty_label(store, a['role'])} "
                f"{p.assignment_label(a['status'])} {hours}".rstrip()
            )
        if any(a["counted_hours"] is not None and a["hours"] is None for a in people):
            click.echo(_("* hours not typed: the day's planned length is counted"))
        if talks:
            click.echo(_("Health talks:"))
        for t in talks:
            click.echo("  " + T.talk_line(t))
        if (
            row["held"]
            and row["status"] != "done"
            and any(a["status"] == "attended" for a in people)
        ):
            click.echo(
                _(
                    "Attendance is recorded: reports count this day as held, though it is not marked done."
                )
            )


@groups.day_group.command(
    "assign",
    help=_("Put a volunteer on a clinic day; refused with the reason when a rule forbids it."),
)
@click.argument("day_id", type=int)
@click.argument("volunteer")
@click.option(
    "--role", default=None, metavar="R", help=_("The role (default: the volunteer's specialty).")
)
@click.option(
    "--status",
    type=click.Choice(["invited", "confirmed"]),
    default="invited",
    show_default=True,
    help=_("Status of the assignment."),
)
@pass_app
def day_assign(app: AppContext, day_id: int, volunteer: str, role: str | None, status: str) -> None:
    from clinic.core import planning as p

    with app.open() as store:
        vol = p.find_volunteer(store, volunteer)
        code = p.parse_specialty(store, role) if role else None
        new_id, warnings = p.assign(store, day_id, vol["id"], code, status=status)
        for w in warnings:
            click.echo(_("Warning: {text}").format(text=w), err=True)
        click.echo(
            _("{name} is on clinic day {day} (assignment {id}).").format(
                name=vol["name"], day=day_id, id=new_id
            )
        )


@groups.day_group.command(
    "status",
    help=_(
        "Set a clinic day's status (planned, confirmed, done, cancelled) or an assignment's (--assignment)."
    ),
)
@click.argument("target_id", type=int)
@click.argument("status")
@click.option(
    "--assignment",
    is_flag=True,
    help=_("TARGET_ID is an assignment: invited, confirmed, declined, attended, no_show."),
)
@click.option("--hours", type=float, default=None, help=_("Hours served (with --assignment)."))
@click.option(
    "--change-attendance",
    is_flag=True,
    help=_("Allow changing an attendance already recorded (attended or no-show)."),
)
@pass_app
def day_status(
    app: AppContext,
    target_id: int,
    status: str,
    assignment: bool,
    hours: float | None,
    change_attendance: bool,
) -> None:
    from clinic.core import planning as p

    with app.open() as store:
        if assignment:
            p.set_assignment(
                store,
                target_id,
                status=status,
                hours=hours,
                change_attendance=change_attendance,
            )
        else:
            p.set_day_status(store, target_id, status)
        click.echo(_("Done."))
