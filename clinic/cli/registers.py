"""Commands for the registers: demo, status, find, import register / volunteers."""

from __future__ import annotations

import json
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.streams import stderr, stderr_is_terminal
from clinic.i18n import _


def echo_json(data: object) -> None:
    """JSON that does not change with --lang: codes, not words."""
    from clinic.core.figures import machine_output

    click.echo(json.dumps(machine_output(data), ensure_ascii=False, indent=2, default=str))


def progress_bar(label: str):
    """A click progress bar on stderr, fed by (done, total) callbacks."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if not stderr_is_terminal():
            return
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=stderr())
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, close


@groups.cli.command(
    "demo", help=_("Create a synthetic demo database and open it (no real person is in it).")
)
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help=_("small: 8+ villages, ~2,000 persons; large: 200,000 persons in ~400 villages."),
)
@click.option("--no-tui", is_flag=True, help=_("Only create the database; do not open the app."))
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help=_("Random seed (the same seed gives the same data)."),
)
@click.option("--force", is_flag=True, help=_("Replace the database file if it exists."))
@pass_app
def demo_command(app: AppContext, size: str, no_tui: bool, seed: int, force: bool) -> None:
    from clinic.core.demo import build_demo

    path = app.db_path
    if path.exists() and not force:
        from clinic.core.database import has_persons, open_store

        with open_store(path) as store:
            has_data = has_persons(store)
        if has_data:
            click.echo(
                _(
                    "{path} already holds data; opening it as it is (use --force to rebuild the demo)."
                ).format(path=path),
                err=True,
            )
            if not no_tui:
                from clinic.cli.tui import run_tui

                run_tui(app)
            return
    update, close = progress_bar(_("Building the demo"))
    try:
        summary = build_demo(path, size=size, seed=seed, progress=update, replace=True)
    finally:
        close()
    click.echo(
        _(
            "Demo database {path}: {persons} persons in {households} households, {villages} villages, {volunteers} volunteers, {days} clinic days."
        ).format(path=path, **summary)
    )
    if not no_tui:
        from clinic.cli.tui import run_tui

        run_tui(app)


@groups.cli.command(
    "status",
    help=_("Show the database path, schema version and how many records of each kind it holds."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    import datetime as dt

    from clinic.core.database import record_counts, schema_version
    from clinic.core.figures import follow_up_totals

    with app.open() as store:
        data = {
            "database": str(app.db_path),
            "schema_version": schema_version(store),
            "counts": record_counts(store),
            "follow_ups": follow_up_totals(store, dt.date.today()),
        }
    if as_json:
        echo_json(data)
        return
    labels = {
        "townships": _("Townships"),
        "villages": _("Villages"),
        "households": _("Households"),
        "persons": _("Persons"),
        "volunteers": _("Volunteers"),
        "clinic_days": _("Clinic days"),
        "assignments": _("Assignments"),
        "visits": _("Visits"),
        "handouts": _("Health prescriptions handed out"),
    }
    click.echo(_("Database: {path}").format(path=data["database"]))
    click.echo(_("Schema version: {version}").format(version=data["schema_version"]))
    for key, label in labels.items():
        click.echo(f"  {label}: {data['counts'][key]}")
    click.echo(
        _("Follow-ups due in the next 14 days: {due} ({overdue} overdue)").format(
            **data["follow_ups"]
        )
    )


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


def _report_import(result, as_json: bool, kind: str) -> None:
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
    _report_import(result, as_json, "register")


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
    from clinic.core.volunteer_import import import_volunteers

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
    _report_import(result, as_json, "volunteers")


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
