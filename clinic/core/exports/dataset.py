"""What a dataset is (its columns and its streamed rows) and the words its rows
are written in: codes turned into the current language's words for people,
kept as codes for JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from clinic.core.categories import CATEGORIES, category_label, sex_label, tag_label
from clinic.core.search import age_from_iso
from clinic.core.vitals import FLAG_SHORT, flag_short
from clinic.i18n import N_, _, pick
from clinic.store import Store
from clinic.store.rules import Scope


@dataclass(frozen=True)
class Column:
    key: str  # JSON key, stable
    title: str  # msgid of the header
    kind: str = "text"  # text | number | id | phone


def col(key: str, title: str, kind: str = "text") -> Column:
    return Column(key, title, kind)


# Columns many datasets share, so each reads and is titled the same everywhere.
TOWNSHIP_VILLAGE = (col("township", N_("Township")), col("village", N_("Village")))
GROUP = col("group", N_("Group"), "number")
RECORD_ID = col("uid", N_("Record id"))


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str  # msgid
    columns: tuple[Column, ...]
    rows: Callable[[Store, Scope, dict], Iterator[tuple]]
    help: str  # msgid

    def headers(self, fmt: str) -> list[str]:
        if fmt == "json":
            return [c.key for c in self.columns]
        return [_(c.title) for c in self.columns]

    def text_columns(self) -> set[int]:
        return {i for i, c in enumerate(self.columns) if c.kind != "number"}


class Labels:
    """Words for the codes in a row, looked up once per export."""

    def __init__(self, store: Store, fmt: str = "csv") -> None:
        from clinic.store.catalogues import conditions as condition_names
        from clinic.store.catalogues import specialty_names

        # Words of the language for people (CSV, Excel); JSON keeps the stable
        # codes (M, dibao, hypertension, bp_raised;glucose_diabetes, overdue)
        # for programs, whatever --lang says (issue 9 point 6).
        self.codes = fmt == "json"
        words = not self.codes
        self.conditions = {
            r["code"]: pick(r["name_zh"], r["name_en"]) for r in condition_names(store) if words
        }
        self.specialties = {
            code: pick(*names) for code, names in specialty_names(store).items() if words
        }

        # Looked up once: gettext per cell would cost a fifth of an export.
        self._sexes = {code: sex_label(code) for code in ("M", "F") if words}
        self._categories = {code: category_label(code) for code in CATEGORIES if words}
        self._flags = {code: flag_short(code) for code in FLAG_SHORT if words}

    def word(self, code: str, text: str) -> str:
        """``text`` (already translated) for people, ``code`` for JSON."""
        return code if self.codes else text

    def sex(self, code: str | None) -> str:
        return self._sexes.get(code, code) if code else ""

    def category(self, code: str | None) -> str:
        return self._categories.get(code, code) if code else ""

    def tags(self, codes: str | None) -> str:
        out = []
        for code in (codes or "").split(";"):
            if code:
                try:
                    out.append(code if self.codes else tag_label(code))
                except KeyError:
                    out.append(code)
        return ";".join(out)

    def flags(self, codes: str | None) -> str:
        if not codes:
            return ""
        return ";".join(self._flags.get(c, c) for c in codes.split(";") if c)

    def condition_list(self, codes: str | None) -> str:
        return ";".join(self.conditions.get(c, c) for c in (codes or "").split(";") if c)


def age_on(birth: str | None, on: str | dt.date | None) -> int | None:
    """Age at the visit (or today): the app's one age rule, clinic.core.search.age_from_iso."""
    if not on:
        return None
    try:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on[:10])
    except ValueError:
        return None
    return age_from_iso(birth, day)


def yes_word(value: Any) -> str:
    return _("yes") if value else ""
