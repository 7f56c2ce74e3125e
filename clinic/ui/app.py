"""The Textual app: wires screens, global keys and the command palette. No rules here."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from clinic.core.database import Store, open_store
from clinic.core.errors import ClinicError, UnexpectedError
from clinic.core.users import User
from clinic.i18n import N_, _
from clinic.ui import memory, registry
from clinic.ui.errors import show_error
from clinic.ui.prose import wrap_text
from clinic.ui.text import shown, shown_lines
from clinic.ui.widgets.confirm import ConfirmDialog
from clinic.ui.writer import Writer

NARROW_WIDTH = 100  # below this many columns screens reflow (.-narrow in the .tcss files)
SHORT_HEIGHT = 30  # below this many rows they save rows (.-short)
LOCK_MINUTES = 5  # idle minutes before the app locks (CLINIC_LOCK_MINUTES; 0: never)
IDLE_CHECK_S = 10.0  # how often the idle time is looked at
# A home screen stopped by an error again this soon after it was opened anew: the app ends.
REOPEN_AGAIN_S = 5.0


def lock_minutes() -> float:
    """CLINIC_LOCK_MINUTES, or the default; a value that is not a number is the default."""
    try:
        return max(0.0, float(os.environ.get("CLINIC_LOCK_MINUTES", LOCK_MINUTES)))
    except ValueError:
        return LOCK_MINUTES


# The app's keys that would show a screen past the sign-in or the lock.
LOCKED_OUT = {"open", "help", "command_palette", "switch_user", "lock"}


class ClinicApp(App[None]):
    """One window onto one clinic database."""

    CSS_PATH = "app.tcss"
    TITLE = "clinic"
    ENABLE_COMMAND_PALETTE = True
    # F12 locks the screen; the lock is also where someone else signs in, so one key
    # serves "I step away" and "my turn at this laptop". Priority: whatever has the
    # focus. (Not Ctrl+U: text fields clear themselves with it.)
    BINDINGS = [Binding("f12", "lock", N_("Lock / switch user"), show=False, priority=True)]
    BACKUP_DELAY_S = 2.0  # the daily backup waits for the first screen's figures
    # The one way screens fit small terminals: Textual gives every screen (dialogs
    # too) the class -narrow below NARROW_WIDTH columns and -short below SHORT_HEIGHT
    # rows, and each screen's .tcss reflows under them (issue 14, #7: 80x24).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_HEIGHT, "-tall")]

    def __init__(
        self,
        db_path: Path | str,
        *,
        user: User | None = None,
        today: dt.date | None = None,
        daily_backup: bool = False,
        freeze_gc: bool = False,
    ) -> None:
        super().__init__()
        self.daily_backup = daily_backup  # run_tui asks for it; tests and snapshots do not
        # run_tui (and bench_desk) ask for it: long-lived objects out of the garbage
        # collector's walks (clinic.ui.memory); tests run many apps in one process.
        self.freeze_gc = freeze_gc
        # CLINIC_CURSOR_BLINK=0: a steady cursor, for people who find blinking
        # tiring, and for screenshots that do not depend on the moment taken.
        self.cursor_blink = os.environ.get("CLINIC_CURSOR_BLINK", "1") != "0"
        self.db_path = Path(db_path)
        # The signed-in user: given by the CLI (clinic --user NAME), else asked for by
        # the first screen. Everything the app records is recorded under them.
        self.user: User | None = user
        self._reopened_at = -REOPEN_AGAIN_S  # when a stopped home screen was last opened anew
        self.lock_minutes = lock_minutes()
        # The idle lock's clock: a test moves it on instead of sleeping.
        self.clock: Callable[[], float] = time.monotonic
        self.last_input = self.clock()
        self._today = today
        self.store: Store = open_store(self.db_path)
        self.writer: Writer | None = None  # made on mount: it hops to this app's loop
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ui_context = contextvars.copy_context()
        self._waiting_line: Static | None = None
        self.title = _("Free clinics")
        self.sub_title = str(self.db_path.name)
        self.bind("ctrl+q", "quit", description=_("Quit"), show=True)
        self.bind("f1", "help", description=_("Help"), show=True)
        for entry in registry.available():
            if entry.key:  # an entry without a key is opened from the command palette
                self.bind(
                    entry.key, f"open('{entry.name}')", description=_(entry.title), show=False
                )

    @property
    def actor(self) -> str:
        """The name the audit log records: the signed-in user's."""
        return self.user.name if self.user else ""

    # Textual's built-in words, given here so the catalogue translates them.
    _TEXTUAL_WORDS = (
        N_("palette"),
        N_("Open the command palette"),
        N_("Focus Next"),
        N_("Focus Previous"),
        N_("Copy selected text"),
        N_("Quit the app and return to the command prompt."),
    )

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from clinic.ui.palette import ClinicCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                ClinicCommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes are offered first to the focused widget's ``take_now`` (or the
        screen's, when nothing has the focus), here in the app's own task, one after the
        other: form fields apply them at once, so keys typed at paste or scanner speed land
        in the field they were typed for (see clinic.ui.desk.fields)."""
        if isinstance(event, events.Key | events.Paste | events.MouseDown | events.MouseScrollDown):
            self.last_input = self.clock()  # not idle: the lock waits
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            take_now = getattr(self.screen.focused or self.screen, "take_now", None)
            if take_now is not None and take_now(event):
                return
            if take_now is None and _tab_from_a_field(self.screen, event):
                return
        await super().on_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Text fields blink unless CLINIC_CURSOR_BLINK=0 (set once, on focus)."""
        if not self.cursor_blink and getattr(event.widget, "cursor_blink", False):
            event.widget.cursor_blink = False

    # -- time -------------------------------------------------------------
    def today(self) -> dt.date:
        """Today's date, fixed in tests and snapshots."""
        return self._today or dt.date.today()

    def now(self) -> dt.datetime:
        if self._today:
            return dt.datetime.combine(self._today, dt.time(9, 30))
        return dt.datetime.now().replace(microsecond=0)

    # -- database ----------------------------------------------------------
    def open_store(self) -> Store:
        """A new connection, for a thread worker (sqlite3 connections stay on their thread)."""
        return open_store(self.db_path, migrate=False)

    def write(
        self,
        job: Callable[[Store], Any],
        *,
        key: str | None = None,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[ClinicError], None] | None = None,
    ) -> None:
        """Run ``job(store)`` on the app's writer thread, after the writes asked for
        before it; ``done(result)`` / ``failed(error)`` then run on the UI thread. A
        failure nobody handles is shown on the screen of the moment. A job of the same
        ``key`` still waiting is replaced (a form's draft: only the newest counts)."""
        assert self.writer is not None, "the writer is made on mount"
        self.writer.submit(
            job,
            key=key,
            done=None if done is None else partial(self.from_writer, done),
            failed=partial(self.from_writer, failed or self._write_failed),
        )

    def from_writer(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback`` on the UI thread, without waiting for it: the writer
        thread never blocks on the UI (the UI waits for the writer when quitting)."""
        if self._loop is None or self._loop.is_closed():
            return
        try:
            self._loop.call_soon_threadsafe(self.call_later, callback, *args)
        except RuntimeError:  # the app has ended: nothing left to show
            pass

    def _state_from_writer(self, state: str) -> None:
        """Straight onto the event loop, not behind the app's queue of messages: while a
        key's action waits for the writer (clinic.ui.desk.queue), the line still shows."""
        if self._loop is None or self._loop.is_closed():
            return
        try:
            self._loop.call_soon_threadsafe(self._writer_state, state, context=self._ui_context)
        except RuntimeError:
            pass

    def _write_failed(self, error: ClinicError) -> None:
        show_error(self.screen, error, box=None, timeout=10)

    def _writer_state(self, state: str) -> None:
        """The line that says another desk holds the lock, shown while it does."""
        if state == "waiting":
            if self._waiting_line is None or not self._waiting_line.is_attached:
                self._waiting_line = Static(
                    _("Waiting for another desk to finish writing…"), id="writer-waiting"
                )
                self.screen.mount(self._waiting_line)
        elif self._waiting_line is not None:
            self._waiting_line.remove()
            self._waiting_line = None

    async def flush_writes(self) -> None:
        """Wait (without blocking the screen) until every write asked for is written."""
        if self.writer is not None:
            await asyncio.to_thread(self.writer.flush)

    async def action_quit(self) -> None:
        """Everything typed is written before the window closes; a form not saved (a
        new volunteer, a clinic day, a walk-in) is asked about first: Ctrl+Q threw it
        away without a word."""
        unsaved = [s for s in self.screen_stack if getattr(s, "has_unsaved", bool)()]
        if unsaved and not isinstance(self.screen, ConfirmDialog):
            self.push_screen(
                ConfirmDialog(
                    _("Quit without saving? What is typed in this form is lost."),
                    _("Quit"),
                    _("Stay"),
                ),
                self._quit_answered,
            )
            return
        await self.flush_writes()
        self.exit()

    async def _quit_answered(self, yes: bool | None) -> None:
        if yes:
            await self.flush_writes()
            self.exit()

    # -- screens -----------------------------------------------------------
    def _first_screen(self) -> None:
        """Home, or the sign-in when nobody is signed in."""
        if self.user is not None:
            self.action_open("home")
        else:
            self.push_screen(self._sign_in_screen("start"), self.signed_in)

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._ui_context = contextvars.copy_context()
        self.writer = Writer(self.open_store, on_state=self._state_from_writer)
        self._first_screen()
        self.set_interval(IDLE_CHECK_S, self.lock_if_idle)
        self.call_after_refresh(self.freeze_long_lived)
        self._collected_at: float | None = None  # last_input when garbage was last collected
        if self.freeze_gc:
            self.set_interval(memory.IDLE_S, self.collect_when_idle)
        if self.daily_backup:
            # Once the first screen has loaded its figures: the copy reads the
            # whole file, and would compete with them for the disk.
            self.set_timer(self.BACKUP_DELAY_S, self._start_daily_backup)

    def freeze_long_lived(self) -> None:
        """What is alive now lives as long as the app (clinic.ui.memory), when asked for."""
        if self.freeze_gc:
            memory.freeze_long_lived()

    def collect_when_idle(self) -> None:
        """The garbage collected in a pause of the typing, once per pause (clinic.ui.memory)."""
        if (
            self.clock() - self.last_input >= memory.IDLE_S
            and self._collected_at != self.last_input
        ):
            self._collected_at = self.last_input
            memory.collect_garbage()

    def _start_daily_backup(self) -> None:
        self.run_worker(self._take_daily_backup, thread=True, group="backup")

    def _take_daily_backup(self) -> None:
        """The day's first backup, off the UI thread: the screen opens at once."""
        from clinic.core.audit import SYSTEM_ACTOR
        from clinic.core.backup import daily_backup

        try:
            daily_backup(self.db_path, actor=SYSTEM_ACTOR)
        except ClinicError as exc:
            self.call_from_thread(
                show_error,
                self.screen,
                exc,
                box=None,
                template=_("The daily backup was not taken: {reason}"),
                severity="warning",
                timeout=10,
            )

    # -- who is signed in --------------------------------------------------------
    def _sign_in_screen(self, mode: str) -> Screen:
        """The sign-in screen; on a database with no user yet, the first coordinator's."""
        from clinic.core.users import needs_first_user
        from clinic.ui.signin import FirstUserScreen, SignInScreen

        if needs_first_user(self.store):
            return FirstUserScreen()
        return SignInScreen(mode, current=self.user)

    def signed_in(self, user: User | None) -> None:
        """Someone signed in (at the start, to switch, or to unlock): the screens they
        come back to follow them (the desk's volunteer)."""
        if user is None:  # a switch given up: the same user goes on
            return
        before, self.user = self.user, user
        self.last_input = self.clock()
        if len(self.screen_stack) <= 1:
            self.action_open("home")
            return
        if before is None or before.id != user.id:
            for screen in self.screen_stack:
                follow = getattr(screen, "user_changed", None)
                if follow is not None:
                    follow(user)
            self.notify(_("Signed in: {name}").format(name=user.name))

    def _sign_in_shown(self) -> bool:
        from clinic.ui.signin import SignInBase

        return any(isinstance(screen, SignInBase) for screen in self.screen_stack)

    def action_switch_user(self) -> None:
        """The sign-in over the current screen (palette); Esc comes back to it."""
        if self.user is not None and not self._sign_in_shown():
            self.push_screen(self._sign_in_screen("switch"), self.signed_in)

    def action_lock(self) -> None:
        """Cover every screen until the same user's PIN (or someone else's) is typed;
        the screens below, and what was typed in them, stay as they were."""
        from clinic.ui.signin import SignInScreen

        if self.user is None:
            return
        for screen in self.screen_stack:
            if isinstance(screen, SignInScreen):
                screen.lock_now()  # a switch left open: it no longer goes back without a PIN
                return
        self.clear_notifications()  # a toast may name a person ("张三 checked in")
        self.push_screen(SignInScreen("lock", current=self.user), self.signed_in)

    def lock_if_idle(self) -> None:
        """Lock after ``lock_minutes`` without a key or a click (0: never)."""
        if self.lock_minutes and self.clock() - self.last_input >= self.lock_minutes * 60:
            self.action_lock()

    def action_open(self, name: str) -> None:
        entry = registry.entry(name)
        screen_cls = entry.load()
        if screen_cls is None:
            self.notify(_("This part of the app is not available."), severity="warning")
            return
        # Go back to an open screen of that kind instead of stacking copies.
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, screen_cls):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(screen_cls())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys for parts of the app that are not installed; while the sign-in or
        the lock is shown, no key but Ctrl+Q reaches past it."""
        if action in LOCKED_OUT and self._sign_in_shown():
            return False
        if action == "open" and parameters:
            return True if parameters[0] in registry.available_names() else None
        return True

    def action_help(self) -> None:
        from clinic.ui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(below=self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every screen and action reachable from the palette, in the user's language."""
        for entry in registry.available():
            yield SystemCommand(
                _(entry.title), _(entry.description), partial(self.action_open, entry.name)
            )
        yield SystemCommand(_("Help"), _("Keys and what they do"), self.action_help)
        yield SystemCommand(
            _("Switch user"),
            _("Someone else signs in here; Esc comes back"),
            self.action_switch_user,
        )
        yield SystemCommand(
            _("Lock"), _("Hide the screen until a PIN is typed (F12)"), self.action_lock
        )
        yield SystemCommand(_("Quit"), _("Quit the application"), self.exit)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text, whatever the caller asks: its sentences carry
        names and topics as typed (``Widget.notify`` always passes ``markup``), and their
        control characters are shown as symbols (clinic.ui.text). Its lines are broken
        as Chinese is (clinic.ui.prose): Textual broke "已发放 1 份…" after the 1. Only
        line breaks are added: taking them out gives the message back."""
        super().notify(
            wrap_text(shown_lines(message), self.toast_width(), keep_spaces=True),
            title=shown(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def toast_width(self) -> int:
        """The cells a notification's text has: Textual's toast is half the screen but
        for its rack's two cells (at most 60), less its border and padding (3)."""
        return max(10, min(60, (self.size.width - 2) // 2) - 3)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title (a visit's holds the person's name) as text, controls as symbols."""
        return super().format_title(shown(title), shown(sub_title))

    def _handle_exception(self, error: Exception) -> None:
        """No traceback reaches a user: the sentence of a user error (a busy
        database, a bad value) is shown and the app goes on; so is the name of
        anything unexpected, since every saved action is already committed.
        Headless runs (tests) and CLINIC_DEBUG keep Textual's behaviour."""
        if self.is_headless or os.environ.get("CLINIC_DEBUG"):
            super()._handle_exception(error)
            return
        sentence = (
            error.message if isinstance(error, ClinicError) else UnexpectedError.of(error).message
        )
        stopped = _failed_loop(error)
        if stopped is self:
            # The app's own message loop has ended (an action's error): nothing more would
            # be read or drawn. It ends with the sentence, as Textual's crash would.
            self.exit(return_code=1, message=sentence)
            self._close_messages_no_wait()
            return
        if isinstance(error, ClinicError):
            show_error(self.screen, error, box=None, timeout=10)
        else:
            self.notify(sentence, severity="error", timeout=15)
        if stopped is not None:
            # Its screen read now, while it is still attached: Textual removes a widget
            # whose loop has ended.
            self.call_later(self._close_stopped, _screen_of(stopped), sentence)

    def _close_stopped(self, screen: Screen | None, sentence: str) -> None:
        """An error in a handler ends the message loop of its widget or screen for good
        (Textual's): the screen took no key after it, Ctrl+Q neither, and the app had to
        be killed. That screen is closed, with any opened over it, the user back on the
        one under it (the home screen opened anew if none is left). The sign-in and the
        lock are not closed (nothing but a PIN may take them away): the app ends with the
        sentence, as it does when the screen is the app's first, or the home screen stops
        again as soon as it was opened anew."""
        from clinic.ui.signin import SignInBase

        stack = self.screen_stack
        if screen is None or screen not in stack[1:] or isinstance(screen, SignInBase):
            self.exit(return_code=1, message=sentence)
            return
        for _above in range(stack.index(screen), len(stack)):
            self.pop_screen()  # those over it, then it
        if len(self.screen_stack) == 1:
            now = time.monotonic()
            if now - self._reopened_at < REOPEN_AGAIN_S:
                self.exit(return_code=1, message=sentence)
                return
            self._reopened_at = now
            self._first_screen()

    def _fatal_error(self) -> None:
        """Textual's crash report without the local variables of each frame (Textual shows
        them): they hold rows of the register, and the report is printed on a shared
        desk's terminal after the app closes, with other people's names, ID numbers and
        phones in it (issue 10). The exception and the lines of code are kept."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        if self.writer is not None:
            self.writer.close()  # what is still queued is written first
        self.store.close()


def _tab_from_a_field(screen: Screen, event: events.Key | events.Paste) -> bool:
    """Tab or Shift+Tab in any text field moves the focus now (the binding would, on a
    later message): the keys typed after it at paste speed go to the next field. A
    volunteer's "王五⇥139" made the name "王五139". (The desk's own fields do more:
    clinic.ui.desk.fields.)"""
    if not isinstance(event, events.Key) or event.key not in ("tab", "shift+tab"):
        return False
    if not isinstance(screen.focused, Input):
        return False
    if event.key == "tab":
        screen.focus_next()
    else:
        screen.focus_previous()
    return True


def _failed_loop(error: BaseException) -> object | None:
    """The message pump whose loop an error ended (Textual's: the error of a message
    handler in ``_process_messages_loop``, or of compose and mount in ``_pre_process``,
    which catch it there), or None: a worker's error, a timer's, an idle handler's, a
    direct call, which end no loop."""
    tb = error.__traceback__
    if tb is None or tb.tb_next is None:
        return None
    caught, raised = tb.tb_frame.f_code.co_name, tb.tb_next.tb_frame.f_code.co_name
    if raised == "_dispatch_message" and caught in ("_process_messages_loop", "_pre_process"):
        return tb.tb_frame.f_locals.get("self")
    return None


def _screen_of(node: object) -> Screen | None:
    if isinstance(node, Screen):
        return node
    try:
        return node.screen if isinstance(node, Widget) else None
    except Exception:  # noqa: BLE001 - already detached: NoScreen
        return None
