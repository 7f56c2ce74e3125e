"""Raw records for the reports tests: "a year in numbers" built row by row.

One organisation (民进綦江区委会, a unit of 民进) ran one clinic day in each of
20 villages in 2025. Every village has 20 registered households of 2 people;
16 households per village were served. The figures the report must state
are computed here from the shape, independently of the report's SQL.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from clinic.core.idnumbers import check_character
from clinic.store import Store
from clinic.store.connection import new_uid

TOWNS = {
    "中峰镇": ["中峰村", "龙山村", "黄泥村", "新华村", "石龙村"],
    "郭扶镇": ["高庙村", "龙泉村", "平等村", "同心村", "红星村"],
    "永新镇": ["三河村", "石坪村", "双池村", "福林村", "长田村"],
    "东溪镇": ["竹园村", "新民村", "永乐村", "太平村", "书院村"],
}
# Categories of the 20 households of a village, in order.
CATEGORY_CYCLE = ["lifted"] * 6 + ["monitored"] * 2 + ["dibao"] * 4 + ["tekun"] + ["ordinary"] * 7
HOUSEHOLDS_PER_VILLAGE = 20
SERVED_PER_VILLAGE = 16
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


@dataclass
class YearFacts:
    villages: int
    days_held: int
    days_cancelled: int
    days_planned: int
    visits: int
    people: int
    households_served: int
    households_registered: int
    served_by_category: dict[str, int]
    registered_by_category: dict[str, int]
    disabled_seen: int
    left_behind_seen: int
    family_doctor_seen: int
    prescriptions: int
    prescriptions_by_condition: dict[str, int]
    referrals: int
    flags: dict[str, int]
    volunteers: int
    hours: float
    tricky_names: tuple[str, ...]


def _org(store: Store, short: str, name_zh: str, name_en: str, parent: str | None = None) -> int:
    row = store.one("SELECT id FROM organisations WHERE short_name = ?", [short])
    if row:
        return row["id"]
    parent_id = (
        store.scalar("SELECT id FROM organisations WHERE short_name = ?", [parent])
        if parent
        else None
    )
    return (
        store.db["organisations"]
        .insert(
            {
                "short_name": short,
                "name_zh": name_zh,
                "name_en": name_en,
                "level": "district" if parent else None,
                "parent_id": parent_id,
                "sort_order": 40,
            }
        )
        .last_pk
    )


def _id_number(year: int, month: int, seq: int) -> str:
    first17 = f"500110{year}{month:02d}15{seq:03d}"
    return first17 + check_character(first17)


def _template(store: Store, code: str) -> int:
    return store.scalar(
        "SELECT id FROM prescription_templates WHERE code = ? ORDER BY version DESC", [code]
    )


def build_year(store: Store) -> YearFacts:
    """Insert the year into an empty migrated store; return what it holds."""
    names = (f"{s}{g}{h}" for s, g, h in itertools.product(SURNAMES, GIVEN, GIVEN))
    with store.transaction() as db:
        org = _org(
            store,
            "民进綦江区委会",
            "中国民主促进会綦江区委员会",
            "CAPD Qijiang District Committee",
            "民进",
        )
        other_org = _org(store, "民盟", "中国民主同盟", "China Democratic League")
        hyper, diab, copd = (_template(store, c) for c in ("hypertension", "diabetes", "copd"))
        vols = []
        for i in range(6):
            vols.append(
                db["volunteers"]
                .insert(
                    {
                        "uid": new_uid(),
                        "name": f"医生{i}",
                        "phone": f"1381234{i:04d}",
                        "organisation_id": org if i < 5 else other_org,
                        "specialty_code": None,
                    }
                )
                .last_pk
            )
        counts = dict(
            visits=0,
            people=0,
            disabled=0,
            left=0,
            fd=0,
            rx=0,
            hyper=0,
            diab=0,
            copd=0,
            referrals=0,
            bp_raised=0,
            bp_urgent=0,
            glucose_diabetes=0,
        )
        served_cat = {c: 0 for c in set(CATEGORY_CYCLE)}
        reg_cat = {c: 0 for c in set(CATEGORY_CYCLE)}
        village_no = 0
        tricky = ('=HYPERLINK("http://evil","点我")', "+123", "䶮")
        for town, villages in TOWNS.items():
            tid = db["townships"].insert({"name": town}).last_pk
            for vname in villages:
                vid = db["villages"].insert({"township_id": tid, "name": vname}).last_pk
                month = 1 + village_no % 10
                day = (
                    db["clinic_days"]
                    .insert(
                        {
                            "uid": new_uid(),
                            "date": f"2025-{month:02d}-{10 + village_no % 3 * 5:02d}",
                            "village_id": vid,
                            "organisation_id": org,
                            "status": "done",
                            "start_time": "08:30",
                            "end_time": "12:00",
                            "venue": "村委会",
                        }
                    )
                    .last_pk
                )
                for j, vol in enumerate(vols[:5]):
                    db["assignments"].insert(
                        {
                            "uid": new_uid(),
                            "clinic_day_id": day,
                            "volunteer_id": vol,
                            "role": "gp",
                            "status": "attended",
                            "hours": None if j == 0 else 3.0,
                        }
                    )
                # A health talk on every day, by one of the volunteers who came.
                db["health_talks"].insert(
                    {
                        "uid": new_uid(),
                        "clinic_day_id": day,
                        "topic": ("高血压防治", "合理用药")[village_no % 2],
                        "speaker_id": vols[village_no % 5],
                        "attendees": 20 + village_no,
                        "materials": "宣传折页",
                    }
                )
                # A volunteer who was invited but did not come: no hours.
                db["assignments"].insert(
                    {
                        "uid": new_uid(),
                        "clinic_day_id": day,
                        "volunteer_id": vols[5],
                        "role": "gp",
                        "status": "no_show",
                        "hours": None,
                    }
                )
                for k in range(HOUSEHOLDS_PER_VILLAGE):
                    cat = CATEGORY_CYCLE[k]
                    reg_cat[cat] += 1
                    hh = (
                        db["households"]
                        .insert(
                            {
                                "uid": new_uid(),
                                "village_id": vid,
                                "number": f"{vid:03d}{k:03d}",
                                "head_name": "",
                                "group_no": 1 + k % 5,
                                "category": cat,
                            }
                        )
                        .last_pk
                    )
                    members = []
                    for m in range(2):
                        name = next(names)
                        if village_no == 0 and k == 0 and m == 0:
                            name = tricky[0]
                        elif village_no == 0 and k == 1 and m == 0:
                            name = tricky[1]
                        elif village_no == 0 and k == 2 and m == 0:
                            name = tricky[2]
                        pid = (
                            db["persons"]
                            .insert(
                                {
                                    "uid": new_uid(),
                                    "household_id": hh,
                                    "village_id": vid,
                                    "name": name,
                                    "relation": "户主" if m == 0 else "配偶",
                                    "sex": "M" if m == 0 else "F",
                                    "birth_date": f"19{50 + k}-0{1 + m}-15",
                                    "id_number": _id_number(
                                        1950 + k, 1 + m, 100 + 2 * village_no + (1 - m)
                                    ),
                                    "phone": f"139{village_no:04d}{k:02d}{m:02d}",
                                    "family_doctor": 1 if k % 2 == 0 else 0,
                                }
                            )
                            .last_pk
                        )
                        members.append(pid)
                        if m == 0 and k % 5 == 0:
                            db["person_tags"].insert({"person_id": pid, "tag": "disabled"})
                        if m == 1 and k % 10 == 4:
                            db["person_tags"].insert(
                                {"person_id": pid, "tag": "left_behind_elderly"}
                            )
                    db["households"].update(
                        hh,
                        {
                            "head_name": store.scalar(
                                "SELECT name FROM persons WHERE id = ?", [members[0]]
                            )
                        },
                    )
                    if k >= SERVED_PER_VILLAGE:
                        continue
                    served_cat[cat] += 1
                    seen = members if k % 4 == 0 else members[:1]
                    for m, pid in enumerate(seen):
                        counts["visits"] += 1
                        counts["people"] += 1
                        if m == 0 and k % 5 == 0:
                            counts["disabled"] += 1
                        if m == 1 and k % 10 == 4:
                            counts["left"] += 1
                        if k % 2 == 0:
                            counts["fd"] += 1
                        flags = []
                        sbp, dbp = 128, 80
                        if k % 3 == 0:
                            sbp, dbp = 150, 95
                            flags.append("bp_raised")
                            counts["bp_raised"] += 1
                        if k == 7 and m == 0:
                            sbp, dbp = 185, 112
                            flags = ["bp_urgent"]
                            counts["bp_urgent"] += 1
                        glucose = 6.0
                        if k % 8 == 0:
                            glucose = 12.0
                            flags.append("glucose_diabetes")
                            counts["glucose_diabetes"] += 1
                        referral = "中峰镇卫生院" if k == 7 and m == 0 else None
                        counts["referrals"] += 1 if referral else 0
                        visit = (
                            db["visits"]
                            .insert(
                                {
                                    "uid": new_uid(),
                                    "clinic_day_id": day,
                                    "person_id": pid,
                                    "arrived_at": f"2025-{month:02d}-10 09:{k:02d}",
                                    "state": "done",
                                    "sbp": sbp,
                                    "dbp": dbp,
                                    "glucose": glucose,
                                    "glucose_fasting": 0,
                                    "flags": ";".join(flags),
                                    "referral_to": referral,
                                    "draft": 0,
                                    "follow_up_due": "2026-12-01" if k == 3 else None,
                                }
                            )
                            .last_pk
                        )
                        db["handouts"].insert(
                            {
                                "uid": new_uid(),
                                "visit_id": visit,
                                "template_id": hyper,
                                "given_by": vols[0],
                                "given_at": f"2025-{month:02d}-10 10:00",
                            }
                        )
                        counts["rx"] += 1
                        counts["hyper"] += 1
                        if k % 2 == 0:
                            db["handouts"].insert(
                                {
                                    "uid": new_uid(),
                                    "visit_id": visit,
                                    "template_id": diab,
                                    "given_by": vols[1],
                                    "given_at": f"2025-{month:02d}-10 10:05",
                                }
                            )
                            counts["rx"] += 1
                            counts["diab"] += 1
                        if k == 5:
                            db["handouts"].insert(
                                {
                                    "uid": new_uid(),
                                    "visit_id": visit,
                                    "template_id": copd,
                                    "given_by": vols[1],
                                    "given_at": f"2025-{month:02d}-10 10:06",
                                }
                            )
                            counts["rx"] += 1
                            counts["copd"] += 1
                if village_no == 0:
                    # A walk-in from outside any register.
                    pid = (
                        db["persons"]
                        .insert(
                            {
                                "uid": new_uid(),
                                "village_id": vid,
                                "name": "过路人",
                                "walk_in": 1,
                                "sex": "F",
                            }
                        )
                        .last_pk
                    )
                    db["visits"].insert(
                        {
                            "uid": new_uid(),
                            "clinic_day_id": day,
                            "person_id": pid,
                            "arrived_at": "2025-01-10 11:00",
                            "state": "done",
                            "draft": 0,
                        }
                    )
                    counts["visits"] += 1
                    counts["people"] += 1
                    # A day cancelled and a day only planned in the same village and year:
                    # neither is held; and another organisation's day, held in 2026.
                    db["clinic_days"].insert(
                        {
                            "uid": new_uid(),
                            "date": "2025-11-08",
                            "village_id": vid,
                            "organisation_id": org,
                            "status": "cancelled",
                        }
                    )
                    db["clinic_days"].insert(
                        {
                            "uid": new_uid(),
                            "date": "2025-12-20",
                            "village_id": vid,
                            "organisation_id": org,
                            "status": "planned",
                        }
                    )
                    other = (
                        db["clinic_days"]
                        .insert(
                            {
                                "uid": new_uid(),
                                "date": "2026-03-07",
                                "village_id": vid,
                                "organisation_id": other_org,
                                "status": "done",
                            }
                        )
                        .last_pk
                    )
                    db["visits"].insert(
                        {
                            "uid": new_uid(),
                            "clinic_day_id": other,
                            "person_id": pid,
                            "arrived_at": "2026-03-07 09:00",
                            "state": "done",
                            "draft": 0,
                        }
                    )
                village_no += 1
    return YearFacts(
        villages=20,
        days_held=20,
        days_cancelled=1,
        days_planned=1,
        visits=counts["visits"],
        people=counts["people"],
        households_served=sum(served_cat.values()),
        households_registered=sum(reg_cat.values()),
        served_by_category=served_cat,
        registered_by_category=reg_cat,
        disabled_seen=counts["disabled"],
        left_behind_seen=counts["left"],
        family_doctor_seen=counts["fd"],
        prescriptions=counts["rx"],
        prescriptions_by_condition={
            "hypertension": counts["hyper"],
            "diabetes": counts["diab"],
            "copd": counts["copd"],
        },
        referrals=counts["referrals"],
        flags={k: counts[k] for k in ("bp_raised", "bp_urgent", "glucose_diabetes")},
        volunteers=5,
        hours=20 * (3.5 + 4 * 3.0),
        tricky_names=tricky,
    )


def make_year_db(path) -> None:
    """Build the year database at ``path`` (a module fixture copies it per test)."""
    from clinic.store import open_store

    s = open_store(path)
    build_year(s)
    s.close()


def copy_db(master, target):
    """A copy of a database file for one test: checkpointed first, so the main
    file holds everything and no -wal file need be copied."""
    import shutil

    from clinic.store import open_store

    s = open_store(master)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    shutil.copy(master, target)
    return target


def make_app(path):
    """The TUI on ``path`` as the coordinator, on the tests' fixed day."""
    import datetime as dt

    from clinic.ui.app import ClinicApp

    from support.users import ensure_user

    return ClinicApp(path, user=ensure_user(path, "coordinator"), today=dt.date(2026, 11, 24))


async def open_report(app, pilot):
    """Press F8 and wait for the report to be computed; the report screen."""
    await pilot.press("f8")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen
