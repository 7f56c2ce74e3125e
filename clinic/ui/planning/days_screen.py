"""Clinic days: a month calendar and list, the day's needs and team, the roster.

Keys: [ ] month back/forward · n new day · e edit day · a assign a volunteer ·
c/d/t/x mark the highlighted assignment confirmed/declined/attended/no-show ·
delete remove it · r roster for the month (preview, then apply).
Lists here are short (a month of days, one day's team): they are read on
the main thread's store; the optimiser runs in a thread worker.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static

from clinic.core import planning as p
from clinic.core.dates import month_span, shift_month
from clinic.core.planning import volunteers as vq
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import ask_or_show, show_error
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.labels import weekday_label
from clinic.ui.planning.assign_dialog import AssignDialog
from clinic.ui.planning.day_form import DayForm
from clinic.ui.planning.month_calendar import MonthCalendar, month_title
from clinic.ui.planning.team_title import team_title
from clinic.ui.planning.widgets import cursor_id
from clinic.ui.talks import TalksDialog
from clinic.ui.text import cell
from clinic.ui.widgets.footer import Footer

ROLE_WIDTH = 16


def hours_cell(a: dict) -> str:
    """Hours of a team row: typed hours, or the planned length the figures count marked *."""
    if a["counted_hours"] is None:
        return ""
    return f"{a['counted_hours']:g}" + ("*" if a["hours"] is None else "")


class ClinicDaysScreen(ClinicScreen):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = ["planning.tcss", "days.tcss"]
    BINDINGS = [
        Binding("left_square_bracket,pageup", "month(-1)", N_("Previous month"), key_display="["),
        Binding("right_square_bracket,pagedown", "month(1)", N_("Next month"), key_display="]"),
        Binding("n", "new_day", N_("New day")),
        Binding("e", "edit_day", N_("Edit day")),
        Binding("a", "assign", N_("Assign")),
        Binding("k", "talks", N_("Health talks")),
        Binding("r", "roster(1)", N_("Roster")),
        Binding("R", "roster(3)", N_("Roster, three months"), show=False),
        Binding("c", "mark('confirmed')", N_("Confirmed"), show=False),
        Binding("d", "mark('declined')", N_("Declined"), show=False),
        Binding("t", "mark('attended')", N_("Attended"), show=False),
        Binding("x", "mark('no_show')", N_("No-show"), show=False),
        Binding("h", "hours", N_("Hours"), show=False),
        Binding("delete", "unassign", N_("Remove assignment"), show=False),
        Binding("tab", "app.focus_next", N_("Next list"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        self.month = 0
        self.day_id: int | None = None
        self.keep_assignment: int | None = None  # the team row the user highlighted last
        self.labels: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="days-top"):
            yield MonthCalendar(id="calendar", classes="panel")
            with Vertical(id="days-list-box"):
                yield Static("", id="days-title", classes="title")
                yield DataTable(id="days-list", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="days-bottom"):
            with Vertical(id="needs-box"):
                yield Static(_("Places"), classes="title")
                yield DataTable(id="needs", cursor_type="row", zebra_stripes=True)
            with Vertical(id="team-box"):
                yield Static(_("Team"), classes="title", id="team-title", markup=False)
                yield DataTable(id="team", cursor_type="row", zebra_stripes=True)
        yield Static(
            _(
                "a assign · c confirmed · d declined · t attended · x no-show · h hours · Del remove · r roster"
            ),
            id="days-hint",
            classes="muted",
        )
        yield Footer()

    def on_mount(self) -> None:
        today = self.app.today()
        self.year, self.month = today.year, today.month
        self.query_one("#days-list", DataTable).add_columns(
            _("Date"),
            _("Day"),
            _("Time"),
            _("Village"),
            _("Organisation"),
            _("Status"),
            _("Filled"),
        )
        # Long role names ("Traditional Chinese medicine") wrap in a narrow column, so every column
        # of the team (state, hours, by hand or roster) fits at 120 columns.
        needs = self.query_one("#needs", DataTable)
        needs.add_column(_("Role"), width=ROLE_WIDTH)
        needs.add_columns(_("Needed"), _("Filled"), _("Open"))
        team = self.query_one("#team", DataTable)
        team.add_column(_("Volunteer"))
        team.add_column(_("Role"), width=ROLE_WIDTH)
        team.add_columns(_("Status"), _("Hours"), _("By"), _("Organisation"))
        self.refresh_month()
        self.query_one("#days-list").focus()

    def on_screen_resume(self) -> None:
        """Back from another screen (the desk may have changed attendance): read again."""
        if self.month:
            self.refresh_month()

    # -- loading -------------------------------------------------------------
    @property
    def store(self):
        return self.app.store

    def refresh_month(self, keep: int | None = None) -> None:
        first, last = month_span(self.year, self.month)
        self.month_days = p.list_days(self.store, first.isoformat(), last.isoformat())
        # Namesakes in the team are told apart (organisation, specialty or masked phone).
        self.labels = p.volunteer_labels(vq.volunteers(self.store))
        table = self.query_one("#days-list", DataTable)
        table.clear()
        for d in self.month_days:
            date = dt.date.fromisoformat(d["date"])
            table.add_row(
                d["date"],
                weekday_label(date.weekday()),
                f"{d['start_time']}–{d['end_time']}",
                cell(f"{d['township']}{d['village']}"),
                cell(d["organisation"] or ""),
                p.day_status_label(d["status"]),
                f"{d['filled']}/{d['needed']}",
                key=str(d["id"]),
            )
        self.query_one("#days-title", Static).update(
            _("Clinic days in {month}: {n}").format(
                month=month_title(self.year, self.month), n=len(self.month_days)
            )
        )
        target = keep if keep is not None else self.day_id
        ids = [d["id"] for d in self.month_days]
        if target in ids:
            table.move_cursor(row=ids.index(target))
        self.day_id = target if target in ids else (ids[0] if ids else None)
        self.show_day()

    def show_day(self) -> None:
        """Fill the places and team of the chosen day.

        Every refresh (a status key, a dialog closing, coming back from another screen) clears
        and refills the team, which puts the cursor on the first row; the highlight goes back to
        the same assignment, or the next status key would act on another volunteer.
        """
        chosen = None
        needs_table = self.query_one("#needs", DataTable)
        team = self.query_one("#team", DataTable)
        needs_table.clear()
        team.clear()
        if self.day_id is not None:
            day = p.get_day(self.store, self.day_id)
            chosen = day["date"]
            for line in p.day_needs(self.store, self.day_id):
                extra = line.assigned - line.filled
                needs_table.add_row(
                    cell(p.specialty_label(self.store, line.role)),
                    line.needed,
                    f"{line.filled} (+{extra})" if extra else str(line.filled),
                    Text(str(line.open), style="bold yellow" if line.open else "green"),
                    height=None,
                )
            for a in p.team_of_day(self.store, self.day_id):
                style = {"declined": "dim strike", "no_show": "bold red", "attended": "green"}.get(
                    a["status"]
                )
                team.add_row(
                    cell(self.labels.get(a["volunteer_id"], a["name"]), style or ""),
                    cell(p.specialty_label(self.store, a["role"])),
                    p.assignment_label(a["status"]),
                    hours_cell(a),
                    _("roster") if a["source"] == "roster" else _("by hand"),
                    cell(a["organisation"] or ""),
                    key=str(a["id"]),
                    height=None,
                )
            self.query_one("#team-title", Static).update(team_title(self.store, day))
            if self.keep_assignment is not None and str(self.keep_assignment) in team.rows:
                team.move_cursor(row=team.get_row_index(str(self.keep_assignment)))
        else:
            self.query_one("#team-title", Static).update(_("Team"))
        self.query_one("#calendar", MonthCalendar).show(
            self.year, self.month, self.month_days, chosen, self.app.today()
        )

    @on(DataTable.RowHighlighted, "#days-list")
    def day_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            new = int(event.row_key.value)
            if new != self.day_id:
                self.day_id = new
                self.show_day()

    @on(DataTable.RowHighlighted, "#team")
    def team_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Remember whom the user highlighted: the team is refilled after every change (more
        than once, as the day list settles), and the next key must act on the same volunteer."""
        if self.focused is event.data_table and event.row_key.value is not None:
            self.keep_assignment = int(event.row_key.value)

    @on(DataTable.RowSelected, "#days-list")
    def day_selected(self) -> None:
        self.query_one("#team").focus()

    # -- actions ---------------------------------------------------------------
    def action_month(self, step: int) -> None:
        self.year, self.month = shift_month(self.year, self.month, step)
        self.day_id = None
        self.refresh_month()

    def action_new_day(self) -> None:
        default = None
        if self.day_id is None:
            default = dt.date(self.year, self.month, 1)
        self.app.push_screen(DayForm(None, default), self._day_saved)

    def action_edit_day(self) -> None:
        if self.day_id is None:
            self.notify(_("No clinic day chosen."), severity="warning")
            return
        self.app.push_screen(DayForm(self.day_id), self._day_saved)

    def _day_saved(self, day_id: int | None) -> None:
        if day_id is None:
            return
        day = p.get_day(self.store, day_id)
        date = dt.date.fromisoformat(day["date"])
        self.year, self.month = date.year, date.month
        self.refresh_month(keep=day_id)

    def action_talks(self) -> None:
        if self.day_id is None:
            self.notify(_("No clinic day chosen."), severity="warning")
            return
        day = p.get_day(self.store, self.day_id)
        title = _("Health talks of {date} {village}").format(
            date=day["date"], village=day["village"]
        )
        self.app.push_screen(
            TalksDialog(self.day_id, title), lambda changed: changed and self.refresh_month()
        )

    def action_assign(self) -> None:
        if self.day_id is None:
            self.notify(_("No clinic day chosen."), severity="warning")
            return
        self.app.push_screen(
            AssignDialog(self.day_id), lambda changed: changed and self.refresh_month()
        )

    def _assignment_id(self) -> int | None:
        return cursor_id(self.query_one("#team", DataTable))

    def _team_focused(self) -> bool:
        """Status keys and Delete act on the team only while a team row is focused."""
        team = self.query_one("#team", DataTable)
        if self.focused is not team or not team.row_count:
            self.notify(
                _("Move to the team first (Tab or Enter), then choose a person."),
                severity="warning",
            )
            return False
        return True

    def action_mark(self, status: str) -> None:
        if not self._team_focused():
            return
        assignment_id = self._assignment_id()
        if assignment_id is None:
            self.notify(_("No assignment chosen."), severity="warning")
            return
        self._set_status(assignment_id, status, False)

    def _set_status(self, assignment_id: int, status: str, confirmed: bool) -> None:
        """Written on the app's writer (the screen stays responsive while another desk
        holds the lock); a change to recorded attendance is asked about first."""

        def done(_result: object) -> None:
            self.refresh_month()  # the team's highlight stays on this assignment (see show_day)
            self.query_one("#team", DataTable).focus()

        self.app.write(
            lambda store: p.set_assignment(
                store, assignment_id, status=status, change_attendance=confirmed
            ),
            done=done,
            failed=ask_or_show(
                self, _("Change"), _("Keep"), lambda: self._set_status(assignment_id, status, True)
            ),
        )

    def action_hours(self) -> None:
        """Type or change the highlighted volunteer's hours (attended only)."""
        if not self._team_focused():
            return
        assignment_id = self._assignment_id()
        team = next(
            (a for a in p.team_of_day(self.store, self.day_id) if a["id"] == assignment_id),
            None,
        )
        if team is None:
            self.notify(_("No assignment chosen."), severity="warning")
            return
        if team["status"] != "attended":
            self.notify(
                _(
                    "{name} is not marked attended: mark attendance first (t), then the hours."
                ).format(name=team["name"]),
                severity="warning",
                markup=False,
            )
            return
        from clinic.ui.planning.hours_dialog import HoursDialog

        def saved(changed: bool | None) -> None:
            if changed:
                self.refresh_month()
                self.query_one("#team", DataTable).focus()

        self.app.push_screen(HoursDialog(team, p.get_day(self.store, self.day_id)), saved)

    def action_unassign(self) -> None:
        if not self._team_focused():
            return
        assignment_id = self._assignment_id()
        if assignment_id is None:
            return
        self.app.write(
            lambda store: p.remove_assignment(store, assignment_id),
            done=lambda _result: self.refresh_month(),
            failed=lambda exc: show_error(self, exc),
        )

    def action_roster(self, months: int = 1) -> None:
        """The roster for the rest of the shown month (r) or of it and the next two (R)."""
        from clinic.ui.planning.roster_preview import RosterPreview

        first, last = month_span(self.year, self.month, months)
        start = max(first, self.app.today())
        if start > last:
            self.notify(_("This month is over; choose a month to come."), severity="warning")
            return
        self.app.push_screen(
            RosterPreview(start.isoformat(), last.isoformat()),
            lambda applied: applied and self.refresh_month(),
        )
