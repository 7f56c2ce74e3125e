"""The clinic desk: the screen volunteers live in on a clinic day.

Left: one search box; results narrow as you type (an exclusive thread worker
per keystroke); Enter checks the highlighted person in. Right: the day's
queue with states and minutes waited, refreshed from the database every few
seconds so that a second desk on the same file sees the changes.

Opening the desk asks for the clinic day (today's first) and who is at the
desk; every record made here carries that volunteer.
"""

from __future__ import annotations

import weakref

from rich.cells import cell_len
from rich.markup import escape
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from clinic.core import desk
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _, current_language, join_list
from clinic.ui.base import ClinicScreen
from clinic.ui.desk_fields import NOT_TYPED, DeskTable, FieldInput, move_focus
from clinic.ui.errors import show_error
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.labels import sex_short
from clinic.ui.widgets.columns import fit_columns

REFRESH_SECONDS = 3.0
RESULTS_LIMIT = 30  # check-in results shown; one more is fetched to know there are more

# The open desk of each app window (clinic day, volunteers): leaving the desk for
# another screen and coming back returns to it; Ctrl+L / Ctrl+Y change it.
_OPEN_DESKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

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


def short_masked(masked: str | None) -> str:
    """The masked ID number in 9 cells ("5102…9089"): the region and the last four digits
    tell namesakes apart; the stars between took room the results did not have."""
    if masked and "*" in masked and len(masked) > 9:
        return masked[:4] + "…" + masked[-4:]
    return masked or ""


def shown_number(hit, query: str) -> str:
    """The number a result row shows: the phone when the digits typed matched the phone
    (✆138…5678), else the masked ID number."""
    kind, masked = desk.matched_number(hit, query)
    if kind == "phone":
        return "✆" + (masked[:3] + "…" + masked[-4:] if "*" in masked else masked)
    return short_masked(masked)


def state_label(state: str) -> str:
    return _(STATE_LABELS.get(state, state))


class DeskScreen(ClinicScreen):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = "desk.tcss"
    # The footer shows the keys of every minute; Ctrl+G, Ctrl+Y and Ctrl+L are in F1 and
    # the palette (Ctrl+P), so that the footer fits 120 columns in Chinese too.
    BINDINGS = [
        Binding("ctrl+n", "walk_in", N_("Walk-in")),
        Binding("ctrl+o", "open_visit", N_("Visit form")),
        Binding("ctrl+t", "next_state", N_("Next state")),
        Binding("ctrl+g", "queue_specialty", N_("Queue"), show=False),
        Binding("ctrl+f", "filter", N_("Filter")),
        Binding("f9", "summary", N_("End of day")),
        Binding("f10", "stock", N_("Stock")),
        Binding("ctrl+y", "who", N_("Who's at desk"), show=False),
        Binding("ctrl+l", "change_day", N_("Change day"), show=False),
        # For F1: the search box's and the lists' own Enter do this.
        Binding(
            "enter",
            "check_in_highlighted",
            N_("Check in (search, results) · open the visit (queue)"),
            show=False,
            key_display="Enter",
        ),
        Binding("slash", "focus_search", N_("Search"), show=False, key_display="/"),
        Binding("escape", "clear", N_("Clear"), show=False, key_display="Esc"),
    ]

    def __init__(self, day_id: int | None = None, volunteer_ids: list[int] | None = None) -> None:
        super().__init__()
        self.day: dict | None = None
        self._initial_day = day_id
        self.volunteer_ids: list[int] = list(volunteer_ids or [])
        self.hits: list = []
        self.hits_for = ""  # the search text the shown results belong to
        # Enter pressed on this search text before its results arrived (typed at
        # scanner or paste speed): the check-in happens when they do.
        self.enter_pending: str | None = None
        self.queue_filter: str | None = None
        self._stamp: tuple | None = None
        self.specialties = []

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="day-bar")
        with Horizontal(id="desk-main"):
            with Vertical(id="checkin"):
                # A FieldInput: its keys (characters, Backspace …) take effect in the
                # order they were typed, before the Enter that follows them.
                yield FieldInput(
                    placeholder=_(
                        "Check in: name, pinyin (zs), last 4+ digits of ID or phone, household no."
                    ),
                    id="search",
                    # Not selected on focus: a character typed on a list moves the focus here
                    # and is inserted at once; selecting it on the later Focus message let the
                    # next character replace it.
                    select_on_focus=False,
                )
                yield Static("", id="search-status", classes="muted")
                table = DeskTable(id="results", cursor_type="row", zebra_stripes=True)
                # No household category here: whether a family is poor is sensitive and
                # not needed to tell namesakes apart (PIPL: minimum necessary).
                # A narrow first column marks who is checked in today (✓), so no other column is pushed out.
                table.add_column("✓", width=1, key="here")
                table.add_columns(
                    _("Name"), _("Sex"), _("Age"), _("Village"), _("Household"), _("ID / phone")
                )
                yield table
            with Vertical(id="queue-box"):
                yield Static(_("Queue"), id="queue-title", classes="title")
                table = DeskTable(id="queue", cursor_type="row", zebra_stripes=True)
                # Flags last: the one column of any length; the others keep their room at 120 columns.
                table.add_columns(
                    _("Name"), _("State"), _("Waited"), _("Queue"), _("Doctor"), _("Flags")
                )
                yield table
        yield Footer()

    def on_mount(self) -> None:
        self.specialties = desk.specialties_catalogue(self.app.store)
        if not self._initial_day and self.app in _OPEN_DESKS:
            self._initial_day, self.volunteer_ids = _OPEN_DESKS[self.app]
            if not desk.find_day(self.app.store, self._initial_day):
                self._initial_day, self.volunteer_ids = None, []
        if self._initial_day:
            self.open_day(self._initial_day, self.volunteer_ids)
        else:
            self.call_after_refresh(self.action_change_day)
        self.set_interval(REFRESH_SECONDS, self.poll_queue)

    # -- the day and the volunteers ------------------------------------------------
    def action_change_day(self) -> None:
        from clinic.ui.desk_pickers import DayPicker

        def picked(day_id: int | None) -> None:
            if day_id is None:
                if self.day is None:
                    self.app.action_open("home")
                return
            self.open_day(day_id, [])

        self.app.push_screen(DayPicker(), picked)

    def open_day(self, day_id: int, volunteer_ids: list[int]) -> None:
        self.day = desk.get_day(self.app.store, day_id)
        self._stamp = None
        if volunteer_ids:
            for vid in volunteer_ids:
                desk.join_desk(self.app.store, day_id, vid)
            self.volunteer_ids = list(volunteer_ids)
            self.refresh_bar()
            self.remember()
        else:
            self.volunteer_ids = []
            self.action_who()
        self.refresh_queue()
        self.query_one("#search", Input).focus()

    def action_who(self) -> None:
        from clinic.ui.desk_pickers import VolunteerPicker

        if self.day is None:
            return

        def picked(ids: list[int] | None) -> None:
            if ids:
                for vid in ids:
                    desk.join_desk(self.app.store, self.day["id"], vid)
                self.volunteer_ids = ids
                self.remember()
            self.refresh_bar()

        self.app.push_screen(VolunteerPicker(self.day["id"], self.volunteer_ids), picked)

    def remember(self) -> None:
        if self.day is not None:
            _OPEN_DESKS[self.app] = (self.day["id"], list(self.volunteer_ids))

    @property
    def volunteer_id(self) -> int | None:
        return self.volunteer_ids[0] if self.volunteer_ids else None

    def volunteer_name(self, vid: int | None = None) -> str:
        vid = vid if vid is not None else self.volunteer_id
        row = desk.volunteer(self.app.store, vid) if vid else None
        return row["name"] if row else ""

    def refresh_bar(self) -> None:
        if self.day is None:
            return
        counts = desk.seen_counts(self.app.store, self.day["id"])
        names = [f"{self.volunteer_name(v)} ({counts.get(v, 0)})" for v in self.volunteer_ids]
        bar = f"[b]{escape(desk.day_label(self.day))}[/b]"
        if self.day["date"] != self.app.today().isoformat():
            bar += (
                "  [reverse] "
                + _("Past clinic day: records take the date {date}").format(date=self.day["date"])
                + " [/reverse]"
            )
        if names:
            bar += "   " + _("At the desk (seen today): {names}").format(names=join_list(names))
            if self.volunteer_id and counts.get(self.volunteer_id):
                bar += " — " + _("thank you!")
        else:
            bar += "   " + _("Ctrl+Y: say who is at the desk")
        self.query_one("#day-bar", Static).update(bar)

    # -- search -------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()

    def typed_outside_search(self, character: str) -> None:
        """A character typed while a list (or nothing) has the focus goes to the search box,
        at once and in order (desk_fields.DeskTable), instead of vanishing."""
        search = self.query_one("#search", Input)
        move_focus(search)
        search.cursor_position = len(search.value)
        search.insert_text_at_cursor(character)

    def take_now(self, event: events.Key | events.Paste) -> bool:
        """Nothing focused (after a dialog closed): a character typed goes to the search box
        (offered by the app before dispatching, see ClinicApp.on_event)."""
        if isinstance(event, events.Key) and event.is_printable and event.character:
            if self.focused is None and event.key not in NOT_TYPED:
                self.typed_outside_search(event.character)
                return True
        return False

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if not text:
            self.show_hits("", [])
            return
        self.run_search(text)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, text: str) -> None:
        with self.app.open_store() as store:
            hits = desk.find(store, text, self.app.today(), limit=RESULTS_LIMIT + 1)
        self.app.call_from_thread(self.show_hits, text, hits)

    def show_hits(self, text: str, hits: list) -> None:
        if self.query_one("#search", Input).value.strip() != text:
            return  # typing went on; a newer search is coming
        more = len(hits) > RESULTS_LIMIT
        hits = hits[:RESULTS_LIMIT]
        self.hits = hits
        self.hits_for = text
        here = (
            desk.checked_in_among(self.app.store, self.day["id"], [h.id for h in hits])
            if self.day
            else set()
        )
        table = self.query_one("#results", DataTable)
        table.clear()
        rows = [
            (
                "[b green]✓[/]" if hit.id in here else "",
                escape(hit.name),
                sex_short(hit.sex),
                "" if hit.age is None else hit.age,
                escape(hit.village or ""),
                escape(hit.household_number or ""),
                shown_number(hit, text),
            )
            for hit in hits
        ]
        fit_columns(table, rows)
        for hit, row in zip(hits, rows, strict=True):
            table.add_row(*row, key=str(hit.id))
        if not text:
            message = ""
        elif more:
            message = _(
                "first {n} shown; type more to narrow · Enter checks in the highlighted person"
            ).format(n=len(hits))
        elif hits:
            message = _("{n} found · Enter checks in the highlighted person · ↑↓ choose").format(
                n=len(hits)
            )
        elif text.isdigit() and len(text) < 4:
            message = _("Type at least 4 digits of the ID number or phone.")
        else:
            message = _("Nobody found for {query}. Ctrl+N registers a walk-in.").format(query=text)
        if here:
            message += " · " + _("✓ checked in today")
        self.query_one("#search-status", Static).update(escape(message))
        if self.enter_pending == text:
            self.enter_pending = None
            self._check_in_highlighted()

    def on_key(self, event) -> None:
        """Up and down in the search box move the highlight in the results."""
        if self.focused is self.query_one("#search", Input) and event.key in ("up", "down"):
            table = self.query_one("#results", DataTable)
            if table.row_count:
                table.move_cursor(row=table.cursor_row + (1 if event.key == "down" else -1))
            event.stop()
            event.prevent_default()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self._check_in_highlighted()

    @on(DataTable.RowSelected, "#results")
    def result_chosen(self) -> None:
        self._check_in_highlighted()

    def action_check_in_highlighted(self) -> None:
        self._check_in_highlighted()

    def _check_in_highlighted(self) -> None:
        text = self.query_one("#search", Input).value.strip()
        if text and self.hits_for != text:
            # The results shown belong to an earlier text (or none yet): wait
            # for this text's own, never check in someone found for another.
            self.enter_pending = text
            return
        self.enter_pending = None
        table = self.query_one("#results", DataTable)
        if not self.hits or table.cursor_row < 0 or table.cursor_row >= len(self.hits):
            if self.query_one("#search", Input).value.strip():
                self.notify(
                    _("Nobody to check in; Ctrl+N registers a walk-in."), severity="warning"
                )
            return
        hit = self.hits[table.cursor_row]
        self.check_in(hit.id, hit.name)

    def check_in(self, person_id: int, name: str) -> None:
        if self.day is None:
            return
        if not self.volunteer_ids:
            self.notify(_("Say who is at the desk first (Ctrl+Y)."), severity="warning")
            self.action_who()
            return
        store = self.app.store
        if not desk.needs_consent(store, self.day["id"], person_id):
            self._do_check_in(person_id, name, None)
            return
        from clinic.ui.desk_forms import ConsentDialog

        def answered(consent: desk.Consent | None) -> None:
            if consent is None:
                self.notify(
                    _(
                        "No consent: {name} is not checked in and no health data is recorded."
                    ).format(name=name),
                    severity="warning",
                )
                return
            self._do_check_in(person_id, name, consent)

        self.app.push_screen(
            ConsentDialog(name, self.volunteer_id, self.volunteer_name()), answered
        )

    def _do_check_in(self, person_id: int, name: str, consent: desk.Consent | None) -> None:
        try:
            visit_id, new = desk.check_in(
                self.app.store,
                self.day,
                person_id,
                self.volunteer_id,
                self.app.now(),
                queue=self.queue_filter,
                consent=consent,
            )
        except ClinicError as exc:
            show_error(self, exc)
            return
        if new:
            self.notify(_("{name} checked in.").format(name=name))
        else:
            self.notify(
                _("{name} was already checked in today.").format(name=name), severity="warning"
            )
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()
        self.refresh_queue(select=visit_id)

    def action_walk_in(self) -> None:
        from clinic.ui.desk_forms import WalkInForm, WalkInResult

        if self.day is None:
            return
        if not self.volunteer_ids:
            self.notify(_("Say who is at the desk first (Ctrl+Y)."), severity="warning")
            self.action_who()
            return

        def made(result: WalkInResult | None) -> None:
            if result is None:
                return
            if result.person_id is not None:  # a registered person, picked among look-alikes
                person = desk.person(self.app.store, result.person_id)
                self.check_in(result.person_id, person["name"])
            else:
                self.register_walk_in(result)

        self.app.push_screen(
            WalkInForm(self.day["village_id"], self.query_one("#search", Input).value.strip()),
            made,
        )

    def register_walk_in(self, result) -> None:
        """Consent first: the walk-in is registered (with the consent) only when given."""
        from clinic.ui.desk_forms import ConsentDialog

        clean = result.clean

        def answered(consent: desk.Consent | None) -> None:
            if consent is None:
                self.notify(
                    _("No consent: {name} is not registered and nothing is recorded.").format(
                        name=clean.name
                    ),
                    severity="warning",
                )
                return
            try:
                person_id = desk.add_walk_in(
                    self.app.store,
                    clean,
                    consent,
                    at=desk.stamp(self.day, self.app.now()),
                    confirm_duplicate=result.confirm_duplicate,
                    actor=self.app.actor,
                    volunteer_id=self.volunteer_id,
                )
            except ClinicError as exc:
                show_error(self, exc)
                return
            self._do_check_in(person_id, clean.name, None)

        self.app.push_screen(
            ConsentDialog(clean.name, self.volunteer_id, self.volunteer_name()), answered
        )

    # -- queue ---------------------------------------------------------------------
    def poll_queue(self) -> None:
        if self.day is not None:
            self._poll(self.day["id"])

    @work(thread=True, exclusive=True, group="queue")
    def _poll(self, day_id: int) -> None:
        with self.app.open_store() as store:
            # The clock's minute is part of it: minutes waited move on even when nothing is written.
            stamp = (desk.queue_stamp(store, day_id), self.app.now().strftime("%H:%M"))
        if stamp != self._stamp:
            self.app.call_from_thread(self.refresh_queue)

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
        for index, row in enumerate(rows):
            flags = queue_flags(row["flag_list"])
            waited = "" if row["waited"] is None else _("{n} min").format(n=row["waited"])
            style = {"waiting": "", "with_doctor": "bold", "done": "dim"}[row["state"]]
            state = state_label(row["state"])
            queue = queue_label(row["queue"], names.get(row["queue"], row["queue"] or ""))
            cells.append(
                (
                    f"[{style}]{escape(row['name'])}[/]" if style else escape(row["name"]),
                    state,
                    waited,
                    escape(queue),
                    escape(row["seen_by_name"] or ""),
                    f"[red]{escape(flags)}[/]" if flags else "",
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
            title = "[reverse] " + escape(shown) + " [/reverse] " + title
        else:
            title = escape("[" + _("all queues") + "]") + " " + title
        self.query_one("#queue-title", Static).update(title)
        self.refresh_bar()

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
        desk.set_queue(self.app.store, visit_id, codes[(codes.index(current) + 1) % len(codes)])
        self.refresh_queue(select=visit_id)

    def action_next_state(self) -> None:
        visit_id = self._selected_visit()
        if visit_id is None or self.day is None:
            return
        desk.advance_state(self.app.store, self.day, visit_id, self.volunteer_id, self.app.now())
        self.refresh_queue(select=visit_id)

    @on(DataTable.RowSelected, "#queue")
    def queue_entered(self) -> None:
        self.action_open_visit()

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

    def action_open_visit(self) -> None:
        from clinic.ui.desk_visit import VisitScreen

        if self.day is None:
            return
        if not self.volunteer_ids:
            self.action_who()
            return
        visit_id = self.visit_meant()
        if visit_id is None:
            return

        def back(_result) -> None:
            self.refresh_queue(select=visit_id)

        self.app.push_screen(VisitScreen(visit_id, self.volunteer_id), back)

    # -- stock and summary ------------------------------------------------------------
    def action_stock(self) -> None:
        from clinic.ui.desk_extra import StockDialog

        if self.day is not None:
            self.app.push_screen(StockDialog(self.day["id"]))

    def action_summary(self) -> None:
        from clinic.ui.desk_extra import SummaryScreen

        if self.day is not None:
            self.app.push_screen(SummaryScreen(self.day["id"]))
