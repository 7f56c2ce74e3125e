"""What a report covers: the filters a coordinator types (period, villages,
organisations) and the scope of clinic days they resolve to."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from clinic.core.dates import parse_date
from clinic.core.errors import FieldError, NotFoundError
from clinic.i18n import N_, _
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import places as places_q
from clinic.store.rules import Scope


@dataclass(frozen=True)
class ReportFilters:
    """What the user asked for, as typed (names, not ids)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    villages: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "villages": list(self.villages),
            "organisations": list(self.orgs),
        }


def village_choices(store: Store) -> list[dict]:
    """The villages a report can be narrowed to: those that had a clinic day."""
    return places_q.village_choices(store)


def organisation_choices(store: Store) -> list[dict]:
    """The organisations a report can be narrowed to: those that ran a clinic day, and
    the bodies above them."""
    return catalogues_q.organisation_choices(store)


def resolve(store: Store, filters: ReportFilters) -> Scope:
    """Turn the names into ids; a name that matches nothing is an error (a
    silently empty report would be read as "no clinics held")."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise FieldError(
            _("The period ends ({to}) before it starts ({start}).").format(
                to=filters.date_to.isoformat(), start=filters.date_from.isoformat()
            )
        )
    return Scope(
        date_from=filters.date_from.isoformat() if filters.date_from else None,
        date_to=filters.date_to.isoformat() if filters.date_to else None,
        village_ids=_ids(
            filters.villages,
            lambda n: [v["id"] for v in places_q.villages_named(store, n)],
            N_("No village or township called {name}."),
        ),
        org_ids=_ids(
            filters.orgs,
            lambda n: catalogues_q.organisations_named(store, n),
            N_("No organisation called {name}."),
        ),
    )


def _ids(names: tuple[str, ...], find, missing: str) -> tuple[int, ...] | None:
    """Ids for every name (None when no name was given: no filter)."""
    if not names:
        return None
    ids: list[int] = []
    for name in names:
        found = find(name)
        if not found:
            raise NotFoundError(_(missing).format(name=name))
        ids.extend(i for i in found if i not in ids)
    return tuple(ids)


_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")


def parse_bound(text: str | None, *, end: bool) -> dt.date | None:
    """A period bound as a coordinator types it: a date in any form the app
    reads, or a whole year ("2025", "2025年") or month ("2025-06", "2025年6月"),
    which starts on its first day (``end=False``) or ends on its last."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return None
    match = _YEAR.match(value) or _MONTH.match(value)
    if match and not 1900 <= int(match.group(1)) <= 2100:
        raise FieldError(_("The year {year} is outside 1900–2100.").format(year=match.group(1)))
    match = _YEAR.match(value)
    if match:
        year = int(match.group(1))
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    match = _MONTH.match(value)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        if not end:
            return dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return parse_date(value)
