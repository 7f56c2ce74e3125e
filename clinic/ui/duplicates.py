"""Duplicate persons (issue 11, point 5): "Duplicate persons" in the command palette.

Above, the pairs the desk's walk-in rule calls likely the same person
(:func:`clinic.core.merges.pair_items`, numbers masked); ``m`` merges the
highlighted pair (the second into the first), after a yes. Below, the merges made; ``u`` undoes
the highlighted one. Lists load in a worker; merges and undos run on the app's
writer, like every write. Coordinators only (the right of ``clinic persons``).
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from clinic.core import merges
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.text import cell, plain, sentence
from clinic.ui.threads import deliver
from clinic.ui.widgets.confirm import ConfirmDialog
from clinic.ui.widgets.footer import Footer

RIGHT = "merge_persons"


def _short(person: dict[str, Any]) -> str:
    """#id, name, birth year and village: the list's cell (the rest below it)."""
    year = (person["birth_date"] or "")[:4]
    return " ".join(p for p in (f"#{person['id']}", person["name"], year, person["village"]) if p)


class DuplicatesScreen(ClinicScreen):
    """Likely pairs (m merges) and merges made (u undoes)."""

    DEFAULT_CSS = """
    DuplicatesScreen .dupes-title { height: auto; padding: 0 1; text-style: bold; }
    DuplicatesScreen #dupes-status { height: auto; padding: 0 1; }
    DuplicatesScreen #dupes-pairs { height: 2fr; }
    DuplicatesScreen #dupes-detail { height: auto; padding: 0 1; color: $text-muted; }
    DuplicatesScreen #dupes-merges { height: 1fr; }
    """
    BINDINGS = [
        Binding("m", "merge", N_("Merge")),
        Binding("n", "distinct", N_("Not the same")),
        Binding("u", "undo", N_("Undo merge")),
        Binding("ctrl+r", "reload", N_("Refresh")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pairs: dict[str, dict[str, Any]] = {}
        self.merges: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="dupes-status")
        yield Static(_("Likely the same person"), classes="dupes-title")
        yield DataTable(id="dupes-pairs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="dupes-detail")
        yield Static(_("Merges made"), classes="dupes-title")
        yield DataTable(id="dupes-merges", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def allowed(self) -> bool:
        user = getattr(self.app, "user", None)
        return not hasattr(user, "may") or user.may(RIGHT)

    def on_mount(self) -> None:
        self.title = _("Duplicate persons")
        self.query_one("#dupes-pairs", DataTable).add_columns(
            _("Keep"), _("Merge into it"), _("Why")
        )
        self.query_one("#dupes-merges", DataTable).add_columns(
            "#", _("Kept"), _("Merged"), _("Rows moved"), _("Merged by"), _("When")
        )
        if not self.allowed():
            self._status(_("Only a coordinator may merge duplicate persons."))
            return
        self.query_one("#dupes-pairs", DataTable).focus()
        self.action_reload()

    def _status(self, text: str) -> None:
        self.query_one("#dupes-status", Static).update(plain(text))

    def action_reload(self) -> None:
        if self.allowed():
            self._status(_("Loading…"))
            self.load()

    @work(thread=True, exclusive=True, group="duplicates")
    def load(self) -> None:
        try:
            with self.app.open_store() as store:
                pairs = merges.pair_items(store)
                made = merges.merges(store)
        except ClinicError as exc:  # a busy or damaged database: said where "Loading…" was
            deliver(self, self._status, exc.message)
            return
        deliver(self, self.show, pairs, made)

    def show(self, pairs: list[dict[str, Any]], made: list[dict[str, Any]]) -> None:
        table = self.query_one("#dupes-pairs", DataTable)
        table.clear()
        self.pairs = {}
        for pair in pairs:
            key = f"{pair['keep']['id']}-{pair['other']['id']}"
            self.pairs[key] = pair
            table.add_row(
                cell(_short(pair["keep"])),
                cell(_short(pair["other"])),
                cell(merges.reason_label(pair["reason"])),
                key=key,
            )
        if not pairs:
            self.query_one("#dupes-detail", Static).update("")
        done = self.query_one("#dupes-merges", DataTable)
        done.clear()
        self.merges = {}
        for row in made:
            key = str(row["id"])
            self.merges[key] = row
            done.add_row(
                cell(row["id"]),
                cell(f"#{row['kept_id']} {row['kept_name']}"),
                cell(f"#{row['merged_id']} {row['merged_name']}"),
                cell(row["moved"]),
                cell(row["merged_by"]),
                cell(row["merged_at"]),
                key=key,
            )
        self._status(
            _(
                "{pairs} likely pairs: m merges the highlighted pair (the second into the first), n marks them two persons; {merges} merges: u undoes the highlighted one; Tab moves between the lists."
            ).format(pairs=len(pairs), merges=len(made))
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted pair in full below the list (numbers masked)."""
        if event.data_table.id != "dupes-pairs":
            return
        pair = self.pairs.get(str(event.row_key.value))
        text = ""
        if pair is not None:
            text = "\n".join(
                (
                    _("Keep {keep}").format(keep=merges.person_text(pair["keep"])),
                    _("merge {other} ({reason})").format(
                        other=merges.person_text(pair["other"]),
                        reason=merges.reason_label(pair["reason"]),
                    ),
                )
            )
        self.query_one("#dupes-detail", Static).update(sentence(text))

    def _highlighted(self, table_id: str, rows: dict[str, dict[str, Any]]) -> dict | None:
        table = self.query_one(table_id, DataTable)
        if not rows or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return rows.get(str(key))

    def action_merge(self) -> None:
        """Asks first (y / n): a merge moves a person's visits, and one key press on the
        wrong row should not; ``u`` undoes it all the same."""
        pair = self._highlighted("#dupes-pairs", self.pairs)
        if pair is None or not self.allowed():
            return
        question = _(
            "Merge\n  {other}\ninto\n  {keep}?\nTheir visits, health prescriptions and consents move to the second; u undoes it."
        ).format(other=merges.person_text(pair["other"]), keep=merges.person_text(pair["keep"]))

        def answer(yes: bool | None) -> None:
            if yes:
                self._merge(pair)

        self.app.push_screen(ConfirmDialog(question, _("Merge"), _("Keep both")), answer)

    def _merge(self, pair: dict[str, Any]) -> None:
        kept, other, actor = pair["keep"]["id"], pair["other"]["id"], self.app.actor
        reason = "id_number" if pair["reason"] == "id_number" else "likely"
        self.app.write(
            lambda store: merges.merge(store, kept, other, actor=actor, reason=reason),
            done=self._merged,
            failed=self._failed,
        )

    def action_distinct(self) -> None:
        """The highlighted pair are two persons: not listed again (audited)."""
        pair = self._highlighted("#dupes-pairs", self.pairs)
        if pair is None or not self.allowed():
            return
        first, second, actor = pair["keep"]["id"], pair["other"]["id"], self.app.actor
        self.app.write(
            lambda store: merges.mark_distinct(store, first, second, actor=actor),
            done=lambda _added: self._marked(first, second),
            failed=self._failed,
        )

    def _marked(self, first: int, second: int) -> None:
        self.notify(
            _("#{a} and #{b} are two different persons: no longer listed as duplicates.").format(
                a=first, b=second
            )
        )
        self.action_reload()

    def _merged(self, done: merges.Merged) -> None:
        self.notify(
            _("Merge {merge}: #{merged} merged into #{kept}; u undoes it.").format(
                merge=done.merge_id, merged=done.merged_id, kept=done.kept_id
            )
        )
        self.action_reload()

    def action_undo(self) -> None:
        row = self._highlighted("#dupes-merges", self.merges)
        if row is None or not self.allowed():
            return
        merge_id, actor = int(row["id"]), self.app.actor
        self.app.write(
            lambda store: merges.unmerge(store, merge_id, actor=actor),
            done=self._undone,
            failed=self._failed,
        )

    def _undone(self, row: dict[str, Any]) -> None:
        self.notify(
            _("Merge {merge} undone: #{merged} is on the register again.").format(
                merge=row["id"], merged=row["merged_id"]
            )
        )
        self.action_reload()

    def _failed(self, error: ClinicError) -> None:
        show_error(self, error, box="#dupes-status")  # left meanwhile: said in a notification
