"""The Textual app: wires screens, global keys and the command palette. No rules here."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widgets import Static

from clinic.core.database import Store, open_store
from clinic.core.errors import ClinicError
from clinic.i18n import N_, _
from clinic.ui import registry
from clinic.ui.errors import show_error
from clinic.ui.writer import Writer

NARROW_WIDTH = 100  # below this many columns screens reflow (.-narrow in the .tcss files)
SHORT_HEIGHT = 30  # below this many rows they save rows (.-short)


class ClinicApp(App[None]):
    """One window onto one clinic database."""

    CSS_PATH = "app.tcss"
    TITLE = "clinic"
    ENABLE_COMMAND_PALETTE = True
    BACKUP_DELAY_S = 2.0  # the daily backup waits for the first screen's figures
    # The one way screens fit small terminals: Textual gives every screen (dialogs
    # too) the class -narrow below NARROW_WIDTH columns and -short below SHORT_HEIGHT
    # rows, and each screen's .tcss reflows under them (issue 14, #7: 80x24).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_HEIGHT, "-tall")]

    def __init__(
        self,
        db_path: Path | str,
        actor: str = "",
        today: dt.date | None = None,
        daily_backup: bool = False,
    ) -> None:
        super().__init__()
        self.daily_backup = daily_backup  # run_tui asks for it; tests and snapshots do not
        # CLINIC_CURSOR_BLINK=0: a steady cursor, for people who find blinking
        # tiring, and for screenshots that do not depend on the moment taken.
        self.cursor_blink = os.environ.get("CLINIC_CURSOR_BLINK", "1") != "0"
        self.db_path = Path(db_path)
        self.actor = actor
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
            self.bind(entry.key, f"open('{entry.name}')", description=_(entry.title), show=False)

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
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            take_now = getattr(self.screen.focused or self.screen, "take_now", None)
            if take_now is not None and take_now(event):
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
        """Everything typed is written before the window closes."""
        await self.flush_writes()
        self.exit()

    # -- screens -----------------------------------------------------------
    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._ui_context = contextvars.copy_context()
        self.writer = Writer(self.open_store, on_state=self._state_from_writer)
        self.action_open("home")
        if self.daily_backup:
            # Once the first screen has loaded its figures: the copy reads the
            # whole file, and would compete with them for the disk.
            self.set_timer(self.BACKUP_DELAY_S, self._start_daily_backup)

    def _start_daily_backup(self) -> None:
        self.run_worker(self._take_daily_backup, thread=True, group="backup")

    def _take_daily_backup(self) -> None:
        """The day's first backup, off the UI thread: the screen opens at once."""
        from clinic.core.backup import daily_backup

        try:
            daily_backup(self.db_path, actor=self.actor)
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
        """Hide keys for parts of the app that are not installed."""
        if action == "open" and parameters:
            names = {entry.name for entry in registry.available()}
            return True if parameters[0] in names else None
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
        yield SystemCommand(_("Quit"), _("Quit the application"), self.exit)

    def _handle_exception(self, error: Exception) -> None:
        """No traceback reaches a user: the sentence of a user error (a busy
        database, a bad value) is shown and the app goes on; so is the name of
        anything unexpected, since every saved action is already committed.
        Headless runs (tests) and CLINIC_DEBUG keep Textual's behaviour."""
        if self.is_headless or os.environ.get("CLINIC_DEBUG"):
            super()._handle_exception(error)
            return
        if isinstance(error, ClinicError):
            show_error(self.screen, error, box=None, timeout=10)
        else:
            self.notify(
                _(
                    "Unexpected error: {error}. What was saved before is safe; set CLINIC_DEBUG=1 to see the details."
                ).format(error=type(error).__name__),
                severity="error",
                timeout=15,
            )

    def on_unmount(self) -> None:
        if self.writer is not None:
            self.writer.close()  # what is still queued is written first
        self.store.close()
