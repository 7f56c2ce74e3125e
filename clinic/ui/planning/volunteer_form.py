"""The form that adds or edits a volunteer: contact, specialty, organisation, availability."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    Static,
)

from clinic.core import catalogues
from clinic.core import planning as p
from clinic.core.errors import ClinicError, FieldError
from clinic.core.planning import availability
from clinic.core.planning import volunteers as vq
from clinic.core.planning.availability import parse_availability
from clinic.core.privacy import mask_phone
from clinic.i18n import N_, _, pick
from clinic.ui.base import ClinicModal
from clinic.ui.errors import show_error
from clinic.ui.planning.widgets import form_footer
from clinic.ui.text import cell
from clinic.ui.threads import still_shown
from clinic.ui.widgets.footer import Footer


def _phone_field(typed: str, old: str | None) -> str | None:
    """The phone stays masked on screen: empty keeps the old number, "-" removes it."""
    typed = typed.strip()
    if typed == "-":
        return None
    return typed or old


class VolunteerForm(ClinicModal):
    ASK_BEFORE_QUIT = True  # Ctrl+Q asks before typing is lost
    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, volunteer_id: int | None) -> None:
        super().__init__()
        self.volunteer_id = volunteer_id
        self.old_phone: str | None = None

    def compose(self) -> ComposeResult:
        store = self.app.store
        orgs = [(cell(o["short_name"]), o["id"]) for o in catalogues.organisations(store)]
        specs = [
            (cell(pick(s["name_zh"], s["name_en"])), s["code"])
            for s in catalogues.specialties(store)
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
            yield Label(_("Availability (weekends, weekdays, sat, holidays, any …)"))
            yield Input(id="f-avail", value=availability.words("0123456", True))
            yield Label(_("Dates unavailable (2026-12-05, 2026-12-12 …)"))
            yield Input(id="f-unavailable")
            with Horizontal(classes="row"):
                yield Checkbox(_("Active"), True, id="f-active")
                yield Checkbox(_("Paired cadre (结对帮扶)"), False, id="f-cadre")
            yield from form_footer()
        yield Footer()  # its keys (Ctrl+S, Esc …) and F1, also at 80x24

    def on_mount(self) -> None:
        store = self.app.store
        if self.volunteer_id is not None:
            v = vq.volunteer(store, self.volunteer_id)
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
            self.query_one("#f-avail", Input).value = availability.words(
                v["weekdays"], bool(v["holidays"])
            )
            self.query_one("#f-unavailable", Input).value = ", ".join(
                vq.unavailable_dates(store, self.volunteer_id)
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
                raise FieldError(_("The most clinic days a month is a whole number."), "f-max")
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
        except ClinicError as exc:
            show_error(self, exc)
            return
        volunteer_id = self.volunteer_id
        # Written on the app's writer: the form stays responsive while another desk
        # holds the lock, and closes once the volunteer is saved.
        self.save_once(
            lambda store: p.save_volunteer(store, vol, volunteer_id),
            done=lambda saved_id: self.dismiss(saved_id) if still_shown(self) else None,
            failed=lambda exc: show_error(self, exc),
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave()
