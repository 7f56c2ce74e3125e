"""Click's own words (Usage:, Options, Error: ...) in the user's language.

Click marks its strings for the stdlib ``gettext`` default domain, read from
the process locale. We ship a ``click`` catalogue and point click's modules at
it when the app runs in Chinese, so a volunteer never meets an English usage
error in an otherwise Chinese tool.
"""

from __future__ import annotations

import gettext

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from clinic.i18n import LOCALE_DIR

_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


# The names click shows for parameter types ("'abc' is not a valid integer").
_TYPE_NAMES = {
    click.types.StringParamType: "text",
    click.types.IntParamType: "integer",
    click.types.IntRange: "integer range",
    click.types.FloatParamType: "float",
    click.types.FloatRange: "float range",
    click.types.BoolParamType: "boolean",
}


def install(lang: str) -> None:
    """Make click speak ``lang`` ("zh" or "en")."""
    if lang == "zh":
        translation = gettext.translation("click", LOCALE_DIR, languages=["zh_CN"], fallback=True)
    else:
        translation = gettext.NullTranslations()
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = translation.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = translation.ngettext
    for cls, name in _TYPE_NAMES.items():
        cls.name = translation.gettext(name)


def localise_metavars(command: click.Command, lang: str) -> None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` in usage lines, for every command."""
    translation = (
        gettext.translation("click", LOCALE_DIR, languages=["zh_CN"], fallback=True)
        if lang == "zh"
        else gettext.NullTranslations()
    )
    command.options_metavar = translation.gettext("[OPTIONS]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = translation.gettext("COMMAND [ARGS]...")
        for sub in command.commands.values():
            localise_metavars(sub, lang)
