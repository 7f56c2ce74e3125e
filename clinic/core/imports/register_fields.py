"""The household register as a file: the column names each field is known by,
the fields a person's checked values hold (in tuple order) and the result of
an import. Shared by the checker, the writer and the import itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic.core.errors import Problem
from clinic.core.tables import Table
from clinic.i18n import N_, _

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

# The fields in REGISTER_COLUMNS order: a row's cells as the checks read them
# (tables.iter_fields), and each field's place among them.
FIELDS = tuple(REGISTER_COLUMNS)
FIELD_INDEX = {name: i for i, name in enumerate(FIELDS)}

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
V_NAME, V_RELATION, V_BIRTH, V_ID_NUMBER, V_PHONE = 0, 1, 3, 4, 6
# The same in a person tuple (q.PERSON_COLUMNS: id, household_id, village_id, *VALUE_FIELDS).
P_ID, P_HOUSEHOLD = 0, 1
P_NAME, P_BIRTH, P_ID_NUMBER, P_PHONE = 3 + V_NAME, 3 + V_BIRTH, 3 + V_ID_NUMBER, 3 + V_PHONE

# Distinct cell values per column whose parse is remembered (bounds the memory it takes).
CACHE_SIZE = 50_000

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
