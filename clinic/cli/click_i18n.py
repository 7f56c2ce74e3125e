"""Click's own words (Usage:, Options, Error: ...) in the user's language.

Click marks its strings with the standard library's ``gettext.gettext``,
which reads the process's default text domain in the language the
``LANGUAGE`` variable names. We ship a ``click`` catalogue, make it the
default domain and set ``LANGUAGE`` to the chosen language, so a volunteer
never meets an English usage error in an otherwise Chinese tool. Only public
interfaces are used: gettext's domain functions and the ``name`` of click's
parameter types.
"""

from __future__ import annotations

import gettext
import os

import click

from clinic.i18n import LOCALE_DIR

# The names click shows for parameter types ("'abc' is not a valid integer").
_TYPE_NAMES = {
    click.types.StringParamType: "text",
    click.types.IntParamType: "integer",
    click.types.IntRange: "integer range",
    click.types.FloatParamType: "float",
    click.types.FloatRange: "float range",
    click.types.BoolParamType: "boolean",
}

_GETTEXT_LANGUAGE = {"zh": "zh_CN", "en": "en"}


def install(lang: str) -> None:
    """Make click speak ``lang`` ("zh" or "en")."""
    os.environ["LANGUAGE"] = _GETTEXT_LANGUAGE.get(lang, "en")
    gettext.bindtextdomain("click", str(LOCALE_DIR))
    gettext.textdomain("click")
    translation = _translation(lang)
    for cls, name in _TYPE_NAMES.items():
        cls.name = translation.gettext(name)


def _translation(lang: str) -> gettext.NullTranslations:
    if lang == "zh":
        return gettext.translation("click", LOCALE_DIR, languages=["zh_CN"], fallback=True)
    return gettext.NullTranslations()


def localise_metavars(command: click.Command, lang: str) -> None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` in usage lines, for every command."""
    translation = _translation(lang)
    command.options_metavar = translation.gettext("[OPTIONS]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = translation.gettext("COMMAND [ARGS]...")
        for sub in command.commands.values():
            localise_metavars(sub, lang)
