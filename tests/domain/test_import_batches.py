"""The register import writes a batch of households at a time: whatever the
batch size, the records are the ones the per-row rules give (rows of one file
match each other, a person found by ID number moves household, a second
import changes nothing); and the fast paths of the row checks agree with the
full parsers."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core import dates, idnumbers, phones
from clinic.core.errors import InputError
from clinic.core.imports import import_register, register_fields
from clinic.core.imports import register as reg
from clinic.core.search import search_keys
from clinic.store import persons as persons_q
from clinic.store.connection import new_uid, new_uids


def snapshot(store) -> dict:
    """Every imported record without its random uid and timestamps."""
    return {
        "households": store.query(
            "SELECT id, village_id, number, head_name, group_no, category FROM households ORDER BY id"
        ),
        "persons": store.query(
            "SELECT id, household_id, village_id, name, relation, sex, birth_date, id_number, "
            "phone, group_no, other_conditions, family_doctor FROM persons ORDER BY id"
        ),
        "tags": store.query("SELECT * FROM person_tags ORDER BY 1, 2"),
        "conditions": store.query("SELECT * FROM person_conditions ORDER BY 1, 2"),
        "keys": store.query("SELECT * FROM person_keys ORDER BY 1, 2"),
    }


@pytest.fixture
def import_files(write_csv, messy_rows, today):
    """``import_files(store, folder, seed)``: three messy files imported in turn; what each did."""

    def import_(store, tmp_path, seed: int) -> list:
        results = []
        for k in range(3):
            path = write_csv(tmp_path / f"r{k}.csv", messy_rows(seed * 10 + k))
            results.append(import_register(store, path, skip_bad=True, today=today))
        return [(r.households, r.persons, r.rejected) for r in results]

    return import_


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_batch_size_gives_the_same_records(tmp_path, monkeypatch, seed, import_files):
    from clinic.store import open_store

    outcomes = []
    for size in (1, 3, 1000):
        monkeypatch.setattr(reg, "BATCH_ROWS", size)
        folder = tmp_path / str(size)
        folder.mkdir()
        with open_store(folder / "t.db") as store:
            outcomes.append((import_files(store, folder, seed), snapshot(store)))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    counts = outcomes[0][0]
    assert any(persons["updated"] for _h, persons, _r in counts)  # rows really matched


@pytest.mark.parametrize("seed", [1, 2])
def test_imported_search_keys_are_the_ones_sync_derives(store, tmp_path, seed, import_files):
    """The keys an import writes (cached per name, queued in key order) are each person's
    search_keys, the ones sync's clinic.core.sync.derived rebuild gives a person."""
    import_files(store, tmp_path, seed)
    stored: dict[int, set[str]] = {}
    for row in store.query("SELECT key, person_id FROM person_keys"):
        stored.setdefault(row["person_id"], set()).add(row["key"])
    persons = store.query("SELECT id, name, id_number, phone FROM persons")
    assert persons and any(p["id_number"] for p in persons) and any(p["phone"] for p in persons)
    assert stored == {p["id"]: search_keys(p["name"], p["id_number"], p["phone"]) for p in persons}


@pytest.mark.parametrize("size", [1, 1000])
def test_rows_of_one_file_match_each_other(
    store, tmp_path, monkeypatch, size, today, valid_id, register_header, write_csv
):
    monkeypatch.setattr(reg, "BATCH_ROWS", size)
    number = valid_id("500110", "19500101", 11)
    rows = [
        register_header,
        "T1,张三,户主,男,,1950-01-01,,中峰镇,龙山村,1组,,,,张三",
        f"T1,张三,户主,男,{number},1950-01-01,13812345678,中峰镇,龙山村,1组,,,,张三",
    ]
    result = import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert result.persons == {"created": 1, "updated": 1, "unchanged": 0}
    person = store.one("SELECT id, id_number, phone FROM persons")
    assert person["id_number"] == number and person["phone"] == "13812345678"
    keys = {r["key"] for r in store.query("SELECT key FROM person_keys")}
    assert "i:" + number[::-1] in keys and "p:" + "13812345678"[::-1] in keys


def test_a_person_found_by_id_number_moves_household(
    store, tmp_path, today, valid_id, register_header, write_csv
):
    number = valid_id("500110", "19500101", 11)
    first = [register_header, f"T1,张三,户主,男,{number},1950-01-01,,中峰镇,龙山村,1组,,,,张三"]
    import_register(store, write_csv(tmp_path / "a.csv", first), today=today)
    moved = [
        register_header,
        f"T2,张三,户主,男,{number},1950-01-01,,中峰镇,高庙村,2组,,残疾人,,张三",
    ]
    result = import_register(store, write_csv(tmp_path / "b.csv", moved), today=today)
    assert result.persons == {"created": 0, "updated": 1, "unchanged": 0}
    row = store.one(
        "SELECT h.number, v.name AS village FROM persons p JOIN households h ON h.id = p.household_id "
        "JOIN villages v ON v.id = p.village_id"
    )
    assert row == {"number": "T2", "village": "高庙村"}
    assert store.scalar("SELECT tag FROM person_tags") == "disabled"


def test_a_second_import_changes_nothing(
    store, tmp_path, today, register_header, write_csv, good_rows, valid_id
):
    rows = [line + "," for line in good_rows()]
    rows[0] = register_header + ",残疾证号"
    rows.append(
        f",王六,户主,女,{valid_id('500110', '19700101', 12)},1970-01-01,,中峰镇,高庙村,1组,,残疾人,,王六,50011019700101001201"
    )
    rows.append(",王七,之子,男,,1995-05-05,,中峰镇,高庙村,1组,,,痛风,王六,")
    path = write_csv(tmp_path / "r.csv", rows)
    import_register(store, path, today=today)
    before = snapshot(store)
    changes = store.conn.total_changes
    again = import_register(store, path, today=today)
    assert again.persons == {"created": 0, "updated": 0, "unchanged": 5}
    assert again.households == {"created": 0, "updated": 0, "unchanged": 3}
    assert snapshot(store) == before
    assert store.conn.total_changes - changes == 1  # the audit row of the import, nothing else


@pytest.mark.parametrize("seed", [4, 5])
def test_a_first_import_into_an_empty_database_matches_as_the_rules_say(
    tmp_path, monkeypatch, seed, write_csv, messy_rows, today
):
    """Into an empty database nothing is looked up and the indexes are built
    after the rows: the records are those of the path that looks everything up."""
    from clinic.store import bulk, open_store

    outcomes = []
    for fresh in (True, False):
        if not fresh:
            monkeypatch.setattr(bulk, "is_empty", lambda store, table: False)
        folder = tmp_path / str(fresh)
        folder.mkdir()
        with open_store(folder / "t.db") as store:
            path = write_csv(folder / "r.csv", messy_rows(seed, n=120))
            result = import_register(store, path, skip_bad=True, today=today)
            outcomes.append((result.households, result.persons, snapshot(store)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1]["updated"]  # rows of the file matched each other


def test_a_first_import_leaves_every_index_in_place(store, tmp_path, write_csv, messy_rows, today):
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    before = store.query(schema)
    import_register(store, write_csv(tmp_path / "r.csv", messy_rows(6)), skip_bad=True, today=today)
    assert store.query(schema) == before
    plan = store.query("EXPLAIN QUERY PLAN SELECT id FROM persons WHERE name = '张三'")
    assert "persons_name" in plan[0]["detail"]


def test_a_first_import_checks_references_before_it_commits(
    store, tmp_path, write_csv, messy_rows, today, monkeypatch
):
    """Foreign keys are off while an empty database is loaded: a reference that
    points nowhere still fails the import, and nothing is written."""
    from clinic.core.imports.register_writes import PlannedPlaces

    planned = PlannedPlaces.village_id
    # The villages are written with their ids; the households point a billion past them.
    monkeypatch.setattr(
        PlannedPlaces, "village_id", lambda self, town, vil: planned(self, town, vil) + 10**9
    )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        import_register(
            store, write_csv(tmp_path / "r.csv", messy_rows(6)), skip_bad=True, today=today
        )
    assert store.scalar("SELECT count(*) FROM persons") == 0
    assert store.scalar("SELECT count(*) FROM households") == 0
    assert store.scalar("SELECT count(*) FROM villages") == 0
    assert store.scalar("PRAGMA foreign_keys") == 1


def test_a_first_import_leaves_foreign_keys_on(store, tmp_path, write_csv, messy_rows, today):
    import_register(store, write_csv(tmp_path / "r.csv", messy_rows(6)), skip_bad=True, today=today)
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.query("PRAGMA foreign_key_check") == []


def test_a_database_filled_between_the_look_and_the_lock_gets_an_ordinary_import(
    store, tmp_path, write_csv, messy_rows, today, monkeypatch
):
    """Another desk's persons written after the import saw an empty database (and
    planned its ids on it): the process that writes a first load finds them under
    its lock and writes nothing; the import matches them as any import would
    (here: the same file again changes nothing)."""
    from clinic.core.imports import first_load

    path = write_csv(tmp_path / "r.csv", messy_rows(6))
    first = import_register(store, path, skip_bad=True, today=today)
    records = snapshot(store)
    looks = []
    is_fresh, load_state = reg.is_fresh, first_load.load_state

    def stale_look(store_):
        looks.append(1)
        return len(looks) == 1 or is_fresh(store_)

    def as_if_empty(store_):
        return (*load_state(store_)[:-1], True)

    monkeypatch.setattr(reg, "is_fresh", stale_look)
    monkeypatch.setattr(first_load, "load_state", as_if_empty)
    again = import_register(store, path, skip_bad=True, today=today)
    assert len(looks) >= 2
    assert again.persons["created"] == 0
    assert again.persons["unchanged"] == sum(first.persons.values())
    assert again.villages_created == 0
    assert snapshot(store) == records
    assert store.scalar("PRAGMA foreign_keys") == 1


@pytest.mark.parametrize("before", [None, 9])
def test_dry_run_counts_what_the_import_does(store, tmp_path, today, write_csv, messy_rows, before):
    """Into an empty database (nothing written but villages) and into one that
    holds a register (everything written, then rolled back)."""
    if before is not None:
        import_register(
            store, write_csv(tmp_path / "a.csv", messy_rows(before)), skip_bad=True, today=today
        )
    persons = store.scalar("SELECT count(*) FROM persons")
    path = write_csv(tmp_path / "r.csv", messy_rows(8))
    dry = import_register(store, path, skip_bad=True, dry_run=True, today=today)
    assert store.scalar("SELECT count(*) FROM persons") == persons
    real = import_register(store, path, skip_bad=True, today=today)
    assert dry.persons["updated"]  # rows of the file matched each other
    assert (dry.households, dry.persons, dry.villages_created) == (
        real.households,
        real.persons,
        real.villages_created,
    )


def test_person_tuples_follow_the_store_columns():
    assert persons_q.PERSON_COLUMNS[3:] == register_fields.VALUE_FIELDS


def test_uids_are_random_version_4_uuids():
    import uuid

    uids = {new_uid() for _ in range(1000)}
    assert len(uids) == 1000
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).hex == u for u in uids)


def test_uids_of_a_batch_are_version_4_uuids_in_order():
    import uuid

    uids = new_uids(1000) + new_uids(1000)
    assert len(set(uids)) == 2000
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).hex == u for u in uids)
    assert uids[:1000] == sorted(uids[:1000]) and uids[1000:] == sorted(uids[1000:])


def outcome(func, value):
    try:
        return func(value)
    except InputError as exc:
        return ("error", exc.message)


@given(st.text(alphabet="0123456789Xx", min_size=17, max_size=19))
def test_id_number_fast_path_agrees_with_the_full_check(today, text):
    # A leading space takes the full path (normalise, then check).
    check = lambda value: idnumbers.parse_id(value, today)  # noqa: E731
    assert outcome(check, text) == outcome(check, " " + text)


@given(st.text(alphabet="0123456789", min_size=10, max_size=12))
def test_mobile_fast_path_agrees_with_the_full_parser(text):
    assert outcome(phones.normalise_phone, text) == outcome(phones.normalise_phone, text + " ")


@given(st.dates(), st.sampled_from(["{:%Y-%m-%d}", "{:%Y-%m-%d}x"]))
def test_iso_date_fast_path_agrees_with_the_full_parser(day, pattern):
    text = pattern.format(day)
    assert outcome(dates.parse_date, text) == outcome(dates.parse_date, text + " ")


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_impossible_iso_dates_get_the_full_parsers_message(text):
    assert outcome(dates.parse_date, text) == outcome(dates.parse_date, text + " ")


@given(
    st.from_regex(
        r"[0-9]{4}(-[0-9]{1,2}-[0-9]{1,2}|/[0-9]{1,2}/[0-9]{1,2}|\.[0-9]{1,2}\.[0-9]{1,2}"
        r"|年[0-9]{1,2}月[0-9]{1,2}日?|[0-9]{4}|[-/.][0-9]{1,2}[-/.][0-9]{1,2})",
        fullmatch=True,
    )
)
def test_plain_date_fast_path_agrees_with_the_full_parser(text):
    # A trailing space takes the full path (normalise, strip, then each spelling).
    assert outcome(dates.parse_date, text) == outcome(dates.parse_date, text + " ")


@given(
    st.dates(min_value=dt.date(1000, 1, 1)),
    st.sampled_from(["{:%Y/%-m/%-d}", "{:%Y.%m.%d}", "{:%Y年%-m月%-d日}", "{:%Y%m%d}"]),
)
def test_register_date_spellings_read_the_same_date(day, pattern):
    assert dates.parse_date(pattern.format(day)) == day


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_as_it_was_after_an_import(
    store, tmp_path, today, write_csv, good_rows, enabled
):
    """An import pauses the cycle collector; it runs again afterwards (or stays
    off if the caller had turned it off), also when the file is refused."""
    import gc

    from clinic.core.errors import ImportFileError

    bad = good_rows()
    bad[1] = bad[1].replace("1956-03-12", "2956-03-12")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        import_register(store, write_csv(tmp_path / "good.csv", good_rows()), today=today)
        assert gc.isenabled() == enabled
        with pytest.raises(ImportFileError):
            import_register(store, write_csv(tmp_path / "bad.csv", bad), today=today)
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


# How registers write a birth date (0: the date; sep: "-", "/" or ".").
SPELLINGS = [
    "{:%Y%m%d}",
    "{:%Y-%m-%d}",
    "{0:%Y}{sep}{0.month}{sep}{0.day}",
    "{0:%Y}{sep}{0:%m}{sep}{0:%d}",
    "{0:%Y}年{0.month}月{0.day}日",
    "{0:%Y}年{0:%m}月{0:%d}日",
    "{0:%Y}年{0.month}月{0.day}",
]


@st.composite
def checked_id_numbers(draw):
    """A valid 18-digit ID number (any birth date from 1890 on, either sex)."""
    born = draw(st.dates(dt.date(1890, 1, 1), dt.date(2020, 12, 31)))
    first = (
        f"{draw(st.sampled_from(['500110', '510223']))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    )
    return first + idnumbers.check_character(first)


@given(
    checked_id_numbers(),
    st.one_of(
        st.from_regex(
            r"[0-9]{8}|[0-9]{4}(-|/|\.)[0-9]{1,2}(-|/|\.)[0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日?",
            fullmatch=True,
        ),
        st.text(alphabet="0123456789-/.年月日 ", max_size=12),
    ),
    st.sampled_from([None, *SPELLINGS]),
    st.sampled_from(["-", "/", "."]),
)
def test_birth_date_taken_from_the_id_number_is_what_the_parser_reads(
    today, number, text, spelling, sep
):
    """A birth date cell spelling the ID number's date is taken as the ID number's
    date without parsing (register_checks.id_birth_spelling): only when the parser
    reads that very date; each register spelling of it does; its ISO form is the date's."""
    from clinic.core.imports.register_checks import id_birth_spelling, iso_birth

    idn = idnumbers.parse_id(number, today)
    assert iso_birth(number) == idn.birth_date.isoformat()
    if spelling is not None:  # the ID number's own date, as registers write it
        text = spelling.format(idn.birth_date, sep=sep)
        assert id_birth_spelling(text, number)
    if id_birth_spelling(text, number):
        assert dates.parse_date(text) == idn.birth_date


@given(checked_id_numbers())
def test_id_number_sex_is_the_parity_of_the_sequence_digit(today, number):
    assert idnumbers.parse_id(number, today).sex == ("M" if int(number[16]) % 2 else "F")


@given(st.one_of(st.none(), st.text(max_size=20)), st.one_of(st.none(), st.text(max_size=12)))
def test_number_keys_are_the_reversed_id_number_and_phone(id_number, phone):
    from clinic.core.search import number_keys

    expected = set()
    if id_number:
        expected.add("i:" + id_number.upper()[::-1])
    if phone:
        expected.add("p:" + phone[::-1])
    keys = number_keys(id_number, phone)
    assert set(keys) == expected and len(keys) == len(expected)


@given(
    st.lists(st.lists(st.text(max_size=3), max_size=8), min_size=1, max_size=6),
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 9), max_size=6),
)
def test_cells_picked_in_one_call_are_the_cells_by_column(rows, columns):
    """tables.iter_cells picks a full row's cells with itemgetter; a short row
    (or a single column) cell by cell, missing cells empty: the same records."""
    from pathlib import Path

    from clinic.core.tables import Table, iter_cells

    table = Table(Path("x.csv"), [], rows=[(n + 2, cells) for n, cells in enumerate(rows)])
    got = list(iter_cells(table, columns))
    expected = [
        (n + 2, {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}, cells)
        for n, cells in enumerate(rows)
    ]
    assert got == expected


def test_a_repeated_bad_cell_gets_the_same_message_each_time(store, tmp_path, write_csv, today):
    """The checks remember the parse of a cell (and its error): the second row with
    the same wrong sex, date or group gets the same problem as the first."""
    from clinic.core.errors import ImportFileError

    rows = [
        "户编号,姓名,性别,出生日期,组,乡镇,村",
        "H1,张三,X,1950-13-01,甲组,中峰镇,龙山村",
        "H2,李四,X,1950-13-01,甲组,中峰镇,龙山村",
    ]
    with pytest.raises(ImportFileError) as info:
        import_register(store, write_csv(tmp_path / "bad.csv", rows), today=today)
    by_line = {2: [], 3: []}
    for problem in info.value.problems:
        by_line[problem.line].append((problem.column, problem.message))
    assert by_line[2] == by_line[3] and len(by_line[2]) == 3


@given(
    st.lists(st.lists(st.text(max_size=3), max_size=8), min_size=1, max_size=6),
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 9), max_size=6),
    st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=7, unique=True),
)
def test_fields_read_as_a_tuple_are_the_cells_by_column(rows, columns, fields):
    """tables.iter_fields (a padded row picked in one call, as the register
    import reads its rows) gives each field's cell as iter_cells does, "" for a
    field without a column or a cell the row lacks."""
    from pathlib import Path

    from clinic.core.tables import Table, iter_cells, iter_fields

    def table():
        return Table(Path("x.csv"), [], rows=[(n + 2, cells) for n, cells in enumerate(rows)])

    got = list(iter_fields(table(), columns, tuple(fields)))
    plain = list(iter_cells(table(), columns))
    assert got == [
        (line, tuple(record.get(name, "") for name in fields), cells)
        for line, record, cells in plain
    ]


def test_the_checks_unpack_the_fields_in_register_order():
    """RowChecker._check_row unpacks a row's fields by position: in the order of
    REGISTER_COLUMNS (FIELDS), which FIELD_INDEX follows too."""
    import inspect

    from clinic.core.imports import register_checks

    source = inspect.getsource(register_checks.RowChecker._check_row)
    unpacked = source[source.index("(\n") : source.index(") = raw")]
    names = [w.strip().strip(",") for w in unpacked.split("\n")[1:] if w.strip()]
    as_fields = [n.removesuffix("_text") for n in names]
    aliases = {"number": "household_number", "id": "id_number", "birth": "birth_date"}
    aliases |= {"town": "township", "vil": "village", "head": "head_name"}
    aliases |= {"cert": "disability_cert"}
    assert [aliases.get(n, n) for n in as_fields] == list(register_fields.FIELDS)
    assert all(register_fields.FIELD_INDEX[f] == i for i, f in enumerate(register_fields.FIELDS))
