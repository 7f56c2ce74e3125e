"""The catalogues every form picks from: villages, organisations, specialties.

Read-only lists for the choosers of the desk, the clinic-day and volunteer
forms and the season dialog (the CLI resolves typed names through
``clinic.core.planning.find_village`` and friends instead).
"""

from __future__ import annotations

from clinic.store import Store
from clinic.store import catalogues as _catalogues
from clinic.store import places as _places


def villages(store: Store) -> list[dict]:
    """Every village with its township's name (``id``, ``name``, ``township``), by township."""
    return _places.villages(store)


def organisations(store: Store) -> list[dict]:
    """Every organisation (``parent_id`` None for a top-level one) in the catalogue's order."""
    return _catalogues.organisations(store)


def specialties(store: Store) -> list[dict]:
    """Every specialty (clinical or not) in the catalogue's order."""
    return _catalogues.specialties(store)
