"""A district's first register is read here and written by a second process as it
is read (clinic.core.imports.first_load): the records are those an ordinary import
makes, whatever the batch size and however the rows of a household lie in the file;
a bad row, an error or a child that dies leaves nothing written and the database
free for the next writer."""

from __future__ import annotations

import sqlite3

import pytest

from clinic.core.errors import ImportFileError, InputError
from clinic.core.imports import first_load, import_register
from clinic.store import bulk, open_store


def records(store) -> list:
    """Every imported record by what it holds, not by its ids (a first load numbers
    persons in file order, an ordinary import household by household)."""
    person = (
        "SELECT p.id, v.name AS village, h.number, h.head_name, h.group_no AS h_group, "
        "h.category, p.name, p.relation, p.sex, p.birth_date, p.id_number, p.phone, "
        "p.group_no, p.other_conditions, p.family_doctor FROM persons p "
        "JOIN households h ON h.id = p.household_id JOIN villages v ON v.id = p.village_id"
    )
    persons = {r.pop("id"): tuple(r.values()) for r in store.query(person)}
    tags = [
        (persons[r["person_id"]], r["tag"], r["detail"])
        for r in store.query("SELECT * FROM person_tags")
    ]
    conditions = [
        (persons[r["person_id"]], r["condition_code"])
        for r in store.query("SELECT * FROM person_conditions")
    ]
    keys = [(persons[r["person_id"]], r["key"]) for r in store.query("SELECT * FROM person_keys")]
    households = store.query(
        "SELECT v.name, h.number, h.head_name, h.group_no, h.category FROM households h "
        "JOIN villages v ON v.id = h.village_id"
    )
    return [
        sorted(persons.values(), key=repr),
        sorted(tags, key=repr),
        sorted(conditions, key=repr),
        sorted(keys, key=repr),
        sorted((tuple(h.values()) for h in households), key=repr),
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_first_load_in_any_batch_size_makes_the_records_of_an_ordinary_import(
    tmp_path, monkeypatch, seed, write_csv, messy_rows, today
):
    """messy_rows scatters the rows of a household over the file: with small batches
    a household's later rows join it after it was written (its head may change)."""
    outcomes = []
    for size in (1, 3, 1000, "ordinary"):
        folder = tmp_path / str(size)
        folder.mkdir()
        with monkeypatch.context() as patch:
            if size == "ordinary":
                patch.setattr(bulk, "is_empty", lambda store, table: False)
            else:
                patch.setattr(first_load, "BATCH_ROWS", size)
            with open_store(folder / "t.db") as store:
                path = write_csv(folder / "r.csv", messy_rows(seed, n=150))
                result = import_register(store, path, skip_bad=True, today=today)
                audit = store.query("SELECT action, detail, rows FROM audit_log")
                outcomes.append(
                    (
                        result.households,
                        result.persons,
                        result.villages_created,
                        records(store),
                        audit,
                    )
                )
    assert outcomes[0] == outcomes[1] == outcomes[2] == outcomes[3]
    assert outcomes[0][1]["updated"]  # rows of the file matched each other
    written = [a["rows"] for a in outcomes[0][4] if a["action"] == "import_register"]
    assert written == [sum(outcomes[0][1].values())]  # the audit line counts every row


def _with_another_place(store, planned=first_load.load_state):
    """The plan's state, but with townships and villages as they no longer are."""
    *ids, _digest, fresh = planned(store)
    return (*ids, "a village renamed meanwhile", fresh)


def test_places_changed_between_the_plan_and_the_lock_give_a_fresh_import_in_one_process(
    tmp_path, monkeypatch, write_csv, messy_rows, today
):
    """Another desk (or a merge of laptops) changed a village after the import planned
    its ids: the child writes nothing and the import loads the still empty database
    in this process, its indexes built after the rows as the child would."""
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    outcomes = []
    for stale in (False, True):
        folder = tmp_path / str(stale)
        folder.mkdir()
        with monkeypatch.context() as patch, open_store(folder / "t.db") as store:
            if stale:
                patch.setattr(first_load, "load_state", _with_another_place)
            before = store.query(schema)
            path = write_csv(folder / "r.csv", messy_rows(7, n=80))
            result = import_register(store, path, skip_bad=True, today=today)
            assert store.query(schema) == before
            audit = store.query("SELECT action, detail, rows FROM audit_log")
            outcomes.append(
                (result.households, result.persons, result.villages_created, records(store), audit)
            )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2] == 2


def test_a_household_whose_head_comes_later_in_the_file_is_written_with_that_head(
    store, tmp_path, monkeypatch, today, register_header, write_csv, valid_id
):
    monkeypatch.setattr(first_load, "BATCH_ROWS", 1)
    rows = [
        register_header,
        "T1,李四,之妻,女,,1958-01-01,,中峰镇,龙山村,3组,,,,",
        "T2,王五,户主,男,,1960-01-01,,中峰镇,龙山村,2组,,,,",
        f"T1,张三,户主,男,{valid_id('500110', '19560312', 11)},1956-03-12,,中峰镇,龙山村,3组,,,,",
        "T1,李四,之妻,女,,1958-01-01,,中峰镇,龙山村,3组,,,,",
    ]
    result = import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert result.households == {"created": 2, "updated": 0, "unchanged": 0}
    assert result.persons == {"created": 3, "updated": 0, "unchanged": 1}
    head = store.scalar("SELECT head_name FROM households WHERE number = 'T1'")
    assert head == "张三"


def test_a_bad_row_leaves_nothing_written_and_the_database_free(
    store, tmp_path, monkeypatch, today, good_rows, write_csv
):
    """Without --skip-bad the child has written rows before the bad one is read:
    they roll back, and the next writer does not wait for a lock."""
    monkeypatch.setattr(first_load, "BATCH_ROWS", 1)
    rows = good_rows()
    rows[3] = rows[3].replace("19400505", "29400505")
    with pytest.raises(ImportFileError) as refused:
        import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert {p.line for p in refused.value.problems} == {4}
    assert store.scalar("SELECT count(*) FROM persons") == 0
    assert store.scalar("SELECT count(*) FROM villages") == 0
    other = sqlite3.connect(store.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # no "database is locked": the child is gone
    other.rollback()
    other.close()


def test_a_bad_row_is_told_by_its_line_even_when_the_child_has_died(
    store, tmp_path, monkeypatch, today, good_rows, write_csv
):
    """The child's end (here: it never ran) does not hide the file's own problem."""
    monkeypatch.setattr(first_load, "_CHILD", "clinic.core.children")
    rows = good_rows()
    rows[2] = rows[2].replace("1958/1/1", "2958/1/1")
    with pytest.raises(ImportFileError) as refused:
        import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert {p.line for p in refused.value.problems} == {3}


def test_a_child_that_ends_without_an_answer_is_told_in_words(
    store, tmp_path, monkeypatch, today, good_rows, write_csv
):
    """Killed, or out of memory: a child module that answers nothing stands in."""
    monkeypatch.setattr(first_load, "_CHILD", "clinic.core.children")
    with pytest.raises(InputError, match="stopped before it could say how it went"):
        import_register(store, write_csv(tmp_path / "r.csv", good_rows()), today=today)
    assert store.scalar("SELECT count(*) FROM persons") == 0


def test_a_first_load_reports_its_progress_towards_the_file_length(
    store, tmp_path, monkeypatch, today, messy_rows, write_csv
):
    monkeypatch.setattr(first_load, "BATCH_ROWS", 10)
    seen = []
    path = write_csv(tmp_path / "r.csv", messy_rows(3, n=95))
    result = import_register(
        store, path, skip_bad=True, today=today, progress=lambda d, t: seen.append((d, t))
    )
    good = sum(result.persons.values())
    assert seen[-1] == (good, 95)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert all(t == 95 for _d, t in seen)


def test_a_first_load_into_a_database_with_villages_uses_them(
    store, tmp_path, today, good_rows, write_csv
):
    from clinic.store import places as places_q

    with store.transaction():
        kept = places_q.village_id(store, "中峰镇", "龙山村")
        places_q.village_id(store, "中峰镇", "高庙村")
    result = import_register(store, write_csv(tmp_path / "r.csv", good_rows()), today=today)
    assert result.villages_created == 0
    assert {r["village_id"] for r in store.query("SELECT village_id FROM persons")} == {kept}
