"""The demo's volunteers (organisations, specialties, availability, cadres)
and the health talks given on its clinic days."""

from __future__ import annotations

import random

from clinic.core.demo.synthetic import (
    AVAILABILITY,
    CADRE_EVERY,
    ORGS,
    SPECIALTY_MIX,
    person_name,
)
from clinic.store import bulk
from clinic.store.connection import new_uid


def add_volunteers(store, rng, ids, count, org_ids) -> list[int]:
    rows = []
    first = bulk.next_id(store, "volunteers")
    for index in range(count):
        specialty = (
            SPECIALTY_MIX[index % len(SPECIALTY_MIX)]
            if index < len(SPECIALTY_MIX)
            else rng.choice(SPECIALTY_MIX)
        )
        weekdays, holidays = rng.choice(AVAILABILITY)
        licence = (
            f"1105001{rng.randrange(10**8):08d}"
            if specialty not in ("clerk", "cadre", "educator", "coordinator")
            else None
        )
        rows.append(
            (
                first + index,
                new_uid(),
                person_name(rng),
                ids.phone(),
                org_ids[rng.choice(ORGS)],
                specialty,
                licence,
                weekdays,
                holidays,
                rng.choice((None, 2, 3, 4)),
                1,
                1 if index % CADRE_EVERY == 0 else 0,
            )
        )
    bulk.insert_rows(
        store,
        "volunteers",
        (
            "id",
            "uid",
            "name",
            "phone",
            "organisation_id",
            "specialty_code",
            "licence_no",
            "weekdays",
            "holidays",
            "max_days_per_month",
            "active",
            "is_cadre",
        ),
        rows,
    )
    return [row[0] for row in rows]


TALK_TOPICS = ("高血压防治", "糖尿病饮食与运动", "合理用药", "防跌倒与骨质疏松", "口腔卫生")
TALK_MATERIALS = ("宣传折页", "控盐勺", "健康手册", "")


def add_talks(store, rng: random.Random) -> None:
    """A health talk on most days held, given by one of the volunteers who came
    (its own random stream: the rest of the demo stays as it was)."""
    from clinic.store import talks as tq

    rows = []
    for day in tq.done_days_with_speakers(store):
        if rng.random() < 0.25:
            continue
        rows.append(
            {
                "clinic_day_id": day["day_id"],
                "topic": rng.choice(TALK_TOPICS),
                "speaker_id": int(rng.choice(day["volunteers"].split(","))),
                "attendees": rng.randint(15, 80),
                "materials": rng.choice(TALK_MATERIALS),
            }
        )
    with store.transaction():
        tq.insert_talks(store, rows)
