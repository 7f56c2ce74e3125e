"""Import a village household register (one row per person) from CSV or Excel.

The whole file is checked first; by default a single bad row means nothing is
written and every problem is listed (file line, column, what is wrong).
``skip_bad`` writes the good rows and puts the rejected ones, with a reason
column, in a CSV beside the input. Everything written is one transaction.
Matching makes a second import of the same file change nothing: a household
by (village, 户编号) or, without a number, (village, 户主姓名); a person by
ID number, else household + name + birth date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic.core import categories, dates, groups, idnumbers, phones
from clinic.core.errors import ImportFileError, InputError, Problem
from clinic.core.privacy import mask_id, mask_phone
from clinic.core.rejected import Rejected, write_rejected
from clinic.core.search import number_keys, search_keys
from clinic.core.tables import Table, iter_cells, map_headers, open_table
from clinic.i18n import N_, _
from clinic.store import Store, bulk
from clinic.store import audit as audit_q
from clinic.store import catalogues as catalogues_q
from clinic.store import households as households_q
from clinic.store import person_details as details_q
from clinic.store import person_keys as keys_q
from clinic.store import persons as persons_q
from clinic.store import places as places_q
from clinic.store.counts import count

Progress = Callable[[int, int], None]

# Accepted column names per field: the sample files' spelling first, then the
# usual variants of registers from different townships, then English.
REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "household_number": (
        "户编号",
        "户号",
        "家庭编号",
        "户编码",
        "household number",
        "household no",
    ),
    "name": ("姓名", "名字", "人员姓名", "name"),
    "relation": ("与户主关系", "与户主的关系", "关系", "家庭关系", "relation", "relationship"),
    "sex": ("性别", "sex", "gender"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证",
        "证件号码",
        "id number",
        "id no",
        "id card",
    ),
    "birth_date": (
        "出生日期",
        "出生年月日",
        "出生年月",
        "生日",
        "birth date",
        "date of birth",
        "dob",
    ),
    "phone": (
        "联系电话",
        "手机号",
        "手机号码",
        "电话",
        "电话号码",
        "联系方式",
        "phone",
        "mobile",
        "telephone",
    ),
    "township": (
        "乡镇",
        "乡镇(街道)",
        "乡镇/街道",
        "乡镇街道",
        "镇",
        "街道",
        "镇街",
        "township",
        "town",
    ),
    "village": ("村", "村(社区)", "村/社区", "村社区", "村名", "行政村", "社区", "village"),
    "group": ("组", "村民小组", "组别", "社", "小组", "group"),
    "category": (
        "户类别",
        "户类型",
        "家庭类别",
        "户属性",
        "户类",
        "类别",
        "category",
        "household category",
    ),
    "tags": ("人员标签", "标签", "人员类别", "人员类型", "tags", "person tags"),
    "conditions": (
        "慢病",
        "慢性病",
        "慢病情况",
        "慢病种类",
        "疾病",
        "chronic conditions",
        "conditions",
    ),
    "head_name": ("户主姓名", "户主", "head name", "household head", "head"),
    "disability_cert": ("残疾证号", "残疾证号码", "disability certificate"),
}

FIELD_LABELS = {
    "household_number": N_("household number"),
    "name": N_("name"),
    "relation": N_("relation"),
    "sex": N_("sex"),
    "id_number": N_("ID number"),
    "birth_date": N_("birth date"),
    "phone": N_("phone"),
    "township": N_("township"),
    "village": N_("village"),
    "group": N_("group"),
    "category": N_("household category"),
    "tags": N_("tags"),
    "conditions": N_("chronic conditions"),
    "head_name": N_("head of household"),
    "disability_cert": N_("disability certificate"),
}

REQUIRED = ("name",)


# The checked values of a person, in this order (a tuple per row keeps 200,000
# checked rows small while the file is checked before anything is written).
VALUE_FIELDS = (
    "name",
    "relation",
    "sex",
    "birth_date",
    "id_number",
    "id_number_old",
    "phone",
    "group_no",
    "other_conditions",
    "family_doctor",
)
_NAME, _RELATION, _BIRTH, _ID_NUMBER, _PHONE = 0, 1, 3, 4, 6
# The same in a person tuple (q.PERSON_COLUMNS: id, household_id, village_id, *VALUE_FIELDS).
_P_ID, _P_HOUSEHOLD = 0, 1
_P_NAME, _P_BIRTH, _P_ID_NUMBER = 3 + _NAME, 3 + _BIRTH, 3 + _ID_NUMBER

# Rows written per batch: one query fetches what a batch may match, one
# executemany per table writes what is new.
BATCH_ROWS = 2000


@dataclass(slots=True)
class PersonRow:
    line: int
    township: str
    village: str
    household_number: str | None
    head_name: str
    category: str
    group_no: int | None
    values: tuple  # VALUE_FIELDS
    tags: tuple[str, ...]
    conditions: tuple[str, ...]
    disability_cert: str | None

    @property
    def person(self) -> dict[str, Any]:
        return dict(zip(VALUE_FIELDS, self.values, strict=True))


@dataclass
class ImportResult:
    file: Path
    rows: int = 0
    villages_created: int = 0
    households: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    persons: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    rejected: int = 0
    rejected_file: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "rows": self.rows,
            "villages_created": self.villages_created,
            "households": self.households,
            "persons": self.persons,
            "rejected": self.rejected,
            "rejected_file": str(self.rejected_file) if self.rejected_file else None,
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
            "problems": [
                {"line": p.line, "column": p.column, "message": p.message} for p in self.problems
            ],
        }


def column_label(table: Table, columns: dict[str, int], name: str) -> str:
    """The header as written in the file (so the user finds the column)."""
    if name in columns:
        return table.headers[columns[name]]
    return _(FIELD_LABELS[name])


def import_register(
    store: Store,
    path: str | Path,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    township: str | None = None,
    village: str | None = None,
    actor: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
    unmasked: bool = False,
) -> ImportResult:
    """Check then write a register file; see the module docstring for the rules.

    The file is streamed: its rows are checked as they are read and only the
    checked values (and the cells of rejected rows) are kept until written.
    ``unmasked`` writes whole ID numbers and phones into the rejected-rows file.
    """
    today = today or dt.date.today()
    with open_table(path) as table:
        headers = map_headers(table, REGISTER_COLUMNS, REQUIRED)
        problems = _header_problems(
            table, headers.missing, headers.duplicate, township, village, headers.columns
        )
        if problems:
            raise ImportFileError(table.path, problems)
        checker = _Checker(table, headers.columns, township, village, store, today, skip_bad)
        for line, raw, cells in iter_cells(table, headers.columns):
            checker.check(line, raw, cells)
    result = ImportResult(file=table.path, ignored_columns=headers.unknown, dry_run=dry_run)
    rejected = sorted(checker.rejected, key=lambda r: r.line)
    result.rows = checker.rows
    result.problems = [p for r in rejected for p in r.problems]
    result.rejected = len(rejected)
    if rejected and not skip_bad:
        raise ImportFileError(table.path, result.problems)
    if dry_run:
        _simulate(store, checker.good, result)
        return result
    _write(store, checker.good, result, actor, progress)
    if rejected:
        masks = {
            headers.columns[name]: mask for name, mask in _MASKS.items() if name in headers.columns
        }
        result.rejected_file = write_rejected(
            store, table.path, table.headers, rejected, masks=masks, unmasked=unmasked, actor=actor
        )
    return result


# Columns of the rejected-rows file masked unless the coordinator asks (a
# disability certificate number is the ID number and two more digits).
_MASKS = {"id_number": mask_id, "phone": mask_phone, "disability_cert": mask_id}


def _header_problems(table, missing, duplicate, township, village, columns) -> list[Problem]:
    problems = [
        Problem(1, _(FIELD_LABELS[name]), _("required column is missing.")) for name in missing
    ]
    problems += [
        Problem(1, header, _("the same information appears in two columns."))
        for header in duplicate
    ]
    if "township" not in columns and not township:
        problems.append(
            Problem(1, _("township"), _("no township column: add one (乡镇) or give --township."))
        )
    if "village" not in columns and not village:
        problems.append(
            Problem(1, _("village"), _("no village column: add one (村) or give --village."))
        )
    if "household_number" not in columns and "head_name" not in columns:
        problems.append(
            Problem(
                1,
                _("household number"),
                _(
                    "need a household number column (户编号) or a head-of-household column (户主姓名) to form households."
                ),
            )
        )
    return problems


# Distinct cell values per column whose parse is remembered (bounds the memory it takes).
_CACHE_SIZE = 50_000


class _Checker:
    """Checks rows one by one as they are read, and across rows (a repeated
    ID number, a household whose rows disagree on its category): the good
    rows and the rejected ones, each rejected row with every problem.

    The parsers of columns with few distinct values (sex, group, category,
    tags, conditions, dates) run once per distinct value: their answers,
    and their error messages, are kept for the rest of the file.
    """

    def __init__(
        self, table: Table, columns, township, village, store: Store, today, skip_bad: bool
    ) -> None:
        self.table = table
        self.skip_bad = skip_bad
        self.columns = columns
        self.township = township
        self.village = village
        self.today = today
        self.lookup = catalogues_q.condition_lookup(store)
        self.good: list[PersonRow] = []
        self.rejected: list[Rejected] = []
        self.rows = 0
        self.seen_ids: dict[str, int] = {}
        self.categories_of: dict[tuple, tuple[str, int]] = {}
        self.labels = {name: column_label(table, columns, name) for name in FIELD_LABELS}
        self._caches: dict[str, dict[str, tuple]] = {
            name: {} for name in ("sex", "birth_date", "group", "category", "tags", "conditions")
        }
        self._strings: dict[str, str] = {}
        self._parsers = {
            "sex": categories.parse_sex,
            "birth_date": dates.parse_date,
            "group": groups.parse_group,
            "category": categories.parse_category,
            "tags": lambda text: tuple(categories.parse_tags(text)),
        }

    def share(self, text: str) -> str:
        """One string object for repeated values (villages, relations, numbers)."""
        return self._strings.setdefault(text, text)

    def check(self, line: int, raw: dict[str, str], cells: list[str]) -> None:
        self.rows += 1
        row, problems = self._check_row(line, raw)
        if not problems:
            problems = self._check_across(row)
        if problems:
            # Without skip_bad a bad row means nothing is written: from then
            # on only the problems are kept, not the rows.
            self.rejected.append(Rejected(line, cells if self.skip_bad else [], problems))
            if not self.skip_bad:
                self.good.clear()
        elif self.skip_bad or not self.rejected:
            self.good.append(row)

    def _parse(self, name: str, raw: dict[str, str], problems: list[Problem], line: int):
        value = raw.get(name, "")
        if not value:
            return None
        cache = self._caches[name]
        hit = cache.get(value)
        if hit is None:
            try:
                hit = (self._parsers[name](value), None)
            except InputError as exc:
                hit = (None, exc.message)
            if len(cache) < _CACHE_SIZE:
                cache[value] = hit
        if hit[1] is not None:
            problems.append(Problem(line, self.labels[name], hit[1], value))
        return hit[0]

    def _check_row(self, line: int, raw: dict[str, str]):
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem(line, self.labels[name], message, raw.get(name, "")))

        name = raw.get("name", "").strip()
        if not name:
            bad("name", _("the name is empty."))
        town = raw.get("township") or self.township or ""
        vil = raw.get("village") or self.village or ""
        if not town:
            bad("township", _("the township is empty."))
        if not vil:
            bad("village", _("the village is empty."))
        number = raw.get("household_number") or None
        head = raw.get("head_name") or ""
        relation = raw.get("relation") or None
        if not head and (relation in ("户主", "本人") or not number):
            head = name
        if not number and not head:
            bad("head_name", _("neither a household number nor a head of household is given."))
        idn = None
        if raw.get("id_number"):
            try:
                idn = idnumbers.parse_id(raw["id_number"], self.today)
            except InputError as exc:
                bad("id_number", exc.message)
        sex = self._parse("sex", raw, problems, line)
        birth = self._parse("birth_date", raw, problems, line)
        if birth and birth > self.today:
            bad(
                "birth_date",
                _("the birth date {date} is in the future.").format(date=birth.isoformat()),
            )
        if idn is not None and (
            (sex is not None and sex != idn.sex) or (birth is not None and birth != idn.birth_date)
        ):
            for message in idnumbers.check_against(idn, sex, birth):
                bad("id_number", message)
        phone = None
        if raw.get("phone"):
            try:
                phone = phones.normalise_phone(raw["phone"])
            except InputError as exc:
                bad("phone", exc.message)
        group_no = self._parse("group", raw, problems, line)
        category = self._parse("category", raw, problems, line) or "ordinary"
        tags = self._parse("tags", raw, problems, line) or ()
        codes, other = self._conditions(raw.get("conditions", ""))
        family_doctor = 1 if "family_doctor" in tags else 0
        if family_doctor:
            tags = tuple(t for t in tags if t != "family_doctor")
        cert = raw.get("disability_cert") or None
        if cert and "disabled" not in tags:
            tags = (*tags, "disabled")
        if problems:
            return None, problems
        if birth is None and idn is not None:
            birth = idn.birth_date
        share = self.share
        values = (
            name,
            share(relation) if relation else None,
            sex or (idn.sex if idn else None),
            birth.isoformat() if birth else None,
            idn.number if idn else None,
            idn.old if idn else None,
            phone,
            group_no,
            other,
            family_doctor,
        )
        return PersonRow(
            line,
            share(town),
            share(vil),
            share(number) if number else None,
            share(head),
            category,
            group_no,
            values,
            tags,
            codes,
            cert,
        ), []

    def _conditions(self, text: str) -> tuple[tuple[str, ...], str]:
        cache = self._caches["conditions"]
        hit = cache.get(text)
        if hit is None:
            codes, other = _conditions(text, self.lookup)
            hit = (tuple(codes), self.share(";".join(other)))
            if len(cache) < _CACHE_SIZE:
                cache[text] = hit
        return hit

    def _check_across(self, row: PersonRow) -> list[Problem]:
        """A repeated ID number; a household whose rows disagree on its category."""
        number = row.values[_ID_NUMBER]
        if number:
            if number in self.seen_ids:
                return [
                    Problem(
                        row.line,
                        self.labels["id_number"],
                        _("the same ID number is already on line {line}.").format(
                            line=self.seen_ids[number]
                        ),
                    )
                ]
            self.seen_ids[number] = row.line
        key = (row.township, row.village, row.household_number or row.head_name)
        first = self.categories_of.get(key)
        if first is not None and first[0] != row.category:
            return [
                Problem(
                    row.line,
                    self.labels["category"],
                    _("household {household} has category {a} on line {line} but {b} here.").format(
                        household=row.household_number or row.head_name,
                        a=categories.category_label(first[0]),
                        line=first[1],
                        b=categories.category_label(row.category),
                    ),
                )
            ]
        if first is None:
            self.categories_of[key] = (row.category, row.line)
        return []


def _conditions(text: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    codes, other = [], []
    for word in _CONDITION_SPLIT.split(unicodedata.normalize("NFKC", text or "")):
        word = word.strip()
        if not word:
            continue
        code = lookup.get(word.lower())
        if code:
            if code not in codes:
                codes.append(code)
        elif word not in other:
            other.append(word)
    return codes, other


_CONDITION_SPLIT = re.compile(r"[;；,，、/\s]+")


def _household_values(rows: list[PersonRow]) -> dict[str, Any]:
    head = next((r for r in rows if r.values[_RELATION] in ("户主", "本人")), rows[0])
    return {
        "head_name": rows[0].head_name or head.values[_NAME],
        "group_no": head.group_no,
        "category": rows[0].category,
    }


def _grouped(rows: list[PersonRow]) -> dict[tuple, list[PersonRow]]:
    households: dict[tuple, list[PersonRow]] = {}
    for row in rows:
        households.setdefault(
            (
                row.township,
                row.village,
                row.household_number,
                row.head_name if not row.household_number else "",
            ),
            [],
        ).append(row)
    return households


def _write(
    store: Store,
    rows: list[PersonRow],
    result: ImportResult,
    actor: str,
    progress: Progress | None,
    *,
    keys: bool = True,
) -> None:
    """Write every row in one transaction, a batch of households at a time."""
    households = _grouped(rows)
    done = 0
    with store.transaction(), bulk.large_cache(store):
        villages_before = count(store, "villages")
        writer = _Writer(store, result, keys=keys)
        batch: list[tuple[tuple, list[PersonRow]]] = []
        size = 0
        for key, members in households.items():
            batch.append((key, members))
            size += len(members)
            if size >= BATCH_ROWS:
                writer.write(batch)
                done += size
                batch, size = [], 0
                if progress:
                    progress(done, len(rows))
        if batch:
            writer.write(batch)
            done += size
            if progress:
                progress(done, len(rows))
        result.villages_created = count(store, "villages") - villages_before
        audit_q.record(
            store,
            actor,
            "import_register",
            json.dumps({"file": result.file.name}, ensure_ascii=False),
            len(rows),
        )


class _Writer:
    """Writes batches of households with their members, matching as the
    per-row rules say (a household by village + number, or village + head
    without a number; a person by ID number, else household + name + birth
    date), but with one query per batch for what it may match and
    executemany for what is new.

    Within a batch the persons already matched or created are kept in memory
    (by ID number and by household), so a later row of the same batch sees
    exactly what it would have found in the database row by row; pending
    inserts are written before any update, so the database never disagrees
    with that order.
    """

    def __init__(self, store: Store, result: ImportResult, keys: bool) -> None:
        self.store = store
        self.result = result
        self.keys = keys
        self.villages: dict[tuple[str, str], int] = {}
        self.next_household = bulk.next_id(store, "households")
        self.next_person = bulk.next_id(store, "persons")
        self.name_keys: dict[str, set[str]] = {}
        self._pending_persons: list[tuple] = []
        self._pending_tags: list[tuple] = []
        self._pending_conditions: list[tuple] = []
        self._pending_keys: list[tuple] = []

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
            values = _household_values(members)
            existing = found.get((village_id, number, None if number else head))
            if existing is None:
                household_id = self.next_household
                self.next_household += 1
                new_households.append((household_id, village_id, number, *values.values()))
                state = "created"
            else:
                household_id = existing["id"]
                changes = {k: v for k, v in values.items() if existing[k] != v}
                if changes:
                    households_q.update_household(self.store, household_id, changes)
                state = "updated" if changes else "unchanged"
            self.result.households[state] += 1
            ids.append((village_id, household_id, members, existing is not None))
        households_q.insert_households(self.store, new_households)
        self._write_persons(ids)

    def _existing_households(self, placed) -> dict[tuple, dict]:
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
        numbers = [r.values[_ID_NUMBER] for _v, _h, members, _e in households for r in members]
        existing_households = [h for _v, h, _m, existed in households if existed]
        # Persons as tuples in q.PERSON_COLUMNS order, by ID number and by household.
        self.by_number: dict[str, tuple] = {}
        self.by_household: dict[int, list[tuple]] = {}
        found = persons_q.persons_matching(
            self.store, [n for n in numbers if n], existing_households
        )
        for person in found:
            self._index(person)
        self.tags, self.conditions = details_q.tags_and_conditions_of(
            self.store, [p[_P_ID] for p in found]
        )
        for village_id, household_id, members, _existed in households:
            for row in members:
                self._save(row, village_id, household_id)
        self._flush()

    def _match(self, household_id: int, values: tuple) -> tuple | None:
        number = values[_ID_NUMBER]
        if number and number in self.by_number:
            return self.by_number[number]
        name, birth = values[_NAME], values[_BIRTH]
        for person in self.by_household.get(household_id, ()):
            if (
                person[_P_NAME] == name
                and person[_P_BIRTH] == birth
                and (person[_P_ID_NUMBER] is None or number is None)
            ):
                return person
        return None

    def _save(self, row: PersonRow, village_id: int, household_id: int) -> None:
        existing = self._match(household_id, row.values)
        if existing is None:
            person_id = self.next_person
            self.next_person += 1
            self._create((person_id, household_id, village_id, *row.values), row)
            state = "created"
        else:
            person_id = existing[_P_ID]
            state = self._update(existing, (person_id, household_id, village_id, *row.values))
            state = self._update_tags(person_id, row, state)
        if state != "unchanged" and self.keys:
            self._replace_keys(person_id, row.values, created=existing is None)
        self.result.persons[state] += 1

    def _create(self, person: tuple, row: PersonRow) -> None:
        person_id = person[_P_ID]
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
        if person[_P_ID_NUMBER]:
            self.by_number[person[_P_ID_NUMBER]] = person
        members = self.by_household.setdefault(person[_P_HOUSEHOLD], [])
        members.append(person)
        if len(members) > 1 and members[-2][_P_ID] > person[_P_ID]:
            members.sort()  # the oldest record first, as the database gives them

    def _unindex(self, person: tuple) -> None:
        if person[_P_ID_NUMBER] and self.by_number.get(person[_P_ID_NUMBER]) is person:
            del self.by_number[person[_P_ID_NUMBER]]
        members = self.by_household.get(person[_P_HOUSEHOLD], [])
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
        persons_q.update_person(self.store, person[_P_ID], changes)
        self._unindex(existing)
        self._index(person)
        return "updated"

    def _update_tags(self, person_id: int, row: PersonRow, state: str) -> str:
        tags = self.tags.get(person_id, {})
        if set(tags) != set(row.tags) or self.conditions.get(person_id, set()) != set(
            row.conditions
        ):
            self._flush()
            details_q.delete_person_tags(self.store, person_id)
            details_q.delete_person_conditions(self.store, person_id)
            details_q.insert_person_tags(self.store, [(person_id, tag, None) for tag in row.tags])
            details_q.insert_person_conditions(self.store, [(person_id, c) for c in row.conditions])
            tags = self.tags[person_id] = dict.fromkeys(row.tags)
            self.conditions[person_id] = set(row.conditions)
            if state == "unchanged":
                state = "updated"
        cert = row.disability_cert
        if cert and "disabled" in tags and tags["disabled"] != cert:
            self._flush()
            details_q.set_disability_detail(self.store, person_id, cert)
            tags["disabled"] = cert
        return state

    def _replace_keys(self, person_id: int, values: tuple, created: bool) -> None:
        name = values[_NAME]
        name_keys = self.name_keys.get(name)
        if name_keys is None:
            name_keys = search_keys(name, None, None)
            if len(self.name_keys) < _CACHE_SIZE:
                self.name_keys[name] = name_keys
        keys = name_keys | number_keys(values[_ID_NUMBER], values[_PHONE])
        if created:
            self._pending_keys.extend((key, person_id) for key in keys)
        else:
            self._flush()
            keys_q.replace_keys(self.store, person_id, keys)

    def _flush(self) -> None:
        """Write the pending inserts (persons before what refers to them)."""
        if self._pending_persons:
            persons_q.insert_persons(self.store, self._pending_persons)
            self._pending_persons = []
        if self._pending_tags:
            details_q.insert_person_tags(self.store, self._pending_tags)
            self._pending_tags = []
        if self._pending_conditions:
            details_q.insert_person_conditions(self.store, self._pending_conditions)
            self._pending_conditions = []
        if self._pending_keys:
            keys_q.insert_person_keys(self.store, self._pending_keys)
            self._pending_keys = []


def _simulate(store: Store, rows: list[PersonRow], result: ImportResult) -> None:
    """What a real import would do, written inside a transaction that is
    rolled back. Search keys change no figure of the result: they are skipped."""

    class _Rollback(Exception):
        """Not a user error: ends the dry run's transaction so that it rolls back."""

    try:
        with store.transaction():
            _write(store, rows, result, "", None, keys=False)
            raise _Rollback
    except _Rollback:
        pass
