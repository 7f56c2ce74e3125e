"""What the demo draws from: made-up names, villages, household categories,
conditions, specialties and sizes, and unique synthetic ID numbers and phones."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from clinic.core.idnumbers import check_character

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
class SyntheticIds:
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


def weighted(rng: random.Random, pairs) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights)[0]


def person_name(rng: random.Random, surname: str | None = None) -> str:
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


def household_member(
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


def village_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
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
