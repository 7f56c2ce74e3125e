"""The desk's right half: the day's queue, its states, and the screens opened from it.

A base of ``DeskScreen`` (clinic.ui.desk.screen), like ``DeskSearch``. The queue
is refreshed from the database every few seconds (a thread worker compares a
stamp first), so that a second desk on the same file sees the changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from rich.cells import cell_len
from textual import on, work
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from clinic.core import desk
from clinic.i18n import N_, _, current_language
from clinic.ui.base import ClinicScreen
from clinic.ui.desk.closed import tell_closed
from clinic.ui.errors import ask_or_show
from clinic.ui.labels import sex_short
from clinic.ui.text import cell, fill
from clinic.ui.threads import deliver, still_shown
from clinic.ui.widgets.columns import fit_columns

# Names the desks' kept visit forms are installed under (App.install_screen), one each.
_FORM_NUMBERS = itertools.count(1)

STATE_LABELS = {"waiting": N_("waiting"), "with_doctor": N_("with doctor"), "done": N_("done")}


# Short English names of the long specialty names, for the queue column (the
# Chinese names are short already).
QUEUE_SHORT_EN = {
    "gp": "GP",
    "internal": "Internal",
    "tcm": "TCM",
    "endocrinology": "Endocrine",
    "ophthalmology": "Eyes",
    "paediatrics": "Children",
    "gynaecology": "Gynaecol.",
    "orthopaedics": "Orthopaed.",
    "dermatology": "Skin",
    "rehabilitation": "Rehab.",
    "lab": "Lab/ECG",
}


def queue_label(code: str | None, name: str) -> str:
    if code and current_language() != "zh" and code in QUEUE_SHORT_EN:
        return QUEUE_SHORT_EN[code]
    return name if cell_len(name) <= 10 else name[:9] + "…"


# The queue's Flags column, in a word each (‼ urgent, ! raised); the visit form says them in full.
QUEUE_FLAG = {
    "bp_raised": N_("BP"),
    "bp_urgent": N_("BP"),
    "glucose_high": N_("Glu"),
    "glucose_diabetes": N_("Glu"),
    "glucose_low": N_("Glu low"),
}


def queue_flags(flags: list) -> str:
    shown: dict[str, str] = {}  # word → its mark, the most serious first
    for f in sorted(flags, key=lambda f: f.level != "urgent"):
        word = _(QUEUE_FLAG[f.code]) if f.code in QUEUE_FLAG else f.code
        shown.setdefault(word, "‼" if f.level == "urgent" else "!")
    return " ".join(mark + word for word, mark in shown.items())


def state_label(state: str) -> str:
    return _(STATE_LABELS.get(state, state))


class DeskQueue(ClinicScreen):
    """The queue panel of the desk (see the module)."""

    def poll_queue(self) -> None:
        if self.day is not None:
            self._poll(self.day["id"])

    @work(thread=True, exclusive=True, group="queue")
    def _poll(self, day_id: int) -> None:
        with self.app.open_store() as store:
            # The clock's minute is part of it: minutes waited move on even when nothing is written.
            stamp = (desk.queue_stamp(store, day_id), self.app.now().strftime("%H:%M"))
        if stamp != self._stamp:
            deliver(self, self.refresh_queue)

    def refresh_queue(self, select: int | None = None) -> None:
        if self.day is None:
            return
        store = self.app.store
        self._stamp = (desk.queue_stamp(store, self.day["id"]), self.app.now().strftime("%H:%M"))
        rows = desk.queue_rows(store, self.day, self.app.now(), self.queue_filter)
        table = self.query_one("#queue", DataTable)
        keep = select
        if keep is None and table.row_count and table.cursor_row >= 0:
            try:
                keep = int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)
            except Exception:  # noqa: BLE001 - the row went away
                keep = None
        table.clear()
        names = dict(self.specialties)
        target = 0
        cells = []
        namesakes = Counter(row["name"] for row in rows)
        for index, row in enumerate(rows):
            flags = queue_flags(row["flag_list"])
            waited = "" if row["waited"] is None else _("{n} min").format(n=row["waited"])
            style = {"waiting": "", "with_doctor": "bold", "done": "dim"}[row["state"]]
            state = state_label(row["state"])
            queue = queue_label(row["queue"], names.get(row["queue"], row["queue"] or ""))
            cells.append(
                (
                    cell(self.who(row) if namesakes[row["name"]] > 1 else row["name"], style),
                    state,
                    waited,
                    cell(queue),
                    cell(row["seen_by_name"] or ""),
                    cell(flags, "red"),
                )
            )
            if row["visit_id"] == keep:
                target = index
        fit_columns(table, cells)
        for row, cell_row in zip(rows, cells, strict=True):
            table.add_row(*cell_row, key=str(row["visit_id"]))
        if rows:
            table.move_cursor(row=target)
        counts = desk.queue_counts(rows)
        title = _("Queue: {waiting} waiting, {with_doctor} with a doctor, {done} done").format(
            **counts
        )
        if self.queue_filter:
            shown = _("only {queue}").format(queue=names.get(self.queue_filter, self.queue_filter))
            heading = fill("[reverse] $shown [/reverse] $title", shown=shown, title=title)
        else:
            heading = Content(f"[{_('all queues')}] {title}")
        self.query_one("#queue-title", Static).update(heading)
        self.refresh_bar()

    def who(self, row: dict) -> str:
        """A name the queue holds twice, told apart: "张伟（男、45岁、石坪村）"."""
        on = dt.date.fromisoformat(self.day["date"])
        age = desk.age_on(row["birth_date"], on)
        parts = [sex_short(row["sex"]), "" if age is None else _("{age} y").format(age=age)]
        parts.append(row["village"] or "")
        return _("{name} ({details})").format(
            name=row["name"],
            details=("、" if current_language() == "zh" else ", ").join(p for p in parts if p),
        )

    def _selected_visit(self) -> int | None:
        table = self.query_one("#queue", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        return int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    def filter_codes(self) -> list[str | None]:
        """All, then the specialties this day needs or uses (every one if it names none)."""
        used = desk.queue_codes(self.app.store, self.day["id"]) if self.day else set()
        used |= {self.queue_filter} if self.queue_filter else set()
        codes = [c for c, _label in self.specialties if c in used] or [
            c for c, _label in self.specialties
        ]
        return [None, *codes]

    def action_filter(self) -> None:
        codes = self.filter_codes()
        if self.queue_filter not in codes:
            self.queue_filter = None
        self.queue_filter = codes[(codes.index(self.queue_filter) + 1) % len(codes)]
        self.refresh_queue()

    def action_queue_specialty(self) -> None:
        """The next of the day's queues (those Ctrl+F filters by), not all fifteen specialties."""
        visit_id = self._selected_visit()
        if visit_id is None:
            return
        visit = desk.visit(self.app.store, visit_id)
        codes = self.filter_codes()
        current = visit["queue"] if visit["queue"] in codes else None
        queue = codes[(codes.index(current) + 1) % len(codes)]
        self.app.write(
            lambda store: desk.set_queue(store, visit_id, queue),
            done=lambda _r: still_shown(self) and self.refresh_queue(select=visit_id),
        )

    def action_next_state(self) -> None:
        visit_id = self._selected_visit()
        if visit_id is not None and self.day is not None:
            self.advance(visit_id)

    def advance(self, visit_id: int, reopen: bool = False) -> None:
        """Ctrl+T: the visit's next state, on the app's writer; a finished visit goes back
        to waiting only once the user says so."""
        day, volunteer_id, now, user = self.day, self.volunteer_id, self.app.now(), self.app.user

        def advanced(result: desk.Advanced) -> None:
            if not still_shown(self):
                return
            self.refresh_queue(select=visit_id)
            if result.closed is not None:  # closed as Ctrl+D on its form closes it
                tell_closed(self, result.closed, lambda: None)

        self.app.write(
            lambda store: desk.advance_state(
                store, day, visit_id, volunteer_id, now, by=user, reopen=reopen
            ),
            done=advanced,
            # A finished visit: back to waiting? (asked; yes repeats it with reopen)
            failed=ask_or_show(
                self,
                _("Back to waiting"),
                _("Leave it done"),
                lambda: still_shown(self) and self.advance(visit_id, reopen=True),
            ),
        )

    @on(DataTable.RowSelected, "#queue")
    async def queue_entered(self) -> None:
        await self.action_open_visit()

    def visit_meant(self) -> int | None:
        """The visit Ctrl+O means, as a volunteer reads the screen: the queue's highlighted
        row when the queue has the focus or the search box is empty; otherwise the person
        highlighted in the search results (their visit today). A search that found
        nobody opens nobody (it opened whoever the queue highlighted)."""
        queue = self.query_one("#queue", DataTable)
        text = self.query_one("#search", Input).value.strip()
        if self.focused is queue or not text:
            visit_id = self._selected_visit()
            if visit_id is None:
                self.notify(_("The queue is empty."), severity="warning")
            return visit_id
        table = self.query_one("#results", DataTable)
        if self.hits_for != text:
            self.notify(_("Still searching for {query}…").format(query=text), severity="warning")
            return None
        if not self.hits or not 0 <= table.cursor_row < len(self.hits):
            self.notify(
                _("Nobody found for {query}: no visit opened. Esc clears the search.").format(
                    query=text
                ),
                severity="warning",
            )
            return None
        hit = self.hits[table.cursor_row]
        row = desk.visit_for(self.app.store, self.day["id"], hit.id)
        if row is None:
            self.notify(
                _("{name} is not checked in today: Enter checks them in.").format(name=hit.name),
                severity="warning",
            )
            return None
        return row["id"]

    async def action_open_visit(self) -> None:
        if self.day is None:
            return
        if not self.volunteer_ids:
            self.action_who()
            return
        if self.check_ins_pending:
            # Ctrl+O right after Enter: the person being checked in. The keys typed
            # meanwhile wait in order (a priority binding runs in the app's queue).
            await self.app.flush_writes()
            visit_id = self.last_checked_in
        else:
            visit_id = self.visit_meant()
        if visit_id is None:
            return

        def back(_result) -> None:
            self.refresh_queue(select=visit_id)

        self.app.push_screen(self.visit_form(visit_id), back)

    # The visit form this desk reuses: built at its first Ctrl+O, kept (installed, so
    # Textual does not remove it when it closes) and filled anew for each visit.
    _visit_form = None

    def visit_form(self, visit_id: int):
        """The form for ``visit_id``: the desk's own, emptied and filled for this visit,
        unless it is still busy with the last one (a clash to answer, a draft not yet
        written, Ctrl+D under way); then that one is left to finish as a form closed
        for good would, and a new one is made."""
        from clinic.ui.desk.visit import VisitScreen

        form = self._visit_form
        # A form stopped by an error (the app closed it: ClinicApp._close_stopped) is
        # not used again: Textual has removed its widgets.
        if form is not None and form.is_running and form.idle and not form.shown:
            form.reopen(visit_id, self.volunteer_id)
            return form
        self.retire_visit_form()
        form = VisitScreen(visit_id, self.volunteer_id)
        self.app.install_screen(form, f"visit-form-{next(_FORM_NUMBERS)}")
        self._visit_form = form
        return form

    def retire_visit_form(self) -> None:
        """The kept form goes (the desk closes, or the form is still busy): removed
        once it is off the screen, as Textual removes a screen not installed."""
        form, self._visit_form = self._visit_form, None
        if form is None or form in self.app.screen_stack:
            return  # the app is closing with the form open (it cannot be uninstalled then)
        self.app.uninstall_screen(form)
        form.remove()

    def on_unmount(self) -> None:
        self.retire_visit_form()

    # -- stock and summary ------------------------------------------------------------
    def action_stock(self) -> None:
        from clinic.ui.desk.stock import StockDialog

        if self.day is not None:
            self.app.push_screen(StockDialog(self.day["id"]))

    def action_summary(self) -> None:
        from clinic.ui.desk.summary import SummaryScreen

        if self.day is not None:
            self.app.push_screen(SummaryScreen(self.day["id"]))
