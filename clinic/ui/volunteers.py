"""Volunteers: the list with filters, a form to add and edit, each one's schedule and hours,
and for paired cadres (结对帮扶) their weekend list of households.

Keys: / filter by name · n new · e edit (or Enter) · w weekend list of a cadre.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from clinic.core import planning as p
from clinic.core.availability import describe, parse_availability
from clinic.core.errors import ClinicError
from clinic.core.privacy import mask_phone
from clinic.i18n import N_, _, ngettext, pick
from clinic.store import assignments as assignments_q
from clinic.store import catalogues as catalogues_q
from clinic.store import volunteers as volunteers_q
from clinic.ui.base import ClinicModal, ClinicScreen
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.planning_widgets import cursor_id, form_footer

ALL = "*"


def _phone_field(typed: str, old: str | None) -> str | None:
    """The phone stays masked on screen: empty keeps the old number, "-" removes it."""
    typed = typed.strip()
    if typed == "-":
        return None
    return typed or old


class VolunteersScreen(ClinicScreen):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = ["planning.tcss", "volunteers.tcss"]
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Filter"), key_display="/"),
        Binding("n", "new", N_("New volunteer")),
        Binding("e", "edit", N_("Edit")),
        Binding("w", "weekend", N_("Weekend list (cadre)")),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False),
    ]

    def compose(self) -> ComposeResult:
        store = self.app.store
        orgs = [(_("All organisations"), ALL)] + [
            (o["short_name"], o["id"])
            for o in catalogues_q.organisations(store)
            if o["parent_id"] is None
        ]
        specs = [(_("All specialties"), ALL)] + [
            (pick(s["name_zh"], s["name_en"]), s["code"]) for s in catalogues_q.specialties(store)
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
        rows = volunteers_q.volunteers(
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
                Text(name, style="" if v["active"] else "dim"),
                pick(v["specialty_zh"], v["specialty_en"]) or "",
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
        v = volunteers_q.volunteer(store, volunteer_id)
        today = self.app.today().isoformat()
        s = p.volunteer_summary(store, volunteer_id, today)
        unavailable = [d for d in volunteers_q.unavailable_dates(store, volunteer_id) if d >= today]
        head = Text.assemble(
            (v["name"], "bold"),
            f"  {pick(v['specialty_zh'], v['specialty_en']) or ''}  {v['organisation'] or ''}",
        )
        lines = [
            _("Licence: {value}").format(value=v["licence_no"] or "-"),
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
        info.update(Text("\n").join([head, *(Text(line) for line in lines)]))
        for r in reversed(assignments_q.schedule(store, volunteer_id)):
            schedule.add_row(
                r["date"],
                r["village"],
                p.specialty_label(store, r["role"]),
                p.assignment_label(r["status"]),
                "" if r["hours"] is None else f"{r['hours']:g}",
            )

    # -- actions ---------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#vol-name", Input).focus()

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


class VolunteerForm(ClinicModal):
    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, volunteer_id: int | None) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id
        self.old_phone: str | None = None

    def compose(self) -> ComposeResult:
        store = self.app.store
        orgs = [(o["short_name"], o["id"]) for o in catalogues_q.organisations(store)]
        specs = [
            (pick(s["name_zh"], s["name_en"]), s["code"]) for s in catalogues_q.specialties(store)
        ]
        with VerticalScroll(classes="dialog", id="vol-form"):
            yield Static(
                _("Edit volunteer") if self.volunteer_id else _("New volunteer"), classes="title"
            )
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("Name"))
                    yield Input(id="f-name")
                with Vertical():
                    yield Label(_("Phone"))
                    yield Input(id="f-phone")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("Organisation"))
                    yield Select(orgs, id="f-org", prompt=_("Choose an organisation"))
                with Vertical():
                    yield Label(_("Specialty"))
                    yield Select(specs, id="f-spec", prompt=_("Choose a specialty"))
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(_("Licence number"))
                    yield Input(id="f-licence")
                with Vertical():
                    yield Label(_("Most clinic days a month (empty: no limit)"))
                    yield Input(id="f-max")
            yield Label(_("Availability (周末, 工作日, 周六, 节假日, 不限 …)"))
            yield Input(id="f-avail", value="不限")
            yield Label(_("Dates unavailable (2026-12-05, 2026-12-12 …)"))
            yield Input(id="f-unavailable")
            with Horizontal(classes="row"):
                yield Checkbox(_("Active"), True, id="f-active")
                yield Checkbox(_("Paired cadre (结对帮扶)"), False, id="f-cadre")
            yield from form_footer()

    def on_mount(self) -> None:
        store = self.app.store
        if self.volunteer_id is not None:
            v = volunteers_q.volunteer(store, self.volunteer_id)
            self.query_one("#f-name", Input).value = v["name"]
            # Phones stay masked on screen: an empty field keeps the number on record.
            self.old_phone = v["phone"]
            if v["phone"]:
                self.query_one("#f-phone", Input).placeholder = _(
                    "{phone} (type to replace, - to remove)"
                ).format(phone=mask_phone(v["phone"]))
            if v["organisation_id"]:
                self.query_one("#f-org", Select).value = v["organisation_id"]
            if v["specialty_code"]:
                self.query_one("#f-spec", Select).value = v["specialty_code"]
            self.query_one("#f-licence", Input).value = v["licence_no"] or ""
            self.query_one("#f-max", Input).value = (
                "" if v["max_days_per_month"] is None else str(v["max_days_per_month"])
            )
            self.query_one("#f-avail", Input).value = _availability_words(
                v["weekdays"], bool(v["holidays"])
            )
            self.query_one("#f-unavailable", Input).value = ", ".join(
                volunteers_q.unavailable_dates(store, self.volunteer_id)
            )
            self.query_one("#f-active", Checkbox).value = bool(v["active"])
            self.query_one("#f-cadre", Checkbox).value = bool(v["is_cadre"])
        self.query_one("#f-name", Input).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            avail = parse_availability(self.query_one("#f-avail", Input).value)
            max_text = self.query_one("#f-max", Input).value.strip()
            if max_text and not max_text.isdigit():
                raise p.PlanningError(_("The most clinic days a month is a whole number."))
            org = self.query_one("#f-org", Select).value
            spec = self.query_one("#f-spec", Select).value
            vol = p.VolunteerInput(
                name=self.query_one("#f-name", Input).value,
                phone=_phone_field(self.query_one("#f-phone", Input).value, self.old_phone),
                organisation_id=org if isinstance(org, int) else None,
                specialty_code=spec if isinstance(spec, str) else None,
                licence_no=self.query_one("#f-licence", Input).value,
                weekdays=avail.weekdays,
                holidays=avail.holidays,
                max_days_per_month=int(max_text) if max_text else None,
                active=self.query_one("#f-active", Checkbox).value,
                is_cadre=self.query_one("#f-cadre", Checkbox).value,
                unavailable=p.parse_dates(self.query_one("#f-unavailable", Input).value),
            )
            volunteer_id = p.save_volunteer(self.app.store, vol, self.volunteer_id)
        except ClinicError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.dismiss(volunteer_id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _availability_words(weekdays: str, holidays: bool) -> str:
    """The pattern in the words parse_availability reads back (Chinese, whatever the language)."""
    if weekdays == "0123456" and holidays:
        return "不限"
    names = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    parts = (
        ["周末"]
        if weekdays == "56"
        else (["工作日"] if weekdays == "01234" else [names[int(d)] for d in weekdays])
    )
    if holidays:
        parts.append("节假日")
    return ", ".join(parts)


class WeekendList(ClinicModal):
    """A cadre's paired households, the most urgent first; v records a visit today."""

    BINDINGS = [
        Binding("v", "visit", N_("Record a visit today")),
        Binding("p", "pair", N_("Pair a household")),
        Binding("u", "unpair", N_("Unpair the household")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, cadre_id: int) -> None:
        super().__init__()
        self.cadre_id = cadre_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="weekend-dialog"):
            yield Static("", id="weekend-title", classes="title")
            yield DataTable(id="weekend", cursor_type="row", zebra_stripes=True)
            yield Input(
                id="pair-input", placeholder=_("Household number or head's name, then Enter")
            )
            yield Static("", id="pair-status")
            yield Static(
                _("v: record a visit today · p: pair a household · u: unpair · Esc: close"),
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#weekend", DataTable).add_columns(
            _("Household no."),
            _("Head"),
            _("Follow-up due"),  # early: it decides the order, and must show at 80 columns
            _("Village"),
            _("Category"),
            _("Persons"),
            _("Last visit"),
            _("Flags"),
        )
        self.load()
        self.query_one("#weekend").focus()

    def load(self) -> None:
        from clinic.core.categories import category_label

        store = self.app.store
        v = volunteers_q.volunteer(store, self.cadre_id)
        rows = p.weekend_list(store, self.cadre_id, self.app.today())
        sat, sun = p.next_weekend(self.app.today())
        self.query_one("#weekend-title", Static).update(
            _("{name}: {n} households; next weekend {sat}–{sun}.").format(
                name=v["name"], n=len(rows), sat=sat, sun=sun
            )
            if rows
            else _("{name} is not paired with any household.").format(name=v["name"])
        )
        table = self.query_one("#weekend", DataTable)
        table.clear()
        for r in rows:
            due = Text(p.follow_up_text(r), style="bold red" if r["overdue"] else "")
            table.add_row(
                r["number"] or "",
                r["head_name"],
                due,
                r["village"],
                category_label(r["category"]),
                r["persons"],
                r["last_visit"] or _("never"),
                ", ".join(p.flag_label(f) for f in r["flags"]),
                key=str(r["id"]),
            )

    def action_visit(self) -> None:
        table = self.query_one("#weekend", DataTable)
        household = cursor_id(table)
        if household is None:
            return
        p.log_pairing_visit(self.app.store, household, self.cadre_id, self.app.today().isoformat())
        self.notify(_("Visit recorded."))
        row = table.cursor_row
        self.load()
        table.move_cursor(row=row)

    def action_pair(self) -> None:
        self.query_one("#pair-input", Input).focus()

    @on(Input.Submitted, "#pair-input")
    def pair_submitted(self, event: Input.Submitted) -> None:
        status = self.query_one("#pair-status", Static)
        try:
            household = p.find_household(self.app.store, event.value)
            p.pair(self.app.store, household["id"], self.cadre_id)
        except ClinicError as exc:
            status.update(Text(exc.message, style="bold red"))
            return
        status.update(
            Text(
                _("Paired with the household of {head} ({village}).").format(
                    head=household["head_name"], village=household["village"]
                ),
                style="green",
            )
        )
        event.input.value = ""
        self.load()
        self.query_one("#weekend").focus()

    def action_unpair(self) -> None:
        household = cursor_id(self.query_one("#weekend", DataTable))
        if household is not None:
            p.pair(self.app.store, household, None)
            self.load()

    def action_close(self) -> None:
        self.dismiss(None)
