"""Flags as words (not codes) in CSV and Excel, codes in JSON; the Excel sheet
named after the dataset; a file name whose extension is no format is an error."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from clinic.core.errors import FieldError
from clinic.core.exports import export_dataset
from clinic.core.tabular import format_from_name, sheet_name, write_table
from clinic.i18n import set_language

CODES = {"bp_raised", "bp_urgent", "glucose_high", "glucose_low", "glucose_diabetes"}


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def _cells(path, fmt, column):
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        rows = [
            ["" if v is None else v for v in r]
            for r in openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True)
        ]
    i = rows[0].index(column)
    return [r[i] for r in rows[1:] if len(r) > i and r[i]]


def _words(cells):
    return {w for c in cells for w in c.split(";")}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["visits", "follow-ups"])
def test_flags_are_words_in_english(year_store, tmp_path, name, fmt, today):
    path = tmp_path / f"{name}.{fmt}"
    export_dataset(year_store, name, path, fmt=fmt, today=today)
    words = _words(_cells(path, fmt, "Flags"))
    assert words and not words & CODES
    assert words <= {"BP high", "BP URGENT", "glucose URGENT", "glucose LOW", "glucose high"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", ["visits", "follow-ups"])
def test_flags_are_words_in_chinese(year_store, tmp_path, name, fmt, zh, today):
    path = tmp_path / f"{name}.{fmt}"
    export_dataset(year_store, name, path, fmt=fmt, today=today)
    assert _flag_header() != "Flags"  # the header is Chinese too
    words = _words(_cells(path, fmt, _flag_header()))
    assert words and not words & CODES
    assert "血压高" in words and all(not w.isascii() for w in words)


def _flag_header():
    from clinic.i18n import _

    return _("Flags")


def test_json_keeps_flag_codes(year_store, tmp_path, today):
    path = tmp_path / "visits.json"
    export_dataset(year_store, "visits", path, fmt="json", today=today)
    flags = {
        f
        for item in json.loads(path.read_text(encoding="utf-8"))
        for f in item["flags"].split(";")
        if f
    }
    assert flags and flags <= CODES


@pytest.mark.parametrize(
    "lang,name,title",
    [
        ("en", "visits", "Visits"),
        ("en", "volunteer-hours", "Volunteer hours"),
        ("zh", "visits", "就诊"),
        ("zh", "report", "统计报告"),
    ],
)
def test_sheet_is_named_after_the_dataset(year_store, tmp_path, lang, name, title, today):
    set_language(lang)
    try:
        path = tmp_path / "out.xlsx"
        export_dataset(year_store, name, path, fmt="xlsx", today=today)
    finally:
        set_language("en")
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == [title]


def test_sheet_name_is_one_excel_accepts(tmp_path):
    assert sheet_name("A/B: [c]*?") == "A B   c"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("''") == "Data"
    write_table([(1,)], ["n"], tmp_path / "t.xlsx", fmt="xlsx", sheet_title="Follow-ups: 2025/2026")
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["Follow-ups  2025 2026"]


def test_format_from_name():
    assert format_from_name("a.csv") == "csv" and format_from_name("a.XLSX") == "xlsx"
    assert format_from_name("a.json") == "json" and format_from_name("a") == "csv"
    for name in ("x.pdf", "x.xls", "x.txt"):
        with pytest.raises(FieldError):
            format_from_name(name)


def test_cli_refuses_an_unknown_extension(year_store, tmp_path, clinic_cli):
    out = tmp_path / "x.pdf"
    result = clinic_cli(year_store.path, "export", "visits", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "x.pdf" in result.output and all(f in result.output for f in ("csv", "xlsx", "json"))
    assert "Traceback" not in result.output and not out.exists()
    assert not list(tmp_path.iterdir())
    # --format says what the file is, whatever its name.
    result = clinic_cli(year_store.path, "export", "coverage", "-o", str(out), "--format", "csv")
    assert result.exit_code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    # No extension at all: CSV, as documented.
    result = clinic_cli(year_store.path, "export", "coverage", "-o", str(tmp_path / "coverage"))
    assert result.exit_code == 0 and (tmp_path / "coverage").read_bytes().startswith(
        b"\xef\xbb\xbf"
    )
