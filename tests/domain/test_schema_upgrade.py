"""Schema versions: every earlier one upgrades with its data; a newer one is refused untouched.

The fixtures in tests/data/schemas are SQL dumps of databases built by the
migrations of their time (tools/schema_fixtures.py, from git history).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.store import open_store
from clinic.store.migrations import app_version, migration_files, schema_version

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((Path(__file__).resolve().parents[1] / "data" / "schemas").glob("schema-*.sql"))
# Catalogues the seeds rewrite on every upgrade, settings, and derived search
# keys (a migration may rebuild them): checked by key or by use, not row by row.
REWRITTEN = {
    "organisations",
    "specialties",
    "conditions",
    "prescription_templates",
    "holidays",
    "settings",
    "person_keys",
    "_sqlite_migrations",
}
CURRENT = max(int(name[:4]) for name, _sql in migration_files())


def load(fixture: Path, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()


def rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> set[tuple]:
    names = ", ".join(f'"{c}"' for c in columns)
    return set(conn.execute(f'SELECT {names} FROM "{table}"'))


def tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def newest(fixture: Path) -> str:
    """schema-0010_desk_visit_times.sql holds every migration up to 0010_desk_visit_times."""
    return fixture.stem.removeprefix("schema-")


def test_there_are_fixtures_of_older_schemas():
    known = {name for name, _sql in migration_files()}
    assert FIXTURES and all(newest(f) in known for f in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_an_older_database_upgrades_with_its_data(fixture, tmp_path):
    old, path = tmp_path / "old.db", tmp_path / "clinic.db"
    load(fixture, old)
    shutil.copy(old, path)
    with open_store(path) as store:
        assert schema_version(store) == CURRENT
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.query("PRAGMA foreign_key_check") == []
        recorded = dict(store.conn.execute("SELECT migration, app_version FROM schema_versions"))
        assert recorded == {name: app_version() for name, _sql in migration_files()}
    before, after = sqlite3.connect(old), sqlite3.connect(path)
    for table in tables(before):
        columns = [r[1] for r in before.execute(f'PRAGMA table_info("{table}")')]
        if table in REWRITTEN:
            continue
        kept = rows(after, table, columns)
        lost = rows(before, table, columns) - kept
        assert not lost, f"{fixture.stem}: {table} lost or changed {sorted(lost)[:3]}"
    for table, key in (("specialties", "code"), ("conditions", "code")):
        assert rows(before, table, [key]) <= rows(after, table, [key])
    migrations = [r[0] for r in before.execute("SELECT name FROM _sqlite_migrations")]
    assert set(migrations) <= {r[0] for r in after.execute("SELECT name FROM _sqlite_migrations")}
    before.close()
    after.close()


@pytest.mark.parametrize(
    "fixture", [f for f in FIXTURES if newest(f) >= "0011"], ids=lambda f: f.stem
)
def test_search_keys_move_to_person_order_unchanged(fixture, tmp_path):
    """0012 rebuilds person_keys with (person_id, key) as its primary key and an index on
    key: every key of a database whose keys are current (0011 on) is still there."""
    old, path = tmp_path / "old.db", tmp_path / "clinic.db"
    load(fixture, old)
    shutil.copy(old, path)
    open_store(path).close()
    before, after = sqlite3.connect(old), sqlite3.connect(path)
    keys = rows(before, "person_keys", ["key", "person_id"])
    assert keys and rows(after, "person_keys", ["key", "person_id"]) == keys
    primary = [
        r[1]
        for r in sorted(after.execute("PRAGMA table_info(person_keys)"), key=lambda r: r[5])
        if r[5]
    ]
    assert primary == ["person_id", "key"]
    assert [r[2] for r in after.execute("PRAGMA index_info(person_keys_key)")] == ["key"]
    before.close()
    after.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_an_upgraded_database_works_in_the_app(fixture, tmp_path):
    path = tmp_path / "clinic.db"
    load(fixture, path)
    runner = CliRunner()
    found = runner.invoke(cli, ["--db", str(path), "find", "张三", "--json"])
    assert found.exit_code == 0, found.output
    assert any(hit["name"] == "张三" for hit in json.loads(found.output))
    status = runner.invoke(cli, ["--db", str(path), "status", "--json"])
    assert status.exit_code == 0, status.output
    counts = json.loads(status.output)["counts"]
    assert counts["persons"] == 4 and counts["visits"] == 2 and counts["handouts"] == 1


def newer_database(tmp_path) -> Path:
    path = tmp_path / "newer.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('clinic', '0999_from_the_future', '2031-01-01')"
    )
    conn.execute(
        "INSERT INTO schema_versions (migration, app_version) "
        "VALUES ('0999_from_the_future', '7.1.0')"
    )
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("args", [["status"], [], ["purge", "#1", "--yes"]], ids=str)
def test_a_newer_database_is_refused_and_left_untouched(tmp_path, args):
    """The CLI and the TUI (no command) refuse it before writing anything, exit 3."""
    path = newer_database(tmp_path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(path), *args])
    assert result.exit_code == 3
    assert "Install clinic 7.1.0 or newer" in result.output
    assert "0999_from_the_future" in result.output
    assert result.output.strip().count("\n") == 0, "one sentence"
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_newer_database_is_refused_in_chinese(tmp_path):
    path = newer_database(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(path), "--lang", "zh", "status"])
    assert result.exit_code == 3 and "请安装 clinic 7.1.0 或更新版本" in result.output


def _git_history_readable() -> bool:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return out == "false"


@pytest.mark.skipif(not _git_history_readable(), reason="needs the full git history")
def test_every_earlier_schema_of_the_history_has_a_fixture():
    spec = importlib.util.spec_from_file_location(
        "schema_fixtures", ROOT / "tools" / "schema_fixtures.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    wanted = set(tool.history())
    have = {newest(f) for f in FIXTURES}
    assert wanted <= have, f"run python tools/schema_fixtures.py (missing {sorted(wanted - have)})"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_the_app_keeps_a_copy_from_before_the_upgrade(fixture, tmp_path):
    path = tmp_path / "clinic.db"
    load(fixture, path)
    assert CliRunner().invoke(cli, ["--db", str(path), "status"]).exit_code == 0
    number = int(newest(fixture)[:4])
    (copy,) = (tmp_path / "backups").glob(f"clinic-*-before-upgrade-from-{number}.db")
    conn = sqlite3.connect(copy)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert max(int(n[:4]) for n in names) == number
    assert conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 2
    conn.close()


def test_a_newer_database_whose_version_table_changed_is_still_refused(tmp_path):
    path = newer_database(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE schema_versions")
    conn.execute("CREATE TABLE schema_versions (schema INTEGER, app TEXT)")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "status"])
    assert result.exit_code == 3 and "Install the newest clinic" in result.output
