"""Writing checked register rows: households and persons matched as the import's
rules say, a batch at a time, with one query per batch and executemany for what
is new."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from clinic.core.imports.register_fields import (
    P_BIRTH,
    P_HOUSEHOLD,
    P_ID,
    P_ID_NUMBER,
    P_NAME,
    V_BIRTH,
    V_ID_NUMBER,
    V_NAME,
    V_PHONE,
    V_RELATION,
    ImportResult,
    PersonRow,
)
from clinic.core.imports.register_writes import Out, StoreWrites
from clinic.store import Store, bulk
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import persons as persons_q
from clinic.store import places as places_q


def household_key(row: PersonRow) -> tuple:
    """What the rows of one household share: the village and the household number,
    or without a number the head's name."""
    return (
        row.township,
        row.village,
        row.household_number,
        row.head_name if not row.household_number else "",
    )


def household_values(rows: list[PersonRow]) -> dict[str, Any]:
    head = next((r for r in rows if r.values[V_RELATION] in ("户主", "本人")), rows[0])
    return {
        "head_name": rows[0].head_name or head.values[V_NAME],
        "group_no": head.group_no,
        "category": rows[0].category,
    }


class VillagesHere:
    """Village ids on this connection, each looked up (made when missing) once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: dict[tuple[str, str], int] = {}

    def __call__(self, town: str, vil: str) -> int:
        place = (town, vil)
        if place not in self.ids:
            self.ids[place] = places_q.village_id(self.store, town, vil)
        return self.ids[place]


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
    with that order. Into an empty database (``fresh``) nothing is looked up;
    ``streaming`` (a first load, whose rows are written as they are read):
    what the import made is kept in memory for the whole file, and a member
    of a household written in an earlier batch is added with :meth:`add_late`.

    The writes go to ``out`` by name (clinic.core.imports.register_writes):
    this connection's, or the process loading a first register's; the places
    come from ``places`` (made on this connection when missing, by default).
    """

    def __init__(
        self,
        store: Store,
        result: ImportResult,
        keys: bool,
        fresh: bool = False,
        writes: bool = True,
        out: Out | None = None,
        places: Callable[[str, str], int] | None = None,
        streaming: bool = False,
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
        self.out = out or StoreWrites(store, keys).call
        self.places = places or VillagesHere(store)
        self.streaming = streaming
        self.next_household = bulk.next_id(store, "households")
        self.next_person = bulk.next_id(store, "persons")
        # Households written, by the key the import groups rows by: (village id,
        # household id, members, values), for members met later (streaming only).
        self.written: dict[tuple, tuple[int, int, list[PersonRow], dict[str, Any]]] = {}
        self.by_number: dict[str, tuple] = {}
        self.by_household: dict[int, list[tuple]] = {}
        self.tags: dict[int, dict[str, str | None]] = {}
        self.conditions: dict[int, set[str]] = {}
        self._index_merged([])
        self._pending_persons: list[tuple] = []
        self._pending_tags: list[tuple] = []
        self._pending_conditions: list[tuple] = []

    # -- households ---------------------------------------------------------

    def write(self, batch: list[tuple[tuple, list[PersonRow]]]) -> None:
        placed = [(self.places(key[0], key[1]), key, members) for key, members in batch]
        found = self._existing_households(placed)
        new_households, ids = [], []
        for village_id, key, members in placed:
            number, head = key[2], key[3]
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
                    self.out("update_household", household_id, changes)
                state = "updated" if changes else "unchanged"
            self.result.households[state] += 1
            ids.append((village_id, household_id, members, existing is not None))
            if self.streaming:
                self.written[key] = (village_id, household_id, members, values)
        if self.writes and new_households:
            self.out("insert_households", new_households)
        self._write_persons(ids)

    def add_late(self, key: tuple, row: PersonRow) -> None:
        """A member of a household written in an earlier batch (streaming: the rows
        of a household apart in the file). The household's values are what they
        would have been with all its rows together: written again when they change."""
        village_id, household_id, members, values = self.written[key]
        members.append(row)
        now = household_values(members)
        changes = {k: v for k, v in now.items() if values[k] != v}
        if changes:
            self.flush()
            if self.writes:
                self.out("update_household", household_id, changes)
            self.written[key] = (village_id, household_id, members, now)
        self._save(row, village_id, household_id)

    def _existing_households(self, placed) -> dict[tuple, Any]:
        if self.fresh:
            return {}
        numbered = [(vid, key[2]) for vid, key, _m in placed if key[2]]
        headed = [(vid, key[3]) for vid, key, _m in placed if not key[2]]
        found: dict[tuple, Any] = {}
        if numbered:
            for row in households_q.households_by_number(self.store, numbered):
                found[(row["village_id"], row["number"], None)] = row
        if headed:
            for row in households_q.households_by_head(self.store, headed):
                found.setdefault((row["village_id"], None, row["head_name"]), row)
        return found

    # -- persons ------------------------------------------------------------

    def _write_persons(self, households: list[tuple[int, int, list[PersonRow], bool]]) -> None:
        if not self.fresh:
            self._look_up(households)
        elif not self.streaming:  # a batch holds its households whole: a new start
            self.by_number, self.by_household, self.tags, self.conditions = {}, {}, {}, {}
        for village_id, household_id, members, _existed in households:
            for row in members:
                self._save(row, village_id, household_id)
        self.flush()

    def _look_up(self, households: list[tuple[int, int, list[PersonRow], bool]]) -> None:
        """The persons a batch may match, and their tags and conditions (persons as
        tuples in q.PERSON_COLUMNS order, by ID number and by household)."""
        numbers = [r.values[V_ID_NUMBER] for _v, _h, members, _e in households for r in members]
        numbers = [n for n in numbers if n]
        existing_households = [h for _v, h, _m, existed in households if existed]
        self.by_number, self.by_household = {}, {}
        found = persons_q.persons_matching(self.store, numbers, existing_households)
        for person in found:
            self._index(person)
        self._index_merged(
            persons_q.persons_matching(self.store, numbers, existing_households, merged=True)
        )
        self.tags, self.conditions = details_q.tags_and_conditions_of(
            self.store, [p[P_ID] for p in found]
        )

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
            # The keys of a created person are written with them (insert_created).
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
        self.flush()
        if self.writes:
            self.out("update_person", person[P_ID], changes)
        self._unindex(existing)
        self._index(person)
        return "updated"

    def _update_tags(self, person_id: int, row: PersonRow, state: str) -> str:
        tags = self.tags.get(person_id, {})
        if set(tags) != set(row.tags) or self.conditions.get(person_id, set()) != set(
            row.conditions
        ):
            self.flush()
            if self.writes:
                self.out("replace_tags", person_id, list(row.tags), list(row.conditions))
            tags = self.tags[person_id] = dict.fromkeys(row.tags)
            self.conditions[person_id] = set(row.conditions)
            if state == "unchanged":
                state = "updated"
        cert = row.disability_cert
        if cert and "disabled" in tags and tags["disabled"] != cert:
            self.flush()
            if self.writes:
                self.out("set_disability_detail", person_id, cert)
            tags["disabled"] = cert
        return state

    def _replace_keys(self, person_id: int, values: tuple) -> None:
        self.flush()
        if self.writes:
            self.out(
                "replace_keys", person_id, values[V_NAME], values[V_ID_NUMBER], values[V_PHONE]
            )

    def flush(self) -> None:
        """Write the pending inserts (persons before what refers to them)."""
        if self.writes and self._pending_persons:
            self.out(
                "insert_created",
                self._pending_persons,
                self._pending_tags,
                self._pending_conditions,
            )
        self._pending_persons, self._pending_tags, self._pending_conditions = [], [], []


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
