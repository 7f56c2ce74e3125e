"""Health prescriptions at a visit: pick templates, tick items, hand out, save sheets.

Templates suggested by the conditions assessed and the flags are listed
first and already picked, with their default items ticked: for the common
case the volunteer only presses Enter. Space toggles, Tab goes between the
templates and the items of the highlighted template.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from clinic.core import desk
from clinic.core import vitals as V
from clinic.core.desk import handouts, printing, sheets
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.text import lines, plain, sentence
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer
from clinic.ui.widgets.selection import SelectionList

HEAD_WIDTH = 14  # cells for the section names beside the items


def _wrap(title: str, width: int, lines: int) -> list[str]:
    """A section name over at most ``lines`` lines of ``width`` cells (words kept whole
    where they fit; Chinese breaks anywhere); the last line is cut with … if need be."""
    out, line = [], ""
    for word in re.findall(r"[A-Za-z0-9'’-]+\s*|\S\s*|\s+", title):
        if line and cell_len((line + word).rstrip()) > width:
            out.append(line.rstrip())
            line = ""
        line += word.lstrip() if not line else word
    if line.strip():
        out.append(line.rstrip())
    if len(out) > lines:
        out = out[: lines - 1] + [" ".join(out[lines - 1 :])]
    return [w if cell_len(w) <= width else set_cell_size(w, width - 1) + "…" for w in out]


class HandoutDialog(ClinicModal):
    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("enter", "hand_out", N_("Hand out"), priority=True),
        Binding("p", "print", N_("Hand out and print")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(
        self, ctx: dict, conditions: list[str], flags: list[V.Flag], volunteer_id: int | None
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.volunteer_id = volunteer_id
        self.all = handouts.templates(self.app.store)
        self.suggested = handouts.suggest(self.all, conditions, flags, ctx["conditions_on_record"])
        self.ticks: dict[str, set[str]] = {t.code: set(t.default_ticks()) for t in self.all}
        # Read again: the visit form's context predates what was handed out since it opened
        # (a second Ctrl+R picked the same prescription again).
        self.given = desk.visit_handouts(self.app.store, ctx["visit"]["id"])
        already = {h["code"] for h in self.given}
        # Picked from the start: what today's conditions and readings point at
        # (the person's chronic conditions on record are only suggested).
        self.picked = {c for c in handouts.suggest(self.all, conditions, flags) if c not in already}
        order = {c: i for i, c in enumerate(self.suggested)}
        self.all.sort(key=lambda t: order.get(t.code, 100))
        self.current = self.all[0].code if self.all else None
        self._items_of: str | None = None  # the template whose items are shown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(
                sentence(_("Health prescriptions for {name}"), name=self.ctx["person"]["name"]),
                classes="title",
            )
            with Horizontal(id="handout-lists"):
                options = []
                left = {
                    line.code: line.left
                    for line in handouts.stock(self.app.store, self.ctx["day"]["id"])
                }
                # The condition's short name, ★ first: a long title cut at the edge hid the ★.
                names = dict(desk.conditions_catalogue(self.app.store))
                for t in self.all:
                    label = ("★ " if t.code in self.suggested else "  ") + (
                        names.get(t.condition or "") or t.title
                    )
                    if left.get(t.code) is not None:
                        label += " " + _("({n} left)").format(n=max(left[t.code], 0))
                    options.append((plain(label), t.code, t.code in self.picked))
                yield SelectionList[str](*options, id="templates")
                yield SelectionList[str](id="items")
            yield Static("", id="stock-warning", classes="error")
            yield Static(
                _(
                    "★ suggested · Space: pick/tick · Tab: items · Enter: hand out and save the sheet"
                ),
                classes="muted",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.show_items()
        self.query_one("#templates").focus()
        self.show_stock()

    def show_stock(self) -> None:
        warnings = handouts.low_stock_warnings(
            self.app.store, self.ctx["day"]["id"], list(self.picked) or None
        )
        self.query_one("#stock-warning", Static).update(lines(*warnings))

    def template(self, code: str) -> handouts.Template:
        return next(t for t in self.all if t.code == code)

    def show_items(self) -> None:
        box = self.query_one("#items", SelectionList)
        box.clear_options()
        self._items_of = self.current
        if self.current is None:
            return
        tpl = self.template(self.current)
        # The section's whole name beside its first items, wrapped over them when long
        # (a name cut to "Treatm ·" read badly; a 28-cell column left the advice no room).
        width = min(max((cell_len(s.title) for s in tpl.sections), default=0), HEAD_WIDTH)
        options = []
        for section in tpl.sections:
            heads = _wrap(section.title, width, len(section.items))
            for index, item in enumerate(section.items):
                head = heads[index] if index < len(heads) else ""
                prefix = head + " " * max(width - cell_len(head), 0)
                options.append(
                    (
                        plain(f"{prefix} │ {item.text}"),
                        item.code,
                        item.code in self.ticks[tpl.code],
                    )
                )
        box.add_options(options)  # at once: each add_option laid the list out again

    @on(SelectionList.SelectionHighlighted, "#templates")
    def highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        self.current = event.selection.value
        if self.current != self._items_of:  # the first template's: shown on mount already
            self.show_items()

    @on(SelectionList.SelectedChanged, "#templates")
    def picked_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.picked = set(event.selection_list.selected)
        self.show_stock()

    @on(SelectionList.SelectedChanged, "#items")
    def ticks_changed(self, event: SelectionList.SelectedChanged) -> None:
        if self.current is not None:
            self.ticks[self.current] = set(event.selection_list.selected)

    def action_hand_out(self) -> None:
        self.hand_out(then_print=False)

    def action_print(self) -> None:
        """p: hand out what is picked (as Enter does), then print the sheet. With nothing
        picked and sheets already given at this visit, print that sheet again."""
        app = self.app
        if self.picked or not self.given:
            self.hand_out(then_print=True)
            return
        paths = self.save_sheet()
        if isinstance(paths, str):
            app.notify(
                _("The sheet could not be saved: {reason}").format(reason=paths),
                severity="warning",
            )
        else:
            print_sheet(app, *paths)
        self.dismiss(None)

    def save_sheet(self) -> tuple[Path, Path] | str:
        """One sheet per visit with every prescription handed out at it; the reason in
        words when it cannot be written (a full disk, a doctor's template with a mistake)."""
        return sheets.save_visit_sheet(self.app.store, self.app.db_path, self.ctx["visit"]["id"])

    def hand_out(self, then_print: bool) -> None:
        """Written on the app's writer with the sheet and the stock warnings; the dialog
        closes once they are (it stays responsive while another desk holds the lock)."""
        app = self.app
        chosen = [t for t in self.all if t.code in self.picked]
        picks = [
            handouts.Pick(t.id, [c for c in t.item_codes() if c in self.ticks[t.code]])
            for t in chosen
        ]
        day, visit_id, volunteer_id, now, user = (
            self.ctx["day"],
            self.ctx["visit"]["id"],
            self.volunteer_id,
            app.now(),
            app.user,
        )
        codes = [t.code for t in chosen]

        def write(store):
            ids = handouts.hand_out(store, day, visit_id, picks, volunteer_id, now, by=user)
            paths = sheets.save_visit_sheet(store, store.path, visit_id)
            return ids, paths, handouts.low_stock_warnings(store, day["id"], codes)

        app.write(
            write,
            done=lambda result: self.handed_out(then_print, *result),
            failed=lambda exc: show_error(self, exc),
        )

    def handed_out(self, then_print: bool, ids: list[int], paths, warnings: list[str]) -> None:
        app = self.app
        if isinstance(paths, str):
            app.notify(
                _("Handed out {n}; the sheet could not be saved: {reason}").format(
                    n=len(ids), reason=paths
                ),
                severity="warning",
            )
        else:
            shown = paths[0].relative_to(sheets.sheets_folder(app.db_path).parent)
            app.notify(_("Handed out {n}; sheet saved: {path}").format(n=len(ids), path=shown))
            if then_print:
                print_sheet(app, *paths)
        for warning in warnings:
            app.notify(warning, severity="warning")
        if still_shown(self):
            self.dismiss(ids)

    def action_cancel(self) -> None:
        self.dismiss(None)


def print_sheet(app, html_path: Path, text_path: Path) -> None:
    """Print a saved sheet (or open it in the browser) in a worker thread of the app,
    which outlives the dialog; what happened is said in a notification."""
    app.notify(_("Printing the sheet…"))

    def work() -> None:
        try:
            ok, message = printing.print_sheet(html_path, text_path)
        except Exception as exc:  # a printer system's surprise must not end the desk
            ok, message = False, _("The sheet could not be printed: {reason}").format(reason=exc)
        app.call_from_thread(app.notify, message, severity="information" if ok else "warning")

    app.run_worker(work, thread=True, group="print-sheet", exit_on_error=False)
