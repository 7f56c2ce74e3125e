"""A DataTable that loads its rows a page at a time, as the cursor nears the end.

The stock DataTable measures every cell it is given (100k rows block the app
for ~20 s), so lists over registers never receive a whole table: each page is
fetched by a keyset query in a thread worker and appended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.message import Message
from textual.widgets import DataTable

from clinic.core.database import Store
from clinic.ui.text import cell
from clinic.ui.threads import deliver
from clinic.ui.widgets.columns import fit_columns

Fetch = Callable[[Store, Any, int], list[dict]]


def _as_text(value: Any) -> Any:
    """A register's cells are data (names, villages) as typed, never markup."""
    return cell(value) if isinstance(value, str) else value


class PagedTable(DataTable):
    PAGE = 100
    NEAR_END = 15

    def __init__(
        self,
        columns: Sequence[str],
        cells: Callable[[dict], tuple],
        keyset: Callable[[dict], Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._column_labels = list(columns)
        self._cells = cells
        self._keyset = keyset
        self._fetch: Fetch | None = None
        self._rows: dict[str, dict] = {}
        self._after: Any = None
        self._done = True
        self._loading = False
        self._generation = 0

    def on_mount(self) -> None:
        self.add_columns(*self._column_labels)

    # -- public -----------------------------------------------------------
    def show_query(self, fetch: Fetch | None) -> None:
        """Replace the contents with what ``fetch`` returns, page by page."""
        self._generation += 1
        self.clear()
        self._rows.clear()
        self._fetch = fetch
        self._after = None
        self._done = fetch is None
        self._loading = False
        self._load_more()

    def show_rows(self, rows: list[dict]) -> None:
        """Show a fixed, short list (search results)."""
        self._generation += 1
        self.clear()
        self._rows.clear()
        self._fetch = None
        self._done = True
        self._append(rows)

    def row_data(self, key: str | None) -> dict | None:
        return self._rows.get(key) if key is not None else None

    @property
    def current(self) -> dict | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.row_data(key)

    # -- paging -----------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - self.NEAR_END:
            self._load_more()

    def _load_more(self) -> None:
        if self._done or self._loading or self._fetch is None:
            return
        self._loading = True
        generation, fetch, after = self._generation, self._fetch, self._after

        def work() -> None:
            with self.app.open_store() as store:
                rows = fetch(store, after, self.PAGE)
            deliver(self, self._receive, generation, rows)

        self.run_worker(work, thread=True, group=f"page-{id(self)}", exit_on_error=False)

    def _receive(self, generation: int, rows: list[dict]) -> None:
        if generation != self._generation:
            return  # the list was replaced while this page was loading
        self._loading = False
        if len(rows) < self.PAGE:
            self._done = True
        if rows:
            self._after = self._keyset(rows[-1])
        self._append(rows)
        self.post_message(PagedTable.PageLoaded(self, len(rows)))

    def _append(self, rows: list[dict]) -> None:
        fresh = [row for row in rows if str(row["id"]) not in self._rows]
        cells = [tuple(map(_as_text, self._cells(row))) for row in fresh]
        fit_columns(self, cells, grow_only=bool(self._rows))
        for row, row_cells in zip(fresh, cells, strict=True):
            key = str(row["id"])
            self._rows[key] = row
            self.add_row(*row_cells, key=key)

    class PageLoaded(Message):
        def __init__(self, table: PagedTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count
