"""Every dataset in every format opens; masking; neutralising; GB18030; the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from clinic.core.errors import FieldError
from clinic.core.exports import DATASETS, dataset, export_dataset
from clinic.core.reports import ReportFilters
from clinic.i18n import set_language

MASKED_ID = re.compile(r"^\d{4}\*{10}[\dX]{4}$")
MASKED_PHONE = re.compile(r"^\d{3}\*+\d{4}$")


def read_back(path, fmt, encoding="utf-8-sig"):
    """Rows (header first) of a written file, through the standard readers."""
    if fmt == "csv":
        with open(path, encoding=encoding, newline="") as fh:
            return list(csv.reader(fh))
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(path, read_only=True).active
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        width = len(rows[0])
        return [r + [""] * (width - len(r)) for r in rows]  # read-only mode trims empty tails
    data = json.loads(path.read_text(encoding=encoding))
    keys = [c.key for c in dataset(path.stem.split(".")[0]).columns]
    return [keys] + [[item[k] for k in keys] for item in data]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_every_format(year_store, tmp_path, name, fmt, today):
    path = tmp_path / f"{name}.{fmt}"
    result = export_dataset(year_store, name, path, fmt=fmt, actor="tester", today=today)
    rows = read_back(path, fmt)
    ds = dataset(name)
    assert len(rows) == result.rows + 1 and result.rows > 0
    assert len(rows[0]) == len(ds.columns)
    for i, col in enumerate(ds.columns):
        values = [r[i] for r in rows[1:] if r[i] not in ("", None)]
        if col.kind == "id":
            assert values and all(MASKED_ID.match(v) for v in values), (name, col.key)
        if col.kind == "phone":
            assert values and all(MASKED_PHONE.match(v) for v in values), (name, col.key)
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(path).active
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
        for i, col in enumerate(ds.columns):
            if col.kind in ("id", "phone"):
                cell = ws.cell(row=2, column=i + 1)
                assert cell.value is None or (cell.data_type == "s" and cell.number_format == "@")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_names_neutralised(year_store, tmp_path, fmt, today):
    for name in ("visits", "persons", "handouts", "households"):
        path = tmp_path / f"{name}.{fmt}"
        export_dataset(year_store, name, path, fmt=fmt, today=today)
        cells = [c for row in read_back(path, fmt) for c in row if isinstance(c, str)]
        assert '\'=HYPERLINK("http://evil","点我")' in cells, name
        assert "'+123" in cells, name
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), name


def test_json_keeps_names_as_they_are(year_store, tmp_path, today):
    path = tmp_path / "persons.json"
    export_dataset(year_store, "persons", path, fmt="json", today=today)
    names = {p["name"] for p in json.loads(path.read_text(encoding="utf-8-sig"))}
    assert '=HYPERLINK("http://evil","点我")' in names and "+123" in names


def test_gb18030_round_trips_rare_name(year_store, tmp_path, today):
    path = tmp_path / "persons.csv"
    export_dataset(year_store, "persons", path, encoding="gb18030", today=today)
    raw = path.read_bytes()
    assert "䶮".encode("gb18030") in raw
    rows = list(csv.reader(io.StringIO(raw.decode("gb18030"), newline="")))
    assert any(r[5] == "䶮" for r in rows)


def test_unmasked_is_whole_and_audited(year_store, tmp_path, today):
    path = tmp_path / "visits.csv"
    before = year_store.scalar("SELECT count(*) FROM audit_log")
    result = export_dataset(
        year_store,
        "visits",
        path,
        unmasked=True,
        actor="coordinator",
        filters=ReportFilters(villages=("龙山村",)),
        today=today,
    )
    rows = read_back(path, "csv")
    ids = [r[7] for r in rows[1:] if r[7]]
    phones = [r[8] for r in rows[1:] if r[8]]
    assert ids and all(re.fullmatch(r"\d{17}[\dX]", i) for i in ids)
    assert phones and all(re.fullmatch(r"\d{11}", p) for p in phones)
    log = year_store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert year_store.scalar("SELECT count(*) FROM audit_log") == before + 1
    assert log["actor"] == "coordinator" and log["action"] == "export_unmasked"
    assert log["rows"] == result.rows == len(rows) - 1
    detail = json.loads(log["detail"])
    assert detail["dataset"] == "visits" and detail["filters"]["villages"] == ["龙山村"]
    # Never the numbers themselves.
    everything = json.dumps(year_store.query("SELECT * FROM audit_log"), ensure_ascii=False)
    assert not any(i in everything for i in ids) and not any(p in everything for p in phones)


def test_masked_export_is_logged_as_export(year_store, tmp_path, today):
    export_dataset(year_store, "coverage", tmp_path / "c.csv", actor="x", today=today)
    assert year_store.one("SELECT action FROM audit_log ORDER BY id DESC")["action"] == "export"


def test_headers_follow_the_language(year_store, tmp_path, today):
    set_language("zh")
    path = tmp_path / "coverage.csv"
    export_dataset(year_store, "coverage", path, today=today)
    header = read_back(path, "csv")[0]
    assert header[:2] == ["乡镇", "村"]
    set_language("en")


def test_unknown_dataset(year_store, tmp_path):
    with pytest.raises(FieldError):
        export_dataset(year_store, "everything", tmp_path / "x.csv")


def test_follow_ups(year_store, tmp_path, today):
    path = tmp_path / "f.csv"
    export_dataset(year_store, "follow-ups", path, today=today)
    rows = read_back(path, "csv")
    assert len(rows) == 21 and {r[9] for r in rows[1:]} == {"due"}
    export_dataset(year_store, "follow-ups", path, today=dt.date(2027, 1, 1))
    assert {r[9] for r in read_back(path, "csv")[1:]} == {"overdue"}
    export_dataset(
        year_store,
        "follow-ups",
        path,
        today=today,
        filters=ReportFilters(date_to=dt.date(2026, 11, 30)),
    )
    assert len(read_back(path, "csv")) == 1


# -- the command line ------------------------------------------------------------


def test_cli_export_to_stdout_is_csv_with_bom(year_store, clinic_cli):
    result = clinic_cli(year_store.path, "export", "coverage", "--village", "中峰镇")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 6 and rows[0][0] == "Township"


def test_cli_export_to_files(year_store, tmp_path, clinic_cli):
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"visits.{fmt}"
        result = clinic_cli(
            year_store.path,
            "export",
            "visits",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--org",
            "民进",
            "-o",
            str(out),
        )
        assert result.exit_code == 0, result.output
        assert len(read_back(out, fmt)) == 402
    out = tmp_path / "persons.txt"
    result = clinic_cli(
        year_store.path,
        "export",
        "persons",
        "-o",
        str(out),
        "--format",
        "csv",
        "--encoding",
        "gb18030",
    )
    assert result.exit_code == 0 and "䶮" in out.read_bytes().decode("gb18030")


def test_cli_errors_are_sentences(year_store, tmp_path, clinic_cli):
    result = clinic_cli(year_store.path, "export", "visits", "--village", "没有村")
    assert result.exit_code == 1 and "没有村" in result.output and "Traceback" not in result.output
    result = clinic_cli(year_store.path, "export", "visits", "--from", "2025-13-45")
    assert result.exit_code == 1


def test_cli_xlsx_to_a_pipe(year_store, clinic_cli):
    result = clinic_cli(year_store.path, "export", "coverage", "--format", "xlsx")
    assert result.exit_code == 0
    ws = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).active
    assert ws.max_row == 21
    result = clinic_cli(year_store.path, "export", "visits", "--from", "2025-13-45")
    assert result.exit_code == 1


def test_report_table_says_what_it_covers(year_store, tmp_path, today):
    path = tmp_path / "report.csv"
    export_dataset(
        year_store,
        "report",
        path,
        today=today,
        filters=ReportFilters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), villages=("中峰镇",)),
    )
    rows = read_back(path, "csv")
    assert rows[1][:2] == ["About this report", "Period: 2025-01-01 – 2025-12-31"]
    assert rows[2][1] == "Villages: 中峰镇"
    assert ["Overview", "Clinic days held", "5", ""] in rows
