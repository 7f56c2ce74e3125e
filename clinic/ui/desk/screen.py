"""The clinic desk: the screen volunteers live in on a clinic day.

Left: one search box; results narrow as you type (an exclusive thread worker
per keystroke); Enter checks the highlighted person in. Right: the day's
queue with states and minutes waited, refreshed from the database every few
seconds so that a second desk on the same file sees the changes.

Opening the desk asks for the clinic day (today's first) and who is at the
desk; every record made here carries that volunteer.
"""

from __future__ import annotations

import importlib
import weakref
from functools import partial

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static

from clinic.core import desk
from clinic.i18n import N_, _, join_list
from clinic.ui.desk.fields import DeskTable, SearchInput
from clinic.ui.desk.queue import DeskQueue
from clinic.ui.desk.search import DeskSearch
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.memory import freeze_long_lived
from clinic.ui.text import fill, shown
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer

REFRESH_SECONDS = 3.0

# What the desk's keys open, imported in a thread once the desk is shown rather than
# at the first key: the first Ctrl+R paid about 60 ms for the handout dialog and its
# sheet writer (jinja2), the first F9 30 ms, the first Ctrl+O 20 ms (python -X importtime).
WARM_UP = (
    "clinic.ui.desk.visit",
    "clinic.ui.desk.handout",
    "clinic.ui.desk.summary",
    "clinic.ui.desk.walk_in",
    "clinic.ui.desk.consent",
    "clinic.ui.clash_dialog",
    "clinic.core.desk.chronic",
    "clinic.core.pinyin",  # its dictionaries: 200,000 lists (frozen with the rest)
)


def warm_up(freeze: bool) -> None:
    for name in WARM_UP:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - left to the key that opens it, which says so
            continue  # a failed import here would end the app (a worker's error)
    if freeze:  # the modules just imported live as long as the app (clinic.ui.memory)
        freeze_long_lived()


# The open desk of each app window (clinic day, volunteers): leaving the desk for
# another screen and coming back returns to it; Ctrl+L / Ctrl+Y change it.
_OPEN_DESKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class DeskScreen(DeskSearch, DeskQueue):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = "desk.tcss"
    # The footer shows the keys of every minute; Ctrl+G, Ctrl+Y and Ctrl+L are in F1 and
    # the palette (Ctrl+P), so that the footer fits 120 columns in Chinese too.
    BINDINGS = [
        Binding("ctrl+n", "walk_in", N_("Walk-in")),
        # Priority: run by the app in the order the keys came, so a Ctrl+O typed before a
        # check-in is written waits for it, and the keys after it reach the visit form.
        Binding("ctrl+o", "open_visit", N_("Visit form"), priority=True),
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
        # Check-ins asked for and not yet written: a Ctrl+O typed meanwhile means the
        # person being checked in, so it waits for them (DeskSearch, DeskQueue).
        self.check_ins_pending = 0
        self.last_checked_in: int | None = None  # set on the writer's thread

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="day-bar")
        with Horizontal(id="desk-main"):
            with Vertical(id="checkin"):
                # A SearchInput, a FieldInput: its keys (characters, Backspace …) take effect in the
                # order they were typed, before the Enter that follows them.
                yield SearchInput(
                    # Whole in the box at 120x36 (53 cells): no "Check in:" in English.
                    placeholder=_("Name, pinyin (zs), last 4+ ID/phone digits, household"),
                    id="search",
                    # Not selected on focus: a character typed on a list moves the focus here
                    # and is inserted at once; selecting it on the later Focus message let the
                    # next character replace it.
                    select_on_focus=False,
                )
                yield Static("", id="search-status", classes="muted")
                table = DeskTable(id="results", cursor_type="row", zebra_stripes=True)
                table.can_focus = False  # until a search finds somebody (show_hits)
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
        self.run_worker(partial(warm_up, self.app.freeze_gc), thread=True, group="warm-up")

    # -- the day and the volunteers ------------------------------------------------
    def action_change_day(self) -> None:
        from clinic.ui.desk.pickers import DayPicker

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
        own = self.app.user.volunteer_id if self.app.user else None
        if own and not volunteer_ids:
            volunteer_ids = [own]  # a user linked to a volunteer is "that's me" already
        if volunteer_ids:
            self.join(day_id, volunteer_ids)
            self.volunteer_ids = list(volunteer_ids)
            self.refresh_bar()
            self.remember()
        else:
            self.volunteer_ids = []
            self.action_who()
        self.refresh_queue()
        self.query_one("#search", Input).focus()

    def action_who(self) -> None:
        from clinic.ui.desk.pickers import VolunteerPicker

        if self.day is None:
            return

        def picked(ids: list[int] | None) -> None:
            if ids:
                self.join(self.day["id"], ids)
                self.volunteer_ids = ids
                self.remember()
            self.refresh_bar()

        self.app.push_screen(VolunteerPicker(self.day["id"], self.volunteer_ids), picked)

    def user_changed(self, user) -> None:
        """Someone else signed in at this desk (F12): when their user is a volunteer,
        the desk is theirs now; what they record carries their name."""
        if self.day is None or not user.volunteer_id or user.volunteer_id in self.volunteer_ids[:1]:
            return
        self.join(self.day["id"], [user.volunteer_id])
        others = [v for v in self.volunteer_ids if v != user.volunteer_id]
        self.volunteer_ids = [user.volunteer_id, *others]
        self.remember()
        self.refresh_bar()

    def join(self, day_id: int, volunteer_ids: list[int]) -> None:
        """The volunteers at the desk are on the day's team (written on the app's writer)."""
        ids = list(volunteer_ids)

        def write(store) -> None:
            with store.transaction():
                for vid in ids:
                    desk.join_desk(store, day_id, vid)

        self.app.write(write, done=lambda _r: still_shown(self) and self.refresh_bar())

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
        names = [
            f"{shown(self.volunteer_name(v))} ({counts.get(v, 0)})" for v in self.volunteer_ids
        ]
        bar = fill("[b]$day[/b]", day=desk.day_label(self.day))
        if self.day["date"] != self.app.today().isoformat():
            past = _("Past clinic day: records take the date {date}").format(date=self.day["date"])
            bar += fill("  [reverse] $past [/reverse]", past=past)
        if names:
            bar += "   " + _("At the desk (seen today): {names}").format(names=join_list(names))
            thanks = " — " + _("thank you!")
            # Only where it fits: at 80 columns it took a second line of the desk.
            fits = bar.cell_length + cell_len(thanks) <= self.size.width - 2
            if self.volunteer_id and counts.get(self.volunteer_id) and fits:
                bar += thanks
        else:
            bar += "   " + _("Ctrl+Y: say who is at the desk")
        self.query_one("#day-bar", Static).update(bar)
