"""bench/bench_sync.py keeps working: a few visits on a laptop of the small demo."""

from __future__ import annotations


def test_bench_sync_small(demo_path, tmp_path, bench_script):
    bench = bench_script("bench_sync")
    result = bench.measure(demo_path, tmp_path, 2, 5)  # two laptops, five visits each
    assert result["visits"] == 5
    assert result["changes"] >= 10  # a visit and a handout each, and the export's audit row
    assert result["bundle_bytes"] > 0 and result["export_s"] > 0
    assert result["season_visits"] == 10 and result["season_import_s"] > 0
    rows = bench.rows(result)
    assert [r["goal"] for r in rows] == ["< 1 s", "< 10 s"]
