"""Signing in: the first screen of the TUI, the switch of user and the lock (F12).

One screen serves the three, as they ask the same thing (a name, then its PIN):

- ``start``: nobody is signed in yet; Esc quits.
- ``switch``: over the current screen; someone else signs in, or Esc comes back.
- ``lock``: after idle minutes (or F12) it covers every screen, so no personal
  data stays visible on a laptop left alone; the same user's PIN unlocks, and
  anyone else may sign in instead. Nothing but a PIN takes it away.

The PIN is checked by :func:`clinic.core.users.sign_in` (a deliberately slow
scrypt) in a thread worker, so the screen never freezes. A database without
users gets :class:`FirstUserScreen` instead: the first coordinator is created.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from clinic.core import users
from clinic.core.errors import ClinicError
from clinic.core.users import User
from clinic.i18n import N_, _
from clinic.ui.base import ClinicScreen
from clinic.ui.desk.fields import FieldInput, move_focus
from clinic.ui.errors import show_error
from clinic.ui.threads import deliver
from clinic.ui.widgets.footer import Footer


class UserList(OptionList):
    """The users to choose from. A letter typed while the list has the focus (after a
    Tab, or a click) is the start of a name: it goes to the name box at once, in order,
    as in the desk's lists (:class:`clinic.ui.desk.fields.DeskTable`); the list dropped
    it."""

    def take_now(self, event: events.Key | events.Paste) -> bool:
        if isinstance(event, events.Paste):
            typed = event.text.strip()
        elif event.is_printable and event.character:
            typed = event.character
        else:
            return False
        name = self.screen.query_one("#name", FieldInput)
        move_focus(name)  # its name selected: what is typed replaces it, as on a click
        if typed:
            name.type_now(typed)
        return True


class SignInBase(ClinicScreen):
    """What the sign-in screens share: the layout's file, a check in a worker, errors."""

    CSS_PATH = "signin.tcss"

    def clear_errors(self) -> None:
        for box in self.query(".error"):
            if isinstance(box, Static):
                box.update("")
                box.remove_class("-shown")
        for field in self.query(Input):
            field.remove_class("-invalid")

    def refused(self, exc: ClinicError) -> None:
        """The sentence from core, beside the field it is about."""
        self.busy = False
        show_error(self, exc)


class SignInScreen(SignInBase):
    # Esc: back to the screen below when switching, quits at the start, and does
    # nothing on the lock; check_action shows the one that applies.
    BINDINGS = [
        Binding("escape", "leave", N_("Back"), key_display="Esc"),
        Binding("escape", "quit", N_("Quit"), key_display="Esc"),
        Binding("down", "move(1)", N_("Next name"), show=False),
        Binding("up", "move(-1)", N_("Previous name"), show=False),
    ]

    def __init__(self, mode: str = "start", current: User | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.current = current
        self.busy = False
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin-box"):
            yield Static("", id="signin-title", classes="title")
            yield Static("", id="signin-help")
            yield Label(_("User"))
            # FieldInputs: a name, Enter, a PIN, Enter typed at any speed land in order.
            # The name is selected when the field is come back to: a new name replaces it.
            yield FieldInput(
                placeholder=_("Type your name, or choose it below"), id="name", select_on_focus=True
            )
            yield Static("", id="name-error", classes="error")
            yield UserList(id="users")
            yield Label(_("PIN"))
            yield FieldInput(password=True, placeholder=_("Your PIN, then Enter"), id="pin")
            yield Static("", id="error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.names = [row["name"] for row in users.users(self.app.store) if row["active"]]
        self.show_mode()
        name = self.query_one("#name", Input)
        if self.mode == "lock" and self.current is not None:
            with name.prevent(Input.Changed):
                name.value = self.current.name
            self.show_names("", highlight=self.current.name)  # everyone: others may sign in
            move_focus(self.query_one("#pin", Input))
        else:
            self.show_names("")
            move_focus(name)

    def show_mode(self) -> None:
        title, words = {
            "start": (_("Sign in"), _("Choose your name, then type your PIN.")),
            "switch": (
                _("Switch user"),
                _("Someone else signs in here; Esc goes back to {name}."),
            ),
            "lock": (
                _("Locked"),
                _(
                    "The screen was locked. {name}'s PIN unlocks it, and nothing typed is lost; "
                    "someone else may sign in instead."
                ),
            ),
        }[self.mode]
        who = self.current.name if self.current else ""
        self.query_one("#signin-title", Static).update(Text(title))
        self.query_one("#signin-help", Static).update(Text(words.format(name=who)))
        self.sub_title = title

    def lock_now(self) -> None:
        """Idle while switching: Esc no longer goes back without a PIN."""
        if self.mode == "switch":
            self.mode = "lock"
            self.show_mode()
            self.refresh_bindings()  # Esc no longer shown

    # -- the name ------------------------------------------------------------------
    def show_names(self, typed: str, highlight: str = "") -> None:
        """The active users whose name holds what was typed (case does not matter)."""
        wanted = (typed.strip() or highlight).casefold()
        listed = self.query_one("#users", OptionList)
        listed.clear_options()
        shown = [n for n in self.names if typed.strip().casefold() in n.casefold()]
        listed.add_options([Option(Text(n), id=n) for n in shown])
        if shown:
            exact = [i for i, n in enumerate(shown) if n.casefold() == wanted]
            listed.highlighted = exact[0] if exact else 0

    @on(Input.Changed, "#name")
    def name_typed(self, event: Input.Changed) -> None:
        self.show_names(event.value)

    def action_move(self, step: int) -> None:
        """Up and Down in the name field move through the list below it."""
        listed = self.query_one("#users", OptionList)
        if self.focused is not self.query_one("#name") or not listed.option_count:
            return
        index = (listed.highlighted or 0) + step
        listed.highlighted = max(0, min(index, listed.option_count - 1))

    def field_entered(self, field) -> None:
        """Enter in a field, handled at once (clinic.ui.desk.fields)."""
        if field.id == "name":
            self.name_entered()
        else:
            self.pin_entered()

    def name_entered(self) -> None:
        """The name typed when it is one, else the highlighted one of those it matches."""
        typed = self.query_one("#name", Input).value.strip()
        matches = [n for n in self.names if typed.casefold() in n.casefold()]
        exact = [n for n in matches if n.casefold() == typed.casefold()]
        listed = self.query_one("#users", OptionList)
        highlighted = (
            str(listed.get_option_at_index(listed.highlighted).id)
            if listed.highlighted is not None and listed.option_count
            else None
        )
        if exact:
            self.choose(exact[0])
        elif highlighted in matches:
            self.choose(highlighted)
        elif matches:
            self.choose(matches[0])
        elif typed:
            move_focus(
                self.query_one("#pin", Input)
            )  # core says a wrong name as it says a wrong PIN

    @on(OptionList.OptionSelected, "#users")
    def name_picked(self, event: OptionList.OptionSelected) -> None:
        self.choose(str(event.option.id))

    def choose(self, name: str) -> None:
        field = self.query_one("#name", Input)
        with field.prevent(Input.Changed):
            field.value = name
        self.show_names(name)
        move_focus(self.query_one("#pin", Input))

    # -- the PIN -------------------------------------------------------------------
    def pin_entered(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        self.clear_errors()
        if not name:
            self.query_one("#error", Static).update(Text(_("Choose your name first.")))
            move_focus(self.query_one("#name", Input))
            return
        if self.busy:
            return
        self.busy = True
        self.query_one("#error", Static).update(Text(_("Checking…")))
        self.check(name, pin)

    @work(thread=True, exclusive=True, group="sign-in")
    def check(self, name: str, pin: str) -> None:
        """The slow scrypt check, off the UI thread."""
        try:
            with self.app.open_store() as store:
                user = users.sign_in(store, name, pin)
        except ClinicError as exc:
            deliver(self, self.refused, exc)
            return
        deliver(self, self.dismiss, user)

    def refused(self, exc: ClinicError) -> None:
        pin = self.query_one("#pin", Input)
        pin.value = ""
        move_focus(pin)
        super().refused(exc)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return self.mode == "switch"
        if action == "quit":
            return self.mode == "start"
        return True

    def action_leave(self) -> None:
        self.dismiss(None)

    def action_quit(self) -> None:
        self.app.exit()


class FirstUserScreen(SignInBase):
    """A database with no user yet (a new one, or one from before sign-in): its
    first user is a coordinator, created here without signing in."""

    BINDINGS = [Binding("escape", "app.quit", N_("Quit"), key_display="Esc")]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin-box"):
            yield Static(Text(_("Create the first coordinator")), classes="title")
            yield Static(
                Text(
                    _(
                        "This database has no users yet. From now on everyone signs in, and what "
                        "they do is recorded under their name. The first user is a coordinator: "
                        "they add the other users (clinic user add) and alone may export whole "
                        "numbers, reveal them and erase a person. Choose your name and a PIN of "
                        "4 or more characters."
                    )
                ),
                id="signin-help",
            )
            for fid, label, password in (
                ("name", N_("Name"), False),
                ("pin", N_("PIN"), True),
                ("pin2", N_("The same PIN again"), True),
            ):
                yield Label(_(label))
                yield FieldInput(password=password, id=fid)
                yield Static("", id=f"{fid}-error", classes="error")
            yield Static("", id="error", classes="error")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = _("Create the first coordinator")
        move_focus(self.query_one("#name", Input))

    def field_entered(self, field) -> None:
        """Enter moves on to the next field, at once; on the last one it creates."""
        following = {"name": "#pin", "pin": "#pin2"}.get(field.id or "")
        if following:
            move_focus(self.query_one(following, Input))
            return
        self.create()

    def create(self) -> None:
        self.clear_errors()
        name = self.query_one("#name", Input).value
        pin, again = self.query_one("#pin", Input).value, self.query_one("#pin2", Input).value
        if pin != again:
            box = self.query_one("#pin2-error", Static)
            box.update(Text(_("The two PINs differ: type the same PIN twice.")))
            box.add_class("-shown")
            self.query_one("#pin2", Input).value = ""
            move_focus(self.query_one("#pin2", Input))
            return
        if not self.busy:
            self.busy = True
            self.add(name, pin)

    def refused(self, exc: ClinicError) -> None:
        """A PIN refused is typed again from empty, in both fields."""
        if getattr(exc, "field", "") == "pin":
            for fid in ("#pin", "#pin2"):
                self.query_one(fid, Input).value = ""
        super().refused(exc)

    @work(thread=True, exclusive=True, group="sign-in")
    def add(self, name: str, pin: str) -> None:
        """The new coordinator (one slow hash), off the UI thread; signed in at once."""
        try:
            with self.app.open_store() as store:
                user = users.add_user(store, name, {"coordinator"}, pin, by=None)
        except ClinicError as exc:
            deliver(self, self.refused, exc)
            return
        deliver(self, self.dismiss, user)
