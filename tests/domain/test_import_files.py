"""Import files: xlsx formulas (saved values used, none saved refused), UTF-16
text from Excel, and the rejected-rows file (atomic, private, masked, audited)."""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from clinic.cli.main import cli
from clinic.core.errors import ImportFileError
from clinic.core.imports import import_register
from clinic.core.planning.volunteer_import import import_volunteers

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def formula_book(good_rows):
    """``formula_book(path, id_number)``: a register whose 张三 row holds formulas, as a
    program other than Excel writes them: an ID number built by a formula (E2), a group
    number computed (J2) and tags computed to nothing (L2), none with a saved value."""

    def make(path: Path, id_number: str) -> Path:
        book = Workbook()
        sheet = book.active
        for line in good_rows():
            sheet.append(line.split(","))
        sheet["E2"] = f'="{id_number[:6]}"&"{id_number[6:]}"'
        sheet["J2"] = "=1+2"
        sheet["L2"] = '=IF(1>2,"残疾人","")'
        book.save(path)
        return path

    return make


def save_values(path: Path, values: dict[str, tuple[str, str | None]]) -> None:
    """Write the saved value of formula cells into the sheet XML, as Excel
    does when it saves: ``cell -> (value, type)``; type "str" for text."""
    with zipfile.ZipFile(path) as src:
        files = {name: src.read(name) for name in src.namelist()}
    xml = files[SHEET].decode()
    for cell, (value, kind) in values.items():
        pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/>')
        attrs = f' t="{kind}"' if kind else ""
        xml, n = pattern.subn(rf'<c r="{cell}"\1{attrs}><f>\2</f><v>{value}</v>', xml)
        assert n == 1, cell
    files[SHEET] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)


@pytest.fixture
def zhang_id(good_rows) -> str:
    """张三's ID number in the good rows."""
    return good_rows()[1].split(",")[4]


def test_xlsx_formulas_with_saved_values_are_imported(
    store, tmp_path, today, formula_book, zhang_id
):
    path = formula_book(tmp_path / "register.xlsx", zhang_id)
    save_values(path, {"E2": (zhang_id, "str"), "J2": ("3", None), "L2": ("", "str")})
    result = import_register(store, path, today=today)
    assert result.persons["created"] == 3 and result.rejected == 0
    zhang = store.one("SELECT id_number, group_no, id FROM persons WHERE name = '张三'")
    assert zhang["id_number"] == zhang_id and zhang["group_no"] == 3
    assert store.query("SELECT tag FROM person_tags WHERE person_id = ?", [zhang["id"]]) == []


def test_xlsx_formula_without_a_saved_value_is_refused_naming_the_cell(
    store, tmp_path, today, formula_book, zhang_id
):
    path = formula_book(tmp_path / "register.xlsx", zhang_id)
    save_values(path, {"E2": (zhang_id, "str")})  # J2 and L2 keep no value
    with pytest.raises(ImportFileError) as err:
        import_register(store, path, today=today, skip_bad=True)
    message = err.value.message
    assert (
        "register.xlsx, sheet 1, cell J2: a formula with no saved value; "
        "open and save the file in Excel/WPS first." in message
    )
    assert "cell L2" in message and "cell E2" not in message
    assert store.scalar("SELECT count(*) FROM persons") == 0


def test_xlsx_formula_refusal_in_chinese_on_the_command_line(
    tmp_path, formula_book, zhang_id, add_coordinator
):
    path = formula_book(tmp_path / "花名册.xlsx", zhang_id)
    add_coordinator(tmp_path / "x.db")
    result = CliRunner().invoke(
        cli, ["--lang", "zh", "--db", str(tmp_path / "x.db"), "import", "register", str(path)]
    )
    assert result.exit_code == 1
    assert "花名册.xlsx 第 1 个工作表 E2 单元格：公式没有保存的计算结果" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_unicode_text_from_excel_is_read(store, tmp_path, encoding, today, good_rows):
    lines = [line.replace(",", "\t") for line in good_rows()]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no BOM for an explicit byte order
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    result = import_register(store, path, today=today)
    assert result.persons["created"] == 3 and result.rejected == 0
    assert store.scalar("SELECT phone FROM persons WHERE name = '张三'") == "13812345678"


def test_utf16_with_a_bad_line_names_the_line(store, tmp_path, today, good_rows):
    lines = [line.replace(",", "\t") for line in good_rows()]
    lines.append(lines[1].replace("张三", ""))
    path = tmp_path / "unicode.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    with pytest.raises(ImportFileError) as err:
        import_register(store, path, today=today)
    assert [(p.line, p.column) for p in err.value.problems][0] == (5, "姓名")


@pytest.fixture
def bad_row_file(tmp_path: Path, good_rows, valid_id, write_csv) -> tuple[Path, str, str]:
    """good rows plus one without a name, holding an ID number and a phone:
    ``(path, id_number, phone)``."""
    number = valid_id("500110", "19620202", 13)
    rows = good_rows()
    rows.append(f"T0003,,户主,男,{number},1962-02-02,13711112222,中峰镇,龙山村,3组,一般农户,,,")
    return write_csv(tmp_path / "mixed.csv", rows), number, "13711112222"


def read_rejected(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def test_rejected_rows_file_is_private_masked_and_audited(store, tmp_path, today, bad_row_file):
    path, number, phone = bad_row_file
    old = tmp_path / "mixed.rejected.csv"
    old.write_text("left from an earlier import")
    old.chmod(0o644)
    result = import_register(store, path, skip_bad=True, today=today, actor="王协调")
    assert result.rejected_file == old
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    text = read_rejected(old)
    assert number not in text and phone not in text
    assert "5001**********" + number[-4:] in text and "137****2222" in text
    assert "name is empty" in text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # no temporary left
    audit = store.one("SELECT * FROM audit_log WHERE action LIKE 'export%'")
    assert audit["actor"] == "王协调" and audit["action"] == "export" and audit["rows"] == 1
    detail = json.loads(audit["detail"])
    assert detail["file"] == "mixed.rejected.csv" and detail["unmasked"] is False
    assert number[-4:] not in audit["detail"] and phone[-4:] not in audit["detail"]


def test_rejected_rows_unmasked_when_the_coordinator_asks(tmp_path, bad_row_file, add_coordinator):
    path, number, phone = bad_row_file
    db = add_coordinator(tmp_path / "x.db")
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(db),
            "import",
            "register",
            str(path),
            "--skip-bad",
            "--unmasked",
        ],
    )
    assert result.exit_code == 0, result.output
    rejected = tmp_path / "mixed.rejected.csv"
    text = read_rejected(rejected)
    assert number in text and phone in text
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o600
    from clinic.store import open_store

    with open_store(db) as store:
        actions = [r["action"] for r in store.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["import_register", "export_unmasked"]


def test_dry_run_writes_no_rejected_file(store, tmp_path, today, bad_row_file):
    path, _number, _phone = bad_row_file
    result = import_register(store, path, skip_bad=True, dry_run=True, today=today)
    assert result.rejected == 1 and result.rejected_file is None
    assert not (tmp_path / "mixed.rejected.csv").exists()


def test_volunteer_rejected_rows_mask_phones(store, tmp_path, write_csv):
    path = write_csv(
        tmp_path / "v.csv",
        ["姓名,手机号,所属组织,专业", "甲,13800001111,民盟,全科", "乙,13800002222,某某协会,全科"],
    )
    result = import_volunteers(store, path, skip_bad=True)
    text = read_rejected(result.rejected_file)
    assert "13800002222" not in text and "138****2222" in text and "某某协会" in text
    assert stat.S_IMODE(result.rejected_file.stat().st_mode) == 0o600
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'export'") == 1


def test_damaged_utf16_is_refused_clearly(tmp_path, add_coordinator):
    path = tmp_path / "odd.txt"
    add_coordinator(tmp_path / "x.db")
    path.write_bytes("姓名\t乡镇\t村\r\n张三\t中峰镇\t龙山村\r\n".encode("utf-16") + b"\x00")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "import", "register", str(path)]
    )
    assert result.exit_code == 1
    assert "odd.txt" in result.output and "Cannot read the text" in result.output
    assert "Traceback" not in result.output
