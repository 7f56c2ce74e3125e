"""Column widths for DataTables that are cleared and filled again.

Textual measures new cells only when idle, after a first render has cached the
rows at the old widths: a refilled table showed "万才" for 万才红, "waiti" for
waiting and "V087-0" for V087-0001. Sizing the auto-width columns from the rows
before they are added avoids it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


def _cell_width(cell: object) -> int:
    if isinstance(cell, Text):
        return cell.cell_len
    if isinstance(cell, str):
        return Text.from_markup(cell).cell_len
    return len(str(cell))


def fit_columns(table: DataTable, rows: list[tuple], grow_only: bool = False) -> None:
    """Size the auto-width columns to ``rows`` (added next); ``grow_only`` when they
    are appended to rows already shown (a further page), never narrowing a column."""
    fitted = table.__dict__.setdefault(
        "_fitted_columns", set()
    )  # columns this sizes (not fixed ones)
    for column, *cells in zip(table.ordered_columns, *rows, strict=True) if rows else ():
        if column.auto_width or column.key in fitted:
            widest = max([column.label.cell_len, *(_cell_width(c) for c in cells)])
            if grow_only and column.key in fitted:
                widest = max(widest, column.width)
            fitted.add(column.key)
            column.auto_width = False
            column.width = widest
