"""Fixtures for the domain tests: register files as a coordinator gets them (the
register import tests share them), people to search for, and writers that commit
rows while backups are taken."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

REGISTER_HEADER = "户编号,姓名,与户主关系,性别,身份证号,出生日期,联系电话,乡镇,村,组,户类别,人员标签,慢病,户主姓名"


def _valid_id(area: str, birth: str, seq: int) -> str:
    from clinic.core.idnumbers import check_character

    first = f"{area}{birth}{seq:03d}"
    return first + check_character(first)


@pytest.fixture(scope="session")
def register_header() -> str:
    """The header row of the village register template."""
    return REGISTER_HEADER


@pytest.fixture(scope="session")
def valid_id():
    """``valid_id(area, birth, seq)``: an ID number with its right check character."""
    return _valid_id


@pytest.fixture(scope="session")
def write_csv():
    """``write_csv(path, lines, encoding="utf-8-sig")``: the lines as a CRLF file."""

    def write(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture(scope="session")
def good_rows():
    """``good_rows()``: a fresh list of a register's header and three good rows."""

    def rows() -> list[str]:
        return [
            REGISTER_HEADER,
            f"T0001,张三,户主,男,{_valid_id('500110', '19560312', 11)},1956-03-12,13812345678,中峰镇,龙山村,3组,脱贫户,残疾人,高血压;糖尿病,张三",
            f"T0001,李四,之妻,女,{_valid_id('510223', '19580101', 22)},1958/1/1,,中峰镇,龙山村,三组,建档立卡贫困户,留守老人,慢阻肺,张三",
            f"T0002,曾五,户主,男,{_valid_id('500222', '19400505', 33)},19400505,023-48123456,中峰镇,龙山村,第五村民小组,低保户,,,曾五",
        ]

    return rows


@pytest.fixture(scope="session")
def add_person():
    """``add_person(store, name, id_number=None, phone=None, household=None)``: a person
    of 中峰镇/龙山村 (born 1950) with their search keys, as an import writes them; the id."""
    from clinic.core.search import search_keys
    from clinic.store import person_keys as keys_q
    from clinic.store import places as places_q
    from clinic.store.connection import new_uid

    def add(store, name, id_number=None, phone=None, household=None):
        with store.transaction():
            village = places_q.village_id(store, "中峰镇", "龙山村")
            hid = None
            if household:
                hid = (
                    store.db["households"]
                    .insert(
                        {
                            "uid": new_uid(),
                            "village_id": village,
                            "number": household,
                            "head_name": name,
                        }
                    )
                    .last_pk
                )
            pid = (
                store.db["persons"]
                .insert(
                    {
                        "uid": new_uid(),
                        "name": name,
                        "id_number": id_number,
                        "phone": phone,
                        "village_id": village,
                        "household_id": hid,
                        "birth_date": "1950-06-01",
                    }
                )
                .last_pk
            )
            keys_q.replace_keys(store, pid, search_keys(name, id_number, phone))
        return pid

    return add


@pytest.fixture(scope="session")
def search_names(today):
    """``search_names(store, query)``: the names the person search finds, in order."""
    from clinic.core.search import find_persons

    def names(store, query):
        return [hit.name for hit in find_persons(store, query, today=today)]

    return names


@pytest.fixture(scope="session")
def row_writer():
    """``row_writer(db_path, writer, log_path, stop)``: the target of a writer process
    (spawned: it lives in an importable module, tests/support/backup_writers.py)."""
    from support.backup_writers import write_rows

    return write_rows


@pytest.fixture(scope="session")
def committed_rows():
    """``committed_rows(log_path)``: the rows a writer had committed when its log was read."""
    from support.backup_writers import committed

    return committed


# -- merging laptops (tests/domain/test_sync_*.py) ----------------------------------------


@pytest.fixture
def district(demo_path) -> Path:
    """A district database: a copy of the small demo, with the signed-in coordinator."""
    return demo_path


@pytest.fixture
def enrol(district, tmp_path):
    """``enrol(name)``: a laptop's database made from ``district`` (clinic sync base); its path.
    Opened once, as the laptop opens it first (that takes its first snapshot)."""
    from clinic.core.sync.enrol import make_base
    from clinic.store import open_store

    def make(name: str) -> Path:
        out = tmp_path / "laptops" / f"{name}.db"
        with open_store(district) as store:
            make_base(store, name, out, actor="测试协调员")
        open_store(out).close()
        return out

    return make


@pytest.fixture
def export_from(tmp_path):
    """``export_from(laptop_path, name=None)``: the laptop's next bundle, its path."""
    from clinic.core.sync.exporting import export_bundle
    from clinic.store import open_store

    def export(path: Path, name: str | None = None) -> Path:
        out = (
            tmp_path
            / "bundles"
            / (name or f"{path.stem}-{len(list(tmp_path.glob('bundles/*')))}.bundle")
        )
        out.parent.mkdir(exist_ok=True)
        with open_store(path) as store:
            made = export_bundle(store, out, actor="tester")
        assert made.path == out
        return out

    return export


# -- the sync tests' shared steps (tests/support/sync.py) ---------------------------------


@pytest.fixture(scope="session")
def sync_fingerprint():
    """``sync_fingerprint(path)``: every row of every table of a file, as one digest."""
    from support.sync import fingerprint

    return fingerprint


@pytest.fixture(scope="session")
def clinic_day():
    """``clinic_day(store, date)``: the clinic day of ``date`` as the desk holds it."""
    from support.sync import clinic_day

    return clinic_day


@pytest.fixture(scope="session")
def walk_in():
    """``walk_in(store, today, now, name, *, village_id=None, id_number="", birth="66",
    sex="M")``: a walk-in registered at the desk with consent; the person's id."""
    from support.sync import walk_in

    return walk_in


@pytest.fixture(scope="session")
def delete_and_edit():
    """``delete_and_edit(district, laptop, date, deleted_on)``: the first assignment of
    ``date`` removed on one side and marked attended (4 hours) on the other; its id."""
    from support.sync import delete_and_edit

    return delete_and_edit


@pytest.fixture(scope="session")
def export_stopped_before():
    """``with export_stopped_before(step) as cut:`` exports in the block stop before that
    step of clinic.core.sync.exporting.STEPS (a power cut); ``cut.at`` says if they did."""
    from support.sync import export_stopped_before

    return export_stopped_before


@pytest.fixture(scope="session")
def day_of_work():
    """``day_of_work(path, today, now, name, id_number="", birth="66")``: a walk-in
    registered, checked in and given a health prescription on a laptop (the uids, the
    day's first assignment and the items ticked)."""
    from support.sync import laptop_work

    return laptop_work


@pytest.fixture(scope="session")
def sync_district(_demo_master, tmp_path_factory):
    """A district (the small demo, with three shared register persons) and laptops A, B
    and C enrolled from it, built once per session; ``sync_district.copy_to(folder)``
    gives a run its own copy."""
    from support.sync import build_district

    return build_district(
        _demo_master,
        tmp_path_factory.mktemp("district") / "world",
        ("A", "B", "C"),
        "测试协调员",
        register_header=REGISTER_HEADER,
        shared=3,
    )


@pytest.fixture(scope="session")
def shared_person():
    """``shared_person(k, phone)``: (ID number, register line) of the district's shared
    register person ``k`` (``sync_district`` holds k = 0, 1, 2)."""
    from support.sync import shared_person

    return shared_person


@pytest.fixture(scope="session")
def apart_jobs():
    """Jobs a test runs in a process of its own (clinic.core.sync.apart imports them by name)."""
    from support import apart_jobs

    return apart_jobs


@pytest.fixture
def messy_rows(valid_id, register_header):
    """``messy_rows(seed, n=60)``: rows that match each other in every way the rules allow: shared ID
    numbers (rejected), the same name and birth date with and without an ID
    number, households with and without a number, tags and certificates."""

    def make(seed: int, n: int = 60) -> list[str]:
        rng = random.Random(seed)
        people = []
        for i in range(10):
            birth = f"19{50 + i % 3}0{1 + i % 2}0{1 + i % 2}"
            people.append((valid_id("500110", birth, 11 + 2 * i), "男", birth))
        rows = [register_header + ",残疾证号"]
        for _ in range(n):
            number, sex, birth = rng.choice(people)
            household = rng.choice(["A1", "A2", "A3", ""])
            head = rng.choice(["张三", "李四"]) if not household else ""
            category = {"A1": "脱贫户", "A2": "", "A3": "低保户", "": ""}[household]
            rows.append(
                ",".join(
                    [
                        household,
                        rng.choice(["张三", "李四", "曾五"]),
                        rng.choice(["户主", "之子", ""]),
                        rng.choice([sex, ""]),
                        number if rng.random() < 0.6 else "",
                        f"{birth[:4]}-{birth[4:6]}-{birth[6:]}" if rng.random() < 0.8 else "",
                        rng.choice(["", "13812345678", "13900001111"]),
                        "中峰镇",
                        rng.choice(["龙山村", "高庙村"]),
                        rng.choice(["3组", "", "5组"]),
                        category,
                        rng.choice(["", "残疾人", "签约", "留守老人"]),
                        rng.choice(["", "高血压", "糖尿病;痛风"]),
                        head,
                        rng.choice(["", "", "50011019500101123401"]),
                    ]
                )
            )
        return rows

    return make
