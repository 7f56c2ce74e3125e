"""Person search: Chinese name, pinyin initials and full pinyin (every surname reading),
last digits of ID number or phone, household number; numbers masked."""

from __future__ import annotations

import pytest

from clinic.core.search import find_persons, search_keys
from clinic.store import persons as q
from clinic.store.connection import new_uid

from conftest import TODAY


def add(store, name, id_number=None, phone=None, household=None):
    with store.transaction():
        village = q.village_id(store, "中峰镇", "龙山村")
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
        q.replace_keys(store, pid, search_keys(name, id_number, phone))
    return pid


@pytest.fixture
def people(store):
    add(store, "张三", "500110195003177995", "13812345678", household="LS0001")
    add(store, "曾国强", "50011019540714887X")
    add(store, "单丽", phone="02348123456")
    add(store, "欧阳娜")
    add(store, "吕敏")
    add(store, "张三丰")
    return store


def names(store, query):
    return [hit.name for hit in find_persons(store, query, today=TODAY)]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("zs", ["张三", "张三丰"]),
        ("zhangsan", ["张三", "张三丰"]),
        ("ZS", ["张三", "张三丰"]),
        ("zsf", ["张三丰"]),
        ("张", ["张三", "张三丰"]),
        ("张三丰", ["张三丰"]),
        ("三", ["张三", "张三丰"]),
        ("zgq", ["曾国强"]),
        ("cgq", ["曾国强"]),
        ("zengguoqiang", ["曾国强"]),
        ("sl", ["单丽"]),
        ("dl", ["单丽"]),
        ("shanli", ["单丽"]),
        ("oyn", ["欧阳娜"]),
        ("ouyangna", ["欧阳娜"]),
        ("lvmin", ["吕敏"]),
        ("lm", ["吕敏"]),
        ("7995", ["张三"]),
        ("887x", ["曾国强"]),
        ("5678", ["张三"]),
        ("8123456", ["单丽"]),
        ("LS0001", ["张三"]),
        ("ls0001", ["张三"]),
        ("１２３４５６７８", ["张三"]),
    ],
)
def test_search_finds(people, query, expected):
    assert sorted(names(people, query)) == sorted(expected)


def test_three_digits_are_not_enough(people):
    assert names(people, "995") == []


def test_hits_are_masked(people):
    hit = find_persons(people, "zs", today=TODAY)[0]
    assert hit.id_masked == "5001**********7995"
    assert hit.phone_masked == "138****5678"
    assert hit.age == 76 and hit.village == "龙山村"


def test_limit_is_respected_on_large_lists(demo_store):
    assert len(find_persons(demo_store, "z", limit=7, today=TODAY)) == 7


def test_common_surnames_found_only_by_their_real_readings(store):
    """Every heteronym of every common surname, as initials and as full pinyin,
    finds exactly the people whose names read that way."""
    from pypinyin import Style, pinyin
    from test_pinyin import COMMON_SURNAMES, expected_keys

    for surname in COMMON_SURNAMES:
        add(store, surname + "淑")
    wanted = {surname + "淑": expected_keys(surname, "淑") for surname in COMMON_SURNAMES}
    for surname in COMMON_SURNAMES:
        for reading in pinyin(surname, style=Style.NORMAL, heteronym=True)[0]:
            for query in (reading[0] + "s", reading + "shu"):
                found = set(names(store, query))
                assert found == {
                    name for name, keys in wanted.items() if any(k.startswith(query) for k in keys)
                }, query
    assert "丁淑" not in names(store, "zs")
    assert "丁淑" in names(store, "ds")


def test_compound_surname_yuchi(store):
    add(store, "尉迟恭")
    add(store, "余成")
    assert names(store, "ycg") == ["尉迟恭"]
    assert names(store, "yuchigong") == ["尉迟恭"]
    assert names(store, "weichigong") == ["尉迟恭"]


def test_old_database_gets_its_pinyin_keys_rebuilt(tmp_path):
    """A database indexed with every heteronym (before migration 0011) searches
    right after the upgrade: the migration rebuilds the pinyin keys."""
    from clinic.store import open_store

    path = tmp_path / "old.db"
    with open_store(path) as store:
        pid = add(store, "丁淑", phone="13812345678")
        add(store, "张三")
        with store.transaction():
            # The keys as the old rule wrote them (丁 also read zheng).
            q.replace_keys(
                store,
                pid,
                ["y:ds", "y:dingshu", "y:zs", "y:zhengshu", "p:87654321831"],
            )
            store.conn.execute(
                "DELETE FROM _sqlite_migrations WHERE name = '0011_search_keys_surname_readings'"
            )
        assert "丁淑" in names(store, "zs")
    with open_store(path) as store:
        assert names(store, "zs") == ["张三"]
        assert names(store, "zhengshu") == []
        assert names(store, "ds") == ["丁淑"]
        assert names(store, "5678") == ["丁淑"]  # other keys untouched
        keys = {
            r[0]
            for r in store.conn.execute("SELECT key FROM person_keys WHERE person_id = ?", [pid])
        }
    assert keys == search_keys("丁淑", None, "13812345678")
