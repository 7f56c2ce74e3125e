"""A synthetic demo database: no real person is in it, and it says so.

``small`` (tests, first look): the villages of 綦江区 named in the programme's
report, ~2,000 persons in households of every category, 40 volunteers, a dozen
clinic days past and future with visits, assignments and handouts on the past
ones. ``large`` (scale): 200,000 persons in ~400 villages. Same seed, same data.
Rows go in with executemany inside one transaction: the large one takes
seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clinic.core.idnumbers import check_character
from clinic.core.search import search_keys
from clinic.core.vitals import flags_for, flags_text
from clinic.store import bulk, open_store
from clinic.store import catalogues as catalogues_q
from clinic.store.connection import new_uid
from clinic.store.counts import count

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃单仇解查区朴"
COMPOUND = ("欧阳", "司马", "上官", "诸葛")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鹏辉建国兵志文云飞凤琴珍淑贵福荣林成德才"

NAMED_VILLAGES = (
    ("中峰镇", "中峰村"),
    ("中峰镇", "龙山村"),
    ("郭扶镇", "高庙村"),
    ("郭扶镇", "龙泉村"),
    ("永新镇", "三河村"),
    ("永新镇", "石坪村"),
    ("永新镇", "双池村"),
    ("东溪镇", "竹园村"),
    ("郭扶镇", "平等村"),
    ("郭扶镇", "同心村"),
)
TOWNS = (
    "古南街道",
    "文龙街道",
    "通惠街道",
    "三江街道",
    "新盛街道",
    "石角镇",
    "东溪镇",
    "赶水镇",
    "打通镇",
    "石壕镇",
    "永新镇",
    "三角镇",
    "隆盛镇",
    "郭扶镇",
    "篆塘镇",
    "丁山镇",
    "安稳镇",
    "扶欢镇",
    "永城镇",
    "中峰镇",
    "横山镇",
)
VILLAGE_PARTS = "红岩石新华龙凤天星金桥马鞍青杠柏林双河桂花长田清水白果太平高峰大坪松林梨园"
AREA_CODES = ("500110", "500222", "510223")
CATEGORY_WEIGHTS = (("lifted", 22), ("monitored", 6), ("dibao", 10), ("tekun", 3), ("ordinary", 59))
RELATIONS = ("之妻", "之子", "之女", "之母", "之父", "孙子", "孙女", "儿媳")
CONDITION_WEIGHTS = (
    ("hypertension", 28),
    ("diabetes", 12),
    ("copd", 6),
    ("chd", 5),
    ("stroke", 3),
    ("arthritis", 9),
    ("osteoporosis", 4),
    ("oral", 3),
    ("tb", 1),
)
SPECIALTY_MIX = (
    "gp",
    "gp",
    "gp",
    "gp",
    "internal",
    "cardiology",
    "endocrinology",
    "tcm",
    "tcm",
    "tcm",
    "ophthalmology",
    "dentistry",
    "paediatrics",
    "gynaecology",
    "orthopaedics",
    "rehabilitation",
    "lab",
    "nurse",
    "nurse",
    "nurse",
    "nurse",
    "pharmacist",
    "pharmacist",
    "pharmacist",
    "clerk",
    "clerk",
    "cadre",
    "educator",
    "coordinator",
)
AVAILABILITY = (("56", 1), ("56", 0), ("5", 0), ("6", 0), ("01234", 0), ("0123456", 1))
# One volunteer in ten is a cadre (★, is_cadre); households in need are paired
# (结对帮扶) with cadres only, a handful each, as a 帮扶责任人 carries them.
CADRE_EVERY = 10
MAX_PAIRED = 12
ORGS = ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "工商联", "无党派人士")
SIZES = {
    "small": {"villages": 10, "persons": 2000, "volunteers": 40, "days": 12},
    "large": {"villages": 400, "persons": 200_000, "volunteers": 500, "days": 60},
}


@dataclass
class _Ids:
    """Unique synthetic ID numbers and phones."""

    rng: random.Random
    used: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)

    def id_number(self, birth: dt.date, sex: str) -> str:
        while True:
            area = self.rng.choice(AREA_CODES) if birth.year < 1997 else "500110"
            seq = self.rng.randrange(0, 1000)
            if (seq % 2 == 1) != (sex == "M"):
                seq = (seq + 1) % 1000
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + check_character(first17)
            if number not in self.used:
                self.used.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice("3578") + "".join(self.rng.choices("0123456789", k=9))
            number = "1" + number
            if number not in self.phones:
                self.phones.add(number)
                return number


def _weighted(rng: random.Random, pairs) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights)[0]


def _name(rng: random.Random, surname: str | None = None) -> str:
    if surname is None:
        surname = rng.choice(COMPOUND) if rng.random() < 0.01 else rng.choice(SURNAMES)
    given = "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))
    return surname + given


# relation → (sex, youngest and oldest age offset from the head's age)
MEMBERS = {
    "之妻": ("F", -6, 4),
    "之夫": ("M", -4, 6),
    "之子": ("M", -38, -20),
    "之女": ("F", -38, -20),
    "儿媳": ("F", -38, -20),
    "之父": ("M", 20, 32),
    "之母": ("F", 20, 32),
    "孙子": ("M", -65, -42),
    "孙女": ("F", -65, -42),
}


ONCE = {"之妻", "之夫", "之父", "之母"}


def _member(
    rng: random.Random, head_sex: str, head_age: int, taken: set[str]
) -> tuple[str, str, int]:
    """A household member whose relation, sex and age fit the head's (one spouse, one father, one mother)."""
    while True:
        relation = rng.choice(RELATIONS)
        if relation == "之妻" and head_sex == "F":
            relation = "之夫"
        sex, low, high = MEMBERS[relation]
        age = head_age + rng.randint(low, high)
        if 0 <= age <= 100 and relation not in taken:
            if relation in ONCE:
                taken.add(relation)
            return relation, sex, age


def _village_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    places = list(NAMED_VILLAGES)
    taken = set(places)
    while len(places) < count:
        town = rng.choice(TOWNS)
        kind = "社区" if town.endswith("街道") else "村"
        village = "".join(rng.sample(VILLAGE_PARTS, 2)) + kind
        if (town, village) not in taken:
            taken.add((town, village))
            places.append((town, village))
    return places[:count]


def build_demo(
    path: str | Path,
    size: str = "small",
    seed: int = 1,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Create the demo database at ``path``; returns counts of what was made."""
    path = Path(path)
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    today = today or dt.date.today()
    spec = SIZES[size]
    rng = random.Random(seed)
    ids = _Ids(rng)
    store = open_store(path)
    total_steps = spec["persons"] + spec["days"]
    done = 0
    keys_cache: dict[str, set[str]] = {}
    try:
        with store.transaction():
            org_ids = bulk.ids_by(store, "organisations", "short_name")
            village_ids = bulk.ensure_villages(store, _village_names(rng, spec["villages"]))
            village_list = list(village_ids.values())
            volunteer_ids = _volunteers(store, rng, ids, spec["volunteers"], org_ids)
            paired = {cadre: 0 for cadre in volunteer_ids[::CADRE_EVERY]}
            persons_by_village: dict[int, list[tuple[int, str, str | None]]] = {
                v: [] for v in village_list
            }
            person_id = bulk.next_id(store, "persons")
            household_id = bulk.next_id(store, "households")
            households: list[tuple] = []
            persons: list[tuple] = []
            tags: list[tuple] = []
            conditions: list[tuple] = []
            keys: list[tuple] = []
            per_village = spec["persons"] / len(village_list)
            for index, vid in enumerate(village_list):
                target = int(per_village * (index + 1)) - int(per_village * index)
                made, number = 0, 0
                prefix = f"V{index + 1:03d}-"
                while made < target:
                    number += 1
                    category = _weighted(rng, CATEGORY_WEIGHTS)
                    size_h = min(target - made, rng.choice((1, 2, 2, 3, 3, 4, 5)))
                    surname = rng.choice(SURNAMES)
                    head_name = _name(rng, surname)
                    cadre = _pair_cadre(rng, paired, category)
                    households.append(
                        (
                            household_id,
                            new_uid(),
                            vid,
                            f"{prefix}{number:04d}",
                            head_name,
                            rng.randint(1, 12),
                            category,
                            cadre,
                        )
                    )
                    head_sex, head_age = rng.choice("MF"), rng.randint(25, 88)
                    taken: set[str] = set()
                    for member in range(size_h):
                        if member == 0:
                            relation, sex, age = "户主", head_sex, head_age
                        else:
                            relation, sex, age = _member(rng, head_sex, head_age, taken)
                        blood = relation in ("之子", "之女", "孙子", "孙女", "之父")
                        name = head_name if member == 0 else _name(rng, surname if blood else None)
                        birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
                        has_id = rng.random() > 0.03
                        id_number = ids.id_number(birth, sex) if has_id else None
                        phone = ids.phone() if (member == 0 or rng.random() < 0.3) else None
                        persons.append(
                            (
                                person_id,
                                new_uid(),
                                household_id,
                                vid,
                                name,
                                relation,
                                sex,
                                birth.isoformat(),
                                id_number,
                                phone,
                                rng.random() < 0.4 and age > 60,
                            )
                        )
                        if rng.random() < 0.06:
                            tags.append((person_id, "disabled"))
                        if age >= 65 and rng.random() < 0.25:
                            tags.append((person_id, "left_behind_elderly"))
                        if age >= 35:
                            for code in {
                                _weighted(rng, CONDITION_WEIGHTS)
                                for _ in range(rng.choice((0, 0, 1, 1, 2)))
                            }:
                                conditions.append((person_id, code))
                        if name not in keys_cache:
                            keys_cache[name] = search_keys(name, None, None)
                        keys.extend((key, person_id) for key in keys_cache[name])
                        keys.extend((key, person_id) for key in search_keys("", id_number, phone))
                        persons_by_village[vid].append((person_id, sex, birth.isoformat()))
                        person_id += 1
                        made += 1
                    household_id += 1
                if len(persons) > 20_000:
                    _flush(store, households, persons, tags, conditions, keys)
                    done += 20_000
                if progress:
                    progress(min(done + len(persons), spec["persons"]), total_steps)
            _flush(store, households, persons, tags, conditions, keys)
            done = spec["persons"]
            days = _clinic_days(
                store,
                rng,
                today,
                spec["days"],
                village_list,
                org_ids,
                volunteer_ids,
                persons_by_village,
            )
            _talks(store, random.Random(seed + 22))
            if progress:
                progress(total_steps, total_steps)
            catalogues_q.set_setting(
                store, "demo", json.dumps({"size": size, "seed": seed, "synthetic": True})
            )
        return {
            "villages": len(village_list),
            "households": count(store, "households"),
            "persons": count(store, "persons"),
            "volunteers": len(volunteer_ids),
            "days": days,
        }
    finally:
        store.close()


def _flush(store, households, persons, tags, conditions, keys) -> None:
    bulk.insert_rows(
        store,
        "households",
        ("id", "uid", "village_id", "number", "head_name", "group_no", "category", "cadre_id"),
        households,
    )
    bulk.insert_rows(
        store,
        "persons",
        (
            "id",
            "uid",
            "household_id",
            "village_id",
            "name",
            "relation",
            "sex",
            "birth_date",
            "id_number",
            "phone",
            "family_doctor",
        ),
        persons,
    )
    bulk.insert_rows(store, "person_tags", ("person_id", "tag"), tags)
    bulk.insert_rows(store, "person_conditions", ("person_id", "condition_code"), conditions)
    bulk.insert_rows(store, "person_keys", ("key", "person_id"), keys, ignore=True)
    for batch in (households, persons, tags, conditions, keys):
        batch.clear()


def _pair_cadre(rng: random.Random, paired: dict[int, int], category: str) -> int | None:
    """A cadre for a household in need (six in ten of them), None for the others.
    A cadre already carrying MAX_PAIRED households passes it to the next one
    with room (without drawing again: the rest of the demo stays as it was)."""
    if category not in ("lifted", "monitored", "dibao", "tekun") or rng.random() >= 0.6:
        return None
    cadres = list(paired)
    start = cadres.index(rng.choice(cadres))
    for cadre in cadres[start:] + cadres[:start]:
        if paired[cadre] < MAX_PAIRED:
            paired[cadre] += 1
            return cadre
    return None


def _volunteers(store, rng, ids, count, org_ids) -> list[int]:
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
                _name(rng),
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


def _talks(store, rng: random.Random) -> None:
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


def _clinic_days(
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
                assessed.append(_weighted(rng, CONDITION_WEIGHTS))
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
