"""Named queries of health talks (健康讲座) held on a clinic day.

Plain dicts in and out; the rules live in :mod:`clinic.core.talks`, the
figures over a period in :mod:`clinic.store.figures`.
"""

from __future__ import annotations

from clinic.store.connection import Store, insert_row, new_ids, new_uid

_SELECT = """
SELECT t.id, t.uid, t.clinic_day_id, t.topic, t.speaker_id, vol.name AS speaker,
       o.short_name AS speaker_organisation, t.attendees, t.materials
FROM health_talks t
JOIN volunteers vol ON vol.id = t.speaker_id
LEFT JOIN organisations o ON o.id = vol.organisation_id
"""


def talks_of_day(store: Store, day_id: int) -> list[dict]:
    return store.query(_SELECT + "WHERE t.clinic_day_id = ? ORDER BY t.id", [day_id])


def all_talks(store: Store) -> list[dict]:
    """Every talk with its day's date and village, by date (``day talk list``)."""
    return store.query(
        _SELECT.replace("FROM health_talks t", ", d.date, vi.name AS village FROM health_talks t")
        + "JOIN clinic_days d ON d.id = t.clinic_day_id JOIN villages vi ON vi.id = d.village_id "
        "ORDER BY d.date, t.id"
    )


def talk(store: Store, talk_id: int) -> dict | None:
    return store.one(_SELECT + "WHERE t.id = ?", [talk_id])


def insert_talk(store: Store, row: dict) -> int:
    return insert_row(store.db, "health_talks", {"uid": new_uid(), **row})


def update_talk(store: Store, talk_id: int, values: dict) -> None:
    store.conn.execute(
        """UPDATE health_talks SET topic = ?, speaker_id = ?, attendees = ?, materials = ?,
           updated_at = datetime('now', 'localtime') WHERE id = ?""",
        [values["topic"], values["speaker_id"], values["attendees"], values["materials"], talk_id],
    )


def delete_talk(store: Store, talk_id: int) -> None:
    store.conn.execute("DELETE FROM health_talks WHERE id = ?", [talk_id])


def done_days_with_speakers(store: Store) -> list[dict]:
    """For the demo: each day marked done with the volunteers who attended it."""
    return store.query(
        """SELECT d.id AS day_id, group_concat(a.volunteer_id) AS volunteers
           FROM clinic_days d JOIN assignments a ON a.clinic_day_id = d.id
           WHERE d.status = 'done' AND a.status = 'attended'
           GROUP BY d.id ORDER BY d.date, d.id"""
    )


def insert_talks(store: Store, rows: list[dict]) -> None:
    ids = new_ids(store.db, "health_talks", len(rows))
    made = [{"id": tid, "uid": new_uid(), **row} for tid, row in zip(ids, rows, strict=True)]
    store.db.table("health_talks").insert_all(made)
