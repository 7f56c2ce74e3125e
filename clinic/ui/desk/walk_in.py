"""The walk-in form: a person not in the register, typed at the desk and checked in."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static

from clinic.core import catalogues, desk
from clinic.core.categories import parse_sex
from clinic.core.errors import DuplicateWarning, FieldError, InputError
from clinic.core.privacy import mask_id, mask_phone
from clinic.i18n import N_, _
from clinic.ui.base import ClinicModal
from clinic.ui.desk.fields import FieldInput, FieldSelect, move_focus
from clinic.ui.errors import show_error
from clinic.ui.text import cell, sentence
from clinic.ui.widgets.footer import Footer


@dataclass
class WalkInResult:
    """What the walk-in form ends with: a registered person picked among the look-alikes
    (check them in), or a checked form to register once consent is given."""

    person_id: int | None = None
    clean: desk.CleanWalkIn | None = None
    confirm_duplicate: bool = False


# The sex field takes only the letters of 男/女, M/F, male/female: a name typed there
# by mistake is refused at the first character instead of being kept as the sex.
SEX_LETTERS = r"[男女MmFfAaLlEe]*"
REQUIRED = ("name", "sex", "village")


class WalkInForm(ClinicModal):
    """A person not on the register: name, sex, birth date or age, village,
    phone and ID number (optional, validated). Nothing is written here: the desk
    asks for consent first and registers the person only when it is given.
    Likely duplicates are listed to pick from (check that person in instead)."""

    ASK_BEFORE_QUIT = True  # Ctrl+Q asks before typing is lost
    # A wrong field after Ctrl+S keeps its text unselected, the cursor at its end: one
    # Backspace wiped a whole ID number that needed a digit mended (show_error).
    WRONG_VALUE_SELECTED = False

    CSS_PATH = "desk.tcss"
    # Priority: in line with the fields' own keys (fields.py).
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Register"), priority=True),
        Binding("escape", "cancel", N_("Cancel"), priority=True),
    ]
    FIELDS = ("name", "sex", "birth", "village", "phone", "id_number")

    def __init__(self, village_id: int | None, search_text: str = "") -> None:
        super().__init__()
        self.village_id = village_id
        # Only a name-like search (Chinese characters) becomes the name; pinyin or digits do not.
        text = search_text.strip()
        self.initial_name = text if text and not text.isascii() else ""
        self.confirm_pending: list[dict] | None = None
        self.candidates: list[dict] = []

    def compose(self) -> ComposeResult:
        villages = [
            (cell(f"{v['township']} {v['name']}"), v["id"])
            for v in catalogues.villages(self.app.store)
        ]
        labels = {
            "name": _("Name"),
            "sex": _("Sex (男/女, M/F)"),
            "birth": _("Birth date or age in years"),
            "village": _("Village (Space: change)"),
            "phone": _("Phone (optional)"),
            "id_number": _("ID number (optional, checked)"),
        }
        example = "1956-03-02"
        age = desk.age_on(example, self.app.today())
        with Vertical(classes="dialog compact"):
            yield Static(_("Walk-in: a person not on the register"), classes="title")
            for field in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(labels[field], classes="field-label")
                    if field == "village":
                        yield FieldSelect(
                            villages,
                            id="village",
                            prompt=_("Choose the village"),
                            value=self.village_id if self.village_id else Select.NULL,
                        )
                    elif field == "name":
                        yield FieldInput(self.initial_name, id="name")
                    elif field == "sex":
                        yield FieldInput(id="sex", max_length=6, restrict=SEX_LETTERS)
                    elif field == "birth":
                        placeholder = _("e.g. {date} or {age}").format(date=example, age=age)
                        yield FieldInput(placeholder=placeholder, id="birth")
                    else:
                        yield FieldInput(id=field)
                if field == "name" and self.initial_name:
                    yield Static(
                        _("The name was taken from the search box: change it if it is wrong."),
                        id="name-note",
                        classes="muted",
                    )
            yield Static("", id="error", classes="error")
            table = DataTable(id="dupes", cursor_type="row")
            table.add_columns(
                _("Name"), _("Birth date"), _("Village"), _("Household"), _("ID number"), _("Phone")
            )
            table.display = False
            yield table
            yield Static(
                _("Enter: next field · Ctrl+S: register"), id="walk-in-help", classes="muted"
            )
        yield Footer()

    def on_mount(self) -> None:
        move_focus(self.first_empty())

    def first_empty(self) -> Widget:
        """The first required field still empty (the name unless the search gave one)."""
        for field in REQUIRED:
            widget = self.query_one(f"#{field}")
            empty = widget.is_blank() if isinstance(widget, Select) else not widget.value.strip()
            if empty:
                return widget
        return self.query_one("#birth")

    # -- moving on ---------------------------------------------------------------------
    def field_entered(self, field: Widget) -> None:
        """Enter in a field (fields.py): the next field at once; the last one registers."""
        index = self.FIELDS.index(field.id)
        if index + 1 < len(self.FIELDS):
            move_focus(self.query_one(f"#{self.FIELDS[index + 1]}"))
        else:
            self.action_save()

    @on(Select.Changed, "#village")
    def village_chosen(self, event: Select.Changed) -> None:
        select = event.select
        if self.focused is not None and (
            self.focused is select or select in self.focused.ancestors
        ):  # chosen by the volunteer (not set by the form): a changed form, and on to the phone
            self.confirm_pending = None
            move_focus(self.query_one("#phone"))

    def field_typed(self, field: Widget, inserted: bool) -> None:
        """A key changed the form (fields.py, at once): a duplicate warning no longer holds.
        (Reset on Input.Changed instead, the changes typed just before Ctrl+S arrived after
        it and took back the confirmation it had just asked for.)"""
        self.confirm_pending = None

    # -- look-alikes -----------------------------------------------------------------------
    def show_candidates(self, candidates: list[dict]) -> None:
        self.candidates = candidates[:10]
        table = self.query_one("#dupes", DataTable)
        table.clear()
        for d in self.candidates:
            table.add_row(
                cell(d["name"]),
                d["birth_date"] or "",
                cell(d["village"] or ""),
                cell(d["household_number"] or "-"),
                mask_id(d["id_number"]),
                mask_phone(d.get("phone")),
                key=str(d["id"]),
            )
        table.display = True
        self.query_one("#walk-in-help", Static).update(
            _("↑↓ Enter: check this person in instead · Esc: back to the form")
        )
        move_focus(table)

    def hide_candidates(self) -> None:
        self.query_one("#dupes", DataTable).display = False
        self.query_one("#walk-in-help", Static).update(_("Enter: next field · Ctrl+S: register"))
        move_focus(self.query_one("#name"))

    @on(DataTable.RowSelected, "#dupes")
    def candidate_picked(self, event: DataTable.RowSelected) -> None:
        self.dismiss(WalkInResult(person_id=int(event.row_key.value)))

    # -- actions ---------------------------------------------------------------------------
    def action_save(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value for f in self.FIELDS if f != "village"}
        village_box = self.query_one("#village", Select)
        village = None if village_box.is_blank() else village_box.value
        error = self.query_one("#error", Static)
        try:
            sex = parse_sex(values["sex"]) if values["sex"].strip() else None
        except FieldError as exc:
            show_error(self, exc.at("sex"))
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
        confirmed = self.confirm_pending is not None
        try:
            desk.check_walk_in(self.app.store, clean, confirm_duplicate=confirmed)
        except DuplicateWarning as exc:
            lines = [exc.message]
            if any(d["id_number"] and d["id_number"] == clean.id_number for d in exc.candidates):
                lines.append(_("Enter checks the registered person in."))
            else:
                lines.append(_("Ctrl+S again registers a new person anyway."))
                self.confirm_pending = exc.candidates
            error.update(sentence("\n".join(lines)))  # the warning names look-alikes
            self.show_candidates(exc.candidates)
            return
        except InputError as exc:  # the form's problems: a FormError
            show_error(self, exc)
            return
        self.dismiss(WalkInResult(clean=clean, confirm_duplicate=confirmed))

    def action_cancel(self) -> None:
        village = self.query_one("#village", Select)
        if village.expanded:  # Esc closes the open list of villages, not the form
            village.expanded = False
            move_focus(village)
        elif self.query_one("#dupes", DataTable).display:
            self.hide_candidates()  # back to the form, as typed
        else:
            self.leave()
