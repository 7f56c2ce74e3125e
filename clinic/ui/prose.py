"""Sentences wrapped as Chinese is typeset, for the panels and notifications that hold them.

Textual (like Rich) breaks lines only at spaces. A Chinese sentence has none, so a
space before it (after a symbol, or around a number: "已发放 1 份健康处方") was where
the line broke, and the sentence itself was cut at the width wherever that fell,
inside a number too: "空腹≥7." / "0，随机≥11.1）" on the visit form at 80x24.

Here a line may break between any two Chinese characters and at spaces between
Latin words, never inside a run of Latin letters, digits and their signs ("7.0",
"180/110", "≥11.1"), never at a space beside a Chinese character (it sets a number
apart: "14 天"), never before closing punctuation (，。）…) and never after opening
punctuation (（《…).
A unit wider than the line is cut where it must.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

# No line starts with these (they close what precedes them) ...
CLOSING = frozenset("，。、；：！？）》」』】〕…—％,.;:!?)]}%’”")
# ... and none ends with these (they open what follows).
OPENING = frozenset("（《「『【〔([{‘“")


def _units(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces no line break may cut: a run of spaces, one wide
    character, or a run of narrow ones; closing punctuation joins the piece before it
    and opening punctuation the piece after it."""
    units: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if text[i].isspace():
            while j < n and text[j].isspace():
                j += 1
        elif get_character_cell_size(text[i]) == 1:
            while j < n and not text[j].isspace() and get_character_cell_size(text[j]) == 1:
                j += 1
        units.append((i, j))
        i = j
    return _joined(text, units)


def _joined(text: str, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The units joined where no line may break: before closing punctuation, after
    opening punctuation, and at a space beside a wide character ("14 天", "已发放 1 份":
    such a space sets a number apart, it is not a place to break)."""
    joined: list[tuple[int, int]] = []
    glue = False  # the last unit ended with a space that holds on to what follows
    for start, end in units:
        previous = joined[-1] if joined else None
        space = text[start].isspace()
        if previous is not None and not text[previous[0] : previous[1]].isspace():
            if (
                glue
                or text[start] in CLOSING
                or text[previous[1] - 1] in OPENING
                or (space and _beside_wide(text, start, end))
            ):
                joined[-1] = (previous[0], end)
                glue = space
                continue
        joined.append((start, end))
        glue = False
    return joined


def _beside_wide(text: str, start: int, end: int) -> bool:
    return (start > 0 and get_character_cell_size(text[start - 1]) == 2) or (
        end < len(text) and get_character_cell_size(text[end]) == 2
    )


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of ``text`` (one paragraph, no newline) start, after the first, so
    that each fits ``width`` cells once the spaces at its end are dropped."""
    width = max(1, width)
    offsets: list[int] = []
    used = 0

    def place(start: int, end: int, glued: bool) -> None:
        nonlocal used
        piece = text[start:end]
        size = cell_len(piece)
        if piece.isspace():
            used += size  # may run past the width: dropped at the line's end
            return
        if size > width and glued and any(c.isspace() for c in piece):
            # Held together by its spaces ("场 1,000.5 人") and wider than a line: its
            # spaces are places to break after all.
            for sub_start, sub_end in _spaced(text, start, end):
                place(sub_start, sub_end, glued=False)
            return
        if used and used + size > width:
            offsets.append(start)
            used = 0
        if size <= width:
            used += size
            return
        for index, char in enumerate(piece):  # wider than a line: cut where it must
            char_size = get_character_cell_size(char)
            if used and used + char_size > width:
                offsets.append(start + index)
                used = 0
            used += char_size

    for start, end in _units(text):
        place(start, end, glued=True)
    return offsets


def _spaced(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of spaces and of other characters of ``text[start:end]``."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = i + 1
        while j < end and text[j].isspace() == text[i].isspace():
            j += 1
        runs.append((i, j))
        i = j
    return runs


def wrap_content(content: Content, width: int, keep_spaces: bool = False) -> Content:
    """``content`` with its lines broken as the module says, styles kept; the spaces a
    line ends with are dropped, unless ``keep_spaces`` (then taking the line breaks out
    gives the text back)."""
    lines: list[Content] = []
    for paragraph in content.split("\n"):
        *broken, last = paragraph.divide(break_offsets(paragraph.plain, width))
        lines += broken if keep_spaces else [piece.rstrip() for piece in broken]
        # The paragraph's own last spaces stay where they fit (a flag's reversed
        # padding); past the width Textual would break the line again.
        lines.append(last.rstrip() if last.cell_length > width else last)
    return Content("\n").join(lines)


def wrap_text(text: str, width: int, keep_spaces: bool = False) -> str:
    """Plain ``text`` with its lines broken as the module says (a notification's)."""
    return wrap_content(Content(text), width, keep_spaces).plain


def prose(content: Content | Text | str) -> Prose:
    """Text, Content or a plain string (never markup) as :class:`Prose`."""
    if isinstance(content, Text):
        return Prose(Content.from_rich_text(content))
    return Prose(content)


class Prose(Visual):
    """Content shown with its lines broken as the module says, at whatever width the
    widget has (a Static's ``update(Prose(...))``)."""

    def __init__(self, content: Content | str) -> None:
        self.content = content if isinstance(content, Content) else Content(content)
        self._wrapped: dict[int, Content] = {}

    def at(self, width: int) -> Content:
        wrapped = self._wrapped.get(width)
        if wrapped is None:
            wrapped = self._wrapped[width] = wrap_content(self.content, width)
        return wrapped

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.at(width).get_height(rules, width)

    def __str__(self) -> str:
        return self.content.plain

    def lines(self, width: int) -> Iterator[str]:
        """The lines as shown at ``width`` (tests)."""
        yield from self.at(width).plain.split("\n")
