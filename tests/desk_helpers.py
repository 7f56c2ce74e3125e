"""Shared bits of the desk tests: the demo's clinic day today, a volunteer, persons."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 9, 30)


def today_day(store) -> dict:
    from clinic.core import desk

    row = store.one("SELECT id FROM clinic_days WHERE date = ?", [TODAY.isoformat()])
    return desk.get_day(store, row["id"])


def past_day(store) -> dict:
    from clinic.core import desk

    row = store.one(
        "SELECT id FROM clinic_days WHERE date < ? ORDER BY date DESC LIMIT 1", [TODAY.isoformat()]
    )
    return desk.get_day(store, row["id"])


def a_volunteer(store, day_id: int) -> int:
    row = store.one(
        "SELECT volunteer_id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 1", [day_id]
    )
    return row["volunteer_id"]


def person(
    store, *, consent: bool, unique_name: bool = True, not_on_day: int | None = None
) -> dict:
    """A person with (or without) consent on record, with a name nobody else has."""
    sql = """SELECT p.id, p.name FROM persons p
             WHERE {consent} EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id)
               AND (SELECT COUNT(*) FROM persons p2 WHERE p2.name = p.name) = 1
               AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.clinic_day_id = ?)
             ORDER BY p.id LIMIT 1""".format(consent="" if consent else "NOT")
    return store.one(sql, [not_on_day or 0])


async def burst(app, pilot, *keys: str) -> None:
    """Keys at paste or scanner speed: every key is queued before the app handles the first
    (Pilot.press waits for the screen to settle after each key, which hid the bug of keys
    landing in the field a form had already left). Single characters are typed as they are;
    longer names ("enter", "ctrl+d") are keys."""
    from textual import events

    for key in keys:
        if len(key) == 1:
            event = events.Key("space" if key == " " else key, key)
        else:
            event = events.Key(key, "\r" if key == "enter" else None)
        app.post_message(event)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def chars(text: str) -> list[str]:
    """A typed string as keys for burst(): ⏎ is Enter."""
    return ["enter" if c == "⏎" else c for c in text]
