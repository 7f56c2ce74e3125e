"""bench/bench_export.py keeps working: a small run, both sides write every row."""

from __future__ import annotations


def test_bench_export_small(tmp_path, require, bench_script):
    require("sqlite3")  # the baseline is the sqlite3 shell
    bench = bench_script("bench_export")
    db = tmp_path / "v.db"
    bench.build(db, 5000)
    ours, rows = bench.time_clinic(db, tmp_path / "clinic.csv")
    theirs, their_rows = bench.time_sqlite3(db, tmp_path / "sqlite3.csv")
    assert rows == their_rows == 5000
    assert ours > 0 and theirs > 0
    text = (tmp_path / "clinic.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text  # the bench's own formula name, neutralised
    peak = bench.peak_rss(db, tmp_path / "small.csv", None)
    assert peak["rows"] == 5000 and peak["peak_kb"] > 0
