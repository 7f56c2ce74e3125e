"""bench/bench_import.py keeps measuring the real thing: every header variant
it generates maps every column, and its register imports without a rejected
row (so the timed import does all the work, none of it skipped)."""

from __future__ import annotations

import pytest

from clinic.core.imports import REGISTER_COLUMNS, import_register
from clinic.core.tables import map_headers, read_table
from clinic.store import open_store


@pytest.fixture(scope="module")
def bench(bench_script):
    return bench_script("bench_import")


def test_header_variants_cover_every_accepted_spelling(bench):
    longest = max(len(names) for names in REGISTER_COLUMNS.values())
    used = {name for variant in range(longest) for name in bench.header(variant)}
    assert used == {name for names in REGISTER_COLUMNS.values() for name in names}


@pytest.mark.parametrize("variant", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
def test_generated_register_imports_whole(bench, tmp_path, variant):
    path = tmp_path / "register.csv"
    households = bench.generate(path, 150, variant, seed=variant)
    headers = map_headers(read_table(path), REGISTER_COLUMNS, ())
    assert not headers.unknown and not headers.duplicate
    assert set(headers.columns) == set(REGISTER_COLUMNS)
    with open_store(tmp_path / "t.db") as store:
        first = import_register(store, path)
        assert first.rejected == 0 and first.persons["created"] == 150
        assert first.households["created"] == households
        again = import_register(store, path)
        assert again.persons["unchanged"] == 150


def test_the_timed_commands_run_as_the_benchmark_runs_them(bench, tmp_path):
    """The children the benchmark times: the real command, signed in as the
    new database's first coordinator (without one an import is refused)."""
    path = tmp_path / "register.csv"
    bench.generate(path, 40, 0, seed=1)
    first = bench.clinic(tmp_path / "c.db", path, [])
    assert first["persons"]["created"] == 40 and first["rejected"] == 0
    assert first["cpu"] > 0
    dry = bench.clinic(tmp_path / "d.db", path, ["--dry-run"])
    assert dry["persons"]["created"] == 40
    again = bench.clinic(tmp_path / "c.db", path, [])
    assert again["persons"]["unchanged"] == 40
