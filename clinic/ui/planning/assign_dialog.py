"""The dialog that puts a volunteer on a clinic day: the candidates, why others cannot serve."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from clinic.core import catalogues
from clinic.core import planning as p
from clinic.core.planning import volunteers as vq
from clinic.i18n import N_, _, pick
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.text import cell, sentence, shown
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


class AssignDialog(ClinicModal):
    """Choose a role and a volunteer; each volunteer shows whether they can come and, if not, why."""

    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, day_id: int) -> None:
        super().__init__()
        self.day_id = day_id
        self.changed = False

    def compose(self) -> ComposeResult:
        store = self.app.store
        day = p.get_day(store, self.day_id)
        lines = p.day_needs(store, self.day_id)
        roles = [
            (cell(f"{p.specialty_label(store, n.role)} ({n.filled}/{n.needed})"), n.role)
            for n in lines
        ]
        known = {n.role for n in lines}
        roles += [
            (cell(pick(s["name_zh"], s["name_en"])), s["code"])
            for s in catalogues.specialties(store)
            if s["code"] not in known
        ]
        first_open = next(
            (n.role for n in lines if n.open), lines[0].role if lines else roles[0][1]
        )
        with Vertical(classes="dialog", id="assign-dialog"):
            yield Static(
                _("Assign a volunteer to {date} {village}").format(
                    date=day["date"], village=day["village"]
                ),
                classes="title",
            )
            with Horizontal(classes="row"):
                yield Select(roles, id="role", value=first_open, allow_blank=False)
                yield Input(id="filter", placeholder=_("Filter by name"))
            yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
            yield Static("", id="assign-status")
            yield Static(_("Enter: assign · Esc: close"), classes="muted")
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        self.query_one("#candidates", DataTable).add_columns(
            _("Volunteer"), _("Specialty"), _("Organisation"), _("Days"), _("Can come?")
        )
        self.load()
        self.query_one("#candidates").focus()

    def load(self) -> None:
        store = self.app.store
        role = str(self.query_one("#role", Select).value)
        name = self.query_one("#filter", Input).value.strip()
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for c in p.candidates(store, self.day_id, role, name=name):
            v = c.volunteer
            verdict = Text(_("yes"), style="green") if c.refusal is None else cell(c.reason, "red")
            if c.refusal is None and not c.matches:
                verdict = Text(_("yes, other specialty"), style="yellow")
            table.add_row(
                cell(v["name"]),
                cell(pick(v["specialty_zh"], v["specialty_en"]) or ""),
                cell(v["organisation"] or ""),
                v["days"],
                verdict,
                key=str(v["id"]),
            )

    @on(Select.Changed, "#role")
    @on(Input.Changed, "#filter")
    def refilter(self) -> None:
        self.load()

    @on(Input.Submitted, "#filter")
    def to_table(self) -> None:
        self.query_one("#candidates").focus()

    @on(DataTable.RowSelected, "#candidates")
    def chosen(self, event: DataTable.RowSelected) -> None:
        volunteer_id = int(event.row_key.value)
        role = str(self.query_one("#role", Select).value)
        status = self.query_one("#assign-status", Static)
        day_id = self.day_id

        def write(store):
            _id, warnings = p.assign(store, day_id, volunteer_id, role)
            return vq.volunteer(store, volunteer_id)["name"], warnings

        # Written on the app's writer: the dialog stays responsive while another
        # desk holds the lock.
        self.app.write(
            write,
            done=lambda result: self._assigned(*result),
            failed=lambda exc: show_error(
                self, exc, box=status, template=_("Refused: {reason}"), style="bold red"
            ),
        )

    def _assigned(self, name: str, warnings: list[str]) -> None:
        self.changed = True
        if not still_shown(self):
            return
        text = _("{name} assigned.").format(name=shown(name))
        if warnings:
            text += " " + _("Warning: {text}").format(text=" ".join(warnings))
        status = self.query_one("#assign-status", Static)
        status.update(sentence(text, "yellow" if warnings else "green"))
        self.load()

    def action_close(self) -> None:
        self.dismiss(self.changed)
