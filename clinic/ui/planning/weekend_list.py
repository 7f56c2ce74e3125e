"""A paired cadre's (结对帮扶) weekend list of households to visit."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import (
    DataTable,
    Input,
    Static,
)

from clinic.core import planning as p
from clinic.core.planning import volunteers as vq
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.planning.widgets import cursor_id
from clinic.ui.text import cell, sentence
from clinic.ui.widgets.footer import Footer


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
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        self.query_one("#weekend", DataTable).add_columns(
            _("Household no."),
            _("Head"),
            _("Follow-up due"),  # early: it decides the order, and must show at 80 columns
            _("Village"),
            _("Category"),
            _("Persons"),
            _("Last home visit"),  # the cadre's (pairing_visits), not a clinic visit
            _("Flags"),
        )
        self.load()
        self.query_one("#weekend").focus()

    def load(self) -> None:
        from clinic.core.categories import category_label

        store = self.app.store
        v = vq.volunteer(store, self.cadre_id)
        rows = p.weekend_list(store, self.cadre_id, self.app.today())
        sat, sun = p.next_weekend(self.app.today())
        self.query_one("#weekend-title", Static).update(
            sentence(
                _("{name}: {n} households; next weekend {sat}–{sun}."),
                name=v["name"],
                n=len(rows),
                sat=sat,
                sun=sun,
            )
            if rows
            else sentence(_("{name} is not paired with any household."), name=v["name"])
        )
        table = self.query_one("#weekend", DataTable)
        table.clear()
        for r in rows:
            due = Text(p.follow_up_text(r), style="bold red" if r["overdue"] else "")
            table.add_row(
                cell(r["number"] or ""),
                cell(r["head_name"]),
                due,
                cell(r["village"]),
                category_label(r["category"]),
                r["persons"],
                r["last_visit"] or _("never"),
                ", ".join(p.flag_label(f) for f in r["flags"]),
                key=str(r["id"]),
            )

    def action_visit(self) -> None:
        """Writes here go through the app's writer: the list stays responsive while
        another desk holds the lock, and reloads once written."""
        table = self.query_one("#weekend", DataTable)
        household = cursor_id(table)
        if household is None:
            return
        cadre_id, today = self.cadre_id, self.app.today().isoformat()

        def done(recorded: bool) -> None:
            if recorded:
                self.notify(_("Visit recorded."))
            else:
                self.notify(_("A visit on {date} was recorded already.").format(date=today))
            self.load()
            # The list is in order of urgency: the household visited moves down it, and
            # the highlight goes with it (left on the row, the next v went to another).
            table.move_cursor(row=table.get_row_index(str(household)))

        self.app.write(
            lambda store: p.log_pairing_visit(store, household, cadre_id, today),
            done=done,
            failed=lambda exc: show_error(self, exc),
        )

    def action_pair(self) -> None:
        self.query_one("#pair-input", Input).focus()

    @on(Input.Submitted, "#pair-input")
    def pair_submitted(self, event: Input.Submitted) -> None:
        status = self.query_one("#pair-status", Static)
        text, cadre_id = event.value, self.cadre_id

        def write(store):
            with store.transaction():
                household = p.find_household(store, text)
                p.pair(store, household["id"], cadre_id)
            return household

        def done(household) -> None:
            status.update(
                sentence(
                    _("Paired with the household of {head} ({village})."),
                    "green",
                    head=household["head_name"],
                    village=household["village"],
                )
            )
            event.input.value = ""
            self.load()
            self.query_one("#weekend").focus()

        self.app.write(
            write,
            done=done,
            failed=lambda exc: show_error(self, exc, box=status, style="bold red"),
        )

    def action_unpair(self) -> None:
        household = cursor_id(self.query_one("#weekend", DataTable))
        if household is not None:
            self.app.write(
                lambda store: p.pair(store, household, None),
                done=lambda _result: self.load(),
                failed=lambda exc: show_error(self, exc),
            )

    def action_close(self) -> None:
        self.dismiss(None)
