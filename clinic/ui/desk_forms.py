"""Check-in dialogs: consent (PIPL) and the short walk-in form."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from clinic.core import desk
from clinic.core.categories import parse_sex
from clinic.core.errors import InputError
from clinic.core.privacy import mask_id
from clinic.i18n import N_, _
from clinic.store import desk as q
from clinic.ui.base import ClinicModal


class ConsentDialog(ClinicModal):
    """Record consent before any health data: who explained it, and who signed."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        # Shown in the footer; the fields' own Enter does the same.
        Binding("enter", "give", N_("Consent given")),
        Binding("escape", "cancel", N_("No consent")),
    ]

    def __init__(self, person_name: str, explained_by: int | None, explained_name: str) -> None:
        super().__init__()
        self.person_name = person_name
        self.explained_by = explained_by
        self.explained_name = explained_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                _("Consent for health data: {name}").format(name=self.person_name), classes="title"
            )
            yield Static(
                _(
                    "Explain: the clinic records blood pressure, glucose and advice to look after the person; "
                    "it is kept on this laptop, shown to the clinic team only, and never published with names. "
                    "The person may refuse or withdraw at any time and will still be seen."
                )
            )
            yield Static(
                _("Explained by: {name}").format(name=self.explained_name or "-"), classes="muted"
            )
            yield Label(_("Signed by a proxy? Their name (leave empty when the person signs)"))
            yield Input(id="proxy")
            yield Label(_("Proxy's relation to the person"))
            yield Input(placeholder=_("e.g. son, daughter, spouse"), id="relation")
            yield Static(
                _("Enter: consent given · Esc: no consent (nothing is recorded)"), classes="muted"
            )
            yield Static("", id="error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#proxy", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        proxy = self.query_one("#proxy", Input).value.strip()
        if event.input.id == "proxy" and proxy:
            self.query_one("#relation", Input).focus()
            return
        self.action_give()

    def action_give(self) -> None:
        proxy = self.query_one("#proxy", Input).value.strip()
        consent = desk.Consent(
            explained_by=self.explained_by,
            signed_by="proxy" if proxy else "self",
            proxy_name=proxy,
            proxy_relation=self.query_one("#relation", Input).value.strip(),
        )
        try:
            consent.check()
        except InputError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.dismiss(consent)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WalkInForm(ClinicModal):
    """A person not on the register: name, sex, birth date or age, village,
    phone and ID number (optional, validated). Warns of a likely duplicate."""

    CSS_PATH = "desk.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Register")),
        Binding("escape", "cancel", N_("Cancel")),
    ]
    FIELDS = ("name", "sex", "birth", "village", "phone", "id_number")

    def __init__(
        self, village_id: int | None, name: str = "", volunteer_id: int | None = None
    ) -> None:
        super().__init__()
        self.village_id = village_id
        self.volunteer_id = volunteer_id
        self.initial_name = name
        self.confirm_pending: list[dict] | None = None

    def compose(self) -> ComposeResult:
        villages = [(f"{v['township']} {v['name']}", v["id"]) for v in q.villages(self.app.store)]
        labels = {
            "name": _("Name"),
            "sex": _("Sex (男/女, M/F)"),
            "birth": _("Birth date or age in years"),
            "village": _("Village"),
            "phone": _("Phone (optional)"),
            "id_number": _("ID number (optional, checked)"),
        }
        with Vertical(classes="dialog compact"):
            yield Static(_("Walk-in: a person not on the register"), classes="title")
            for field in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(labels[field], classes="field-label")
                    if field == "village":
                        yield Select(
                            villages,
                            id="village",
                            prompt=_("Choose the village"),
                            value=self.village_id if self.village_id else Select.NULL,
                        )
                    elif field == "name":
                        yield Input(
                            self.initial_name if not self.initial_name.isascii() else "", id="name"
                        )
                    elif field == "birth":
                        yield Input(placeholder="1956-03-02 / 68", id="birth")
                    else:
                        yield Input(id=field, max_length=6 if field == "sex" else 0)
            yield Static("", id="error", classes="error")
            yield Static(_("Enter: next field · Ctrl+S: register"), classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        name = self.query_one("#name", Input)
        (self.query_one("#sex", Input) if name.value else name).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        order = [f for f in self.FIELDS if f != "village"]
        index = order.index(event.input.id)
        if index + 1 < len(order):
            self.query_one(f"#{order[index + 1]}", Input).focus()
        else:
            self.action_save()

    @on(Input.Changed)
    def edited(self) -> None:
        self.confirm_pending = None

    def action_save(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value for f in self.FIELDS if f != "village"}
        village_box = self.query_one("#village", Select)
        village = None if village_box.is_blank() else village_box.value
        error = self.query_one("#error", Static)
        try:
            sex = parse_sex(values["sex"]) if values["sex"].strip() else None
        except InputError as exc:
            error.update(exc.message)
            return
        form = desk.WalkIn(
            name=values["name"],
            sex=sex,
            birth=values["birth"],
            village_id=None if village is None else int(village),
            phone=values["phone"],
            id_number=values["id_number"],
        )
        clean = desk.clean_walk_in(form, self.app.today())
        if clean.problems:
            error.update("\n".join(clean.problems.values()))
            field = next(iter(clean.problems))
            self.query_one(f"#{field}").focus()
            return
        try:
            person_id = desk.add_walk_in(
                self.app.store,
                clean,
                confirm_duplicate=self.confirm_pending is not None,
                actor=self.app.actor,
                volunteer_id=self.volunteer_id,
            )
        except desk.DuplicateWarning as exc:
            lines = [exc.message]
            household = _("household")
            for d in exc.candidates[:5]:
                lines.append(
                    f"  {d['name']} {d['birth_date'] or ''} {d['village'] or ''} "
                    f"{household} {d['household_number'] or '-'} {mask_id(d['id_number'])}"
                )
            if any(d["id_number"] and d["id_number"] == clean.id_number for d in exc.candidates):
                lines.append(_("Esc, then find this person by name in the check-in box."))
            else:
                lines.append(
                    _("Ctrl+S again registers a new person anyway; Esc goes back to the search.")
                )
                self.confirm_pending = exc.candidates
            error.update("\n".join(lines))
            return
        except InputError as exc:
            error.update(exc.message)
            return
        self.dismiss(person_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
