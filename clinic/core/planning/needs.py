"""Specialties and the places a clinic day needs per specialty (how many filled, how many open)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinic.core.errors import FieldError
from clinic.core.planning.labels import norm_text
from clinic.i18n import _, pick
from clinic.store import Store, figures
from clinic.store import catalogues as catalogues_q
from clinic.store import days as days_q


def specialty_index(store: Store) -> dict[str, str]:
    """Every spelling of a specialty (code, 全科, General practice, aliases) → code."""
    index: dict[str, str] = {}
    for row in catalogues_q.specialties(store):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word:
                index[norm_text(word).lower()] = row["code"]
    return index


def specialty_label(store: Store, code: str | None) -> str:
    if not code:
        return ""
    from clinic.store.catalogues import specialty_names

    return pick(*specialty_names(store).get(code, (code, code)))


def parse_specialty(store: Store, text: str) -> str:
    code = specialty_index(store).get(norm_text(text).lower())
    if code is None:
        names = "、".join(pick(r["name_zh"], r["name_en"]) for r in catalogues_q.specialties(store))
        raise FieldError(
            _("Unknown specialty {value}; known: {names}.").format(value=text, names=names)
        )
    return code


def parse_needs(store: Store, text: str) -> dict[str, int]:
    """ "全科=2,中医1,护士=2,药师" → {"gp": 2, "tcm": 1, "nurse": 2, "pharmacist": 1}."""
    needs: dict[str, int] = {}
    text = norm_text(text)
    if not text:
        return needs
    index = specialty_index(store)

    def split(part: str) -> tuple[str, int]:
        m = re.match(r"^(.*?)\s*(?:[=:：*x×])?\s*(-?\d+)$", part)
        return (m.group(1), int(m.group(2))) if m and m.group(1) else (part, 1)

    for chunk in re.split(r"[,;，；、]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        bad = re.match(r"^(.*?)\s*[=:：]\s*(.*)$", chunk)
        if bad and not re.fullmatch(r"-?\d+(\s.*)?", bad.group(2)):
            parse_specialty(store, bad.group(1))  # an unknown name is the first problem
            raise FieldError(
                _("{value}: the number of places must be a whole number, e.g. {name}=2.").format(
                    value=chunk, name=bad.group(1)
                )
            )
        # "General practice=2" has a space in the name; "全科2 护士1" uses spaces between needs.
        name, count = split(chunk)
        if norm_text(name).lower() in index:
            parts = [(name, count)]
        else:
            parts = [split(word) for word in chunk.split()]
        for name, count in parts:
            code = parse_specialty(store, name)
            if not 0 <= count <= 50:
                raise FieldError(
                    _("{value}: a clinic day needs between 0 and 50 of a specialty.").format(
                        value=chunk
                    )
                )
            needs[code] = needs.get(code, 0) + count
    return {k: v for k, v in needs.items() if v > 0}


DEFAULT_NEEDS = {"gp": 2, "tcm": 1, "nurse": 2, "pharmacist": 1}


def default_needs(store: Store) -> dict[str, int]:
    """The usual team of a clinic day (of the specialties the database knows): what a new day
    asks for when nobody said otherwise."""
    known = {r["code"] for r in catalogues_q.specialties(store)}
    return {k: n for k, n in DEFAULT_NEEDS.items() if k in known}


def default_needs_text(store: Store) -> str:
    """The usual team of a clinic day, in the user's language ("General practice=2, TCM=1, ...")."""
    return format_needs(store, default_needs(store))


def format_needs(store: Store, needs: dict[str, int]) -> str:
    return ", ".join(f"{specialty_label(store, code)}={n}" for code, n in needs.items())


@dataclass
class NeedLine:
    role: str
    needed: int
    assigned: int  # invited, confirmed or attended (clinic.store.rules.FILLS_PLACE)

    @property
    def open(self) -> int:
        return max(0, self.needed - self.assigned)

    @property
    def filled(self) -> int:
        """Places of this role filled: at most the places needed."""
        return min(self.needed, self.assigned)


def day_needs(store: Store, day_id: int) -> list[NeedLine]:
    """Places per role (clinic.store.figures.role_places: the one rule of filled places)."""
    return [
        NeedLine(r["role"], r["needed"], r["assigned"]) for r in figures.role_places(store, day_id)
    ]


def needs_of_day(store: Store, day_id: int) -> dict[str, int]:
    """The places the day needs, by specialty code (what ``format_needs`` writes out)."""
    return days_q.needs_of(store, [day_id])[day_id]


def specialty_name(row: dict) -> str:
    """A volunteer row's specialty in the user's language ("" when none)."""
    if row.get("specialty_zh") or row.get("specialty_en"):
        return pick(row.get("specialty_zh") or "", row.get("specialty_en") or "")
    return row.get("specialty_code") or ""
