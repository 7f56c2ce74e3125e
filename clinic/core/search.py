"""Find a person the way volunteers ask: name, pinyin, last digits, household number.

One function serves the TUI search box, the desk check-in and ``clinic find``.
Every branch is an indexed prefix lookup with a limit, so a one-letter query
on 200,000 persons still answers in a millisecond or two.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from clinic.core.dates import age_on
from clinic.core.privacy import mask_id, mask_phone
from clinic.store import Store
from clinic.store import person_keys as keys_q
from clinic.store import persons as q

DEFAULT_LIMIT = 50
_HOUSEHOLD = re.compile(r"^[A-Za-z]+\d+[A-Za-z0-9-]*$|^\d+-\d+$")


@dataclass(frozen=True)
class PersonHit:
    """A person as a list shows them: enough to tell namesakes apart, numbers masked."""

    id: int
    name: str
    sex: str | None
    birth_date: str | None
    age: int | None
    village: str | None
    township: str | None
    household_number: str | None
    head_name: str | None
    category: str | None
    relation: str | None
    id_masked: str
    phone_masked: str
    walk_in: bool

    @classmethod
    def from_row(cls, row: dict, today: dt.date) -> PersonHit:
        return cls(
            id=row["id"],
            name=row["name"],
            sex=row["sex"],
            birth_date=row["birth_date"],
            age=age_from_iso(row["birth_date"], today),
            village=row["village"],
            township=row["township"],
            household_number=row["household_number"],
            head_name=row["head_name"],
            category=row["category"],
            relation=row["relation"],
            id_masked=mask_id(row["id_number"]),
            phone_masked=mask_phone(row["phone"]),
            walk_in=bool(row["walk_in"]),
        )


def age_from_iso(birth: str | None, today: dt.date) -> int | None:
    if not birth:
        return None
    try:
        born = dt.date.fromisoformat(birth[:10])
    except ValueError:
        return None
    return age_on(born, today) if born <= today else None


def normalise_query(text: str) -> str:
    """NFKC (full-width letters and digits), no spaces, lower-case latin."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if re.fullmatch(r"[\d\-]+[xX]?", text):
        text = text.replace("-", "")  # 023-1234 5678, 5001-1019...: digits only
    return text


def find_persons(
    store: Store, query: str, limit: int = DEFAULT_LIMIT, today: dt.date | None = None
) -> list[PersonHit]:
    """The persons matching ``query``, best matches first, at most ``limit``."""
    text = normalise_query(query)
    today = today or dt.date.today()
    if not text:
        return []
    rows = _lookup(store, text, limit)
    return [PersonHit.from_row(row, today) for row in rows]


def _lookup(store: Store, text: str, limit: int) -> list[dict]:
    if re.fullmatch(r"\d+[xX]?", text):
        if len(text) < 4:
            return []  # fewer than 4 digits would match thousands; ask for more
        tail = text.upper()[::-1]
        return keys_q.persons_by_key_prefix(store, ["i:" + tail, "p:" + tail], limit)
    if re.fullmatch(r"[A-Za-zü:]+", text):
        key = text.lower().replace("ü", "v").replace("u:", "v")
        found = _pinyin_hits(store, key, limit)
        if len(found) < limit:
            found += q.persons_by_household_number(store, text.upper(), limit - len(found))
        return _unique(found)[:limit]
    if _HOUSEHOLD.match(text):
        return q.persons_by_household_number(store, text.upper(), limit)
    return q.persons_by_name(store, text, limit)


# How much further than the hits shown a pinyin search looks for names that spell it whole.
_WIDER = 8


def _pinyin_hits(store: Store, key: str, limit: int) -> list[dict]:
    """Persons with a pinyin key starting with ``key``, those whose name begins with it
    as whole syllables first. Key order alone put every 万刚… (wangang…) before 汪超
    (wangchao): on a district's register the first ``limit`` held no 王 or 汪 at all for
    "wang". So ``_WIDER`` times as many are ranked by name before rows are read."""
    found = _whole_syllables_first(
        keys_q.names_by_key_prefix(store, "y:" + key, limit * _WIDER), key
    )
    return q.persons_by_ids(store, [row["id"] for row in found[:limit]])


def _whole_syllables_first(rows: list[dict], key: str) -> list[dict]:
    """Persons whose name begins with the typed syllables whole first ("wang": 汪超 before
    万刚明, wan·gang·ming), otherwise in the order found."""
    from clinic.core.pinyin import spells_whole_syllables

    return sorted(rows, key=lambda row: not spells_whole_syllables(row["name"], key))


def _unique(rows: list[dict]) -> list[dict]:
    seen: set[int] = set()
    out = []
    for row in rows:
        if row["id"] not in seen:
            seen.add(row["id"])
            out.append(row)
    return out


def search_keys(name: str, id_number: str | None, phone: str | None) -> set[str]:
    """Every index key a person is found by (stored in person_keys)."""
    return {*name_search_keys(name), *number_keys(id_number, phone)}


def name_search_keys(name: str) -> tuple[str, ...]:
    """The pinyin keys ("y:") of a name, in key order: the same for everyone of that
    name, so that an import computes them once per name and writes them as they are."""
    from clinic.core.pinyin import name_keys  # pypinyin loads on the first search, not at start

    return tuple(sorted("y:" + key for key in name_keys(name)))


def number_keys(id_number: str | None, phone: str | None) -> tuple[str, ...]:
    """The keys of the ID number and phone (last digits first, so that "the
    last 4 digits" is a prefix); an import adds them to keys cached per name."""
    if id_number:
        if phone:
            return ("i:" + id_number.upper()[::-1], "p:" + phone[::-1])
        return ("i:" + id_number.upper()[::-1],)
    return ("p:" + phone[::-1],) if phone else ()
