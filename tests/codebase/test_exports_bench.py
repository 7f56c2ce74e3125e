"""bench/bench_export.py keeps working: a small run, both sides write every row."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_export.py"


def test_bench_export_small(tmp_path, require):
    require("sqlite3")  # the baseline is the sqlite3 shell
    spec = importlib.util.spec_from_file_location("bench_export", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
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
