"""The database as a whole: ``clinic demo`` (a synthetic one to try the app)
and ``clinic status`` (what it holds)."""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.output import echo_json, progress_bar
from clinic.i18n import _


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
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help=_("Print the database and its demo users (names, roles, PINs) as JSON; no app."),
)
@pass_app
def demo_command(
    app: AppContext, size: str, no_tui: bool, seed: int, force: bool, as_json: bool
) -> None:
    from clinic.core.demo import build_demo

    no_tui = no_tui or as_json

    path = app.db_path
    if path.exists() and not force:
        from clinic.core.database import has_persons, open_store
        from clinic.core.demo import is_demo

        with open_store(path) as store:
            has_data, demo = has_persons(store), is_demo(store)
        if has_data:
            if as_json:
                _echo_demo_json(path, _demo_users() if demo else [])
                return
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
        summary = build_demo(
            path, size=size, seed=seed, progress=None if as_json else update, replace=True
        )
    finally:
        close()
    if as_json:
        _echo_demo_json(path, _demo_users())
        return
    click.echo(
        _(
            "Demo database {path}: {persons} persons in {households} households, {villages} villages, {volunteers} volunteers, {days} clinic days."
        ).format(path=path, **summary)
    )
    _echo_demo_users()
    if not no_tui:
        from clinic.cli.tui import run_tui

        run_tui(app)


def _demo_users() -> list[dict]:
    from clinic.core.demo import DEMO_USERS

    return [{"name": n, "roles": list(roles), "pin": pin} for n, roles, pin, _s in DEMO_USERS]


def _echo_demo_json(path, users: list[dict]) -> None:
    import json

    click.echo(json.dumps({"database": str(path), "users": users}, ensure_ascii=False, indent=2))


def _echo_demo_users() -> None:
    """The demo's users and their PINs: demo-only PINs, printed for trainings."""
    from clinic.core.users import role_label

    click.echo(_("Demo users (demo PINs, for this synthetic database only):"))
    for user in _demo_users():
        roles = ", ".join(role_label(r) for r in user["roles"])
        click.echo(
            "  "
            + _("{name} ({roles}): PIN {pin}").format(
                name=user["name"], roles=roles, pin=user["pin"]
            )
        )
    click.echo(_("Sign in with: clinic --user NAME ... (the PIN is asked for)."))


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
