"""Health talks (健康讲座) held on a clinic day: the rules of recording one.

The programme's parties hold health talks with their free clinics, in the
same villages: a topic, a speaker (one of the volunteers), how many people
listened and what was handed out. F5 (``t`` on the highlighted day) and
``clinic day talk add/edit/delete/list`` both come here.

Rules, decided once:

* the **topic** is required (spaces trimmed; the figures group by it as typed);
* the **speaker** is a volunteer on record (by name, or ``#id`` when two
  share a name);
* **attendees** is a whole number from 0 to 10000;
* a talk on a **cancelled** day is refused (no figure would count it).

The figures (talks held, attendees, by topic and by the speaker's
organisation) are :func:`clinic.core.figures.talk_figures`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from clinic.core.errors import FieldError, InputError, NotFoundError
from clinic.core.planning import find_volunteer, get_day
from clinic.i18n import _
from clinic.store import Store
from clinic.store import talks as q
from clinic.store import volunteers as volunteers_q

MAX_ATTENDEES = 10000


@dataclass(frozen=True)
class TalkInput:
    """A talk as typed: the speaker by name (or ``#id``) or already chosen (``speaker_id``)."""

    topic: str
    speaker: str | int
    attendees: str | int
    materials: str = ""


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_attendees(value: str | int) -> int:
    """A whole number from 0 to 10000 (full-width digits read too)."""
    text = _norm(str(value))
    if not text:
        raise FieldError(
            _("Give the number of attendees (0 to {max}).").format(max=MAX_ATTENDEES),
            "attendees",
        )
    if not text.isdigit() or int(text) > MAX_ATTENDEES:
        raise FieldError(
            _("Attendees must be a whole number from 0 to {max}; {value} is not.").format(
                max=MAX_ATTENDEES, value=text
            ),
            "attendees",
        )
    return int(text)


def _speaker_id(store: Store, speaker: str | int) -> int:
    if isinstance(speaker, int):
        if volunteers_q.volunteer(store, speaker) is None:
            raise FieldError(
                _("No volunteer with number {value}.").format(value=f"#{speaker}"), "speaker"
            )
        return speaker
    if not _norm(speaker):
        raise FieldError(_("Give the speaker: a volunteer's name."), "speaker")
    try:
        return find_volunteer(store, speaker)["id"]
    except InputError as exc:
        raise FieldError(exc.message, "speaker") from exc


def clean(store: Store, talk: TalkInput) -> dict:
    """The row to store, or a :class:`FieldError` naming the field that is wrong."""
    topic = _norm(talk.topic)
    if not topic:
        raise FieldError(_("Give the topic of the talk."), "topic")
    return {
        "topic": topic,
        "speaker_id": _speaker_id(store, talk.speaker),
        "attendees": parse_attendees(talk.attendees),
        "materials": _norm(talk.materials),
    }


def _open_day(store: Store, day_id: int) -> dict:
    day = get_day(store, day_id)
    if day["status"] == "cancelled":
        raise FieldError(
            _("The clinic day {date} is cancelled: no talk can be recorded on it.").format(
                date=day["date"]
            )
        )
    return day


def add_talk(store: Store, day_id: int, talk: TalkInput) -> int:
    """Record a talk on the day (one transaction); its id."""
    with store.transaction():
        _open_day(store, day_id)
        row = clean(store, talk)
        return q.insert_talk(store, {"clinic_day_id": day_id, **row})


def get_talk(store: Store, talk_id: int) -> dict:
    row = q.talk(store, talk_id)
    if row is None:
        raise NotFoundError(_("No health talk number {value}.").format(value=talk_id))
    return row


def edit_talk(store: Store, talk_id: int, talk: TalkInput) -> None:
    """Change a talk (its day must not have been cancelled since)."""
    with store.transaction():
        _open_day(store, get_talk(store, talk_id)["clinic_day_id"])
        q.update_talk(store, talk_id, clean(store, talk))


def delete_talk(store: Store, talk_id: int) -> dict:
    """Remove a talk recorded by mistake; the row it was (for the message)."""
    with store.transaction():
        row = get_talk(store, talk_id)
        q.delete_talk(store, talk_id)
    return row


def talks_of_day(store: Store, day_id: int) -> list[dict]:
    get_day(store, day_id)
    return q.talks_of_day(store, day_id)


def all_talks(store: Store) -> list[dict]:
    """Every talk with its day's date and village, by date (``day talk list`` without a day)."""
    return q.all_talks(store)


def talk_line(talk: dict) -> str:
    """One talk in words: "#3 高血压防治 — 王医生 (民进), 45 attendees; materials: 折页"."""
    text = _("#{id} {topic} — {speaker}{org}, {attendees} attendees").format(
        id=talk["id"],
        topic=talk["topic"],
        speaker=talk["speaker"],
        org=f" ({talk['speaker_organisation']})" if talk.get("speaker_organisation") else "",
        attendees=talk["attendees"],
    )
    if talk.get("materials"):
        text += _("; materials: {materials}").format(materials=talk["materials"])
    return text


def talk_json(talk: dict) -> dict:
    """A talk for ``--json`` (data and counts, no words of the interface)."""
    return {
        "id": talk["id"],
        "uid": talk["uid"],
        "day_id": talk["clinic_day_id"],
        "topic": talk["topic"],
        "speaker": talk["speaker"],
        "speaker_organisation": talk.get("speaker_organisation") or "",
        "attendees": talk["attendees"],
        "materials": talk["materials"],
    }
