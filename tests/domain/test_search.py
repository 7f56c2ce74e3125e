"""Person search: Chinese name, pinyin initials and full pinyin (every surname reading),
last digits of ID number or phone, household number; numbers masked."""

from __future__ import annotations

import pytest

from clinic.core.search import find_persons, search_keys
from clinic.store import person_keys as keys_q


@pytest.fixture
def people(store, add_person):
    add_person(store, "张三", "500110195003177995", "13812345678", household="LS0001")
    add_person(store, "曾国强", "50011019540714887X")
    add_person(store, "单丽", phone="02348123456")
    add_person(store, "欧阳娜")
    add_person(store, "吕敏")
    add_person(store, "张三丰")
    return store


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
def test_search_finds(people, query, expected, search_names):
    assert sorted(search_names(people, query)) == sorted(expected)


def test_three_digits_are_not_enough(people, search_names):
    assert search_names(people, "995") == []


def test_hits_are_masked(people, today):
    hit = find_persons(people, "zs", today=today)[0]
    assert hit.id_masked == "5001**********7995"
    assert hit.phone_masked == "138****5678"
    assert hit.age == 76 and hit.village == "龙山村"


def test_limit_is_respected_on_large_lists(demo_store, today):
    assert len(find_persons(demo_store, "z", limit=7, today=today)) == 7


def test_whole_syllables_come_first(store, add_person, search_names):
    """Typing "wang" listed 万刚 (wan·gang, whose key starts with wang) before 汪超; a name that
    begins with the typed syllables whole comes first, the rest in key order."""
    add_person(store, "万刚明")
    add_person(store, "王安")
    add_person(store, "汪超")
    add_person(store, "万刚")
    assert search_names(store, "wang") == ["王安", "汪超", "万刚", "万刚明"]
    assert search_names(store, "wangang") == ["万刚", "万刚明"]
    assert search_names(store, "wan") == ["万刚", "万刚明", "王安", "汪超"]


def test_whole_syllables_come_first_beyond_the_first_hits_in_key_order(store, add_person, today):
    """A district's register: more 万刚… (wan·gang…, keys "wangang…") than a search shows
    come before 汪超 (wang·chao) in key order; "wang" still finds 汪超 first."""
    from clinic.core.search import find_persons

    for given in "伟芳娜敏静丽强磊":
        add_person(store, "万刚" + given)
    add_person(store, "汪超")
    names = [hit.name for hit in find_persons(store, "wang", limit=5, today=today)]
    assert names[0] == "汪超" and len(names) == 5
    assert all(name.startswith("万刚") for name in names[1:])


def test_compound_surname_yuchi(store, add_person, search_names):
    add_person(store, "尉迟恭")
    add_person(store, "余成")
    assert search_names(store, "ycg") == ["尉迟恭"]
    assert search_names(store, "yuchigong") == ["尉迟恭"]
    assert search_names(store, "weichigong") == ["尉迟恭"]


def test_old_database_gets_its_pinyin_keys_rebuilt(tmp_path, add_person, search_names):
    """A database indexed with every heteronym (before migration 0011) searches
    right after the upgrade: the migration rebuilds the pinyin keys."""
    from clinic.store import open_store

    path = tmp_path / "old.db"
    with open_store(path) as store:
        pid = add_person(store, "丁淑", phone="13812345678")
        add_person(store, "张三")
        with store.transaction():
            # The keys as the old rule wrote them (丁 also read zheng).
            keys_q.replace_keys(
                store,
                pid,
                ["y:ds", "y:dingshu", "y:zs", "y:zhengshu", "p:87654321831"],
            )
            store.conn.execute(
                "DELETE FROM _sqlite_migrations WHERE name = '0011_search_keys_surname_readings'"
            )
        assert "丁淑" in search_names(store, "zs")
    with open_store(path) as store:
        assert search_names(store, "zs") == ["张三"]
        assert search_names(store, "zhengshu") == []
        assert search_names(store, "ds") == ["丁淑"]
        assert search_names(store, "5678") == ["丁淑"]  # other keys untouched
        keys = {
            r[0]
            for r in store.conn.execute("SELECT key FROM person_keys WHERE person_id = ?", [pid])
        }
    assert keys == search_keys("丁淑", None, "13812345678")


def _old_order_ids(pairs: list[tuple[str, int]], prefix: str, limit: int) -> list[int]:
    """What a key-prefix lookup gave when person_keys was the table of (key, person_id)
    (before migration 0012): persons in the order of their matching keys, then of id."""
    found = [pid for key, pid in sorted(pairs) if key.startswith(prefix)]
    return list(dict.fromkeys(found))[:limit]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_key_lookups_find_the_same_persons_in_the_same_order(store, add_person, seed):
    """person_keys stored by person, found by key through an index (migration 0012): every
    prefix lookup gives the persons the (key, person_id) table gave, in its order, up to
    the limit; namesakes and shared phones make many persons share a key."""
    import random

    rng = random.Random(seed)
    names = ["张三", "章三", "张山", "曾伟", "单丽", "吕敏", "欧阳娜", "张三丰", "赵四", "钟敏"]
    phones = [None, "13812345678", "13912345678", "02348123456"]
    for _ in range(120):
        number = "".join(rng.choice("0123456789") for _ in range(17)) + rng.choice("0123X")
        add_person(store, rng.choice(names), rng.choice([None, number]), rng.choice(phones))
    pairs = [(r["key"], r["person_id"]) for r in store.query("SELECT * FROM person_keys")]
    prefixes = {"y:", "i:", "p:"} | {key[: rng.randint(2, len(key))] for key, _p in pairs}
    for prefix in sorted(prefixes):
        for limit in (1, 3, 50, 500):
            rows = keys_q.persons_by_key_prefix(store, [prefix], limit)
            assert [r["id"] for r in rows] == _old_order_ids(pairs, prefix, limit), prefix


def test_a_key_lookup_reads_the_key_index_alone(store):
    plan = " ".join(
        str(r[-1])
        for r in store.conn.execute(
            "EXPLAIN QUERY PLAN " + keys_q._KEY_RANGE, ["y:z", "y:z\U0010ffff", 50]
        )
    )
    assert "COVERING INDEX person_keys_key" in plan
