"""Property tests for the importers: any valid register round-trips; any bytes fail cleanly."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic.core.errors import ClinicError
from clinic.core.idnumbers import check_character
from clinic.core.imports import import_register
from clinic.core.planning.volunteer_import import import_volunteers
from clinic.store import open_store

NAMES = st.text(alphabet="张王李赵曾单覃欧阳伟芳娜敏静丽强磊军", min_size=2, max_size=4)
CATEGORIES = st.sampled_from(
    ["脱贫户", "建档立卡贫困户", "监测对象", "低保户", "特困供养", "一般农户", ""]
)
GROUPS = st.integers(1, 30).flatmap(
    lambda n: st.sampled_from([f"{n}组", f"{n}社", f"第{n}村民小组", str(n)])
)


@st.composite
def person_rows(draw):
    count = draw(st.integers(1, 12))
    rows, used = [], set()
    for i in range(count):
        birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2020, 12, 31)))
        male = draw(st.booleans())
        seq = draw(st.integers(0, 499)) * 2 + (1 if male else 0)
        first = f"{draw(st.sampled_from(['500110', '500222', '510223']))}{birth:%Y%m%d}{seq:03d}"
        number = first + check_character(first)
        if number in used:
            continue
        used.add(number)
        household = f"H{draw(st.integers(1, 4)):03d}"
        date_text = draw(
            st.sampled_from(
                [
                    birth.isoformat(),
                    f"{birth.year}/{birth.month}/{birth.day}",
                    f"{birth.year}年{birth.month}月{birth.day}日",
                    birth.strftime("%Y%m%d"),
                ]
            )
        )
        rows.append(
            [
                household,
                draw(NAMES) + str(i),
                "男" if male else "女",
                number,
                date_text,
                draw(GROUPS),
                draw(CATEGORIES),
            ]
        )
    return rows


def register_csv(rows, encoding: str) -> bytes:
    lines = ["户编号,姓名,性别,身份证号码,出生日期,乡镇,村(社区),村民小组,户类别"]
    categories: dict[str, str] = {}
    for household, name, sex, number, date_text, group, category in rows:
        category = categories.setdefault(household, category)  # one category per household
        lines.append(
            ",".join([household, name, sex, number, date_text, "中峰镇", "龙山村", group, category])
        )
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=person_rows(), encoding=st.sampled_from(["utf-8-sig", "utf-8", "gbk", "gb18030"]))
def test_any_valid_register_imports_exactly_and_idempotently(today, rows, encoding):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_bytes(register_csv(rows, encoding))
        store = open_store(Path(folder) / "t.db")
        try:
            result = import_register(store, path, today=today)
            assert result.persons["created"] == len(rows)
            stored = {r["id_number"]: r for r in store.query("SELECT * FROM persons")}
            for _h, name, sex, number, _d, _g, _c in rows:
                assert stored[number]["name"] == name
                assert stored[number]["sex"] == ("M" if sex == "男" else "F")
                assert (
                    stored[number]["birth_date"]
                    == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
                )
            again = import_register(store, path, today=today)
            assert again.persons["unchanged"] == len(rows)
        finally:
            store.close()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_either_import_or_fail_with_a_message(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"f{suffix}"
        path.write_bytes(data)
        store = open_store(Path(folder) / "t.db")
        try:
            for importer in (import_register, import_volunteers):
                try:
                    importer(store, path)
                except ClinicError as exc:
                    assert exc.message
        finally:
            store.close()
