"""``clinic day talk add / edit / delete / list``: health talks on a clinic day.

The rules are :mod:`clinic.core.talks`; F5 (``t``) records the same talks.
"""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.planning.options import echo_json
from clinic.i18n import _


@groups.day_group.group("talk", help=_("Health talks held on a clinic day."))
def talk_group() -> None:
    pass


def _talk_options(required: bool):
    def wrap(fn):
        fn = click.option("--materials", default=None, help=_("Materials handed out."))(fn)
        fn = click.option(
            "--attendees",
            required=required,
            help=_("How many people listened (0 to 10000)."),
        )(fn)
        fn = click.option(
            "--speaker",
            required=required,
            help=_("The speaker: a volunteer's name, or #id when two share it."),
        )(fn)
        return click.option("--topic", required=required, help=_("The topic of the talk."))(fn)

    return wrap


@talk_group.command("add", help=_("Record a health talk held on a clinic day."))
@click.argument("day_id", type=int)
@_talk_options(required=True)
@pass_app
def talk_add(app: AppContext, day_id: int, topic, speaker, attendees, materials) -> None:
    from clinic.core import talks as T

    with app.open() as store:
        talk_id = T.add_talk(store, day_id, T.TalkInput(topic, speaker, attendees, materials or ""))
        click.echo(
            _("Health talk recorded: {talk}").format(talk=T.talk_line(T.get_talk(store, talk_id)))
        )


@talk_group.command("edit", help=_("Change a health talk (what is not given stays)."))
@click.argument("talk_id", type=int)
@_talk_options(required=False)
@pass_app
def talk_edit(app: AppContext, talk_id: int, topic, speaker, attendees, materials) -> None:
    from clinic.core import talks as T

    with app.open() as store:
        old = T.get_talk(store, talk_id)
        T.edit_talk(
            store,
            talk_id,
            T.TalkInput(
                old["topic"] if topic is None else topic,
                old["speaker_id"] if speaker is None else speaker,
                old["attendees"] if attendees is None else attendees,
                old["materials"] if materials is None else materials,
            ),
        )
        click.echo(
            _("Health talk changed: {talk}").format(talk=T.talk_line(T.get_talk(store, talk_id)))
        )


@talk_group.command("delete", help=_("Remove a health talk recorded by mistake."))
@click.argument("talk_id", type=int)
@pass_app
def talk_delete(app: AppContext, talk_id: int) -> None:
    from clinic.core import talks as T

    with app.open() as store:
        row = T.delete_talk(store, talk_id)
    click.echo(_("Health talk removed: {talk}").format(talk=T.talk_line(row)))


@talk_group.command("list", help=_("The health talks of a clinic day, or of every day."))
@click.argument("day_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def talk_list(app: AppContext, day_id: int | None, as_json: bool) -> None:
    from clinic.core import talks as T

    with app.open() as store:
        rows = T.all_talks(store) if day_id is None else T.talks_of_day(store, day_id)
    if as_json:
        echo_json([T.talk_json(r) | ({"date": r["date"]} if "date" in r else {}) for r in rows])
        return
    if not rows:
        click.echo(_("No health talks recorded."))
    for r in rows:
        prefix = f"{r['date']} {r['village']} " if "date" in r else ""
        click.echo(prefix + T.talk_line(r))
