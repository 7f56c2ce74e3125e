"""Volunteers: the list with filters, each one's schedule and hours.

Keys: / filter by name · n new · e edit (or Enter) · w weekend list of a cadre.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Select,
    Static,
)

from clinic.core import catalogues
from clinic.core import planning as p
from clinic.core.planning import volunteers as vq
from clinic.core.planning.availability import describe
from clinic.core.privacy import mask_phone
from clinic.i18n import N_, _, ngettext, pick
from clinic.ui.base import ClinicScreen
from clinic.ui.keys import ScreenKeysProvider, search_key
from clinic.ui.planning.volunteer_form import VolunteerForm
from clinic.ui.planning.weekend_list import WeekendList
from clinic.ui.planning.widgets import cursor_id
from clinic.ui.text import cell, sentence, shown
from clinic.ui.widgets.footer import Footer

ALL = "*"


class VolunteersScreen(ClinicScreen):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = ["planning.tcss", "volunteers.tcss"]
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Filter"), key_display="/", priority=True),
        Binding("n", "new", N_("New volunteer")),
        Binding("e", "edit", N_("Edit")),
        Binding("w", "weekend", N_("Weekend list (cadre)")),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        orgs = [(_("All organisations"), ALL)] + [
            (cell(o["short_name"]), o["id"])
            for o in catalogues.organisations(store)
            if o["parent_id"] is None
        ]
        specs = [(_("All specialties"), ALL)] + [
            (cell(pick(s["name_zh"], s["name_en"])), s["code"])
            for s in catalogues.specialties(store)
        ]
        yield Header()
        with Horizontal(id="vol-filters"):
            yield Input(id="vol-name", placeholder=_("Name"))
            yield Select(orgs, id="vol-org", value=ALL, allow_blank=False)
            yield Select(specs, id="vol-spec", value=ALL, allow_blank=False)
            yield Select(
                [(_("Active"), "1"), (_("Inactive"), "0"), (_("All"), ALL)],
                id="vol-active",
                value="1",
                allow_blank=False,
            )
        yield Static("", id="vol-count", classes="muted")
        with Horizontal(id="vol-main"):
            yield DataTable(id="vol-list", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="vol-detail", classes="panel"):
                yield Static("", id="vol-info")
                yield DataTable(id="vol-schedule", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        # Every column fits at 120 columns: long specialties and availabilities wrap in narrow
        # columns; the organisation is in the filter and the panel on the right.
        vol_list = self.query_one("#vol-list", DataTable)
        vol_list.add_columns(_("Name"))
        vol_list.add_column(_("Specialty"), width=14)
        vol_list.add_columns(_("Phone"))
        vol_list.add_column(_("Available"), width=9)
        vol_list.add_columns(_("Max/month"), _("Days"), _("Hours"))
        self.query_one("#vol-schedule", DataTable).add_columns(
            _("Date"), _("Village"), _("Role"), _("Status"), _("Hours")
        )
        self.load()
        self.query_one("#vol-list").focus()

    def load(self, keep: int | None = None) -> None:
        store = self.app.store
        org = self.query_one("#vol-org", Select).value
        spec = self.query_one("#vol-spec", Select).value
        active = self.query_one("#vol-active", Select).value
        rows = vq.volunteers(
            store,
            organisation_id=None if org == ALL else int(org),
            specialty=None if spec == ALL else str(spec),
            active=None if active == ALL else active == "1",
            name=self.query_one("#vol-name", Input).value.strip(),
        )
        table = self.query_one("#vol-list", DataTable)
        table.clear()
        for v in rows:
            name = v["name"] + (" ★" if v["is_cadre"] else "")
            table.add_row(
                cell(name, "" if v["active"] else "dim"),
                cell(pick(v["specialty_zh"], v["specialty_en"]) or ""),
                mask_phone(v["phone"]),
                describe(v["weekdays"], bool(v["holidays"])),
                "" if v["max_days_per_month"] is None else v["max_days_per_month"],
                v["days"],
                f"{v['hours']:g}",
                key=str(v["id"]),
                height=None,
            )
        self.query_one("#vol-count", Static).update(
            ngettext(
                "{n} volunteer · ★ paired cadre", "{n} volunteers · ★ paired cadre", len(rows)
            ).format(n=len(rows))
        )
        ids = [v["id"] for v in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        if not rows:
            self.show_detail(None)

    @on(Input.Changed, "#vol-name")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.load()

    @on(Input.Submitted, "#vol-name")
    def to_list(self) -> None:
        self.query_one("#vol-list").focus()

    def _current(self) -> int | None:
        return cursor_id(self.query_one("#vol-list", DataTable))

    @on(DataTable.RowHighlighted, "#vol-list")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self.show_detail(int(event.row_key.value))

    @on(DataTable.RowSelected, "#vol-list")
    def selected(self) -> None:
        self.action_edit()

    def show_detail(self, volunteer_id: int | None) -> None:
        info = self.query_one("#vol-info", Static)
        schedule = self.query_one("#vol-schedule", DataTable)
        schedule.clear()
        if volunteer_id is None:
            info.update("")
            return
        store = self.app.store
        v = vq.volunteer(store, volunteer_id)
        today = self.app.today().isoformat()
        s = p.volunteer_summary(store, volunteer_id, today)
        unavailable = [d for d in vq.unavailable_dates(store, volunteer_id) if d >= today]
        head = Text.assemble(
            cell(v["name"], "bold"),
            cell(
                f"  {pick(v['specialty_zh'], v['specialty_en']) or ''}  {v['organisation'] or ''}"
            ),
        )
        lines = [
            _("Licence: {value}").format(value=shown(v["licence_no"] or "-")),
            (
                _("Serves: {when}; no monthly limit")
                if v["max_days_per_month"] is None
                else ngettext(
                    "Serves: {when}; at most {n} day a month",
                    "Serves: {when}; at most {n} days a month",
                    v["max_days_per_month"],
                )
            ).format(when=describe(v["weekdays"], bool(v["holidays"])), n=v["max_days_per_month"]),
            _("Unavailable: {dates}").format(dates=", ".join(unavailable[:6]) or "-"),
            p.volunteer_record(s),
        ]
        # Plain Text, never markup: a name or licence number with "[" is shown as typed.
        info.update(Text("\n").join([head, *(sentence(line) for line in lines)]))
        for r in reversed(vq.schedule(store, volunteer_id)):
            schedule.add_row(
                r["date"],
                cell(r["village"]),
                cell(p.specialty_label(store, r["role"])),
                p.assignment_label(r["status"]),
                "" if r["hours"] is None else f"{r['hours']:g}",
            )

    # -- actions ---------------------------------------------------------------
    def action_focus_filter(self) -> None:
        search_key(self.query_one("#vol-name", Input))

    def action_clear_filter(self) -> None:
        self.query_one("#vol-name", Input).value = ""
        self.query_one("#vol-list").focus()

    def action_new(self) -> None:
        self.app.push_screen(VolunteerForm(None), self._saved)

    def action_edit(self) -> None:
        volunteer_id = self._current()
        if volunteer_id is not None:
            self.app.push_screen(VolunteerForm(volunteer_id), self._saved)

    def _saved(self, volunteer_id: int | None) -> None:
        if volunteer_id is not None:
            self.load(keep=volunteer_id)
            self.show_detail(volunteer_id)

    def action_weekend(self) -> None:
        volunteer_id = self._current()
        if volunteer_id is not None:
            self.app.push_screen(WeekendList(volunteer_id))
