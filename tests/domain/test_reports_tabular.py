"""clinic.core.tabular: files that open right in Excel/WPS, streamed."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.core.errors import FieldError
from clinic.core.tabular import check_encoding, format_for_path, neutralise, write_table

HEADERS = ["姓名", "身份证号", "年龄"]
ROWS = [
    ('=HYPERLINK("http://x","点我")', "500110195001010018", 76),
    ("+123", "050110195001010018", -3),
    ("䶮", None, None),
    ("@SUM(A1)", "-1", 1.5),
    ("\tTab", "\rCR", 0),
]


def test_neutralise():
    for bad in ("=1+1", "+123", "-2", "@x", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    for ok in ("张三", "1+1", "", "a=b", 5, -5, None):
        assert neutralise(ok) == ok


def test_csv_bom_and_neutralised(tmp_path):
    path = tmp_path / "t.csv"
    assert write_table(iter(ROWS), HEADERS, path) == len(ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[2][0] == "'+123"
    assert rows[2][1] == "050110195001010018"  # leading zero kept
    assert rows[2][2] == "-3"  # a number is not text: not touched
    assert rows[3] == ["䶮", "", ""]
    assert rows[4][0] == "'@SUM(A1)" and rows[4][1] == "'-1"
    assert rows[5][0] == "'\tTab" and rows[5][1] == "'\rCR"


def test_text_columns_limit_neutralising(tmp_path):
    path = tmp_path / "t.csv"
    write_table([("-5", "-5")], ["a", "b"], path, text_columns={1})
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    assert rows[1] == ["-5", "'-5"]


def test_gb18030_round_trips_rare_character(tmp_path):
    path = tmp_path / "t.csv"
    write_table(iter(ROWS), HEADERS, path, encoding="gb18030")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")  # why GB18030 and not GBK
    rows = list(csv.reader(io.StringIO(raw.decode("gb18030"), newline="")))
    assert rows[3][0] == "䶮"


def test_utf8_without_bom(tmp_path):
    path = tmp_path / "t.csv"
    write_table(ROWS, HEADERS, path, encoding="utf-8")
    assert path.read_bytes().startswith("姓名".encode())


def test_xlsx_text_columns_and_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    assert write_table(iter(ROWS), HEADERS, path, fmt="xlsx", text_columns={0, 1}) == len(ROWS)
    ws = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == HEADERS
    assert values[1][0].startswith("'=HYPERLINK")
    assert values[1][1] == "500110195001010018"
    assert ws["B2"].data_type == "s" and ws["B2"].number_format == "@"
    assert values[2][1] == "050110195001010018"
    assert values[2][2] == -3
    assert values[3][0] == "䶮"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_json_streamed_array(tmp_path):
    path = tmp_path / "t.json"
    write_table(iter(ROWS), HEADERS, path, fmt="json")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")  # no BOM in JSON, even by default
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[0]["姓名"].startswith("=HYPERLINK")  # JSON is data: unchanged
    assert data[2] == {"姓名": "䶮", "身份证号": None, "年龄": None}
    empty = io.StringIO()
    assert write_table([], HEADERS, empty, fmt="json") == 0
    assert json.loads(empty.getvalue()) == []


def test_streams_text_and_binary():
    text = io.StringIO()
    write_table([("a", 1)], ["x", "y"], text)
    assert text.getvalue() == "x,y\r\na,1\r\n"
    binary = io.BytesIO()
    write_table([("a", 1)], ["x", "y"], binary)
    assert binary.getvalue() == b"\xef\xbb\xbfx,y\r\na,1\r\n"
    with pytest.raises(FieldError):
        write_table([], ["x"], io.StringIO(), fmt="xlsx")


def test_never_collects_and_reports_progress():
    seen = []

    def rows():
        for i in range(2500):
            yield (i, "x")

    n = write_table(rows(), ["i", "x"], io.BytesIO(), progress=seen.append, progress_every=1000)
    assert n == 2500 and seen == [1000, 2000, 2500]


def test_cancel_leaves_no_file(tmp_path):
    path = tmp_path / "t.csv"

    def stop(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_table(((i,) for i in range(5000)), ["i"], path, progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_bad_format_and_encoding():
    with pytest.raises(FieldError):
        write_table([], ["x"], io.BytesIO(), fmt="ods")
    with pytest.raises(FieldError):
        check_encoding("latin-1")
    assert check_encoding("GBK") == "gb18030"
    assert format_for_path("a.XLSX") == "xlsx" and format_for_path("a.txt") == "csv"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
        min_size=1,
        max_size=4,
    )
)
def test_csv_round_trip_any_text(cells):
    for encoding in ("utf-8-sig", "gb18030"):
        buf = io.BytesIO()
        write_table([cells], [f"c{i}" for i in range(len(cells))], buf, encoding=encoding)
        back = list(csv.reader(io.StringIO(buf.getvalue().decode(encoding), newline="")))[1]
        restored = [
            b[1:] if b.startswith("'") and b[1:].startswith(("=", "+", "-", "@", "\t", "\r")) else b
            for b in back
        ]
        assert restored == cells


def test_cancel_at_the_last_progress_call_leaves_no_file(tmp_path):
    path = tmp_path / "t.csv"
    calls = []

    def stop(n):
        calls.append(n)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_table(
            ((i,) for i in range(10)), ["i"], path, progress=stop
        )  # fewer rows than one step
    assert calls == [10] and list(tmp_path.iterdir()) == []
