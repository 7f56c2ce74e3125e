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

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic.core import categories, dates, groups, idnumbers, phones
from clinic.core.errors import ImportFileError, InputError, Problem
from clinic.core.search import search_keys
from clinic.core.tables import Table, iter_records, map_headers, read_table
from clinic.i18n import N_, _
from clinic.store import Store
from clinic.store import persons as place_q
from clinic.store import registers as q
from clinic.store.overview import count

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


@dataclass
class PersonRow:
    line: int
    raw: dict[str, str]
    township: str
    village: str
    household_number: str | None
    head_name: str
    category: str
    group_no: int | None
    person: dict[str, Any]
    tags: list[str]
    conditions: list[str]
    disability_cert: str | None


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
) -> ImportResult:
    """Check then write a register file; see the module docstring for the rules."""
    today = today or dt.date.today()
    table = read_table(path)
    headers = map_headers(table, REGISTER_COLUMNS, REQUIRED)
    problems = _header_problems(
        table, headers.missing, headers.duplicate, township, village, headers.columns
    )
    if problems:
        raise ImportFileError(table.path, problems)
    result = ImportResult(file=table.path, ignored_columns=headers.unknown, dry_run=dry_run)
    conditions = q.condition_lookup(store)
    good: list[PersonRow] = []
    rejected: list[tuple[int, dict[str, str], list[Problem]]] = []
    for line, raw in iter_records(table, headers.columns):
        row, row_problems = _check_row(
            table, headers.columns, line, raw, township, village, conditions, today
        )
        if row_problems:
            rejected.append((line, raw, row_problems))
        else:
            good.append(row)  # type: ignore[arg-type]
    _check_across_rows(table, headers.columns, good, rejected)
    good = [row for row in good if row.line not in {line for line, _r, _p in rejected}]
    result.rows = len(table.rows)
    result.problems = [p for _l, _r, ps in sorted(rejected, key=lambda r: r[0]) for p in ps]
    result.rejected = len(rejected)
    if rejected and not skip_bad:
        raise ImportFileError(table.path, result.problems)
    if not dry_run:
        _write(store, good, result, actor, progress)
        if rejected:
            result.rejected_file = _write_rejected(table, rejected)
    else:
        _simulate(store, good, result)
    return result


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


def _check_row(table, columns, line, raw, township, village, conditions, today):
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(
            Problem(line, column_label(table, columns, name), message, raw.get(name, ""))
        )

    def parse(name: str, func, *args):
        value = raw.get(name, "")
        if not value:
            return None
        try:
            return func(value, *args)
        except InputError as exc:
            bad(name, exc.message)
            return None

    name = raw.get("name", "").strip()
    if not name:
        bad("name", _("the name is empty."))
    town = raw.get("township") or township or ""
    vil = raw.get("village") or village or ""
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
    idn = parse("id_number", idnumbers.parse_id, today)
    sex = parse("sex", categories.parse_sex)
    birth = parse("birth_date", dates.parse_date)
    if birth and birth > today:
        bad(
            "birth_date",
            _("the birth date {date} is in the future.").format(date=birth.isoformat()),
        )
    if idn is not None:
        for message in idnumbers.check_against(idn, sex, birth):
            bad("id_number", message)
    phone = parse("phone", phones.normalise_phone)
    group_no = parse("group", groups.parse_group)
    category = parse("category", categories.parse_category) or "ordinary"
    tags = parse("tags", categories.parse_tags) or []
    codes, other = _conditions(raw.get("conditions", ""), conditions)
    family_doctor = 1 if "family_doctor" in tags else 0
    tags = [t for t in tags if t != "family_doctor"]
    cert = raw.get("disability_cert") or None
    if cert and "disabled" not in tags:
        tags.append("disabled")
    if problems:
        return None, problems
    person = {
        "name": name,
        "relation": relation,
        "sex": sex or (idn.sex if idn else None),
        "birth_date": (birth or (idn.birth_date if idn else None)),
        "id_number": idn.number if idn else None,
        "id_number_old": idn.old if idn else None,
        "phone": phone,
        "group_no": group_no,
        "other_conditions": ";".join(other),
        "family_doctor": family_doctor,
    }
    if person["birth_date"]:
        person["birth_date"] = person["birth_date"].isoformat()
    return PersonRow(
        line, raw, town, vil, number, head, category, group_no, person, tags, codes, cert
    ), []


def _conditions(text: str, lookup: dict[str, str]) -> tuple[list[str], list[str]]:
    import re
    import unicodedata

    codes, other = [], []
    for word in re.split(r"[;；,，、/\s]+", unicodedata.normalize("NFKC", text or "")):
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


def _check_across_rows(table, columns, good: list[PersonRow], rejected) -> None:
    """Duplicate ID numbers in the file; households whose rows disagree on category."""
    seen_ids: dict[str, int] = {}
    categories_of: dict[tuple, tuple[str, int]] = {}
    for row in good:
        number = row.person["id_number"]
        if number:
            if number in seen_ids:
                rejected.append(
                    (
                        row.line,
                        row.raw,
                        [
                            Problem(
                                row.line,
                                column_label(table, columns, "id_number"),
                                _("the same ID number is already on line {line}.").format(
                                    line=seen_ids[number]
                                ),
                            )
                        ],
                    )
                )
                continue
            seen_ids[number] = row.line
        key = (row.township, row.village, row.household_number or row.head_name)
        if key in categories_of and categories_of[key][0] != row.category:
            rejected.append(
                (
                    row.line,
                    row.raw,
                    [
                        Problem(
                            row.line,
                            column_label(table, columns, "category"),
                            _(
                                "household {household} has category {a} on line {line} but {b} here."
                            ).format(
                                household=row.household_number or row.head_name,
                                a=categories.category_label(categories_of[key][0]),
                                line=categories_of[key][1],
                                b=categories.category_label(row.category),
                            ),
                        )
                    ],
                )
            )
            continue
        categories_of.setdefault(key, (row.category, row.line))


def _household_values(rows: list[PersonRow]) -> dict[str, Any]:
    head = next((r for r in rows if r.person["relation"] in ("户主", "本人")), rows[0])
    return {
        "head_name": rows[0].head_name or head.person["name"],
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
    store: Store, rows: list[PersonRow], result: ImportResult, actor: str, progress: Progress | None
) -> None:
    households = _grouped(rows)
    done = 0
    with store.transaction():
        villages_before = count(store, "villages")
        for (town, vil, number, _head), members in households.items():
            village_id = place_q.village_id(store, town, vil)
            household_id, state = q.save_household(
                store, village_id, number, _household_values(members)
            )
            result.households[state] += 1
            for row in members:
                _save_member(store, row, village_id, household_id, result)
                done += 1
            if progress:
                progress(done, len(rows))
        result.villages_created = count(store, "villages") - villages_before
        q.record_audit(
            store,
            actor,
            "import_register",
            json.dumps({"file": result.file.name}, ensure_ascii=False),
            len(rows),
        )


def _save_member(
    store: Store, row: PersonRow, village_id: int, household_id: int, result: ImportResult
) -> None:
    values = {**row.person, "household_id": household_id, "village_id": village_id}
    existing = q.find_person(
        store, values["id_number"], household_id, values["name"], values["birth_date"]
    )
    person_id, state = q.save_person(store, existing, values)
    tags, conds = q.tags_and_conditions(store, person_id)
    if tags != set(row.tags) or conds != set(row.conditions):
        place_q.set_person_tags(store, person_id, row.tags)
        place_q.set_person_conditions(store, person_id, row.conditions)
        if state == "unchanged":
            state = "updated"
    if row.disability_cert:
        place_q.set_disability_detail(store, person_id, row.disability_cert)
    if state != "unchanged":
        place_q.replace_keys(
            store, person_id, search_keys(values["name"], values["id_number"], values["phone"])
        )
    result.persons[state] += 1


def _simulate(store: Store, rows: list[PersonRow], result: ImportResult) -> None:
    """What a real import would do, written inside a transaction that is rolled back."""

    class _Rollback(Exception):
        pass

    try:
        with store.transaction():
            _write(store, rows, result, "", None)
            raise _Rollback
    except _Rollback:
        pass


def _write_rejected(table: Table, rejected) -> Path:
    out = table.path.with_name(table.path.stem + ".rejected.csv")
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([_("line"), *table.headers, _("reason")])
        cells_by_line = dict(table.rows)
        for line, _raw, problems in sorted(rejected, key=lambda r: r[0]):
            reason = "; ".join(f"{p.column}: {p.message}" for p in problems)
            writer.writerow([line, *cells_by_line.get(line, []), reason])
    return out
