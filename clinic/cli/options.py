"""Options several command families share, defined once so their names,
choices and help read the same everywhere: ``--labels``, ``--encoding``,
``-o/--output``, and the ``--org``/``--needs`` of a planned clinic day."""

from __future__ import annotations

from pathlib import Path

import click

from clinic.core.tabular import ENCODINGS
from clinic.i18n import _

LABELS_OPTION = click.option(
    "--labels",
    is_flag=True,
    help=_("With --json: add a labels object (codes in words, in the chosen language)."),
)

ENCODING_OPTION = click.option(
    "--encoding",
    type=click.Choice(ENCODINGS),
    default="utf-8-sig",
    show_default=True,
    help=_("Text encoding of CSV/JSON: utf-8-sig (with BOM, for Excel/WPS), utf-8, gb18030."),
)

ORG_OPTION = click.option(
    "--org",
    default=None,
    metavar="O",
    help=_("The organising organisation (民进, 民进綦江区委会 ...)."),
)

NEEDS_OPTION = click.option(
    "--needs",
    default=None,
    metavar="LIST",
    help=_(
        "Places per specialty: 全科=2,中医=1,护士=2,药师=1 (Chinese or English names, or codes); "
        "without it the usual team."
    ),
)


def output_option(help_text: str, *, required: bool = False, file_only: bool = True):
    """``-o/--output FILE`` (a folder too when ``file_only`` is false)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=not file_only, path_type=Path),
        default=None,
        required=required,
        help=help_text,
    )
