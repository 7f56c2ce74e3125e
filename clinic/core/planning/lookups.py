"""Records by what a coordinator typed: a village, an organisation, a volunteer or a
household by name or number, and a clinic day by number.
"""

from __future__ import annotations

from clinic.core.errors import InputError, NotFoundError
from clinic.core.planning.labels import norm_text
from clinic.i18n import _
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import days as days_q
from clinic.store import households as households_q
from clinic.store import places as places_q
from clinic.store import volunteers as volunteers_q


def find_village(store: Store, text: str) -> int:
    text = norm_text(text)
    rows = places_q.villages(store)
    if text.isdigit() and any(r["id"] == int(text) for r in rows):
        return int(text)
    hits = [
        r
        for r in rows
        if text in (r["name"], f"{r['township']}{r['name']}", f"{r['township']} {r['name']}")
    ]
    if not hits:
        hits = [r for r in rows if r["name"].startswith(text) or r["name"].rstrip("村社区") == text]
    if len(hits) == 1:
        return hits[0]["id"]
    if not hits:
        raise NotFoundError(_("No village called {value}.").format(value=text))
    names = "、".join(f"{r['township']}{r['name']}" for r in hits[:10])
    raise InputError(
        _("{value} could be several villages: {names}. Give the township too.").format(
            value=text, names=names
        )
    )


def find_organisation(store: Store, text: str | None) -> int | None:
    text = norm_text(text or "")
    if not text:
        return None
    rows = catalogues_q.organisations(store)
    for r in rows:
        if text in (r["short_name"], r["name_zh"], r["name_en"]) or text == str(r["id"]):
            return r["id"]
    hits = [r for r in rows if r["short_name"].startswith(text)]
    if len(hits) == 1:
        return hits[0]["id"]
    raise NotFoundError(_("No organisation called {value}.").format(value=text))


def find_volunteer(store: Store, text: str) -> dict:
    """A volunteer by name (or #id when two share a name)."""
    from clinic.core.privacy import mask_phone

    text = norm_text(text)
    if text.startswith("#") and text[1:].isdigit():
        row = volunteers_q.volunteer(store, int(text[1:]))
        if row:
            return row
        raise NotFoundError(_("No volunteer with number {value}.").format(value=text))
    rows = volunteers_q.volunteers_named(store, text)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(_("No volunteer called {value}.").format(value=text))
    names = "; ".join(
        f"#{r['id']} {r['name']} {mask_phone(r['phone'])} {r['organisation'] or ''}" for r in rows
    )
    raise InputError(
        _("Several volunteers are called {value}: {names}. Give the number, e.g. #{id}.").format(
            value=text, names=names, id=rows[0]["id"]
        )
    )


def get_day(store: Store, day_id: int) -> dict:
    row = days_q.day(store, day_id)
    if row is None:
        raise NotFoundError(_("No clinic day number {value}.").format(value=day_id))
    return row


def find_household(store: Store, text: str) -> dict:
    rows = households_q.households_matching(store, norm_text(text))
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError(_("No household with number or head {value}.").format(value=text))
    raise InputError(
        _("{value} matches {n} households; give the household number.").format(
            value=text, n=len(rows)
        )
    )
