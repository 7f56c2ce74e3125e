"""``clinic user add / list / passwd / disable / enable``: who may sign in, and as what.

The rules are :mod:`clinic.core.users`: the first user of a database is a
coordinator added without signing in; after that a coordinator signs in
(``--user NAME``, PIN from CLINIC_PIN or a hidden prompt) to manage users.
"""

from __future__ import annotations

import json

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, new_pin, pass_app
from clinic.i18n import _

user_group = groups.command_group("user", _("Users who sign in, and their roles."))


@user_group.command(
    "add", help=_("Add a user with one or more roles (the first user: a coordinator).")
)
@click.argument("name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help=_("coordinator, clinician (doctor or nurse), clerk or pharmacist; repeat for several."),
)
@click.option(
    "--volunteer",
    "volunteer_id",
    type=int,
    default=None,
    help=_("The volunteer number of this user."),
)
@pass_app
def user_add(app: AppContext, name: str, roles: tuple[str, ...], volunteer_id: int | None) -> None:
    from clinic.core import users

    with app.open(create=True) as store:
        codes = users.parse_roles(roles)
        by = None if users.needs_first_user(store) else app.sign_in(store)
        user = users.add_user(store, name, codes, new_pin(name), by=by, volunteer_id=volunteer_id)
    click.echo(
        _("User {name} added: {roles}.").format(
            name=user.name, roles=", ".join(users.role_label(r) for r in sorted(user.roles))
        )
    )


@user_group.command("list", help=_("List the users, their roles and whether they may sign in."))
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def user_list(app: AppContext, as_json: bool) -> None:
    from clinic.core import users

    with app.open() as store:
        rows = users.users(store)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(_("No users yet: `clinic user add NAME --role coordinator` adds the first."))
    for row in rows:
        state = "" if row["active"] else " " + _("(disabled)")
        roles = ", ".join(users.role_label(r) for r in row["roles"])
        click.echo(f"{row['name']}: {roles}{state}")


@user_group.command("passwd", help=_("Change a PIN: your own, or anyone's as a coordinator."))
@click.argument("name")
@pass_app
def user_passwd(app: AppContext, name: str) -> None:
    from clinic.core import users

    with app.open() as store:
        by = app.sign_in(store)
        users.change_pin(store, name, new_pin(name), by=by)
    click.echo(_("The PIN of {name} is changed.").format(name=name))


def _set_active(app: AppContext, name: str, active: bool) -> None:
    from clinic.core import users

    with app.open() as store:
        users.set_active(store, name, active, by=app.sign_in(store))
    message = _("{name} can sign in again.") if active else _("{name} can no longer sign in.")
    click.echo(message.format(name=name))


@user_group.command(
    "disable", help=_("Stop a user from signing in (the user stays in the audit log).")
)
@click.argument("name")
@pass_app
def user_disable(app: AppContext, name: str) -> None:
    _set_active(app, name, False)


@user_group.command("enable", help=_("Let a disabled user sign in again."))
@click.argument("name")
@pass_app
def user_enable(app: AppContext, name: str) -> None:
    _set_active(app, name, True)
