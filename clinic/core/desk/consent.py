"""Consent (PIPL) before health data: who has it, recording it, who still needs it.

``check_in`` refuses a person without consent on record unless consent is
given in the same action, and ``save_visit`` refuses to store vitals for a
visit whose person has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.core.desk.days import visit_for
from clinic.core.errors import FieldError, NotFoundError, RefusedError
from clinic.i18n import _
from clinic.store import Store
from clinic.store import person_details as details_q
from clinic.store import visits as visits_q

# -- consent ------------------------------------------------------------------


def has_consent(store: Store, person_id: int) -> bool:
    return details_q.current_consent(store, person_id) is not None


def consented_visit(store: Store, visit_id: int) -> dict:
    """The visit, read inside the caller's transaction, refused when it is gone
    or its person has no consent on record: the one gate before vitals, a
    consult or a handout is stored."""
    visit = visits_q.visit(store, visit_id)
    if not visit:
        raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
    if not has_consent(store, visit["person_id"]):
        raise RefusedError(
            _("No consent on record for this person: no health data can be stored."), "consent"
        )
    return visit


@dataclass
class Consent:
    explained_by: int | None
    signed_by: str = "self"  # or "proxy"
    proxy_name: str = ""
    proxy_relation: str = ""

    def check(self) -> None:
        if self.explained_by is None:
            raise FieldError(
                _("Say who explained the consent (the volunteer at the desk)."), "explained_by"
            )
        if self.signed_by not in ("self", "proxy"):
            raise FieldError(_("Consent is signed by the person or by a proxy."), "signed_by")
        if self.signed_by == "proxy" and not self.proxy_name.strip():
            raise FieldError(_("Give the name of the proxy who signed for the person."), "proxy")


def record_consent(store: Store, person_id: int, consent: Consent, at: str) -> int:
    consent.check()
    proxy = consent.signed_by == "proxy"
    return details_q.insert_consent(
        store,
        {
            "person_id": person_id,
            "given_at": at,
            "explained_by": consent.explained_by,
            "signed_by": consent.signed_by,
            "proxy_name": (consent.proxy_name.strip() or None) if proxy else None,
            "proxy_relation": (consent.proxy_relation.strip() or None) if proxy else None,
        },
    )


def needs_consent(store: Store, day_id: int, person_id: int) -> bool:
    """Whether checking this person in must first ask for consent: none is on record
    and they are not already checked in on the day (checking in again only re-shows
    the visit; it stores no health data)."""
    return not has_consent(store, person_id) and visit_for(store, day_id, person_id) is None
