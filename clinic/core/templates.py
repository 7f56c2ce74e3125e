"""The template files documents are drawn from: the health-prescription sheet,
the printable report summary and the follow-up lists.

They are Jinja2 files a doctor or coordinator can edit: the shipped ones live
in ``db/templates/`` (inside the installed package ``clinic.db``); a file of
the same name in a ``templates/`` folder beside the database wins, so a
local version survives an update of the app. HTML templates (``*.html.j2``)
escape every value: a name is data, never markup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from clinic.core.errors import SheetTemplateError
from clinic.i18n import _
from clinic.store.resources import data_root


def own_templates(db_path: str | Path | None) -> Path | None:
    """The folder of a database's own templates (``templates/`` beside it)."""
    if not db_path:
        return None
    return Path(db_path).resolve().parent / "templates"


@functools.lru_cache(maxsize=8)
def environment(folder: Path | None) -> jinja2.Environment:
    """The own templates in ``folder`` first, then the shipped ones.
    HTML is escaped (a name is data, never markup); text is not."""

    def shipped(name: str) -> tuple[str, None, Callable[[], bool]] | None:
        found = data_root() / "templates" / name
        if not found.is_file():
            return None
        # Stale as soon as someone puts their own copy beside the database.
        return found.read_text(encoding="utf-8"), None, lambda: not _own(folder, name)

    loaders: list[jinja2.BaseLoader] = []
    if folder is not None:
        loaders.append(jinja2.FileSystemLoader(folder))
    loaders.append(jinja2.FunctionLoader(shipped))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=lambda name: (name or "").endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _own(folder: Path | None, name: str) -> bool:
    return folder is not None and (folder / name).is_file()


def render(name: str, context: Mapping[str, Any], folder: Path | None) -> str:
    """Template ``name`` drawn with ``context``; a hand-edited template that
    cannot be drawn is a user error naming the file, never a traceback."""
    try:
        return environment(folder).get_template(name).render(dict(context))
    except jinja2.TemplateError as exc:
        raise SheetTemplateError(
            _("The template {name} cannot be used: {reason}").format(
                name=name, reason=getattr(exc, "message", None) or exc
            )
        ) from None
