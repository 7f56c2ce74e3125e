"""Opening the desk: which clinic day, who is at the desk, a walk-in clinic day."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from clinic.core import catalogues, desk
from clinic.core.errors import FieldError, InputError
from clinic.core.pinyin import name_keys
from clinic.core.planning import ENDED_DAY_STATUSES
from clinic.i18n import N_, _, pick
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.labels import status_label, weekday_label
from clinic.ui.text import cell, plain, shown
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer
from clinic.ui.widgets.selection import SelectionList


def _day_when(date: dt.date, today: dt.date, status: str) -> str:
    """ "today", or "past" for a day gone by that is not marked done or cancelled (for
    those the status says it already)."""
    if date == today:
        return _("today")
    return _("past") if date < today and status not in ENDED_DAY_STATUSES else ""


class DayPicker(ClinicModal):
    """Pick the clinic day; today's first, then coming ones, then past ones."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_day", N_("Walk-in clinic day")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Which clinic day is this desk working on?"), classes="title")
            yield OptionList(id="days")
            yield Static(
                _("Enter: open the day · Ctrl+N: a clinic day made on the spot"), classes="muted"
            )
        yield Footer()

    def on_mount(self) -> None:
        today = self.app.today()
        days = desk.days_for_desk(self.app.store, today)
        # At 80 columns the venue is left out: a past day's "43 checked in" took a
        # second line, and half as many days fitted.
        narrow = self.has_class("-narrow")
        options = []
        for d in days:
            date = dt.date.fromisoformat(d["date"])
            place = desk.day_label({**d, "venue": None} if narrow else d)[11:]
            parts = [
                f"{d['date']} {weekday_label(date.weekday())}",
                shown(place),
                f"[{status_label(d['status'])}]",
                _day_when(date, today, d["status"]),
                _("{n} checked in").format(n=d["checked_in"]) if d["checked_in"] else "",
            ]
            options.append(Option(plain("  ".join(p for p in parts if p)), id=str(d["id"])))
        box = self.query_one("#days", OptionList)
        box.add_options(options)
        if options:
            box.highlighted = 0
        else:
            box.add_option(
                Option(_("No clinic days yet: Ctrl+N makes one for today."), disabled=True)
            )
        box.focus()

    @on(OptionList.OptionSelected, "#days")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_new_day(self) -> None:
        def made(day_id: int | None) -> None:
            if day_id is not None:
                self.dismiss(day_id)

        self.app.push_screen(WalkInDay(), made)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WalkInDay(ClinicModal):
    """A clinic day made on the spot: village, date (today by default), organisation."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Create the day")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        villages = [
            (cell(f"{v['township']} {v['name']}"), v["id"]) for v in catalogues.villages(store)
        ]
        orgs = [(cell(o["short_name"]), o["id"]) for o in catalogues.organisations(store)]
        with Vertical(classes="dialog"):
            yield Static(_("A clinic day made on the spot"), classes="title")
            yield Label(_("Village"))
            yield Select(villages, id="village", prompt=_("Choose the village"))
            yield Label(_("Date"))
            yield Input(self.app.today().isoformat(), id="date")
            yield Label(_("Organising organisation (optional)"))
            yield Select(orgs, id="org", prompt=_("None"))
            yield Static("", id="error", classes="error")
        yield Footer()

    def action_save(self) -> None:
        from clinic.core.dates import parse_date

        village_box = self.query_one("#village", Select)
        org_box = self.query_one("#org", Select)
        try:
            if village_box.is_blank():
                raise FieldError(_("Choose the village."), "village")
            date = parse_date(self.query_one("#date", Input).value)
        except InputError as exc:
            show_error(self, exc)
            return
        village_id = int(village_box.value)
        org_id = None if org_box.is_blank() else int(org_box.value)
        # Written on the app's writer: the dialog stays responsive while another desk
        # holds the lock, and closes once the day is made.
        self.save_once(
            lambda store: desk.create_walk_in_day(store, village_id, date, org_id),
            done=lambda day_id: self.dismiss(day_id) if still_shown(self) else None,
            failed=lambda exc: show_error(self, exc),
        )

    @on(Input.Submitted, "#date")
    def date_entered(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class VolunteerPicker(ClinicModal):
    """The volunteers at this desk say who they are (the day's roster first).

    Enter takes the highlighted name (and any ticked with Space); the first
    one is the volunteer whose name goes on the records (Ctrl+Y switches).
    """

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("enter", "done", N_("That's us"), priority=True),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, day_id: int, chosen: list[int] | None = None) -> None:
        super().__init__()
        self.day_id = day_id
        self.chosen = chosen or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                _("Who is at the desk? (Space ticks several, Enter confirms)"), classes="title"
            )
            yield Input(placeholder=_("Type to narrow the names"), id="filter")
            yield SelectionList[int](id="volunteers")
        yield Footer()

    def on_mount(self) -> None:
        self.people = desk.volunteers_for_day(self.app.store, self.day_id)
        self._fill("")
        self.query_one("#volunteers").focus()

    def _fill(self, text: str) -> None:
        box = self.query_one("#volunteers", SelectionList)
        box.clear_options()
        wanted = text.lower()
        for v in self.people:
            if (
                wanted
                and wanted not in v["name"].lower()
                and not any(key.startswith(wanted) for key in self._keys(v["name"]))
            ):
                continue
            role = pick(v.get("role_zh"), v.get("role_en")) or ""
            mark = _("on the roster") if v.get("status") else ""
            box.add_option(
                (plain(f"{shown(v['name'])}  {role}  {mark}"), v["id"], v["id"] in self.chosen)
            )
        if box.option_count:
            box.highlighted = 0

    def _keys(self, name: str) -> set[str]:
        """Pinyin initials and full pinyin of a name ("wf", "weifang" for 魏芳)."""
        cache = self.__dict__.setdefault("_key_cache", {})
        if name not in cache:
            cache[name] = name_keys(name)
        return cache[name]

    def on_key(self, event) -> None:
        """Typing a name while the list has the focus narrows it (Space still ticks)."""
        box = self.query_one("#volunteers", SelectionList)
        if (
            self.focused is box
            and event.character
            and event.character.isprintable()
            and event.character != " "
        ):
            self.query_one("#filter", Input).insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
        elif self.focused is box and event.key == "backspace":
            field = self.query_one("#filter", Input)
            field.value = field.value[:-1]
            event.stop()

    @on(Input.Changed, "#filter")
    def narrow(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    def action_done(self) -> None:
        box = self.query_one("#volunteers", SelectionList)
        picked = list(box.selected)
        if box.highlighted is not None:
            current = box.get_option_at_index(box.highlighted).value
            if current in picked:
                picked.remove(current)
            picked.insert(0, current)
        if not picked:
            typed = self.query_one("#filter", Input).value.strip()
            if typed and not box.option_count:
                self.notify(
                    _("Nobody matches {text}: Backspace to correct it.").format(text=typed),
                    severity="warning",
                )
            else:
                self.notify(_("Pick your name first."), severity="warning")
            return
        self.dismiss(picked)

    def action_cancel(self) -> None:
        self.dismiss(None)
