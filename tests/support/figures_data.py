"""A small database with every edge case of docs/figures.md, and the figures
it must show, worked out by hand from the rows (not from the app's SQL).

Days, relative to ``today`` (the CLI reads the real date, so this does too):

* **A**, today, marked done, 08:30–12:00, needs 3 GPs, 2 nurses, 2 clerks
  (7 places). Team: 甲医生 attended 4 h typed; 乙医生 attended, no hours typed
  (counts 3.5 h); 丙医生 confirmed but never came and nobody marked her (not
  counted, still fills her place); 丁护士 no-show (place open); 戊护士
  attended 3 h; 己文书 attended 2.5 h; 庚文书 declined (place open).
  Filled: GP 3/3, nurse 1/2, clerk 1/2 = 5/7. Visits: 病人一 (urgent BP and
  glucose, a prescription, a referral, follow-up in 7 days), 病人二 (BP
  raised, follow-up in 30 days), a walk-in with no household, and a draft
  visit (checked in, not finished; BP raised).
* **B**, yesterday, still *planned*, no visit; 辛医生 marked attended without
  hours: attendance means the day was held (3.5 h).
* **C**, three days ago, cancelled, with a visit and an attended volunteer:
  never counted.
* **E**, 35 days ago, done: 病人五 seen with a follow-up due 14 days ago (now
  overdue; they never came back); 甲医生 attended 3 h.
* **D**, in 10 days, planned, needs 2 GPs; 乙医生 invited: 1/2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic.store import Store
from clinic.store.connection import new_uid


@dataclass(frozen=True)
class Expected:
    today: dt.date
    day_a: int
    day_b: int
    day_c: int
    day_d: int
    day_e: int
    village: str  # township/village, for --village
    held: int = 3  # A, B, E
    planned: int = 1  # D
    cancelled: int = 1  # C
    visits: int = 5  # A: 4 (a draft included), E: 1
    people: int = 5
    walk_ins: int = 1
    volunteers: int = 5  # 甲 乙 戊 己 (A), 辛 (B); 甲 again on E
    hours: float = 19.5  # A 4+3.5+3+2.5, B 3.5, E 3
    hours_not_typed: int = 2  # 乙 on A, 辛 on B
    not_marked: int = 1  # 丙 on A
    day_a_volunteers: int = 4
    day_a_hours: float = 13.0
    day_a_needed: int = 7
    day_a_filled: int = 5
    day_d_needed: int = 2
    day_d_filled: int = 1
    flags: tuple[tuple[str, int], ...] = (
        ("bp_raised", 2),
        ("bp_urgent", 1),
        ("glucose_diabetes", 1),
    )
    flagged_urgent: int = 1
    flagged_raised: int = 2
    prescriptions: int = 1
    referrals: int = 1
    follow_ups_open: int = 3  # 病人一 (+7), 病人二 (+30), 病人五 (-14)
    follow_ups_due: int = 2  # within 14 days, overdue included
    follow_ups_overdue: int = 1


def _insert(store: Store, table: str, row: dict) -> int:
    return store.db[table].insert({"uid": new_uid(), **row}).last_pk


def build(store: Store, today: dt.date | None = None) -> Expected:
    """Insert the edge cases into an empty migrated store."""
    today = today or dt.date.today()

    def date(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    db = store.db
    with store.transaction():
        town = db["townships"].insert({"name": "中峰镇"}).last_pk
        village = db["villages"].insert({"township_id": town, "name": "龙山村"}).last_pk
        org = store.scalar("SELECT id FROM organisations WHERE short_name = '民进'")
        if org is None:
            org = (
                db["organisations"]
                .insert({"short_name": "民进", "name_zh": "中国民主促进会", "name_en": "CAPD"})
                .last_pk
            )
        vols = {}
        for name, specialty in [
            ("甲医生", "gp"),
            ("乙医生", "gp"),
            ("丙医生", "gp"),
            ("丁护士", "nurse"),
            ("戊护士", "nurse"),
            ("己文书", "clerk"),
            ("庚文书", "clerk"),
            ("辛医生", "gp"),
        ]:
            vols[name] = _insert(
                store,
                "volunteers",
                {"name": name, "specialty_code": specialty, "organisation_id": org},
            )

        def day(offset: int, status: str, needs: dict[str, int]) -> int:
            day_id = _insert(
                store,
                "clinic_days",
                {
                    "date": date(offset),
                    "village_id": village,
                    "organisation_id": org,
                    "status": status,
                    "start_time": "08:30",
                    "end_time": "12:00",
                    "venue": "村委会",
                },
            )
            for code, n in needs.items():
                db["clinic_day_needs"].insert(
                    {"clinic_day_id": day_id, "specialty_code": code, "count": n}
                )
            return day_id

        def assign(day_id: int, name: str, status: str, hours: float | None = None) -> None:
            role = {"医": "gp", "护": "nurse", "文": "clerk"}[name[1]]
            _insert(
                store,
                "assignments",
                {
                    "clinic_day_id": day_id,
                    "volunteer_id": vols[name],
                    "role": role,
                    "status": status,
                    "hours": hours,
                },
            )

        a = day(0, "done", {"gp": 3, "nurse": 2, "clerk": 2})
        for name, status, hours in [
            ("甲医生", "attended", 4.0),
            ("乙医生", "attended", None),
            ("丙医生", "confirmed", None),
            ("丁护士", "no_show", None),
            ("戊护士", "attended", 3.0),
            ("己文书", "attended", 2.5),
            ("庚文书", "declined", None),
        ]:
            assign(a, name, status, hours)
        b = day(-1, "planned", {"gp": 1})
        assign(b, "辛医生", "attended")
        c = day(-3, "cancelled", {"gp": 1})
        assign(c, "甲医生", "attended", 3.0)
        e = day(-35, "done", {"gp": 1})
        assign(e, "甲医生", "attended", 3.0)
        d = day(10, "planned", {"gp": 2})
        assign(d, "乙医生", "invited")

        household = _insert(
            store,
            "households",
            {"village_id": village, "number": "LS0001", "head_name": "病人一", "category": "dibao"},
        )
        other = _insert(
            store,
            "households",
            {
                "village_id": village,
                "number": "LS0002",
                "head_name": "病人五",
                "category": "ordinary",
            },
        )

        def person(name: str, household_id: int | None, walk_in: int = 0) -> int:
            return _insert(
                store,
                "persons",
                {
                    "name": name,
                    "household_id": household_id,
                    "village_id": village,
                    "sex": "F",
                    "walk_in": walk_in,
                },
            )

        p1, p2 = person("病人一", household), person("病人二", household)
        p3, p4, p5 = (
            person("走进来", None, walk_in=1),
            person("草稿人", other),
            person("病人五", other),
        )

        def visit(day_id: int, person_id: int, offset: int, **values) -> int:
            return _insert(
                store,
                "visits",
                {
                    "clinic_day_id": day_id,
                    "person_id": person_id,
                    "arrived_at": f"{date(offset)} 09:{person_id % 60:02d}",
                    "state": "done",
                    "draft": 0,
                    **values,
                },
            )

        v1 = visit(
            a,
            p1,
            0,
            sbp=185,
            dbp=115,
            glucose=12.0,
            glucose_fasting=0,
            flags="bp_urgent;glucose_diabetes",
            referral_to="中峰镇卫生院",
            follow_up_due=date(7),
        )
        template = store.scalar(
            "SELECT id FROM prescription_templates WHERE code = 'hypertension' ORDER BY version DESC"
        )
        _insert(
            store,
            "handouts",
            {
                "visit_id": v1,
                "template_id": template,
                "given_by": vols["甲医生"],
                "given_at": f"{date(0)} 10:00",
            },
        )
        visit(a, p2, 0, sbp=150, dbp=92, flags="bp_raised", follow_up_due=date(30))
        visit(a, p3, 0)
        visit(a, p4, 0, state="waiting", draft=1, sbp=145, dbp=85, flags="bp_raised")
        visit(c, p4, -3, sbp=190, dbp=120, flags="bp_urgent")
        visit(e, p5, -35, follow_up_due=date(-14))
    return Expected(
        today=today, day_a=a, day_b=b, day_c=c, day_d=d, day_e=e, village="中峰镇/龙山村"
    )
