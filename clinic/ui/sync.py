"""The Sync screen ("Sync" in the command palette): bundles from the TUI (issue 11, point 3).

What ``clinic sync`` does, from keys, on the database the app is on. On a laptop:
its name, its last bundle, the changes waiting; Ctrl+S writes the next bundle,
Ctrl+O imports the district's update. On the district: the laptops of ``clinic sync
status``; Ctrl+O imports a bundle or a folder of them (a USB stick's), each file's
fate on its own line; Ctrl+S writes the highlighted laptop's update; Ctrl+N enrols a
laptop; Ctrl+T opens the sync conflicts. One field says where files go or come
from: a file, or a folder (files then keep their usual names); left as it is,
each file goes to its usual folder beside the database.

The rules, the rights and the sentences are :mod:`clinic.core.sync`'s; the state is
read in a worker and every action runs on the app's writer, so the screen never
waits. Names and paths are user data: plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, Static

from clinic.core.database import Store
from clinic.core.errors import ClinicError, InputError, SignInError
from clinic.core.records import record_label
from clinic.core.sync import rights
from clinic.core.sync.bundle import UPDATE_MAGIC, files_in
from clinic.core.sync.enrol import make_base
from clinic.core.sync.exporting import export_bundle
from clinic.core.sync.importing import import_each
from clinic.core.sync.updating import export_update, import_updates
from clinic.core.users import require
from clinic.i18n import N_, _, ngettext
from clinic.ui.base import ClinicScreen
from clinic.ui.errors import show_error
from clinic.ui.text import cell, lines
from clinic.ui.threads import deliver, still_shown
from clinic.ui.widgets.footer import Footer

# What a changeset's operations are called on screen (the bundle header's counts).
OPERATIONS = {"insert": N_("added"), "update": N_("changed"), "delete": N_("deleted")}


JOBS: dict[str, Callable[..., Any]] = {
    "export_bundle": lambda store, out, actor: export_bundle(store, out, actor=actor),
    "export_update": lambda store, device, out, actor: export_update(
        store, device, out, actor=actor
    ),
    "import_bundles": lambda store, where, actor: import_each(store, files_in(where), actor=actor),
    "import_update": lambda store, where, actor: import_updates(
        store, files_in(where, UPDATE_MAGIC), actor=actor
    ),
    "enrol": lambda store, name, out, actor: make_base(store, name, out, actor=actor),
}


def run_job(store: Store, name: str, *args: Any) -> Any:
    """One of :data:`JOBS`; a file system's refusal (a stick pulled out, a read-only
    folder) becomes one sentence, as the core's file helpers say most of them already."""
    try:
        return JOBS[name](store, *args)
    except OSError as exc:
        raise InputError(
            _("The file could not be written or read: {reason}").format(reason=exc.strerror or exc)
        ) from None


@dataclass
class SyncState:
    """What the screen shows, read in one go by the worker."""

    laptop: Any = None  # clinic.core.sync.exporting.LaptopState on a laptop
    devices: list[dict[str, Any]] = field(default_factory=list)  # on the district
    conflicts: int = 0
    folder: Path = Path()  # the bundles folder beside the database (the field's default)

    @property
    def district(self) -> bool:
        return self.laptop is None


def read_state(store: Store) -> SyncState:
    """The laptop's state, or the district's laptops and open clashes."""
    from clinic.core.sync.enrol import device_number
    from clinic.core.sync.exporting import bundles_folder, laptop_state

    folder = bundles_folder(store)
    if device_number(store) is not None:
        return SyncState(laptop=laptop_state(store), folder=folder)
    from clinic.core.sync.importing import sync_status
    from clinic.core.sync.review import conflicts

    return SyncState(devices=sync_status(store), conflicts=len(conflicts(store)), folder=folder)


def counts_line(counts: dict[str, dict[str, int]]) -> str:
    """``persons: 1 added; visits: 3 added, 1 changed`` from a bundle's counts."""
    parts = []
    for table, ops in counts.items():
        said = ", ".join(f"{n} {_(OPERATIONS.get(op, op))}" for op, n in sorted(ops.items()))
        parts.append(f"{record_label(table)}: {said}")
    return "; ".join(parts)


def _when(value: str | None) -> str:
    return (value or "—").replace("T", " ")[:16]


class SyncScreen(ClinicScreen):
    """A laptop's bundles out and updates in; the district's bundles in, updates out, enrolment."""

    DEFAULT_CSS = """
    SyncScreen #sync-heading { height: auto; padding: 0 1; }
    SyncScreen #sync-devices { height: 1fr; min-height: 4; }
    SyncScreen .sync-row { height: auto; }
    SyncScreen .sync-row Label { width: 16; padding: 1 0 0 1; }
    SyncScreen .sync-row Input { width: 1fr; }
    SyncScreen #sync-result-box { height: auto; max-height: 10; padding: 0 1; }
    SyncScreen.-short #sync-result-box { max-height: 8; }
    """
    BINDINGS = [
        Binding("ctrl+s", "export_bundle", N_("Export bundle")),
        Binding("ctrl+s", "export_update", N_("Export update")),
        Binding("ctrl+o", "import_update", N_("Import update")),
        Binding("ctrl+o", "import_bundles", N_("Import bundles")),
        Binding("ctrl+n", "enrol", N_("Enrol a laptop")),
        Binding("ctrl+t", "conflicts", N_("Conflicts")),
        Binding("ctrl+r", "reload", N_("Refresh")),
    ]
    LAPTOP_ACTIONS = {"export_bundle", "import_update"}
    DISTRICT_ACTIONS = {"export_update", "import_bundles", "enrol", "conflicts"}
    # The right each key's work needs (clinic.core.sync.rights): a key the user may not
    # use is not offered (a doctor on the district was offered Ctrl+O and Ctrl+N, which
    # answered with a refusal, or asked for a field not shown).
    RIGHTS = {
        "export_bundle": rights.BUNDLE,
        "import_update": rights.IMPORT,
        "import_bundles": rights.IMPORT,
        "export_update": rights.UPDATE,
        "enrol": rights.ENROL,
        "conflicts": rights.REVIEW,
    }

    def __init__(self) -> None:
        super().__init__()
        self.state: SyncState | None = None
        self.busy = False  # a job runs (in its child process)
        self.loading = False  # the state is being read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="sync-heading")
        yield DataTable(id="sync-devices", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="sync-row"):
            yield Label(_("File or folder"))
            yield Input(id="sync-path")
        with Horizontal(classes="sync-row", id="sync-name-row"):
            yield Label(_("New laptop"))
            yield Input(placeholder=_("Its name, e.g. 民盟"), id="sync-name")
        with VerticalScroll(id="sync-result-box"):
            yield Static("", id="sync-result")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Sync")
        self.query_one("#sync-devices").display = False
        self.query_one("#sync-name-row").display = False
        self.query_one("#sync-devices", DataTable).add_columns(
            _("Laptop"),
            _("No."),
            _("Last bundle"),
            _("Imported"),
            _("Held"),
            _("Missing"),
            _("Conflicts"),
        )
        self.action_reload()

    # -- rights and keys --------------------------------------------------------------
    def may(self, right: str | None) -> bool:
        user = getattr(self.app, "user", None)
        return right is None or not hasattr(user, "may") or user.may(right)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each database shows its own keys: a laptop's, or the district's."""
        if action not in self.LAPTOP_ACTIONS | self.DISTRICT_ACTIONS:
            return True
        if self.state is None or not self.may(self.RIGHTS[action]):
            return False
        return action in (self.DISTRICT_ACTIONS if self.state.district else self.LAPTOP_ACTIONS)

    # -- the state --------------------------------------------------------------------
    def action_reload(self) -> None:
        """Read the state again; never while a job runs: reading a laptop's state compares
        the copy of its last export, which an export replaces."""
        if self.busy:
            return
        self.loading = True
        self.load()

    @work(thread=True, exclusive=True, group="sync-state")
    def load(self) -> None:
        try:
            with self.app.open_store() as store:
                state = read_state(store)
        except ClinicError as exc:
            deliver(self, self._load_failed, exc)
            return
        deliver(self, self.show, state)

    def _load_failed(self, error: ClinicError) -> None:
        self.loading = False
        self._failed(error)

    def show(self, state: SyncState) -> None:
        self.loading = False
        first = self.state is None
        self.state = state
        path = self.query_one("#sync-path", Input)
        if first:
            path.value = str(state.folder)
        if state.district:
            self._show_district(state, first)
        else:
            self._show_laptop(state, first)
        self.refresh_bindings()

    def _heading(self, text: str) -> None:
        self.query_one("#sync-heading", Static).update(lines(*text.split("\n")))

    def _show_laptop(self, state: SyncState, first: bool) -> None:
        laptop = state.laptop
        said = [
            _("Laptop {device} (number {number}), enrolled {enrolled}.").format(
                device=laptop.device, number=laptop.number, enrolled=_when(laptop.enrolled_at)
            )
        ]
        if laptop.sequence:
            said.append(
                _("Last bundle: {sequence}, written {when}.").format(
                    sequence=laptop.sequence, when=_when(laptop.exported_at)
                )
            )
        else:
            said.append(_("No bundle written yet."))
        if laptop.waiting is None:
            said.append(_("The copy of the last export is missing: ask for a new base."))
        elif laptop.waiting:
            waiting = ngettext(
                "{count} change waits to be sent.",
                "{count} changes wait to be sent.",
                laptop.waiting,
            )
            said.append(waiting.format(count=laptop.waiting))
        else:
            said.append(_("Nothing waits to be sent."))
        if laptop.update_sequence:
            said.append(
                _("Last update from the district: {sequence}.").format(
                    sequence=laptop.update_sequence
                )
            )
        else:
            said.append(_("No update from the district yet."))
        if self.may(rights.IMPORT):
            said.append(_("Ctrl+S writes the bundle there; Ctrl+O imports the district's update."))
        else:  # the update is a coordinator's to import (Ctrl+O not offered)
            said.append(_("Ctrl+S writes the bundle there."))
        self._heading("\n".join(said))
        if first:
            self.query_one("#sync-path", Input).focus()

    def _show_district(self, state: SyncState, first: bool) -> None:
        if not self.may(rights.REVIEW):
            self._heading(_("Only a coordinator may import bundles and enrol laptops."))
            return
        self.query_one("#sync-name-row").display = True
        table = self.query_one("#sync-devices", DataTable)
        table.display = True
        row_before = table.cursor_row  # the laptop just updated stays highlighted
        table.clear()
        for row in state.devices:
            table.add_row(
                cell(row["device"]),
                cell(row["number"]),
                cell(row["last_sequence"] or "—"),
                cell(_when(row["last_imported_at"])),
                cell(", ".join(map(str, row["held"])) or "—"),
                cell(", ".join(map(str, row["missing"])) or "—"),
                cell(row["open_conflicts"]),
                key=row["device"],
            )
        heading = _(
            "District database: {laptops} laptops enrolled; {conflicts} conflicts to review (Ctrl+T)."
        ).format(laptops=len(state.devices), conflicts=state.conflicts)
        hint = _(
            "Ctrl+O imports the file, or every bundle of the folder; Ctrl+S writes the highlighted laptop's update; Ctrl+N enrols a new laptop."
        )
        self._heading(f"{heading}\n{hint}")
        if table.row_count:
            table.move_cursor(row=min(max(row_before, 0), table.row_count - 1))
        if first:
            table.focus()

    # -- actions ----------------------------------------------------------------------
    def _path(self) -> Path | None:
        """The field's file or folder; None when it is the default (each file then goes to
        its usual folder beside the database)."""
        text = self.query_one("#sync-path", Input).value.strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return None if self.state and path == self.state.folder else path

    def _typed_path(self) -> Path:
        """The field's file or folder, for an import (the default folder too)."""
        text = self.query_one("#sync-path", Input).value.strip()
        if not text:
            raise InputError(_("Type the file or the folder to import from."))
        return Path(text).expanduser()

    def _run(self, right: str | None, working: str, job: tuple[Any, ...], done: Callable) -> None:
        """``job`` (a name of :data:`JOBS` and its arguments) on the app's writer, once the
        user's right is checked; one at a time. (What apsw writes to the live database it
        writes in a process of its own: :mod:`clinic.core.sync.apart`.)"""
        if self.busy or self.state is None:
            return
        if self.loading:
            self._result(
                _("Still reading the state of this database; press the key again in a moment.")
            )
            return
        try:
            if right is not None and hasattr(getattr(self.app, "user", None), "may"):
                require(self.app.user, right)
        except SignInError as exc:
            self._failed(exc)
            return
        self.busy = True
        self._result(working)
        self.app.write(
            lambda store: run_job(store, *job),
            done=lambda result: self._done(done, result),
            failed=self._failed,
        )

    def _done(self, done: Callable, result: Any) -> None:
        self.busy = False
        self._result(done(result))
        if still_shown(self):
            self.action_reload()

    def _failed(self, error: ClinicError) -> None:
        self.busy = False
        show_error(self, error, box="#sync-result", style="bold red")

    def _result(self, text: str) -> None:
        if still_shown(self):
            self.query_one("#sync-result", Static).update(lines(*text.split("\n")))
        else:  # left while it ran: what it did is still said
            self.app.notify(text)

    def action_export_bundle(self) -> None:
        self._run(
            rights.BUNDLE,
            _("Writing the bundle…"),
            ("export_bundle", self._path(), self.app.actor),
            self._exported,
        )

    @staticmethod
    def _exported(made: Any, device: str | None = None) -> str:
        """What a bundle's or (``device``) an update's export wrote, with its counts."""
        if made.path is None:
            return made.sentence(device)
        return f"{made.sentence(device)}\n{counts_line(made.counts)}"

    def _import_from_field(self, job: str, working: str, done: Callable) -> None:
        """Import ``job`` from the file or folder typed in the field."""
        try:
            where = self._typed_path()
        except InputError as exc:
            self._failed(exc)
            return
        self._run(rights.IMPORT, working, (job, where, self.app.actor), done)

    def action_import_update(self) -> None:
        self._import_from_field(
            "import_update",
            _("Importing the update…"),
            lambda results: "\n".join(r.sentence() for r in results),
        )

    def action_import_bundles(self) -> None:
        self._import_from_field("import_bundles", _("Importing bundles…"), self._imported)

    def _imported(self, outcome: tuple[list, list]) -> str:
        results, refused = outcome
        applied = sum(1 for r in results if not r.already and r.waits_for is None)
        held = sum(1 for r in results if r.waits_for is not None)
        already = sum(1 for r in results if r.already)
        summary = _(
            "{files} files: {applied} applied, {already} imported before, {held} held, {refused} refused."
        ).format(
            files=len(results) + len(refused),
            applied=applied,
            already=already,
            held=held,
            refused=len(refused),
        )
        # Refusals first: at 80×24 they are what must not scroll out of sight.
        return "\n".join(
            [summary, *(r.sentence for r in refused), *(r.sentence() for r in results)]
        )

    def _highlighted_device(self) -> str | None:
        table = self.query_one("#sync-devices", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_export_update(self) -> None:
        device = self._highlighted_device()
        if device is None:
            self._failed(
                InputError(_("No laptop is enrolled yet: type its name and press Ctrl+N."))
            )
            return
        self._run(
            rights.UPDATE,
            _("Writing the update…"),
            ("export_update", device, self._path(), self.app.actor),
            lambda made: self._exported(made, device),
        )

    def action_enrol(self) -> None:
        name = self.query_one("#sync-name", Input).value.strip()
        if not name:
            self.query_one("#sync-name", Input).focus()
            self._failed(InputError(_("Type the new laptop's name first.")))
            return
        out, actor = self._path(), self.app.actor
        self._run(
            rights.ENROL,
            _("Writing the laptop's database…"),
            ("enrol", name, out, actor),
            self._enrolled,
        )

    def _enrolled(self, made: Any) -> str:
        self.query_one("#sync-name", Input).value = ""
        return _(
            "Laptop {device} enrolled as number {number}: {path}. Copy the file to the laptop and open it there with --db; it is readable by you only."
        ).format(device=made.device, number=made.number, path=made.path)

    def action_conflicts(self) -> None:
        self.app.action_open("sync_conflicts")
