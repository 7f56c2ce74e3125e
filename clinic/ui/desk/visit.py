"""The visit form: vitals, complaint, conditions, referral, follow-up; flags at once.

Every change is saved as a draft at once (and on leaving), so a
half-filled visit is never lost and never blocked by a field elsewhere. A
value outside its plausible range is refused beside the field, in words; the
other fields are still saved. Flags from the readings show as they are typed.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Label, Static

from clinic.core import desk, edits
from clinic.core import vitals as V
from clinic.core.desk import closing
from clinic.core.desk.closing import Closed
from clinic.core.errors import ClinicError, FieldError, FormError
from clinic.i18n import N_, _, join_list
from clinic.ui.desk.closed import tell_closed
from clinic.ui.desk.fields import FieldInput, FieldList, move_focus
from clinic.ui.desk.visit_panels import VisitPanels
from clinic.ui.errors import show_error
from clinic.ui.keys import ScreenKeysProvider
from clinic.ui.text import lines, plain, sentence, shown
from clinic.ui.threads import still_shown
from clinic.ui.widgets.confirm import ConfirmDialog
from clinic.ui.widgets.footer import Footer
from clinic.ui.widgets.selection import SelectionList

# Field id, label msgid, placeholder msgid. Glucose follows blood pressure:
# the two readings taken at nearly every visit come first.
FIELDS = (
    ("bp", N_("Blood pressure (mmHg)"), N_("e.g. 135/85")),
    ("glucose", N_("Glucose (mmol/L)"), N_("e.g. 6.1")),
    ("pulse", N_("Pulse (/min)"), ""),
    ("weight_kg", N_("Weight (kg)"), ""),
    ("height_cm", N_("Height (cm)"), ""),
    ("complaint", N_("Complaint"), ""),
    ("notes", N_("Notes"), ""),
    # The label short enough for its column at 80x24 ("转诊至（空为不" was cut).
    ("referral_to", N_("Referral to"), N_("empty: none; e.g. township health centre")),
    ("follow_up_due", N_("Follow-up (date or 3m/4w/30d)"), N_("empty: none")),
)
ORDER = (
    "bp",
    "glucose",
    "pulse",
    "weight_kg",
    "height_cm",
    "complaint",
    "conditions",
    "notes",
    "referral_to",
    "follow_up_due",
)


class VisitScreen(VisitPanels):
    COMMANDS = {ScreenKeysProvider}
    CSS_PATH = "desk.tcss"
    # Priority: run by the app in the order the keys came, like the fields' own keys
    # (fields.py), so a key typed after Esc or Ctrl+D never lands in this form.
    # Done is Ctrl+D, not the desk's Ctrl+F (filter): pressing it twice closed a
    # visit and then filtered the queue.
    BINDINGS = [
        Binding("ctrl+r", "prescriptions", N_("Prescriptions"), priority=True),
        Binding("ctrl+g", "toggle_fasting", N_("Fasting/random"), priority=True),
        Binding("ctrl+d", "finish", N_("Done"), priority=True),
        # Read-only (a clerk, a pharmacist): the same key only closes the form, and says so.
        Binding("ctrl+d", "close_form", N_("Close"), priority=True),
        Binding("ctrl+s", "save", N_("Save draft"), priority=True),
        Binding("escape", "back", N_("Back (draft kept)"), priority=True),
        Binding("escape", "close_form", N_("Back"), priority=True),  # read-only: no draft
    ]

    def __init__(self, visit_id: int, volunteer_id: int | None) -> None:
        super().__init__()
        # Beside each field, as last shown; a field missing is unknown (show_error may have
        # written there) and is written again by the next recompute.
        self._shown_problems: dict[str, str] = {fid: "" for fid, _l, _p in FIELDS}
        self._catalogue_shown: list | None = None  # the conditions the list offers
        self._drafts_sent = 0  # drafts queued on the writer, and the newest one answered:
        self._drafts_answered = 0  # the form is idle (may be reused) once they are equal
        self._start_visit(visit_id, volunteer_id)

    def _start_visit(self, visit_id: int, volunteer_id: int | None) -> None:
        """Everything the form knows of one visit, as it is before the visit is loaded:
        the desk reuses the form for the next visit (``reopen``), and nothing of the last
        one may show or be saved there."""
        self.visit_id = visit_id
        self.volunteer_id = volunteer_id
        self._loading = True
        self._follow_up_touched = False
        self.flags: list[V.Flag] = []
        # A visit already done opens locked: the first change asks before reopening it.
        self.locked = False
        self._asking = False
        # The field a complete reading moved on to: an Enter typed right after the reading
        # (habit, a paste, a scanner) ends that reading instead of skipping this field.
        self._moved_to: Widget | None = None
        self._last_sent = desk.VisitForm()
        self._clashes: tuple = ()  # fields both desks changed, not yet answered
        self._clash_open = False  # the clash dialog is up: later drafts do not ask again
        self._finishing = False  # Ctrl+D asked: the visit closes once written (no clash)

    def compose(self) -> ComposeResult:
        """The form's widgets, empty: ``show_visit`` fills them with the visit's values,
        at the first opening and at each reuse alike."""
        yield Header()
        yield Static("", id="visit-title")
        with Horizontal(id="visit-main"):
            # Not a Tab stop of its own (it was an invisible one after the follow-up field).
            with VerticalScroll(id="visit-form", classes="compact", can_focus=False):
                for fid, label, placeholder in FIELDS:
                    if fid == "notes":
                        yield Label(_("Conditions assessed (Space ticks, Enter moves on)"))
                        yield FieldList(id="conditions")
                    with Horizontal(classes="field"):
                        yield Label(_(label), classes="field-label")
                        yield FieldInput(
                            placeholder=_(placeholder) if placeholder else "",
                            id=fid,
                        )
                        if fid == "glucose":
                            yield Static("", id="fasting", classes="fasting")
                    yield Static("", id=f"{fid}-error", classes="error")
            with Vertical(id="visit-side"):
                yield Static("", id="person", classes="panel")
                yield Static("", id="flags")
                yield Static(_("Earlier visits"), classes="title")
                table = DataTable(id="history", cursor_type="none")
                table.can_focus = False  # read only: no invisible Tab stop after the follow-up
                table.add_columns(_("Date"), _("BP"), _("Glucose"), _("Flags"))
                yield table
                yield Static("", id="handouts", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.show_visit()

    def reopen(self, visit_id: int, volunteer_id: int | None) -> None:
        """The form again, for another visit (the desk keeps one form: building its
        sixty widgets anew took most of a Ctrl+O). Nothing of the last visit stays:
        values, ticks, messages, flags, history, focus, scroll, the title."""
        assert self.idle, "a form still busy with its last visit is not reused"
        self._start_visit(visit_id, volunteer_id)
        self.load()
        self.show_visit()
        self.styles_kept()  # restyled as it was filled: no restyle of all sixty widgets

    @property
    def idle(self) -> bool:
        """Nothing of the visit is left to happen after leaving the form: its newest
        draft is written, no clash is waiting for an answer, no Ctrl+D is under way."""
        return (
            self._drafts_answered == self._drafts_sent
            and not self._clashes
            and not self._clash_open
            and not self._finishing
            and not self._asking
        )

    def load(self) -> None:
        store = self.app.store
        self.ctx = desk.visit_context(store, self.visit_id, self.app.today())
        self.form, self.edit = desk.visit_edit(store, self.visit_id)
        self.conditions = desk.conditions_catalogue(store)
        self.locked = self.ctx["visit"]["state"] == "done"

    def show_visit(self) -> None:
        """The loaded visit in the form, as a new form would show it."""
        self._loading = True
        with self.prevent(Input.Changed, SelectionList.SelectedChanged):
            self.fill_fields()
        self.title = _("Visit: {name}").format(name=self.ctx["person"]["name"])
        self.apply_rights()
        self.show_person()
        self.show_history()
        self.show_fasting()
        # A follow-up as it was left is the volunteer's: kept, never replaced by the proposal.
        # An empty one where a follow-up would have been proposed was cleared on purpose.
        loaded = self.form.values.get("follow_up_due", "")
        proposal = desk.default_follow_up(
            desk.read_visit_form(self.form, self.ctx["day"]["date"])[1].flags, self.form.conditions
        )
        self._follow_up_touched = bool(loaded) or bool(self.form.values and proposal)
        self.recompute()
        self.show_handouts(self.ctx["handouts"])
        self.query_one("#visit-form", VerticalScroll).scroll_home(animate=False)
        if not self.read_only:
            self.set_focus(self.query_one("#bp", Input))  # now: keys right after Ctrl+O land here
        self._loading = False

    def fill_fields(self) -> None:
        """Each field the visit's value, the cursor at its end, nothing selected; the
        conditions list ticked as recorded, on its first line."""
        for fid, _l, _p in FIELDS:
            field = self.query_one(f"#{fid}", FieldInput)
            field.value = self.form.values.get(fid, "")
            field.cursor_position = len(field.value)
        chosen = self.query_one("#conditions", SelectionList)
        if self._catalogue_shown != self.conditions:
            chosen.clear_options()
            chosen.add_options([(name, code) for code, name in self.conditions])
            self._catalogue_shown = list(self.conditions)
        chosen.deselect_all()
        for code in self.form.conditions:
            chosen.select(code)
        chosen.highlighted = 0 if self.conditions else None
        chosen.scroll_home(animate=False)

    # -- panels --------------------------------------------------------------------
    def show_fasting(self) -> None:
        label = _("fasting") if self.form.fasting else _("random")
        self.show("#fasting", Content(f"[{label}] Ctrl+G"))

    def action_toggle_fasting(self) -> None:
        if not self.field_may_edit():
            return
        self.form.fasting = not self.form.fasting
        self.show_fasting()
        self.changed()

    # -- who may write in it --------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        """Vitals and consults are a clinician's (clinic.core.users.RIGHTS): for a clerk or
        a pharmacist signed in, the form only shows what is recorded."""
        user = self.app.user
        return user is None or not user.may("record_consult")

    def apply_rights(self) -> None:
        for field in self.query(FieldInput):
            field.disabled = self.read_only
        self.query_one("#conditions", SelectionList).disabled = self.locked or self.read_only
        self.show("#visit-title", self.banner())
        self.show_handouts()  # names Ctrl+R only to whom may press it
        if self.read_only:
            self.set_focus(None)
        self.refresh_bindings()

    # The keys that write: not offered on a read-only form, where they did nothing
    # without a word (its banner says who may write: F12). Ctrl+D there is "Close".
    WRITING_ACTIONS = frozenset({"prescriptions", "toggle_fasting", "save"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("finish", "back"):
            return not self.read_only
        if action == "close_form":
            return self.read_only
        return not (action in self.WRITING_ACTIONS and self.read_only)

    def action_close_form(self) -> None:
        """Ctrl+D on a read-only form: it records nothing (it offered "Done", and a clerk
        took the visit as recorded)."""
        self.dismiss(None)

    def user_changed(self, user) -> None:
        """Another user signed in over the form (F12): their rights apply from now on."""
        self.apply_rights()
        if not self.read_only and self.focused is None:
            self.set_focus(self.query_one("#bp", Input))

    # -- a visit already done ------------------------------------------------------------
    def field_may_edit(self) -> bool:
        """False while the visit is done and not reopened; asks (once) whether to change it."""
        if self.read_only:
            return False
        if not self.locked:
            return True
        if not self._asking:
            self._asking = True
            question = _(
                "The visit of {name} is done. Change it? (It stays done; the change is saved.)"
            ).format(name=shown(self.ctx["person"]["name"]))
            self.app.push_screen(
                ConfirmDialog(question, _("Change it"), _("Leave it")), self._unlock
            )
        return False

    def _unlock(self, yes: bool | None) -> None:
        self._asking = False
        if yes:
            self.locked = False
            self.query_one("#conditions", SelectionList).disabled = False
            self.show("#visit-title", self.banner())

    # -- reading the form ------------------------------------------------------------
    def read(self) -> desk.VisitForm:
        self.form.values = {fid: self.query_one(f"#{fid}", Input).value for fid, _l, _p in FIELDS}
        self.form.conditions = list(self.query_one("#conditions", SelectionList).selected)
        return self.form

    def recompute(self) -> dict[str, str]:
        row, result = desk.read_visit_form(self.read(), self.ctx["day"]["date"])
        for fid, _l, _p in FIELDS:
            message = result.problems.get(fid, "")
            if self._shown_problems.get(fid) == message:
                continue  # unchanged: an update would lay the whole form out again
            self._shown_problems[fid] = message
            box = self.query_one(f"#{fid}-error", Static)
            box.update(sentence(message))  # it may quote what was typed
            box.set_class(bool(message), "-shown")
            self.query_one(f"#{fid}", Input).set_class(bool(message), "-invalid")
        urgent_before = {f.code for f in self.flags if f.level == "urgent"}
        self.flags = result.flags
        if not self._loading and any(
            f.level == "urgent" and f.code not in urgent_before for f in self.flags
        ):
            self.app.bell()  # an urgent reading: make sure the desk looks up
        parts = [
            plain(
                f" {'‼' if f.level == 'urgent' else '!'} {f.message} ",
                "bold reverse red" if f.level == "urgent" else "bold yellow",
            )
            for f in self.flags
        ] or [plain(_("No flags"))]
        bmi = V.bmi(row.get("weight_kg"), row.get("height_cm"))
        if bmi is not None:
            parts.append(plain(_("BMI {bmi}").format(bmi=bmi)))
        self.show("#flags", lines(*parts))
        follow_up = self.query_one("#follow_up_due", Input)
        if not self._follow_up_touched and self.focused is not follow_up:
            # A sensible default the volunteer sees and may clear: typing in the field keeps their value.
            proposed = desk.default_follow_up(self.flags, self.form.conditions) or ""
            if follow_up.value != proposed:
                follow_up.value = proposed
                self.form.values["follow_up_due"] = proposed
        return result.problems

    def field_typed(self, field: FieldInput, inserted: bool) -> None:
        """Called as a key is applied (fields.py): a complete reading moves on by itself,
        there and then, so the next key already goes to the next field."""
        self._moved_to = None
        if field.id == "follow_up_due":
            self._follow_up_touched = True
        if (
            inserted
            and field.id in ("bp", "glucose")
            and field.cursor_position == len(field.value)
            and V.looks_complete(field.id, field.value)
        ):
            try:
                V.parse_bp(field.value) if field.id == "bp" else V.parse_number(
                    field.value, "glucose"
                )
            except FieldError:
                return  # stay: the message beside the field says what is wrong
            self._advance(field.id)
            self._moved_to = self.focused

    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def changed(self) -> None:
        if self._loading or self.read_only:
            return
        self.recompute()
        # Saved at once (a millisecond in WAL mode): nothing typed is lost,
        # even if the laptop is shut a moment later.
        self.save_draft()

    def save_draft(self, keep_mine: tuple[str, ...] = (), finish: bool = False) -> bool:
        """Queue the form, as it stands, on the app's writer (one job per visit: a
        newer draft replaces one not yet written, so fast typing makes few writes).
        Merged with another desk's changes field by field (clinic.core.edits)."""
        form = self.read() if self.shown else self._last_sent
        snapshot = desk.VisitForm(
            dict(form.values), form.fasting, list(form.conditions), form.queue
        )
        self._last_sent = snapshot  # what a clash answered after leaving the form saves
        edit, day, visit_id = self.edit, self.ctx["day"], self.visit_id
        now, volunteer_id, user = self.app.now(), self.volunteer_id, self.app.user

        def write(store):
            saved = desk.save_visit_edit(
                store,
                edit,
                day,
                snapshot,
                now,
                volunteer_id,
                by=user,
                finish=finish,
                keep_mine=keep_mine,
            )
            closed = finish and not saved.clashes
            return saved, (closing.after_close(store, visit_id) if closed else None)

        self._drafts_sent += 1
        number = self._drafts_sent

        def done(result: tuple) -> None:
            self._answered(number)
            self.saved(snapshot, *result)

        def failed(exc: ClinicError) -> None:
            self._answered(number)
            self.save_failed(exc)

        self.app.write(write, key=f"visit:{visit_id}", done=done, failed=failed)
        return True

    def _answered(self, number: int) -> None:
        """A draft is written (or failed): drafts replaced on the writer by a newer
        one are never answered, so the newest answered is what counts."""
        self._drafts_answered = max(self._drafts_answered, number)

    @property
    def shown(self) -> bool:
        """The form is open (on the screen, or under a dialog of its own). Left, it stays
        mounted for the desk's next visit: ``is_attached`` no longer tells."""
        return still_shown(self)

    def save_failed(self, exc: ClinicError) -> None:
        self._shown_problems = {}  # show_error may have written beside the fields
        show_error(self, exc)  # left meanwhile: a notification, not the next form's boxes

    def saved(self, sent: desk.VisitForm, result: edits.Saved, finished) -> None:
        """A save is written: show what another desk changed underneath, ask about
        the fields both changed, and after Ctrl+D, close the visit."""
        if self.shown and result.theirs:
            self.show_theirs(sent, result.theirs)
        self._clashes = result.clashes  # the newest save knows the newest typing
        if result.clashes and self._finishing:  # Ctrl+D: answered, then closed
            self.ask_clashes(result.clashes)
        elif result.clashes:
            self.ask_when_left()
        elif finished is not None:
            self.finished(finished)

    def ask_when_left(self) -> None:
        """Ask about the clashes once the user is out of the fields they are about: a
        dialog opened at the first key of a value would take the keys that follow it."""
        if not self._clashes or self._clash_open:
            return
        fields = {told.clash.field for told in self._clashes}
        focused = self.focused.id if self.shown and self.focused else None
        if focused not in fields or not self.shown:
            self.ask_clashes(self._clashes)

    def on_descendant_focus(self) -> None:
        self.ask_when_left()

    def show_theirs(self, sent: desk.VisitForm, theirs: dict) -> None:
        """Fields only the other desk changed: the form shows their value (unless
        something was typed there since this save was sent)."""
        sent_fields = desk.visit_fields(sent)
        now_fields = desk.visit_fields(self.read())
        self._loading = True
        try:
            for name, value in theirs.items():
                if edits.same_value(now_fields.get(name), sent_fields.get(name)):
                    self.show_value(name, value)
        finally:
            self._loading = False
        self.recompute()

    def show_value(self, name: str, value) -> None:
        if name == "fasting":
            self.form.fasting = bool(value)
            self.show_fasting()
        elif name == "conditions":
            chosen = self.query_one("#conditions", SelectionList)
            chosen.deselect_all()
            for code in value or []:
                chosen.select(code)
        else:
            self.query_one(f"#{name}", Input).value = value or ""

    def ask_clashes(self, clashes: tuple) -> None:
        from clinic.ui.clash_dialog import ClashDialog

        if self._clash_open:
            return  # the open dialog asks about these fields already
        self._clash_open = True
        if self.shown:  # "you typed": as the form is now, not as last written
            typed = desk.visit_fields(self.read())
            clashes = tuple(
                replace(t, clash=replace(t.clash, mine=typed[t.clash.field])) for t in clashes
            )
        labels = {fid: _(label) for fid, label, _p in FIELDS}
        labels.update(fasting=_("fasting"), conditions=_("Conditions assessed"))
        names = dict(self.conditions)

        def shown(_field: str, value) -> str:
            if isinstance(value, bool):
                return _("fasting") if value else _("random")
            if isinstance(value, list | tuple):
                return join_list(names.get(code, code) for code in value)
            return str(value)

        def chosen(choices: dict[str, bool] | None) -> None:
            self._clash_open = False
            self._clashes = ()
            keep = tuple(name for name, mine in (choices or {}).items() if mine)
            theirs = {t.clash.field: t.clash.theirs for t in clashes}
            if not self.shown:  # left the form meanwhile: its last draft, answered
                fields = desk.visit_fields(self._last_sent)
                fields.update({n: theirs[n] for n, mine in (choices or {}).items() if not mine})
                self._last_sent = desk.visit_form_of(fields, self._last_sent.queue)
            else:
                self._loading = True
                try:
                    for name, mine in (choices or {}).items():
                        if not mine:
                            self.show_value(name, theirs[name])
                finally:
                    self._loading = False
                self.recompute()
            self.save_draft(keep_mine=keep, finish=self._finishing)

        self.app.push_screen(ClashDialog(clashes, labels, shown), chosen)

        # -- moving on --------------------------------------------------------------------

    def field_entered(self, field: Widget) -> None:
        """Enter in a field (fields.py): the next field, focused at once."""
        if field is self._moved_to and not getattr(field, "value", ""):
            self._moved_to = None  # the Enter of the reading that already moved on
            return
        self._moved_to = None
        self._advance(field.id)

    def _advance(self, current: str | None) -> None:
        index = ORDER.index(current) if current in ORDER else len(ORDER)
        for following in ORDER[index + 1 :]:
            widget = self.query_one(f"#{following}")
            if widget.focusable:  # the conditions list is off while a done visit is locked
                move_focus(widget)
                return

    # -- actions ------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.read_only:
            return
        if self.save_draft():
            self.notify(_("Draft saved."))

    def action_back(self) -> None:
        if self._clashes:  # answered first: then Esc leaves
            self.ask_clashes(self._clashes)
            return
        if not self.locked and not self.read_only:
            self.save_draft()
        self.dismiss(None)

    def action_prescriptions(self) -> None:
        from clinic.ui.desk.handout import HandoutDialog

        if not self.field_may_edit() or not self.save_draft():
            return

        def given(ids: list[int] | None) -> None:
            if ids:
                self.show_handouts()

        self.app.push_screen(
            HandoutDialog(self.ctx, self.form.conditions, self.flags, self.volunteer_id), given
        )

    def action_finish(self) -> None:
        if self.locked or self.read_only:  # done and unchanged: nothing to close again
            self.dismiss(None)
            return
        _row, result = desk.read_visit_form(self.read(), self.ctx["day"]["date"])
        if result.problems:  # beside their fields, the first one focused
            self._shown_problems = {}
            show_error(self, FormError(result.problems))
            return
        if self._clashes:  # answered first: then the visit closes with the choices
            self._finishing = True
            self.ask_clashes(self._clashes)
            return
        self._finishing = True
        self.save_draft(finish=True)

    def finished(self, closed: Closed) -> None:
        """Closed: said, the question about conditions asked once, then the form closes."""
        self._finishing = False
        visit_id = self.visit_id
        tell_closed(self, closed, lambda: self.dismiss(visit_id))
