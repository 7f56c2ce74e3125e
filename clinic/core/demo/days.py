"""The demo's clinic days: past ones done, with assignments, visits, vitals,
conditions, consents and handouts; future ones planned."""

from __future__ import annotations

import datetime as dt

from clinic.core.demo.synthetic import (
    CONDITION_WEIGHTS,
    ORGS,
    weighted,
)
from clinic.core.vitals import flags_for, flags_text
from clinic.store import bulk
from clinic.store import catalogues as catalogues_q
from clinic.store.connection import new_uid


def add_clinic_days(
    store, rng, today, count, villages, org_ids, volunteer_ids, persons_by_village
) -> int:
    """Past days (done, with visits and handouts) and future days (planned)."""
    templates = bulk.ids_by(store, "prescription_templates", "code")
    ticks = catalogues_q.default_ticks(store)
    consented: set[int] = set()
    consents = []
    volunteers = {row["id"]: row for row in bulk.rows(store, "volunteers")}
    specialties = {vid: row["specialty_code"] for vid, row in volunteers.items()}
    days_in_month: dict[tuple[int, str], int] = {}

    def can_serve(vol: int, date: dt.date) -> bool:
        """The demo keeps the rules a coordinator would: weekday pattern and monthly limit."""
        row = volunteers[vol]
        limit = row["max_days_per_month"] or 31
        return (
            str(date.weekday()) in row["weekdays"]
            and days_in_month.get((vol, f"{date:%Y-%m}"), 0) < limit
        )

    past = count * 2 // 3
    # Saturdays going back and forward from today, one clinic day each.
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7)
    dates = [saturday - dt.timedelta(weeks=w) for w in range(past, 0, -1)]
    dates += [saturday + dt.timedelta(weeks=w) for w in range(0, count - past)]
    if today.weekday() != 5:
        dates[past - 1] = today  # one clinic day is today, for the desk
    first_day = bulk.next_id(store, "clinic_days")
    visit_id = bulk.next_id(store, "visits")
    days: list[tuple] = []
    needs: list[tuple] = []
    assignments: list[tuple] = []
    visits: list[tuple] = []
    conds: list[tuple] = []
    handouts: list[tuple] = []
    for n, date in enumerate(dates):
        day_id = first_day + n
        vid = villages[n % len(villages)]
        status = (
            "done"
            if date < today
            else ("confirmed" if date - today < dt.timedelta(days=14) else "planned")
        )
        org = org_ids[rng.choice(ORGS)]
        days.append(
            (
                day_id,
                new_uid(),
                date.isoformat(),
                "08:30",
                "12:00",
                vid,
                "村委会活动室",
                org,
                status,
            )
        )
        need = {"gp": 2, "tcm": 1, "nurse": 2, "pharmacist": 1, "clerk": 1}
        needs.extend((day_id, code, k) for code, k in need.items())
        # The team fills the needs from volunteers of that specialty; days more
        # than two weeks ahead are only half staffed, for the roster to fill.
        team = []
        for code, k in need.items():
            pool = [
                v
                for v in volunteer_ids
                if specialties[v] == code and v not in team and can_serve(v, date)
            ]
            wanted = k if status != "planned" else k // 2
            team += rng.sample(pool, min(wanted, len(pool)))
        for vol in team:
            days_in_month[(vol, f"{date:%Y-%m}")] = days_in_month.get((vol, f"{date:%Y-%m}"), 0) + 1
        for vol in team:
            state = (
                ("attended" if rng.random() < 0.9 else "no_show") if date < today else "confirmed"
            )
            hours = 3.5 if state == "attended" else None
            assignments.append((new_uid(), day_id, vol, specialties[vol] or "gp", state, hours))
        if date >= today:
            continue
        doctors = [
            v
            for v in team
            if specialties[v] in ("gp", "internal", "cardiology", "endocrinology", "tcm")
        ]
        doctors = doctors or team or volunteer_ids
        people = persons_by_village[vid]
        for pid, _sex, birth in rng.sample(people, min(len(people), rng.randint(30, 60))):
            if pid not in consented:
                consented.add(pid)
                consents.append(
                    (new_uid(), pid, f"{date.isoformat()} 08:45:00", doctors[0], "self")
                )
            adult = (date - dt.date.fromisoformat(birth)).days >= 18 * 365
            # Plausible readings only: systolic well above diastolic, glucose 2.5–25 mmol/L;
            # children are not given adult blood pressure or glucose readings.
            dbp = min(max(int(rng.gauss(84, 12)), 50), 125) if adult else None
            sbp = min(max(int(rng.gauss(138, 22)), dbp + 25), 230) if dbp is not None else None
            glucose = (
                min(max(round(rng.gauss(6.8, 2.2), 1), 2.5), 25.0)
                if adult and rng.random() < 0.7
                else None
            )
            fasting = rng.random() < 0.5 if glucose is not None else None
            flags = flags_text(flags_for(sbp, dbp, glucose, fasting))
            doctor = rng.choice(doctors)
            follow = (
                (date + dt.timedelta(days=rng.choice((28, 42, 90)))).isoformat() if flags else None
            )
            referral = "乡镇卫生院" if "urgent" in flags or "glucose_high" in flags else None
            visits.append(
                (
                    visit_id,
                    new_uid(),
                    day_id,
                    pid,
                    f"{date.isoformat()} 09:{rng.randint(0, 59):02d}:00",
                    "done",
                    "gp",
                    doctor,
                    sbp,
                    dbp,
                    rng.randint(58, 96),
                    glucose,
                    None if fasting is None else int(fasting),
                    flags,
                    referral,
                    follow,
                    0,
                )
            )
            assessed = []
            if "bp_" in flags:
                assessed.append("hypertension")
            if "glucose" in flags:
                assessed.append("diabetes")
            if not assessed and rng.random() < 0.3:
                assessed.append(weighted(rng, CONDITION_WEIGHTS))
            for code in assessed:
                conds.append((visit_id, code))
                if code in templates:
                    handouts.append(
                        (
                            new_uid(),
                            visit_id,
                            templates[code],
                            ticks[templates[code]],
                            doctor,
                            f"{date.isoformat()} 10:{rng.randint(0, 59):02d}:00",
                        )
                    )
            visit_id += 1
    bulk.insert_rows(
        store,
        "clinic_days",
        (
            "id",
            "uid",
            "date",
            "start_time",
            "end_time",
            "village_id",
            "venue",
            "organisation_id",
            "status",
        ),
        days,
    )
    bulk.insert_rows(store, "clinic_day_needs", ("clinic_day_id", "specialty_code", "count"), needs)
    bulk.insert_rows(
        store,
        "assignments",
        ("uid", "clinic_day_id", "volunteer_id", "role", "status", "hours"),
        assignments,
    )
    bulk.insert_rows(
        store, "consents", ("uid", "person_id", "given_at", "explained_by", "signed_by"), consents
    )
    bulk.insert_rows(
        store,
        "visits",
        (
            "id",
            "uid",
            "clinic_day_id",
            "person_id",
            "arrived_at",
            "state",
            "queue",
            "seen_by",
            "sbp",
            "dbp",
            "pulse",
            "glucose",
            "glucose_fasting",
            "flags",
            "referral_to",
            "follow_up_due",
            "draft",
        ),
        visits,
    )
    bulk.insert_rows(store, "visit_conditions", ("visit_id", "condition_code"), conds)
    bulk.insert_rows(
        store,
        "handouts",
        ("uid", "visit_id", "template_id", "ticked", "given_by", "given_at"),
        handouts,
    )
    return len(days)
