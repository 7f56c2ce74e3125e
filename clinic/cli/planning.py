"""Commands of the planning area (attached to the groups in clinic.cli.main).

clinic day add / list / show / assign / status · clinic roster ·
clinic export roster / ics · clinic pairing list / pair / visit
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.streams import stdout_bytes
from clinic.i18n import _, ngettext


def _echo_json(data: object, labels: bool = False) -> None:
    """JSON that does not change with --lang: codes, not words (unless --labels)."""
    from clinic.core.figures import machine_output

    data = machine_output(data, labels=labels)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


LABELS_OPTION = click.option(
    "--labels",
    is_flag=True,
    help=_("With --json: add a labels object (codes in words, in the chosen language)."),
)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    from clinic.core.planning import iso

    return iso(value)


def _today() -> dt.date:
    return dt.date.today()


def _period(date_from: str | None, date_to: str | None, days: int = 91) -> tuple[str, str]:
    start = date_from or _today().isoformat()
    end = date_to or (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()
    return start, end


# -- clinic day ... ------------------------------------------------------------------
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
    callback=_date,
    metavar="D",
    help=_("The date (2026-12-19, 2026/12/19, 2026年12月19日 ...)."),
)
@click.option(
    "--village",
    required=True,
    metavar="V",
    help=_("The village (龙山村, or 中峰镇龙山村 when two share a name)."),
)
@click.option(
    "--org",
    default=None,
    metavar="O",
    help=_("The organising organisation (民进, 民进綦江区委会 ...)."),
)
@click.option(
    "--needs",
    default=None,
    metavar="LIST",
    help=_(
        "Places per specialty: 全科=2,中医=1,护士=2,药师=1 (Chinese or English names, or codes); "
        "without it the usual team."
    ),
)
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
    from clinic.core import planning as p

    with app.open() as store:
        day = p.DayInput(
            date=date,
            village_id=p.find_village(store, village),
            organisation_id=p.find_organisation(store, org),
            needs=_needs(store, needs),
            start_time=p.parse_time(start),
            end_time=p.parse_time(end),
            venue=venue,
            status=status,
        )
        day_id = p.add_day(store, day, today=_today())
        row = p.get_day(store, day_id)
        if warning := p.public_holidays.coverage_warning(date, date):
            click.echo(_("Warning: {text}").format(text=warning), err=True)
        if as_json:
            _echo_json({**_day_json(store, row), "needs": day.needs})
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


def _needs(store, text: str | None) -> dict[str, int]:
    """--needs as given, or the usual team when it was left out (an empty list is refused)."""
    from clinic.core import planning as p

    return p.default_needs(store) if text is None else p.parse_needs(store, text)


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
@click.option(
    "--from", "date_from", callback=_date, metavar="D", help=_("First day (default: today).")
)
@click.option(
    "--to",
    "date_to",
    callback=_date,
    metavar="D",
    help=_("Last day (default: 3 months after the first)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def day_list(app: AppContext, date_from, date_to, as_json) -> None:
    from clinic.core import planning as p

    start, end = _period(date_from, date_to)
    with app.open() as store:
        rows = p.list_days(store, start, end)
        if as_json:
            _echo_json([{**_day_json(store, r), "needs": r["needs"]} for r in rows])
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
    from clinic.store import assignments as assignments_q

    with app.open() as store:
        row = p.get_day(store, day_id)
        lines = p.day_needs(store, day_id)
        people = assignments_q.assignments_of_day(store, day_id)
        talks = T.talks_of_day(store, day_id)
        if as_json:
            _echo_json(
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
            try:
                p.set_assignment(
                    store,
                    target_id,
                    status=status,
                    hours=hours,
                    change_attendance=change_attendance,
                )
            except p.AttendanceRecorded as exc:
                raise p.PlanningError(
                    exc.message + " " + _("Add --change-attendance to change it.")
                ) from None
        else:
            p.set_day_status(store, target_id, status)
        click.echo(_("Done."))


@groups.day_group.command(
    "season",
    help=_(
        "Plan a season: one clinic day per chosen weekday in the neediest villages "
        '(the "where next" ranking). Shows the plan; --apply creates the days.'
    ),
)
@click.option(
    "--from", "date_from", callback=_date, metavar="D", help=_("First day (default: today).")
)
@click.option(
    "--to",
    "date_to",
    callback=_date,
    metavar="D",
    help=_("Last day (default: the last of the chosen weekdays 13 weeks after the first)."),
)
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
@click.option(
    "--org",
    default=None,
    metavar="O",
    help=_("The organising organisation (民进, 民进綦江区委会 ...)."),
)
@click.option(
    "--needs",
    default=None,
    metavar="LIST",
    help=_(
        "Places per specialty: 全科=2,中医=1,护士=2,药师=1 (Chinese or English names, or codes); "
        "without it the usual team."
    ),
)
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
    start = date_from or _today().isoformat()
    end = date_to or p.default_season_end(start, days)
    with app.open() as store:
        plan = p.propose_season(store, start, end, _today(), weekdays=days, per_day=per_day)
        org_id = p.find_organisation(store, org)
        need = _needs(store, needs)
        ids = p.add_season(store, plan.days, org_id, need, today=_today()) if do_apply else []
        if as_json:
            _echo_json(
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


# -- clinic roster ----------------------------------------------------------------------
@groups.cli.command(
    "roster",
    help=_(
        "Fill the open places of the clinic days in a period with the optimal roster: "
        "most places filled, then the fairest spread, then members of the organising "
        "organisation. Shows the plan; --apply writes it."
    ),
)
@click.option(
    "--from", "date_from", callback=_date, metavar="D", help=_("First day (default: today).")
)
@click.option(
    "--to",
    "date_to",
    callback=_date,
    metavar="D",
    help=_("Last day (default: 3 months after the first)."),
)
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

    start, end = _period(date_from, date_to)
    with app.open() as store:
        if do_apply:
            plan = p.apply_roster(store, start, end, replan=replan)
        else:
            plan = p.plan_roster(store, start, end, replan=replan)
        data = plan.to_json(store)
        data["applied"] = bool(do_apply)
        if as_json:
            _echo_json(data, labels=labels)
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
@click.option(
    "--from", "date_from", callback=_date, metavar="D", help=_("First day (default: today).")
)
@click.option(
    "--to",
    "date_to",
    callback=_date,
    metavar="D",
    help=_("Last day (default: 3 months after the first)."),
)
@click.option(
    "--by",
    type=click.Choice(["day", "volunteer"]),
    default="day",
    show_default=True,
    help=_("Order rows by clinic day or by volunteer."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=_("File to write (default: CSV to standard output)."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json"]),
    default=None,
    help=_("csv, xlsx or json (default: from the file name, else csv)."),
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8-sig", "utf-8", "gb18030"]),
    default="utf-8-sig",
    show_default=True,
    help=_("Text encoding of CSV/JSON: utf-8-sig (with BOM, for Excel/WPS), utf-8, gb18030."),
)
@click.option(
    "--unmasked", is_flag=True, help=_("Write whole phone numbers (recorded in the audit log).")
)
@pass_app
def export_roster(app: AppContext, date_from, date_to, by, output, fmt, encoding, unmasked) -> None:
    from clinic.core.schedule_exports import export_roster as export
    from clinic.core.tabular import format_for_path

    start, end = _period(date_from, date_to)
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
@click.option(
    "--from", "date_from", callback=_date, metavar="D", help=_("First day (default: today).")
)
@click.option(
    "--to",
    "date_to",
    callback=_date,
    metavar="D",
    help=_("Last day (default: one year after the first)."),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help=_("File to write (default: standard output); with --all, the folder."),
)
@pass_app
def export_ics(app: AppContext, volunteer, everyone, date_from, date_to, output) -> None:
    from clinic.core import planning as p
    from clinic.core import schedule_exports as exports

    if bool(volunteer) == bool(everyone):
        raise p.PlanningError(_("Name one volunteer with --volunteer, or use --all."))
    if everyone and output is None:
        raise p.PlanningError(_("With --all, name the folder for the files with -o."))
    start, end = _period(date_from, date_to, days=366)
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


# -- pairing (结对帮扶) -----------------------------------------------------------------
@groups.cli.group(
    "pairing",
    context_settings=groups.CONTEXT_SETTINGS,
    help=_("Cadres paired with households (结对帮扶): pairs, visits, weekend lists."),
)
def pairing_group() -> None:
    pass


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
    "--date", "date", callback=_date, metavar="D", help=_("Date of the visit (default: today).")
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
        p.log_pairing_visit(store, hh["id"], vol["id"], date or _today().isoformat(), notes)
        click.echo(_("Visit recorded."))


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
        rows = p.weekend_list(store, vol["id"], _today())
        if as_json:
            _echo_json(rows)
            return
        if not rows:
            click.echo(_("{name} is not paired with any household.").format(name=vol["name"]))
            return
        sat, sun = p.next_weekend(_today())
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
