"""The writes a register import makes, by name: the one list of them, run on this
process's connection (:class:`StoreWrites`) or sent to the process that loads a
district's first register (:mod:`.first_load`), which runs them through the same
class. Search keys are made here, where the rows are written: in that child for a
first load, beside the reading and checking of the file."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any

from clinic.core.imports.register_fields import CACHE_SIZE, P_ID, P_ID_NUMBER, P_NAME, P_PHONE
from clinic.core.search import name_search_keys, number_keys
from clinic.store import Store, audit, bulk
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import person_keys as keys_q
from clinic.store import persons as persons_q
from clinic.store import places as places_q

# The writes by name: what :meth:`StoreWrites.call` runs, and all that a first load's
# child accepts from its pipe.
WRITES = frozenset(
    {
        "add_township",
        "add_village",
        "insert_households",
        "update_household",
        "insert_created",
        "update_person",
        "replace_tags",
        "set_disability_detail",
        "replace_keys",
        "record",
    }
)

# The tables an import fills: their indexes are built after the rows when the
# register is loaded into an empty database.
FILLED_TABLES = ("households", "persons", "person_tags", "person_conditions", "person_keys")

# A write as a register writer makes it: by name, with its arguments.
Out = Callable[..., None]


class StoreWrites:
    """The writes of a register import on one connection. ``keys``: search keys are
    written for created and changed persons (not in a dry run, where they change no
    figure of the result)."""

    def __init__(self, store: Store, keys: bool = True) -> None:
        self.store = store
        self.keys = keys
        self._name_keys: dict[str, tuple[str, ...]] = {}

    def call(self, write: str, *args: Any) -> None:
        """Run the write named ``write`` (one of :data:`WRITES`)."""
        if write not in WRITES:
            raise ValueError(f"not a register write: {write!r}")
        getattr(self, write)(*args)

    # -- places and households ------------------------------------------------

    def add_township(self, township_id: int, name: str) -> None:
        places_q.add_township(self.store, township_id, name)

    def add_village(self, village_id: int, township_id: int, name: str) -> None:
        places_q.add_village(self.store, village_id, township_id, name)

    def insert_households(self, rows: list[tuple]) -> None:
        households_q.insert_households(self.store, rows)

    def update_household(self, household_id: int, changes: dict[str, Any]) -> None:
        households_q.update_household(self.store, household_id, changes)

    # -- persons ----------------------------------------------------------------

    def insert_created(self, persons: list[tuple], tags: list[tuple], conditions: list[tuple]):
        """Persons just created (tuples of PERSON_COLUMNS, ids counting up), then what
        refers to them: tags, conditions and search keys."""
        keys = self._created_keys(persons) if self.keys else []
        if persons:
            persons_q.insert_persons(self.store, persons)
        if tags:
            details_q.insert_person_tags(self.store, tags)
        if conditions:
            details_q.insert_person_conditions(self.store, conditions)
        if keys:
            # New persons' ids count up: their keys are appended to the table, which
            # is in (person_id, key) order (migration 0012).
            keys_q.insert_person_keys(self.store, keys)

    def update_person(self, person_id: int, changes: dict[str, Any]) -> None:
        persons_q.update_person(self.store, person_id, changes)

    def replace_tags(self, person_id: int, tags: list[str], conditions: list[str]) -> None:
        details_q.delete_person_tags(self.store, person_id)
        details_q.delete_person_conditions(self.store, person_id)
        details_q.insert_person_tags(self.store, [(person_id, tag, None) for tag in tags])
        details_q.insert_person_conditions(self.store, [(person_id, c) for c in conditions])

    def set_disability_detail(self, person_id: int, certificate: str) -> None:
        details_q.set_disability_detail(self.store, person_id, certificate)

    def replace_keys(self, person_id: int, name: str, id_number: str | None, phone: str | None):
        if self.keys:
            keys = {*number_keys(id_number, phone), *self.name_keys(name)}
            keys_q.replace_keys(self.store, person_id, keys)

    def record(self, actor: str, action: str, detail: str, rows: int) -> None:
        """The import's line in the audit log."""
        audit.record(self.store, actor, action, detail, rows)

    # -- search keys ------------------------------------------------------------

    def name_keys(self, name: str) -> tuple[str, ...]:
        """The pinyin keys of a name, computed once per name (the first CACHE_SIZE
        names are kept: starting the cache again when full costs more, measured)."""
        keys = self._name_keys.get(name)
        if keys is None:
            keys = name_search_keys(name)
            if len(self._name_keys) < CACHE_SIZE:
                self._name_keys[name] = keys
        return keys

    def _created_keys(self, persons: list[tuple]) -> list[tuple[str, int]]:
        """(key, person id) of persons just created, in the order of their ids. Name
        keys ("y:") and number keys ("i:", "p:") never overlap: no union."""
        name_keys = self.name_keys
        pending: list[tuple[str, int]] = []
        add = pending.extend
        for person in persons:
            person_id = person[P_ID]
            add(zip(number_keys(person[P_ID_NUMBER], person[P_PHONE]), repeat(person_id)))
            add(zip(name_keys(person[P_NAME]), repeat(person_id)))
        return pending


def is_fresh(store: Store) -> bool:
    """No person and no household yet: an import matches nothing (a district's first)."""
    return bulk.is_empty(store, "persons") and bulk.is_empty(store, "households")


def load_state(store: Store) -> tuple:
    """What a first load's ids and places were planned on: the next id of each table it
    fills (in the device's range), the townships and villages as they are, and whether
    the database is still fresh (the last). The loading child compares it under its
    write lock (:mod:`.first_load_child`)."""
    tables = ("townships", "villages", "households", "persons")
    return (
        *(bulk.next_id(store, table) for table in tables),
        places_q.places_digest(store),
        is_fresh(store),
    )


class PlannedPlaces:
    """Township and village ids for a load whose writes another process makes: the
    places already there are read once, a new one gets the next id and its write is
    sent with the rest (``out``)."""

    def __init__(self, store: Store, out: Out) -> None:
        self.out = out
        self.townships, self.villages = places_q.place_ids(store)
        self.next_township = bulk.next_id(store, "townships")
        self.next_village = bulk.next_id(store, "villages")
        self.created = 0

    def village_id(self, town: str, vil: str) -> int:
        found = self.villages.get((town, vil))
        if found is not None:
            return found
        township_id = self.townships.get(town)
        if township_id is None:
            township_id = self.townships[town] = self.next_township
            self.next_township += 1
            self.out("add_township", township_id, town)
        village_id = self.villages[(town, vil)] = self.next_village
        self.next_village += 1
        self.out("add_village", village_id, township_id, vil)
        self.created += 1
        return village_id
