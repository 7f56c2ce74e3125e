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
