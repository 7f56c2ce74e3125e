"""Register import: the sample file, idempotence, updates, every kind of bad file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core.errors import ImportFileError
from clinic.core.imports import import_register


def snapshot(store) -> dict:
    tables = (
        "townships",
        "villages",
        "households",
        "persons",
        "person_tags",
        "person_conditions",
        "person_keys",
    )
    return {t: store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}


@pytest.fixture
def invoke(add_coordinator):
    """``invoke(db, *args)``: ``clinic import register`` into ``db``, signed in as
    the test coordinator (added to the database first)."""

    def run(db: Path, *args: str):
        add_coordinator(db)
        return CliRunner().invoke(cli, ["--db", str(db), "import", "register", *args])

    return run


def test_sample_register_imports_cleanly_and_twice_changes_nothing(store, samples, today):
    path = samples / "register_longshan_gbk.csv"
    first = import_register(store, path, today=today)
    assert first.rejected == 0 and first.persons["created"] == 180
    assert first.households["created"] == 60
    assert (
        store.scalar(
            "SELECT count(*) FROM villages v JOIN townships t ON t.id = v.township_id "
            "WHERE v.name = '龙山村' AND t.name = '中峰镇'"
        )
        == 1
    )
    before = snapshot(store)
    second = import_register(store, path, today=today)
    assert second.persons == {"created": 0, "updated": 0, "unchanged": 180}
    assert second.households == {"created": 0, "updated": 0, "unchanged": 60}
    assert snapshot(store) == before


def test_rows_become_households_with_categories_tags_conditions(
    store, tmp_path, today, write_csv, good_rows
):
    import_register(store, write_csv(tmp_path / "r.csv", good_rows()), today=today)
    households = store.query(
        "SELECT number, head_name, category, group_no FROM households ORDER BY number"
    )
    assert households == [
        {"number": "T0001", "head_name": "张三", "category": "lifted", "group_no": 3},
        {"number": "T0002", "head_name": "曾五", "category": "dibao", "group_no": 5},
    ]
    li = store.one("SELECT * FROM persons WHERE name = '李四'")
    assert li["birth_date"] == "1958-01-01" and li["sex"] == "F"
    zeng = store.one("SELECT * FROM persons WHERE name = '曾五'")
    assert zeng["phone"] == "02348123456"
    tags = {
        (r["name"], r["tag"])
        for r in store.query(
            "SELECT p.name, t.tag FROM person_tags t JOIN persons p ON p.id = t.person_id"
        )
    }
    assert tags == {("张三", "disabled"), ("李四", "left_behind_elderly")}
    conds = {
        r["condition_code"] for r in store.query("SELECT condition_code FROM person_conditions")
    }
    assert conds == {"hypertension", "diabetes", "copd"}


def test_updated_file_updates(store, tmp_path, today, good_rows, write_csv):
    rows = good_rows()
    import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    rows[1] = rows[1].replace("13812345678", "13900001111").replace("脱贫户", "监测对象")
    rows[2] = rows[2].replace("脱贫", "").replace("建档立卡贫困户", "监测对象")
    result = import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert result.persons["updated"] == 1 and result.households["updated"] == 1
    assert store.scalar("SELECT phone FROM persons WHERE name = '张三'") == "13900001111"
    assert store.scalar("SELECT category FROM households WHERE number = 'T0001'") == "monitored"
    assert store.scalar("SELECT count(*) FROM persons") == 3


def test_fifteen_digit_number_is_converted_and_kept(
    store, tmp_path, today, register_header, write_csv
):
    rows = [
        register_header,
        "T9,王老,户主,男,500222400505331,1940-05-05,,中峰镇,龙山村,1组,一般农户,,,王老",
    ]
    import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    person = store.one("SELECT id_number, id_number_old FROM persons")
    assert person["id_number_old"] == "500222400505331"
    assert len(person["id_number"]) == 18 and person["id_number"].startswith("50022219400505331")


BAD_CASES = {
    "wrong check character": (
        lambda id_: id_[:-1] + ("0" if id_[-1] != "0" else "1"),
        "身份证号",
        2,
    ),
    "excel damaged": (lambda id_: "5.00110195603E+17", "身份证号", 2),
    "impossible birth date": (lambda id_: id_[:6] + "19561332" + id_[14:], "身份证号", 2),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_id_numbers_reject_the_file(tmp_path, invoke, case, good_rows, write_csv):
    change, column, line = BAD_CASES[case]
    rows = good_rows()
    cells = rows[1].split(",")
    cells[4] = change(cells[4])
    rows[1] = ",".join(cells)
    db = tmp_path / "x.db"
    result = invoke(db, str(write_csv(tmp_path / "bad.csv", rows)))
    assert result.exit_code == 1
    assert f"bad.csv, line {line}, column {column}" in result.output
    assert "Traceback" not in result.output
    status = CliRunner().invoke(cli, ["--db", str(db), "status", "--json"])
    assert json.loads(status.output)["counts"]["persons"] == 0


def test_bad_rows_list_every_problem_and_write_nothing(
    store, tmp_path, today, good_rows, write_csv, valid_id
):
    rows = good_rows()
    rows.append("T0003,,户主,男,,1950-01-01,12345,中峰镇,龙山村,3组,富裕户,,,")
    rows.append(
        f"T0004,赵六,户主,女,{valid_id('500110', '19600101', 11)},1960-01-01,,中峰镇,龙山村,3组,一般农户,,,赵六"
    )
    with pytest.raises(ImportFileError) as err:
        import_register(store, write_csv(tmp_path / "bad.csv", rows), today=today)
    problems = {(p.line, p.column) for p in err.value.problems}
    assert (5, "姓名") in problems and (5, "联系电话") in problems and (5, "户类别") in problems
    assert (6, "身份证号") in problems  # odd sequence = male, but the row says female
    assert store.scalar("SELECT count(*) FROM persons") == 0


def test_messages_in_chinese(tmp_path, invoke, good_rows, write_csv):
    rows = good_rows()
    rows.append("T0003,,户主,男,,1950-01-01,,中峰镇,龙山村,3组,一般农户,,,")
    result = invoke(tmp_path / "x.db", str(write_csv(tmp_path / "坏.csv", rows)))
    result = CliRunner().invoke(
        cli,
        [
            "--lang",
            "zh",
            "--db",
            str(tmp_path / "x.db"),
            "import",
            "register",
            str(tmp_path / "坏.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "坏.csv 第 5 行，“姓名”列：姓名为空。" in result.output


def test_skip_bad_imports_good_rows_and_writes_rejected_csv(
    store, tmp_path, today, good_rows, write_csv
):
    rows = good_rows()
    rows.append("T0003,,户主,男,,1950-01-01,,中峰镇,龙山村,3组,一般农户,,,")
    path = write_csv(tmp_path / "mixed.csv", rows)
    result = import_register(store, path, skip_bad=True, today=today)
    assert result.persons["created"] == 3 and result.rejected == 1
    assert result.rejected_file == tmp_path / "mixed.rejected.csv"
    with result.rejected_file.open(encoding="utf-8-sig", newline="") as fh:
        rejected = list(csv.reader(fh))
    assert rejected[0][0] == "line" and rejected[0][-1] == "reason"
    assert rejected[1][0] == "5" and "name is empty" in rejected[1][-1]


def test_dry_run_writes_nothing(store, tmp_path, today, write_csv, good_rows):
    result = import_register(
        store, write_csv(tmp_path / "r.csv", good_rows()), dry_run=True, today=today
    )
    assert result.persons["created"] == 3 and result.dry_run
    assert store.scalar("SELECT count(*) FROM persons") == 0
    assert store.scalar("SELECT count(*) FROM townships") == 0


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\xff\xfe" * 50, "Cannot read the text"),
        ("姓名,出生日期\r\n张三,1950-01-01\r\n".encode(), "township"),
        ('户编号,姓名,乡镇,村\r\nT1,"张三,中峰镇,龙山村\r\n'.encode(), "line"),
    ],
    ids=["empty", "binary", "no-township", "unclosed-quote"],
)
def test_malformed_files_are_refused_clearly(tmp_path, invoke, content, expected):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    result = invoke(tmp_path / "x.db", str(path))
    assert result.exit_code == 1, result.output
    assert "odd.csv" in result.output and expected in result.output
    assert "Traceback" not in result.output


def test_english_headers_and_variants(store, tmp_path, today, write_csv, valid_id):
    rows = [
        "Household No,Name,Relation,Sex,ID number,Date of birth,Mobile,Town,Village,Group,Category,Tags,Conditions,Head",
        f"E1,王五,户主,M,{valid_id('500110', '19700101', 11)},25569,,中峰镇,龙山村,2,一般户,,,王五",
    ]
    result = import_register(store, write_csv(tmp_path / "en.csv", rows), today=today)
    assert result.persons["created"] == 1
    # 25569 is the Excel serial number of 1970-01-01
    assert store.scalar("SELECT birth_date FROM persons") == "1970-01-01"


def test_unknown_columns_are_named(store, tmp_path, today, register_header, write_csv, good_rows):
    rows = [register_header + ",备注一", good_rows()[1] + ",x"]
    result = import_register(store, write_csv(tmp_path / "r.csv", rows), today=today)
    assert result.ignored_columns == ["备注一"]


def test_xlsx_register_keeps_id_numbers(store, tmp_path, today, good_rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in good_rows():
        sheet.append(line.split(","))
    sheet.append(
        [
            "T0009",
            "钱七",
            "户主",
            "男",
            5.00110195603e17,
            "1956-03-12",
            None,
            "中峰镇",
            "龙山村",
            "3组",
            "一般农户",
            None,
            None,
            "钱七",
        ]
    )
    path = tmp_path / "r.xlsx"
    book.save(path)
    with pytest.raises(ImportFileError) as err:
        import_register(store, path, today=today)
    assert [(p.line, p.column) for p in err.value.problems] == [(5, "身份证号")]
    assert "Excel" in err.value.problems[0].message
    result = import_register(store, path, skip_bad=True, today=today)
    assert result.persons["created"] == 3


def test_gbk_and_plain_utf8_files(store, tmp_path, today, write_csv, good_rows):
    import_register(store, write_csv(tmp_path / "g.csv", good_rows(), encoding="gbk"), today=today)
    result = import_register(
        store, write_csv(tmp_path / "u.csv", good_rows(), encoding="utf-8"), today=today
    )
    assert result.persons["unchanged"] == 3


def test_township_and_village_options(store, tmp_path, today, write_csv):
    rows = ["户编号,姓名,户主姓名", "A1,张三,张三", "A1,李四,张三"]
    result = import_register(
        store, write_csv(tmp_path / "v.csv", rows), township="郭扶镇", village="高庙村", today=today
    )
    assert result.households["created"] == 1 and result.persons["created"] == 2


def test_cli_progress_and_summary(tmp_path, invoke, samples):
    result = invoke(tmp_path / "x.db", str(samples / "register_longshan_gbk.csv"))
    assert result.exit_code == 0, result.output
    assert "180 rows" in result.output and "180 new" in result.output


def test_a_merged_walk_in_twins_number_lands_on_the_kept_person(
    store, tmp_path, today, write_csv, good_rows, add_person, valid_id
):
    """A person on the register without an ID number was typed again at the desk as a
    walk-in with their number, and the two were merged (the register's person kept; the
    number stays the twin's, one person's on the register). A later register that brings
    the number lands on the person kept: nothing changes, no person is made."""
    from clinic.core import merges

    number = valid_id("500222", "19700202", 45)
    wang = "T0002,王五,之子,男,{number},1970-02-02,,中峰镇,龙山村,第五村民小组,低保户,,,曾五"
    first = write_csv(tmp_path / "v1.csv", [*good_rows(), wang.format(number="")])
    import_register(store, first, today=today)
    kept = store.scalar("SELECT id FROM persons WHERE name = '王五'")
    twin = add_person(store, "王五", id_number=number)
    merges.merge(store, kept, twin, actor="tester")
    before = snapshot(store)
    again = import_register(store, first, today=today)
    assert again.persons == {"created": 0, "updated": 0, "unchanged": 4}
    second = write_csv(tmp_path / "v2.csv", [*good_rows(), wang.format(number=number)])
    result = import_register(store, second, today=today)
    assert result.persons == {"created": 0, "updated": 0, "unchanged": 4}
    assert snapshot(store) == before


def test_a_duplicate_row_of_the_register_merged_away_changes_nothing_again(
    store, tmp_path, today, write_csv, good_rows
):
    """The register lists one person twice (a birth date mistyped, no number); merged,
    the duplicate's row of the same register, or of one with a phone added to it, lands
    on the person kept and changes nothing: the duplicate stays hidden as merged."""
    from clinic.core import merges

    twice = "T0001,李四,之妻,女,,1958-01-10,{phone},中峰镇,龙山村,三组,建档立卡贫困户,,,张三"
    first = write_csv(tmp_path / "v1.csv", [*good_rows(), twice.format(phone="")])
    import_register(store, first, today=today)
    kept, twin = [
        r[0] for r in store.conn.execute("SELECT id FROM persons WHERE name = '李四' ORDER BY id")
    ]
    merges.merge(store, kept, twin, actor="tester")
    before = snapshot(store)
    second = write_csv(tmp_path / "v2.csv", [*good_rows(), twice.format(phone="13912345678")])
    for path in (first, second):
        result = import_register(store, path, today=today)
        assert result.persons == {"created": 0, "updated": 0, "unchanged": 4}
        assert snapshot(store) == before
