"""User data on screen: shown as typed, never read as markup (issue 10).

Names, villages, households, notes, topics and template texts come from
registers typed or imported by anyone. Read as markup, a name holding ``[/]``
crashed the desk; and escaping is not enough: ``rich.markup.escape`` leaves
``[$accent]``, ``[ bold ]`` and ``[B]`` to Textual's markup (which hides them)
and doubles backslashes. So user data never goes through a markup parser:

- :func:`cell` — a value as a Rich ``Text`` (DataTable cells, Rich tables);
- :func:`plain` — a value as Textual ``Content`` (Statics, option prompts);
- :func:`fill` — the app's own Textual markup with values put in as text
  (``$name`` variables, which Textual inserts literally);
- :func:`sentence` — a sentence with values in it (``str.format``), as text.

Control characters are shown as symbols (ESC as ␛, a line break in a name as ␊):
written raw, ``\\x1b[…`` would drive the terminal (colours, the title, the
clipboard). Notifications and titles get the same through ``ClinicApp``.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␀ … ␟
    return "␡" if code == 0x7F else "\ufffd"


def shown(value: object) -> str:
    """``value`` as one line of text: control characters (line breaks too) as symbols."""
    return _CONTROL.sub(_symbol, "" if value is None else str(value))


def shown_lines(text: str) -> str:
    """A text of several lines: control characters as symbols, line breaks kept."""
    return _CONTROL_BUT_NEWLINE.sub(_symbol, text)


def cell(value: object, style: str = "") -> Text:
    """A value for a DataTable cell or a Rich table: its text, in ``style``."""
    return Text(shown(value), style=style, end="")


def plain(value: object, style: str = "") -> Content:
    """A value as Textual content: a Static's text, an option's prompt (lists, dialogs)."""
    return Content.styled(shown(value), style) if style else Content(shown(value))


def sentence(template: str, style: str = "", **values: object) -> Text:
    """``template.format(**values)`` as text: no markup in the values or the template.
    Without values, ``template`` is a sentence already made (its braces are text)."""
    if values:
        template = template.format(**{k: shown(v) for k, v in values.items()})
    return Text(shown_lines(template), style=style)


def fill(markup: str, **values: object) -> Content:
    """The app's own markup (``[b]$name[/b]``) with ``values`` put in as plain text."""
    return Content.from_markup(markup, **{k: _content(v) for k, v in values.items()})


def _content(value: object) -> Content:
    if isinstance(value, Content):
        return value
    if isinstance(value, Text):
        return Content.from_rich_text(value)
    return Content(shown(value))


def lines(*parts: Content | Text | str) -> Content:
    """Parts on lines of their own; a ``str`` part is one line of plain text, never markup."""
    return Content("\n").join(_content_lines(part) for part in parts)


def _content_lines(part: Content | Text | str) -> Content:
    if isinstance(part, Content):
        return part
    if isinstance(part, Text):
        return Content.from_rich_text(part)
    return Content(shown(part))
