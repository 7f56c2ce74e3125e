"""The app's screens, by name, with the key that opens each from anywhere.

Screens are imported only when first opened (fast start-up). Each area of the
app owns its screen module; adding a screen is one entry here.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from dataclasses import dataclass

from textual.screen import Screen

from clinic.i18n import N_


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    key: str  # the global key binding (function keys work in every field); "": palette only
    title: str  # msgid, translated when shown
    target: str  # "module:Class"
    description: str  # msgid
    menu: bool = True  # listed on Home and in Help; False: its key and the palette only

    def load(self) -> type[Screen] | None:
        module_name, _, cls_name = self.target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, cls_name)


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "home",
        "f2",
        N_("Home"),
        "clinic.ui.home:HomeScreen",
        N_("What is in the database and what is coming"),
    ),
    ScreenEntry(
        "registers",
        "f3",
        N_("Registers"),
        "clinic.ui.register_browser:RegistersScreen",
        N_("Villages, households and persons; search"),
    ),
    ScreenEntry(
        "desk",
        "f4",
        N_("Clinic desk"),
        "clinic.ui.desk.screen:DeskScreen",
        N_("Check-in, vitals, consult and health prescriptions"),
    ),
    ScreenEntry(
        "days",
        "f5",
        N_("Clinic days"),
        "clinic.ui.planning.days_screen:ClinicDaysScreen",
        N_("Plan clinic days and put volunteers on them"),
    ),
    ScreenEntry(
        "volunteers",
        "f6",
        N_("Volunteers"),
        "clinic.ui.planning.volunteers_screen:VolunteersScreen",
        N_("The volunteer roster, schedules and hours"),
    ),
    ScreenEntry(
        "villages",
        "f7",
        N_("Villages"),
        "clinic.ui.planning.villages_screen:VillagesScreen",
        N_("Coverage per village and where to go next"),
    ),
    ScreenEntry(
        "report",
        "f8",
        N_("Reports"),
        "clinic.ui.report:ReportScreen",
        N_("Figures by village, organisation and period; exports"),
    ),
    ScreenEntry(
        "audit",
        "f11",
        N_("Audit log"),
        "clinic.ui.audit:AuditScreen",
        N_("Who imported, exported, erased or managed users, and when (coordinators)"),
        menu=False,
    ),
    ScreenEntry(
        "sync",
        "",  # every function key is taken: the command palette only
        N_("Sync"),
        "clinic.ui.sync:SyncScreen",
        N_("Laptops and the district: export and import bundles and updates, enrol a laptop"),
        menu=False,
    ),
    ScreenEntry(
        "sync_conflicts",
        "",  # every function key is taken: the command palette only
        N_("Sync conflicts"),
        "clinic.ui.sync_conflicts:SyncConflictsScreen",
        N_("Laptops' changes that clashed with the district's records: keep one side or merge"),
        menu=False,
    ),
    ScreenEntry(
        "duplicates",
        "",  # the command palette only
        N_("Duplicate persons"),
        "clinic.ui.duplicates:DuplicatesScreen",
        N_("Persons registered twice: merge them into one, or undo a merge (coordinators)"),
        menu=False,
    ),
)


def entry(name: str) -> ScreenEntry:
    for screen in SCREENS:
        if screen.name == name:
            return screen
    raise KeyError(name)


def in_menu() -> list[ScreenEntry]:
    """The available entries Home and Help list (not the coordinator's audit log)."""
    return [screen for screen in available() if screen.menu]


def available() -> list[ScreenEntry]:
    """Entries whose screen module exists (areas still being built are left out)."""
    return list(_available())


def available_names() -> frozenset[str]:
    return frozenset(screen.name for screen in _available())


@functools.cache
def _available() -> tuple[ScreenEntry, ...]:
    """Looked up once per process: the app's check_action asks at every footer
    refresh, and which modules are installed does not change while it runs."""
    found = []
    for screen in SCREENS:
        module_name = screen.target.partition(":")[0]
        if importlib.util.find_spec(module_name) is not None:
            found.append(screen)
    return tuple(found)
