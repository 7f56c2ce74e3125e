"""The rejected-rows file of an import with ``--skip-bad``: ``FILE.rejected.csv``.

It holds the same personal data as an export, so it is written like one:
through :func:`clinic.core.tabular.write_table` (a temporary file in the same
folder renamed into place, readable by its owner only, cells that would run
as formulas neutralised), with ID numbers and phones masked unless the
coordinator asks for them (``unmasked``), and recorded in the audit log like
an export, through the one export pipeline (:func:`clinic.core.exports.deliver`):
who, when, which file, how many rows; never the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from clinic.core.errors import Problem
from clinic.core.exports import deliver
from clinic.core.tabular import write_table
from clinic.i18n import _
from clinic.store import Store


@dataclass(slots=True)
class Rejected:
    """A row the import did not take: its file line, its cells as in the file, why."""

    line: int
    cells: list[str]
    problems: list[Problem]


def rejected_path(source: Path) -> Path:
    return source.with_name(source.stem + ".rejected.csv")


def write_rejected(
    store: Store,
    source: Path,
    headers: list[str],
    rejected: list[Rejected],
    *,
    masks: Mapping[int, Callable[[str], str]],
    unmasked: bool = False,
    actor: str = "",
    kind: str = "register",
) -> Path:
    """Write ``rejected`` (in file order) beside ``source``; ``masks`` maps a
    column index to the function that masks its cells. Returns the file."""
    out = rejected_path(source)
    width = len(headers)

    def rows() -> Iterator[list]:
        for row in sorted(rejected, key=lambda r: r.line):
            cells = list(row.cells) + [""] * (width - len(row.cells))
            if not unmasked:
                for index, mask in masks.items():
                    if cells[index]:
                        cells[index] = mask(cells[index])
            reason = "; ".join(f"{p.column}: {p.message}" for p in row.problems)
            yield [row.line, *cells, reason]

    deliver(
        store,
        out,
        lambda target: write_table(rows(), [_("line"), *headers, _("reason")], target, fmt="csv"),
        actor=actor,
        dataset=f"rejected_{kind}_rows",
        unmasked=unmasked,
        detail={"source": source.name, "format": "csv"},
    )
    return out
