"""``clinic sync``: laptops that merge into the district database (docs/sync.md).

``base`` enrols a laptop (on the district), ``export`` writes a laptop's bundle,
``import``, ``status`` and ``conflicts`` run on the district. The rules are
:mod:`clinic.core.sync`; this module parses the options and prints.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from clinic.cli import main as groups
from clinic.cli.context import AppContext, pass_app
from clinic.core.errors import InputError
from clinic.i18n import _

sync_group = groups.command_group(
    "sync", _("Merge laptops into the district database: enrol, export and import bundles.")
)


@sync_group.command(
    "base",
    help=_(
        "Enrol a laptop: write its database (registers, catalogues, volunteers, plans, users, keys) from this district database."
    ),
)
@click.option("--device", required=True, metavar="NAME", help=_("The laptop's name (unique)."))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("The laptop's database file to write."),
)
@pass_app
def base_command(app: AppContext, device: str, out: Path) -> None:
    from clinic.core.sync.enrol import make_base

    with app.open() as store:
        made = make_base(store, device, out, actor=app.who)
    click.echo(
        _(
            "Laptop {device} enrolled as number {number}: {path}. Copy the file to the laptop and open it there with --db; it is readable by you only."
        ).format(device=made.device, number=made.number, path=made.path)
    )


@sync_group.command(
    "export",
    help=_(
        "On a laptop: write every change since the last export into one bundle, sealed for the district and signed by this laptop. Default FILE: bundles/NAME-NNNN.bundle beside the database. On the district with --for: the update for one laptop."
    ),
)
@click.option(
    "--for",
    "device",
    metavar="DEVICE",
    help=_(
        "On the district database: write the update for this laptop (everything the district changed since its last update). Default FILE: updates/NAME-update-NNNN.bundle."
    ),
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("The bundle file to write."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
@pass_app
def export_command(app: AppContext, device: str | None, out: Path | None, as_json: bool) -> None:
    from clinic.core.sync.exporting import export_bundle
    from clinic.core.sync.updating import export_update

    with app.open() as store:
        if device is not None:
            made = export_update(store, device, out, actor=app.who)
        else:
            made = export_bundle(store, out, actor=app.who)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "file": str(made.path) if made.path else None,
                    "sequence": made.sequence,
                    "changes": made.changes,
                    "counts": made.counts,
                    "bytes": made.size,
                },
                ensure_ascii=False,
            )
        )
    else:
        click.echo(made.sentence(device))


@sync_group.command(
    "import",
    help=_(
        "On the district database: check and apply laptops' bundles, in any order; a bundle imported before is skipped. On a laptop: apply the district's updates."
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
@pass_app
def import_command(app: AppContext, files: tuple[Path, ...], as_json: bool) -> None:
    from clinic.core.sync.enrol import device_number
    from clinic.core.sync.importing import import_bundles
    from clinic.core.sync.updating import import_updates

    with app.open() as store:
        if device_number(store) is not None:
            _print_updates(import_updates(store, list(files), actor=app.who), as_json)
            return
        results = import_bundles(store, list(files), actor=app.who)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
        return
    for r in results:
        click.echo(r.sentence())


def _print_updates(results: list, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
        return
    for r in results:
        click.echo(r.sentence())


@sync_group.command(
    "status", help=_("On the district database: each laptop, its last bundle, what is awaited.")
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def status_command(app: AppContext, as_json: bool) -> None:
    from clinic.core.sync.importing import sync_status

    with app.open() as store:
        rows = sync_status(store)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo(_("No laptop is enrolled yet (clinic sync base --device NAME -o FILE)."))
    for row in rows:
        if row["last_sequence"]:
            text = _(
                "{device} (number {number}): last bundle {last_sequence}, made {last_made_at}, imported {last_imported_at}; waiting for bundle {waiting_for}; {open_conflicts} conflicts to review."
            )
        else:
            text = _(
                "{device} (number {number}): enrolled {enrolled_at}, no bundle yet; waiting for bundle 1."
            )
        click.echo(text.format(**row))
        if row["held"]:
            click.echo(
                "  "
                + _("held: {held}; missing: {missing}").format(
                    held=", ".join(map(str, row["held"])),
                    missing=", ".join(map(str, row["missing"])),
                )
            )


@sync_group.command(
    "conflicts",
    help=_(
        "On the district database: changes from laptops that clashed with the district's records, kept for review."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print JSON."))
@pass_app
def conflicts_command(app: AppContext, as_json: bool) -> None:
    from clinic.core.sync.conflict_words import in_words
    from clinic.core.sync.review import conflicts, masked_conflict

    with app.open() as store:
        rows = conflicts(store)
        if as_json:
            click.echo(
                json.dumps([masked_conflict(r) for r in rows], ensure_ascii=False, default=str)
            )
            return
        words = [in_words(store, row) for row in rows]
    if not rows:
        click.echo(_("No conflicts to review."))
    for row, said in zip(rows, words, strict=True):
        click.echo(
            _(
                "#{id} {device} bundle {sequence}: {record} {key} {change} ({kind}); laptop: {new}; district: {current}"
            ).format(
                id=row["id"],
                device=row["device"],
                sequence=row["sequence"],
                record=said.record,
                key=said.key,
                change=said.change,
                kind=said.kind,
                new=said.new,
                current=said.current,
            )
        )


@sync_group.command(
    "settle",
    help=_(
        "On the district database: settle conflict ID (see clinic sync conflicts) by keeping the district's record, the laptop's change, or merging them: field by field (--field, --set), or a laptop's person whose ID number the district has merged into the district's person."
    ),
)
@click.argument("conflict_id", metavar="ID", type=int)
@click.option(
    "--keep",
    required=True,
    type=click.Choice(["district", "laptop", "merged"]),
    help=_("Whose side to keep, or merged."),
)
@click.option(
    "--field",
    "picks",
    multiple=True,
    metavar="NAME=district|laptop",
    help=_("With --keep merged: whose value of field NAME to keep (repeat for each field)."),
)
@click.option(
    "--set",
    "typed",
    multiple=True,
    metavar="NAME=VALUE",
    help=_("With --keep merged: type the value of a free-text field NAME."),
)
@pass_app
def settle_command(
    app: AppContext, conflict_id: int, keep: str, picks: tuple[str, ...], typed: tuple[str, ...]
) -> None:
    from clinic.core.sync.review import settle

    fields = _field_choices(picks, typed)
    if fields and keep != "merged":
        raise InputError(_("--field and --set go with --keep merged."))
    with app.open() as store:
        item = settle(store, conflict_id, keep, actor=app.who, fields=fields)
    if keep == "laptop":
        click.echo(_("Conflict {id} settled: the laptop's change is kept.").format(id=conflict_id))
    elif keep == "district":
        click.echo(
            _("Conflict {id} settled: the district's record is kept.").format(id=conflict_id)
        )
    elif "merge" in item:
        done = item["merge"]
        click.echo(
            _(
                "Conflict {id} settled: the laptop's person is merged into the district's person #{kept}, with {visits} visits (merge {merge}; undo with clinic persons unmerge {merge})."
            ).format(
                id=conflict_id,
                kept=done.kept_id,
                visits=done.moved.get("visits", 0),
                merge=done.merge_id,
            )
        )
    else:
        click.echo(_("Conflict {id} settled: merged field by field.").format(id=conflict_id))


def _field_choices(picks: tuple[str, ...], typed: tuple[str, ...]) -> dict:
    """``--field NAME=district|laptop`` and ``--set NAME=VALUE`` as one choice per field."""
    from clinic.core.sync.review import FIELD_SIDES, Typed

    fields: dict = {}
    for text in picks:
        name, sep, side = text.partition("=")
        if not sep or not name.strip() or side.strip() not in FIELD_SIDES:
            raise InputError(
                _("Write --field NAME=district or --field NAME=laptop, not {text}.").format(
                    text=text
                )
            )
        if name.strip() in fields:
            raise InputError(_("--field {field} is given twice.").format(field=name.strip()))
        fields[name.strip()] = side.strip()
    for text in typed:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise InputError(_("Write --set NAME=VALUE, not {text}.").format(text=text))
        if name.strip() in fields:
            raise InputError(
                _("{field} is given twice: choose a side or type a value.").format(
                    field=name.strip()
                )
            )
        fields[name.strip()] = Typed(value)
    return fields
