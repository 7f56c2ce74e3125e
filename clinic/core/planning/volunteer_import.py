"""Import a volunteer roster (one row per volunteer) from CSV or Excel.

Same contract as the register import: check everything first, write all or
nothing (or the good rows with ``skip_bad``), match on name + phone so that a
second import changes nothing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic.core import phones
from clinic.core.errors import ImportFileError, InputError, Problem
from clinic.core.planning.availability import parse_availability
from clinic.core.privacy import mask_phone
from clinic.core.rejected import Rejected, write_rejected
from clinic.core.tables import Table, iter_cells, map_headers, open_table
from clinic.i18n import N_, _
from clinic.store import Store
from clinic.store import audit as audit_q
from clinic.store import catalogues as catalogues_q
from clinic.store import volunteers as q
from clinic.store.counts import count

VOLUNTEER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "志愿者姓名", "name"),
    "phone": ("手机号", "手机号码", "联系电话", "电话", "联系方式", "phone", "mobile"),
    "organisation": (
        "所属组织",
        "组织",
        "所属党派",
        "党派",
        "单位",
        "所属单位",
        "organisation",
        "organization",
        "org",
    ),
    "specialty": ("专业", "专科", "科室", "专长", "岗位", "specialty", "speciality", "role"),
    "licence": (
        "执业证号",
        "执业证书编号",
        "执业证书号",
        "资格证号",
        "证书编号",
        "licence",
        "license",
        "licence number",
    ),
    "availability": ("可服务时间", "服务时间", "可服务", "可参加时间", "availability", "available"),
    "max_days": ("每月最多天数", "每月上限", "每月最多", "max days per month", "max days"),
    "notes": ("备注", "说明", "notes", "remarks"),
}
LABELS = {
    "name": N_("name"),
    "phone": N_("phone"),
    "organisation": N_("organisation"),
    "specialty": N_("specialty"),
    "licence": N_("licence number"),
    "availability": N_("availability"),
    "max_days": N_("max days per month"),
    "notes": N_("notes"),
}


@dataclass
class VolunteerImportResult:
    file: Path
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_file: Path | None = None
    organisations_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejected_file": str(self.rejected_file) if self.rejected_file else None,
            "organisations_created": self.organisations_created,
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
            "problems": [
                {"line": p.line, "column": p.column, "message": p.message} for p in self.problems
            ],
        }


def _word_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def specialty_lookup(store: Store) -> dict[str, str]:
    table = {}
    for row in catalogues_q.specialties(store):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word.strip():
                table[_word_key(word)] = row["code"]
    return table


def organisation_lookup(store: Store) -> dict[str, int]:
    table = {}
    for row in catalogues_q.organisations(store):
        for word in (row["short_name"], row["name_zh"], row["name_en"]):
            table[_word_key(word)] = row["id"]
    return table


def resolve_organisation(
    store: Store, text: str, lookup: dict[str, int], create: bool
) -> int | None:
    """A catalogued organisation, or a local unit of one (民进綦江区委会 → child of 民进)."""
    key = _word_key(text)
    if key in lookup:
        return lookup[key]
    for row in catalogues_q.organisations(store):
        if row["parent_id"] is None and text.startswith(row["short_name"]):
            if not create:
                return -1
            new_id = catalogues_q.add_local_unit(store, text, row)
            lookup[key] = new_id
            return new_id
    return None


def import_volunteers(
    store: Store,
    path: str | Path,
    *,
    skip_bad: bool = False,
    dry_run: bool = False,
    actor: str = "",
    progress=None,
    unmasked: bool = False,
) -> VolunteerImportResult:
    """Check then write a roster file; the file is read as the register's is
    (streamed, any encoding or .xlsx) and rejected rows go to the same kind of
    masked, audited file (``unmasked``: whole phone numbers in it)."""
    with open_table(path) as table:
        headers = map_headers(table, VOLUNTEER_COLUMNS, ("name",))
        problems = [
            Problem(1, _(LABELS[m]), _("required column is missing.")) for m in headers.missing
        ]
        problems += [
            Problem(1, h, _("the same information appears in two columns."))
            for h in headers.duplicate
        ]
        if problems:
            raise ImportFileError(table.path, problems)
        orgs = organisation_lookup(store)
        good, rejected, rows = _check_all(store, table, headers.columns, orgs)
    result = VolunteerImportResult(
        file=table.path, rows=rows, ignored_columns=headers.unknown, dry_run=dry_run
    )
    result.problems = [p for r in rejected for p in r.problems]
    result.rejected = len(rejected)
    if rejected and not skip_bad:
        raise ImportFileError(table.path, result.problems)
    if dry_run:
        for _line, values in good:
            existing = q.find_volunteer(store, values["name"], values["phone"])
            state = (
                "created"
                if existing is None
                else ("unchanged" if _same(existing, values) else "updated")
            )
            setattr(result, state, getattr(result, state) + 1)
        return result
    with store.transaction():
        before = count(store, "organisations")
        for done, (_line, values) in enumerate(good, start=1):
            org_text = values.pop("organisation_text")
            if org_text:
                values["organisation_id"] = resolve_organisation(store, org_text, orgs, create=True)
            state = q.save_volunteer(store, values)
            setattr(result, state, getattr(result, state) + 1)
            if progress:
                progress(done, len(good))
        result.organisations_created = count(store, "organisations") - before
        audit_q.record(
            store,
            actor,
            "import_volunteers",
            json.dumps({"file": table.path.name}, ensure_ascii=False),
            len(good),
        )
    if rejected:
        masks: dict[int, Callable[[str], str]] = (
            {headers.columns["phone"]: mask_phone} if "phone" in headers.columns else {}
        )
        result.rejected_file = write_rejected(
            store,
            table.path,
            table.headers,
            rejected,
            masks=masks,
            unmasked=unmasked,
            actor=actor,
            kind="volunteer",
        )
    return result


def _check_all(
    store: Store, table: Table, columns, orgs: dict[str, int]
) -> tuple[list, list[Rejected], int]:
    """Every row checked as it is read: the good ones' values, the rejected
    ones (with their cells), and how many rows there were."""
    specialties = specialty_lookup(store)
    good, rejected = [], []
    seen: dict[tuple, int] = {}
    rows = 0
    for line, raw, cells in iter_cells(table, columns):
        rows += 1
        values, row_problems = _check(store, table, columns, line, raw, specialties, orgs)
        if not row_problems:
            key = (values["name"], values["phone"])
            if key in seen:
                row_problems.append(
                    Problem(
                        line,
                        _(LABELS["name"]),
                        _("the same volunteer is already on line {line}.").format(line=seen[key]),
                    )
                )
            seen.setdefault(key, line)
        if row_problems:
            rejected.append(Rejected(line, cells, row_problems))
        else:
            good.append((line, values))
    return good, rejected, rows


def _same(existing: dict, values: dict) -> bool:
    return all(existing.get(k) == v for k, v in values.items() if k != "organisation_text")


def _check(store, table: Table, columns, line, raw, specialties, orgs):
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def bad(name: str, message: str) -> None:
        label = table.headers[columns[name]] if name in columns else _(LABELS[name])
        problems.append(Problem(line, label, message))

    values["name"] = raw.get("name", "").strip()
    if not values["name"]:
        bad("name", _("the name is empty."))
    values["phone"] = None
    if raw.get("phone"):
        try:
            values["phone"] = phones.normalise_phone(raw["phone"])
        except InputError as exc:
            bad("phone", exc.message)
    org_text = raw.get("organisation", "").strip()
    values["organisation_text"] = org_text
    if org_text:
        key = _word_key(org_text)
        if key in orgs:
            values["organisation_id"] = orgs[key]
            values["organisation_text"] = ""
        elif resolve_organisation(store, org_text, orgs, create=False) is None:
            bad(
                "organisation",
                _(
                    "unknown organisation {value}; use a short name such as 民进 or 九三学社."
                ).format(value=org_text),
            )
    spec = raw.get("specialty", "").strip()
    values["specialty_code"] = None
    if spec:
        values["specialty_code"] = specialties.get(_word_key(spec))
        if values["specialty_code"] is None:
            bad("specialty", _("unknown specialty {value}.").format(value=spec))
    values["licence_no"] = raw.get("licence") or None
    try:
        avail = parse_availability(raw.get("availability"))
        values["weekdays"], values["holidays"] = avail.weekdays, int(avail.holidays)
    except InputError as exc:
        bad("availability", exc.message)
    if raw.get("max_days"):
        try:
            values["max_days_per_month"] = int(raw["max_days"])
            if not 1 <= values["max_days_per_month"] <= 31:
                raise ValueError
        except ValueError:
            bad("max_days", _("must be a whole number from 1 to 31."))
    values["notes"] = raw.get("notes", "")
    return values, problems
