"""Writing checked register rows: households and persons matched as the import's
rules say, a batch at a time, with one query per batch and executemany for what
is new."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any

from clinic.core.imports.register_fields import (
    CACHE_SIZE,
    P_BIRTH,
    P_HOUSEHOLD,
    P_ID,
    P_ID_NUMBER,
    P_NAME,
    P_PHONE,
    V_BIRTH,
    V_ID_NUMBER,
    V_NAME,
    V_PHONE,
    V_RELATION,
    ImportResult,
    PersonRow,
)
from clinic.core.search import name_search_keys, number_keys
from clinic.store import Store, bulk
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import person_keys as keys_q
from clinic.store import persons as persons_q
from clinic.store import places as places_q


def household_values(rows: list[PersonRow]) -> dict[str, Any]:
    head = next((r for r in rows if r.values[V_RELATION] in ("户主", "本人")), rows[0])
    return {
        "head_name": rows[0].head_name or head.values[V_NAME],
        "group_no": head.group_no,
        "category": rows[0].category,
    }


class HouseholdWriter:
    """Writes batches of households with their members, matching as the
    per-row rules say (a household by village + number, or village + head
    without a number; a person by ID number, else household + name + birth
    date), but with one query per batch for what it may match and
    executemany for what is new.

    A row of a duplicate merged into another person (clinic.core.merges: hidden, kept
    for an undo) lands on the person kept and changes nothing: the same register
    imported again after a merge leaves the register as it was and makes no new
    person (the duplicate's ID number stays theirs, so it cannot be written to the
    kept person; the kept person is edited on their own row).

    Within a batch the persons already matched or created are kept in memory
    (by ID number and by household), so a later row of the same batch sees
    exactly what it would have found in the database row by row; pending
    inserts are written before any update, so the database never disagrees
    with that order.
    """

    def __init__(
        self,
        store: Store,
        result: ImportResult,
        keys: bool,
        fresh: bool = False,
        writes: bool = True,
    ) -> None:
        self.store = store
        self.result = result
        self.keys = keys
        # No household or person before the import: nothing to look up.
        self.fresh = fresh
        # Without looking anything up, what a batch does follows from the rows
        # and what this writer keeps in memory: a dry run into an empty
        # database counts it without writing households and persons.
        self.writes = writes or not fresh
        self.villages: dict[tuple[str, str], int] = {}
        self.next_household = bulk.next_id(store, "households")
        self.next_person = bulk.next_id(store, "persons")
        self.name_keys: dict[str, tuple[str, ...]] = {}
        self._pending_persons: list[tuple] = []
        self._pending_tags: list[tuple] = []
        self._pending_conditions: list[tuple] = []

    # -- households ---------------------------------------------------------

    def village_id(self, town: str, vil: str) -> int:
        place = (town, vil)
        if place not in self.villages:
            self.villages[place] = places_q.village_id(self.store, town, vil)
        return self.villages[place]

    def write(self, batch: list[tuple[tuple, list[PersonRow]]]) -> None:
        placed = [(self.village_id(key[0], key[1]), key, members) for key, members in batch]
        found = self._existing_households(placed)
        new_households, ids = [], []
        for village_id, (_t, _v, number, head), members in placed:
            values = household_values(members)
            existing = found.get((village_id, number, None if number else head))
            if existing is None:
                household_id = self.next_household
                self.next_household += 1
                new_households.append((household_id, village_id, number, *values.values()))
                state = "created"
            else:
                household_id = existing["id"]
                changes = {k: v for k, v in values.items() if existing[k] != v}
                if changes and self.writes:
                    households_q.update_household(self.store, household_id, changes)
                state = "updated" if changes else "unchanged"
            self.result.households[state] += 1
            ids.append((village_id, household_id, members, existing is not None))
        if self.writes:
            households_q.insert_households(self.store, new_households)
        self._write_persons(ids)

    def _existing_households(self, placed) -> dict[tuple, dict]:
        if self.fresh:
            return {}
        numbered = [(vid, key[2]) for vid, key, _m in placed if key[2]]
        headed = [(vid, key[3]) for vid, key, _m in placed if not key[2]]
        found: dict[tuple, dict] = {}
        if numbered:
            for row in households_q.households_by_number(self.store, numbered):
                found[(row["village_id"], row["number"], None)] = row
        if headed:
            for row in households_q.households_by_head(self.store, headed):
                found.setdefault((row["village_id"], None, row["head_name"]), row)
        return found

    # -- persons ------------------------------------------------------------

    def _write_persons(self, households: list[tuple[int, int, list[PersonRow], bool]]) -> None:
        numbers = [r.values[V_ID_NUMBER] for _v, _h, members, _e in households for r in members]
        existing_households = [h for _v, h, _m, existed in households if existed]
        # Persons as tuples in q.PERSON_COLUMNS order, by ID number and by household.
        self.by_number: dict[str, tuple] = {}
        self.by_household: dict[int, list[tuple]] = {}
        found = (
            []
            if self.fresh
            else persons_q.persons_matching(
                self.store, [n for n in numbers if n], existing_households
            )
        )
        for person in found:
            self._index(person)
        self._index_merged(
            []
            if self.fresh
            else persons_q.persons_matching(
                self.store, [n for n in numbers if n], existing_households, merged=True
            )
        )
        self.tags, self.conditions = (
            ({}, {})
            if self.fresh
            else details_q.tags_and_conditions_of(self.store, [p[P_ID] for p in found])
        )
        for village_id, household_id, members, _existed in households:
            for row in members:
                self._save(row, village_id, household_id)
        self._flush()

    def _index_merged(self, found: list[tuple]) -> None:
        """Merged duplicates by ID number and by household (tuples of PERSON_COLUMNS and
        the person kept), matched only after the register's own persons."""
        self.merged_by_number: dict[str, int] = {}
        self.merged_by_household: dict[int, list[tuple]] = {}
        for *person, kept in found:
            if person[P_ID_NUMBER]:
                self.merged_by_number[person[P_ID_NUMBER]] = kept
            self.merged_by_household.setdefault(person[P_HOUSEHOLD], []).append((*person, kept))

    def _match(self, household_id: int, values: tuple) -> tuple | int | None:
        """The person on the register a row is (a tuple of PERSON_COLUMNS); for a row of a
        merged duplicate, the id of the person kept; None: a new person. By ID number
        first, then by household, name and birth date."""
        number = values[V_ID_NUMBER]
        if number:
            same = self.by_number.get(number)
            if same is not None:
                return same
            kept = self.merged_by_number.get(number)
            if kept is not None:
                return kept
        found = _same_member(self.by_household.get(household_id, ()), values)
        if found is not None or not self.merged_by_household:
            return found
        twin = _same_member(self.merged_by_household.get(household_id, ()), values)
        return None if twin is None else int(twin[-1])

    def _save(self, row: PersonRow, village_id: int, household_id: int) -> None:
        existing = self._match(household_id, row.values)
        if existing is None:
            person_id = self.next_person
            self.next_person = person_id + 1
            self._create((person_id, household_id, village_id, *row.values), row)
            # The keys of a created person are queued with them (_flush: _created_keys).
            self.result.persons["created"] += 1
            return
        if isinstance(existing, int):
            self.result.persons["unchanged"] += 1  # a merged duplicate: see the class
            return
        person_id = existing[P_ID]
        state = self._update(existing, (person_id, household_id, village_id, *row.values))
        state = self._update_tags(person_id, row, state)
        if state == "updated" and self.keys:
            self._replace_keys(person_id, row.values)
        self.result.persons[state] += 1

    def _create(self, person: tuple, row: PersonRow) -> None:
        person_id = person[P_ID]
        self._pending_persons.append(person)
        self._index(person)
        if row.tags:
            cert = row.disability_cert
            details = {tag: (cert if tag == "disabled" else None) for tag in row.tags}
            self._pending_tags.extend((person_id, tag, d) for tag, d in details.items())
            self.tags[person_id] = details
        if row.conditions:
            self._pending_conditions.extend((person_id, code) for code in row.conditions)
            self.conditions[person_id] = set(row.conditions)

    def _index(self, person: tuple) -> None:
        if person[P_ID_NUMBER]:
            self.by_number[person[P_ID_NUMBER]] = person
        members = self.by_household.setdefault(person[P_HOUSEHOLD], [])
        members.append(person)
        if len(members) > 1 and members[-2][P_ID] > person[P_ID]:
            members.sort()  # the oldest record first, as the database gives them

    def _unindex(self, person: tuple) -> None:
        if person[P_ID_NUMBER] and self.by_number.get(person[P_ID_NUMBER]) is person:
            del self.by_number[person[P_ID_NUMBER]]
        members = self.by_household.get(person[P_HOUSEHOLD], [])
        if person in members:
            members.remove(person)

    def _update(self, existing: tuple, person: tuple) -> str:
        if existing == person:
            return "unchanged"
        changes = {
            column: new
            for column, old, new in zip(persons_q.PERSON_COLUMNS, existing, person, strict=True)
            if old != new
        }
        self._flush()
        if self.writes:
            persons_q.update_person(self.store, person[P_ID], changes)
        self._unindex(existing)
        self._index(person)
        return "updated"

    def _update_tags(self, person_id: int, row: PersonRow, state: str) -> str:
        tags = self.tags.get(person_id, {})
        if set(tags) != set(row.tags) or self.conditions.get(person_id, set()) != set(
            row.conditions
        ):
            self._flush()
            if self.writes:
                self._replace_tags(person_id, row)
            tags = self.tags[person_id] = dict.fromkeys(row.tags)
            self.conditions[person_id] = set(row.conditions)
            if state == "unchanged":
                state = "updated"
        cert = row.disability_cert
        if cert and "disabled" in tags and tags["disabled"] != cert:
            self._flush()
            if self.writes:
                details_q.set_disability_detail(self.store, person_id, cert)
            tags["disabled"] = cert
        return state

    def _replace_tags(self, person_id: int, row: PersonRow) -> None:
        details_q.delete_person_tags(self.store, person_id)
        details_q.delete_person_conditions(self.store, person_id)
        details_q.insert_person_tags(self.store, [(person_id, tag, None) for tag in row.tags])
        details_q.insert_person_conditions(self.store, [(person_id, c) for c in row.conditions])

    def _name_keys(self, name: str) -> tuple[str, ...]:
        """The pinyin keys of a name, computed once per name (the first CACHE_SIZE
        names are kept: starting the cache again when full costs more, measured)."""
        keys = self.name_keys.get(name)
        if keys is None:
            keys = name_search_keys(name)
            if len(self.name_keys) < CACHE_SIZE:
                self.name_keys[name] = keys
        return keys

    def _replace_keys(self, person_id: int, values: tuple) -> None:
        self._flush()
        numbers = number_keys(values[V_ID_NUMBER], values[V_PHONE])
        keys_q.replace_keys(self.store, person_id, {*numbers, *self._name_keys(values[V_NAME])})

    def _created_keys(self, persons: list[tuple]) -> list[tuple[str, int]]:
        """(key, person id) of persons just created, in the order of their ids. Name
        keys ("y:") and number keys ("i:", "p:") never overlap: no union."""
        name_keys = self._name_keys
        pending: list[tuple[str, int]] = []
        add = pending.extend
        for person in persons:
            person_id = person[P_ID]
            add(zip(number_keys(person[P_ID_NUMBER], person[P_PHONE]), repeat(person_id)))
            add(zip(name_keys(person[P_NAME]), repeat(person_id)))
        return pending

    def _flush(self) -> None:
        """Write the pending inserts (persons before what refers to them)."""
        if not self.writes:
            self._pending_persons, self._pending_tags, self._pending_conditions = [], [], []
            return
        keys = self._created_keys(self._pending_persons) if self.keys else []
        if self._pending_persons:
            persons_q.insert_persons(self.store, self._pending_persons)
            self._pending_persons = []
        if self._pending_tags:
            details_q.insert_person_tags(self.store, self._pending_tags)
            self._pending_tags = []
        if self._pending_conditions:
            details_q.insert_person_conditions(self.store, self._pending_conditions)
            self._pending_conditions = []
        if keys:
            # New persons' ids count up: their keys are appended to the table, which
            # is in (person_id, key) order (migration 0012).
            keys_q.insert_person_keys(self.store, keys)


def _same_member(members: Iterable[tuple], values: tuple) -> tuple | None:
    """The first of a household's ``members`` with the row's name and birth date, where
    the row or the member has no ID number (one with a different number is another)."""
    number, name, birth = values[V_ID_NUMBER], values[V_NAME], values[V_BIRTH]
    for person in members:
        if (
            person[P_NAME] == name
            and person[P_BIRTH] == birth
            and (person[P_ID_NUMBER] is None or number is None)
        ):
            return person
    return None
