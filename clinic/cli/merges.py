"""``clinic persons``: duplicate persons listed, merged into one, and merges undone.

The rules are :mod:`clinic.core.merges`; this module parses and prints. Numbers
are masked in every line and in ``--json``.
"""

from __future__ import annotations

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.cli.output import echo_json
from clinic.core.errors import InputError
from clinic.i18n import _

persons_group = groups.command_group(
    "persons", _("Duplicate persons: list likely pairs, merge one into the other, undo a merge.")
)


@persons_group.command(
    "duplicates",
    help=_(
        "Persons who look registered twice (the desk's walk-in rule: same ID number, same name and phone, or same name with a close birth year or the same village). Numbers are masked."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def duplicates_command(app: AppContext, as_json: bool) -> None:
    from clinic.core.merges import pair_items, person_text, reason_label

    with app.open() as store:
        pairs = pair_items(store)
    if as_json:
        echo_json(pairs)
        return
    if not pairs:
        click.echo(_("No likely duplicates."))
    for pair in pairs:
        click.echo(_("Keep {keep}").format(keep=person_text(pair["keep"])))
        click.echo(
            "  "
            + _("merge {other} ({reason})").format(
                other=person_text(pair["other"]), reason=reason_label(pair["reason"])
            )
        )
    if pairs:
        click.echo(_("Merge one pair with: clinic persons merge KEEP OTHER (#numbers)."))


def _person_id(store, who: str) -> int:
    """``#12``, ``12`` or a whole ID number: the person's id."""
    from clinic.core.purge import find_one

    text = who.strip()
    if text.isdigit() and len(text) < 15:
        text = "#" + text
    return int(find_one(store, text)["id"])


@persons_group.command(
    "merge",
    help=_(
        "Merge person OTHER into person KEEP (#number from clinic persons duplicates or clinic find --json, or the whole ID number): OTHER's visits, health prescriptions, consents, tags and conditions move to KEEP; OTHER leaves the registers. Undo with clinic persons unmerge."
    ),
)
@click.argument("keep")
@click.argument("other")
@pass_app
def merge_command(app: AppContext, keep: str, other: str) -> None:
    from clinic.core.merges import merge, rows_text

    with app.open() as store:
        done = merge(store, _person_id(store, keep), _person_id(store, other), actor=app.who)
    moved = rows_text(done.moved) or "-"
    click.echo(
        _("Merge {merge}: #{merged} merged into #{kept}; moved: {moved}.").format(
            merge=done.merge_id, merged=done.merged_id, kept=done.kept_id, moved=moved
        )
    )
    if done.stayed:
        stayed = rows_text(done.stayed)
        click.echo(
            _("Already on #{kept}, left as they were: {stayed}.").format(
                kept=done.kept_id, stayed=stayed
            )
        )
    click.echo(_("Undo with: clinic persons unmerge {merge}").format(merge=done.merge_id))


@persons_group.command(
    "distinct",
    help=_(
        "Mark persons A and B (#numbers) as two different persons: clinic persons duplicates no longer lists them as a pair."
    ),
)
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@pass_app
def distinct_command(app: AppContext, first: str, second: str) -> None:
    from clinic.core.merges import mark_distinct

    with app.open() as store:
        a, b = _person_id(store, first), _person_id(store, second)
        added = mark_distinct(store, a, b, actor=app.who)
    if added:
        click.echo(
            _("#{a} and #{b} are two different persons: no longer listed as duplicates.").format(
                a=a, b=b
            )
        )
    else:
        click.echo(_("#{a} and #{b} were marked as two persons already.").format(a=a, b=b))


@persons_group.command(
    "merges",
    help=_("The merges made (newest first), to undo one; --all: those undone too."),
)
@click.option("--all", "everything", is_flag=True, help=_("Also the merges undone."))
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def merges_command(app: AppContext, everything: bool, as_json: bool) -> None:
    from clinic.core.merges import merges

    with app.open() as store:
        rows = merges(store, undone=everything)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(_("No merges."))
    for row in rows:
        line = _(
            "Merge {id}: #{merged_id} {merged_name} into #{kept_id} {kept_name}, {moved} rows moved, by {merged_by} at {merged_at}"
        ).format(**row)
        if row["undone_at"]:
            line += "; " + _("undone by {undone_by} at {undone_at}").format(**row)
        click.echo(line)


@persons_group.command(
    "unmerge",
    help=_(
        "Undo merge MERGE (see clinic persons merges): the rows it moved go back to the merged person, who is on the registers again."
    ),
)
@click.argument("merge_id", metavar="MERGE")
@pass_app
def unmerge_command(app: AppContext, merge_id: str) -> None:
    from clinic.core.merges import unmerge

    number = merge_id.strip().lstrip("#")
    if not number.isdigit():
        raise InputError(_("Name the merge by its number (see clinic persons merges)."))
    with app.open() as store:
        row = unmerge(store, int(number), actor=app.who)
    click.echo(
        _("Merge {merge} undone: #{merged} is on the register again; {n} rows moved back.").format(
            merge=row["id"], merged=row["merged_id"], n=row["moved_back"]
        )
    )
    if row["cleared_id_number"]:
        click.echo(
            _(
                "#{merged} came from a laptop with the ID number of #{kept}; it stays without an ID number (one number is one person's on the register)."
            ).format(merged=row["merged_id"], kept=row["kept_id"])
        )
