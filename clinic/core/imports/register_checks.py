"""Checking a register row by row as it is read, and across rows: the good rows
(as :class:`PersonRow`) and the rejected ones with every problem."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from clinic.core import categories, dates, groups, idnumbers, phones
from clinic.core.errors import InputError, Problem
from clinic.core.imports.register_fields import (
    CACHE_SIZE,
    FIELD_INDEX,
    FIELD_LABELS,
    V_ID_NUMBER,
    PersonRow,
    column_label,
)
from clinic.core.rejected import Rejected
from clinic.core.tables import Table
from clinic.i18n import _
from clinic.store import Store
from clinic.store import catalogues as catalogues_q

# A cell's remembered parse (value, error): an empty cell, and a value not parsed yet.
_EMPTY: tuple = (None, None)
_UNKNOWN: tuple = (None, "")


class RowChecker:
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
        # Called with each good row as it is kept (a first load writes as it reads),
        # and once at the first bad row when that means nothing is written.
        self.on_good: Callable[[PersonRow], None] | None = None
        self.on_refusal: Callable[[], None] | None = None
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

    def check(self, line: int, raw: tuple[str, ...], cells: list[str]) -> None:
        """Check a row: ``raw`` holds its cells in REGISTER_COLUMNS order ("" for a
        column the file lacks: tables.iter_fields), ``cells`` the row as in the file."""
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
                if self.on_refusal is not None and len(self.rejected) == 1:
                    self.on_refusal()
        elif self.skip_bad or not self.rejected:
            self.good.append(row)
            if self.on_good is not None:
                self.on_good(row)

    def _parse(self, name: str, value: str | None, problems: list[Problem], line: int):
        """The parsed value of a cell (None when empty or wrong: a problem is added)."""
        if not value:
            return None
        cache = self._caches[name]
        hit = cache.get(value)
        if hit is not None and hit[1] is None:
            return hit[0]  # the usual case: a value met before, and good
        if hit is None:
            try:
                hit = (self._parsers[name](value), None)
            except InputError as exc:
                hit = (None, exc.message)
            if len(cache) < CACHE_SIZE:
                cache[value] = hit
        if hit[1] is not None:
            problems.append(Problem(line, self.labels[name], hit[1], value))
        return hit[0]

    def _check_row(self, line: int, raw: tuple[str, ...]):
        """The checked row, or the problems of the row in column order. A value
        parsed before without a problem is taken from its cache here, without a
        call: the parse of the rest (and every message) is :meth:`_parse`'s."""
        problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            problems.append(Problem(line, self.labels[name], message, raw[FIELD_INDEX[name]]))

        (
            number_text,
            name,
            relation_text,
            sex_text,
            id_text,
            birth_text,
            phone_text,
            town,
            vil,
            group_text,
            category_text,
            tags_text,
            conditions_text,
            head,
            cert_text,
        ) = raw
        name = name.strip()
        if not name:
            bad("name", _("the name is empty."))
        town = town or self.township or ""
        vil = vil or self.village or ""
        if not town:
            bad("township", _("the township is empty."))
        if not vil:
            bad("village", _("the village is empty."))
        number = number_text or None
        relation = relation_text or None
        if not head and (relation in ("户主", "本人") or not number):
            head = name
        if not number and not head:
            bad("head_name", _("neither a household number nor a head of household is given."))
        idn = None
        if id_text:
            try:
                idn = idnumbers.parse_id(id_text, self.today)
            except InputError as exc:
                bad("id_number", exc.message)
        caches = self._caches
        hit = caches["sex"].get(sex_text, _UNKNOWN) if sex_text else _EMPTY
        sex = hit[0] if hit[1] is None else self._parse("sex", sex_text, problems, line)
        if idn is not None and birth_text and id_birth_spelling(birth_text, idn.number):
            birth = idn.birth_date  # what parse_date reads it as, checked with the ID number
        else:
            hit = caches["birth_date"].get(birth_text, _UNKNOWN) if birth_text else _EMPTY
            birth = (
                hit[0] if hit[1] is None else self._parse("birth_date", birth_text, problems, line)
            )
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
        if phone_text:
            try:
                phone = phones.normalise_phone(phone_text)
            except InputError as exc:
                bad("phone", exc.message)
        hit = caches["group"].get(group_text, _UNKNOWN) if group_text else _EMPTY
        group_no = hit[0] if hit[1] is None else self._parse("group", group_text, problems, line)
        hit = caches["category"].get(category_text, _UNKNOWN) if category_text else _EMPTY
        category = (
            hit[0] if hit[1] is None else self._parse("category", category_text, problems, line)
        ) or "ordinary"
        hit = caches["tags"].get(tags_text, _UNKNOWN) if tags_text else _EMPTY
        tags = (hit[0] if hit[1] is None else self._parse("tags", tags_text, problems, line)) or ()
        codes, other = self._conditions(conditions_text)
        family_doctor = 1 if "family_doctor" in tags else 0
        if family_doctor:
            tags = tuple(t for t in tags if t != "family_doctor")
        cert = cert_text or None
        if cert and "disabled" not in tags:
            tags = (*tags, "disabled")
        if problems:
            return None, problems
        if idn is not None and (birth is None or birth is idn.birth_date):
            birth_iso: str | None = iso_birth(idn.number)  # = idn.birth_date.isoformat()
        else:
            birth_iso = birth.isoformat() if birth else None
        strings = self._strings  # one string object for repeated values (see share)
        values = (
            name,
            strings.setdefault(relation, relation) if relation else None,
            sex or (idn.sex if idn else None),
            birth_iso,
            idn.number if idn else None,
            idn.old if idn else None,
            phone,
            group_no,
            other,
            family_doctor,
        )
        return PersonRow(
            line,
            strings.setdefault(town, town),
            strings.setdefault(vil, vil),
            strings.setdefault(number, number) if number else None,
            strings.setdefault(head, head),
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
            if len(cache) < CACHE_SIZE:
                cache[text] = hit
        return hit

    def _check_across(self, row: PersonRow) -> list[Problem]:
        """A repeated ID number; a household whose rows disagree on its category."""
        number = row.values[V_ID_NUMBER]
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


def id_birth_spelling(text: str, number: str) -> bool:
    """Whether a birth date cell is the ID number's birth date as registers write
    it (20240531, 2024-05-31, 2024/5/31, 2024.5.31, 2024年5月31日, months and days
    with or without a leading zero): then it is that date, as
    :func:`clinic.core.dates.parse_date` reads it, without parsing it (the ID
    number's date has been checked). Anything else is parsed."""
    if text == number[6:14] or (len(text) == 10 and text == iso_birth(number)):
        return True
    year = number[6:10]
    if not 8 <= len(text) <= 11 or not text.startswith(year):
        return False
    month, day = number[10:12], number[12:14]
    short = (month.lstrip("0"), day.lstrip("0"))
    sep = text[4]
    if sep in "-/.":
        return text in (f"{year}{sep}{short[0]}{sep}{short[1]}", f"{year}{sep}{month}{sep}{day}")
    return sep == "年" and text in (
        f"{year}年{short[0]}月{short[1]}日",
        f"{year}年{month}月{day}日",
        f"{year}年{short[0]}月{short[1]}",
    )


def iso_birth(number: str) -> str:
    """The birth date digits of a checked 18-character ID number in ISO form."""
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


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
