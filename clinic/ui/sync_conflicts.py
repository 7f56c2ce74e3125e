"""The review list of clashes (issue 11, point 5): "Sync conflicts" in the command palette.

The same rows as ``clinic sync conflicts`` (:mod:`clinic.core.sync.review`), loaded
in a worker. Enter shows the two sides of the clash under the table (numbers
masked); ``d`` keeps the district's record, ``l`` the laptop's change, ``m`` merges:
a dialog of the fields both sides changed (:mod:`clinic.ui.merge_dialog`), or, for a
laptop's person whose ID number the district has, the merge into the district's
person. All through the same service as ``clinic sync settle``, on the app's writer. Only a coordinator (``import_registers``,
the right of ``clinic sync settle``) sees it. Values are user data: plain text.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from clinic.core.errors import ClinicError
from clinic.core.sync import review
from clinic.core.sync.conflict_words import ConflictWords, in_words
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.text import cell, plain, sentence
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer

RIGHT = "import_registers"


class SyncConflictsScreen(ClinicScreen):
    """Open clashes in a table; Enter shows both sides; d / l keep one."""

    DEFAULT_CSS = """
    SyncConflictsScreen #conflicts-status { height: auto; padding: 0 1; }
    SyncConflictsScreen #conflicts-table { height: 1fr; }
    SyncConflictsScreen #conflicts-sides { height: auto; max-height: 12; padding: 0 1; }
    """
    BINDINGS = [
        Binding("d", "keep('district')", N_("Keep district")),
        Binding("l", "keep('laptop')", N_("Keep laptop")),
        Binding("m", "merge", N_("Merge")),
        Binding("ctrl+r", "reload", N_("Refresh")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="conflicts-status")
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="conflicts-sides")
        yield Footer()

    def allowed(self) -> bool:
        user = getattr(self.app, "user", None)
        return not hasattr(user, "may") or user.may(RIGHT)

    def on_mount(self) -> None:
        self.title = _("Sync conflicts")
        table = self.query_one("#conflicts-table", DataTable)
        table.add_columns("#", _("Laptop"), _("Bundle"), _("Record"), _("Change"), _("Why"))
        if not self.allowed():
            self._status(_("Only a coordinator may settle sync conflicts."))
            return
        table.focus()
        self.action_reload()

    def _status(self, text: str) -> None:
        self.query_one("#conflicts-status", Static).update(plain(text))

    def action_reload(self) -> None:
        if self.allowed():
            self._status(_("Loading…"))
            self.load()

    @work(thread=True, exclusive=True, group="sync-conflicts")
    def load(self) -> None:
        with self.app.open_store() as store:
            rows = [{**row, "words": in_words(store, row)} for row in review.conflicts(store)]
        deliver(self, self.show, rows)

    def show(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#conflicts-table", DataTable)
        table.clear()
        self.rows = {}
        for row in rows:
            key = str(row["id"])
            self.rows[key] = row
            table.add_row(
                cell(row["id"]),
                cell(row["device"]),
                cell(row["sequence"]),
                cell(row["words"].record),
                cell(row["words"].change),
                cell(row["words"].kind),
                key=key,
            )
        self.query_one("#conflicts-sides", Static).update("")
        if rows:
            self._status(
                _(
                    "{count} conflicts: Enter shows both sides; d keeps the district's, l the laptop's, m merges them."
                ).format(count=len(rows))
            )
        else:
            self._status(_("No conflicts to review."))

    def _current(self) -> dict[str, Any] | None:
        table = self.query_one("#conflicts-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self._current()
        if row is None:
            return
        words: ConflictWords = row["words"]
        text = sentence(  # a line each; the values (user data) escaped, never markup
            _("Record {key}\nLaptop, before: {old}\nLaptop, after: {new}\nDistrict now: {current}"),
            key=f"{words.record} {words.key}",
            old=words.old,
            new=words.new,
            current=words.current,
        )
        self.query_one("#conflicts-sides", Static).update(text)

    def action_keep(self, side: str) -> None:
        row = self._current()
        if row is None or not self.allowed():
            return
        conflict_id, actor = int(row["id"]), self.app.actor
        self.app.write(
            lambda store: review.settle(store, conflict_id, side, actor=actor),
            done=lambda _item: self._settled(conflict_id, side),
            failed=self._failed,
        )

    def action_merge(self) -> None:
        """A person registered twice: merged into the district's person at once (undone on
        the duplicates screen); a record both changed: the dialog of its fields first."""
        row = self._current()
        if row is None or not self.allowed():
            return
        kind = review.merge_kind(row)
        if kind is None:
            self._status(review.no_merge_sentence(row))
        elif kind == "person":
            self._settle_merged(int(row["id"]), None)
        else:
            self.load_fields(row)

    @work(thread=True, exclusive=True, group="sync-merge-fields")
    def load_fields(self, row: dict[str, Any]) -> None:
        with self.app.open_store() as store:
            fields = review.merge_fields(store, row)
        deliver(self, self._ask_fields, int(row["id"]), fields)

    def _ask_fields(self, conflict_id: int, fields: list[dict[str, Any]]) -> None:
        from clinic.ui.merge_dialog import FieldMergeDialog

        def chosen(choices: dict[str, Any] | None) -> None:
            if choices is not None:
                self._settle_merged(conflict_id, choices)

        self.app.push_screen(FieldMergeDialog(conflict_id, fields), chosen)

    def _settle_merged(self, conflict_id: int, fields: dict[str, Any] | None) -> None:
        actor = self.app.actor
        self.app.write(
            lambda store: review.settle(store, conflict_id, "merged", actor=actor, fields=fields),
            done=lambda item: self._merged(conflict_id, item),
            failed=self._failed,
        )

    def _merged(self, conflict_id: int, item: dict[str, Any]) -> None:
        done = item.get("merge")
        if done is not None:
            self.notify(
                _(
                    "Conflict {id} settled: the laptop's person is merged into the district's person #{kept} (merge {merge}; undo on Duplicate persons)."
                ).format(id=conflict_id, kept=done.kept_id, merge=done.merge_id)
            )
        else:
            self.notify(_("Conflict {id} settled: merged field by field.").format(id=conflict_id))
        self.action_reload()

    def _settled(self, conflict_id: int, side: str) -> None:
        if side == "laptop":
            self.notify(
                _("Conflict {id} settled: the laptop's change is kept.").format(id=conflict_id)
            )
        else:
            self.notify(
                _("Conflict {id} settled: the district's record is kept.").format(id=conflict_id)
            )
        self.action_reload()

    def _failed(self, error: ClinicError) -> None:
        show_error(self, error, box="#conflicts-status")  # left meanwhile: said in a notification
