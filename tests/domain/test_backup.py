"""Backups and restores: consistent while desks write, checked, private, kept, audited."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import backup as B
from clinic.core.errors import DatabaseError
from clinic.i18n import set_language
from clinic.store import open_store


def audit_actions(path, action):
    with open_store(path, migrate=False) as store:
        return store.query("SELECT * FROM audit_log WHERE action = ?", [action])


def test_every_backup_holds_every_row_committed_before_it_began(
    tmp_path, row_writer, committed_rows
):
    db = tmp_path / "clinic.db"
    open_store(db).close()
    spawn = multiprocessing.get_context("spawn")
    stop = spawn.Event()
    logs = [tmp_path / f"writer{w}.log" for w in range(4)]
    writers = [
        spawn.Process(target=row_writer, args=(str(db), w, str(logs[w]), stop)) for w in range(4)
    ]
    for p in writers:
        p.start()
    taken = []
    try:
        deadline = time.monotonic() + 60
        while sum(len(committed_rows(log)) for log in logs) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        for i in range(5):
            before = [committed_rows(log) for log in logs]
            now = dt.datetime(2026, 11, 30, 10, 0, i)
            result = B.take_backup(db, tmp_path / "copies" / f"b{i}.db", actor="test", now=now)
            taken.append((result.path, before))
            time.sleep(0.1)
    finally:
        stop.set()
        for p in writers:
            p.join(30)
    assert all(p.exitcode == 0 for p in writers)
    assert sum(len(seqs) for seqs in taken[-1][1]) >= 40, "the writers wrote during the backups"
    for i, (path, before) in enumerate(taken):
        target = tmp_path / f"restored{i}.db"
        B.restore(target, path, actor="test")
        with open_store(target) as store:
            assert store.scalar("PRAGMA integrity_check") == "ok"
            for w, seqs in enumerate(before):
                found = {
                    json.loads(r["detail"])["seq"]
                    for r in store.query(
                        "SELECT detail FROM audit_log WHERE actor = ?", [f"writer{w}"]
                    )
                }
                assert seqs <= found, f"backup {i} lost rows of writer {w}: {sorted(seqs - found)}"


def test_default_backup_is_named_checked_private_and_audited(demo_path):
    result = B.take_backup(demo_path, actor="王主任", now=dt.datetime(2026, 11, 30, 8, 5, 9))
    assert result.path == demo_path.parent / "backups" / "clinic-2026-11-30-080509.db"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(result.path.parent.stat().st_mode) == 0o700
    assert not [p for p in result.path.parent.iterdir() if p.name.startswith(".")]
    copy = sqlite3.connect(result.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(demo_path) as store:
        assert copy.execute("SELECT count(*) FROM persons").fetchone()[0] == store.scalar(
            "SELECT count(*) FROM persons"
        )
    copy.close()
    (row,) = audit_actions(demo_path, "backup")
    assert row["actor"] == "王主任" and json.loads(row["detail"])["file"] == str(result.path)


def test_cli_backup_refuses_an_existing_file_and_reports_a_full_disk(demo_path, monkeypatch):
    target = demo_path.parent / "mine.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(demo_path), "backup", str(target)])
    assert first.exit_code == 0 and "Backup saved" in first.output
    again = runner.invoke(cli, ["--db", str(demo_path), "backup", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output

    def full(source, tmp):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(B.q, "vacuum_into", full)
    other = demo_path.parent / "other.db"
    result = runner.invoke(cli, ["--db", str(demo_path), "backup", str(other)])
    assert result.exit_code == 3 and "is full" in result.output
    assert result.output.strip().count("\n") == 0, "one sentence"
    assert not other.exists() and not list(demo_path.parent.glob(".other*"))


def test_daily_backup_once_a_day_keeping_the_last_n(demo_path, monkeypatch):
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "3")
    days = [dt.datetime(2026, 11, d, 9, 0, 0) for d in range(1, 6)]
    for day in days:
        assert B.daily_backup(demo_path, actor="t", now=day) is not None
        assert B.daily_backup(demo_path, actor="t", now=day + dt.timedelta(hours=3)) is None
    names = sorted(p.name for p in B.backups_folder(demo_path).iterdir())
    assert names == [f"clinic-2026-11-0{d}-090000.db" for d in (3, 4, 5)]
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "0")
    assert B.daily_backup(demo_path, actor="t", now=dt.datetime(2026, 11, 9)) is None


def test_a_command_takes_the_daily_backup_once(demo_path, monkeypatch):
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "14")
    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(cli, ["--db", str(demo_path), "status"]).exit_code == 0
    assert len(list((demo_path.parent / "backups").glob("clinic-*.db"))) == 1


def test_a_bad_keep_setting_is_a_warning_not_a_failure(demo_path, monkeypatch):
    monkeypatch.setenv("CLINIC_BACKUP_KEEP", "many")
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "status"])
    assert result.exit_code == 0 and "CLINIC_BACKUP_KEEP must be a whole number" in result.output


def test_restore_keeps_the_replaced_file_and_audits(demo_path, tmp_path):
    backup = B.take_backup(demo_path, tmp_path / "b.db", actor="t").path
    with open_store(demo_path) as store, store.transaction():
        store.conn.execute("DELETE FROM visits")
    result = CliRunner().invoke(
        cli,
        ["--db", str(demo_path), "--user", "演示协调员", "restore", str(backup), "--yes"],
        env={"CLINIC_PIN": "1001"},  # the demo's coordinator: the audit log names them
    )
    assert result.exit_code == 0, result.output
    kept = list(demo_path.parent.glob("demo.db.replaced-*"))
    assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert sqlite3.connect(kept[0]).execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    with open_store(demo_path) as store:
        assert store.scalar("SELECT count(*) FROM visits") > 0
    (row,) = audit_actions(demo_path, "restore")
    assert row["actor"] == "演示协调员" and json.loads(row["detail"])["kept"] == str(kept[0])


def test_restore_asks_first(demo_path, tmp_path):
    backup = B.take_backup(demo_path, tmp_path / "b.db", actor="t").path
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "restore", str(backup)], input="n\n")
    assert result.exit_code == 0 and "Nothing was changed" in result.output
    assert not list(demo_path.parent.glob("demo.db.replaced-*"))


@pytest.mark.parametrize(
    "content, code, words",
    [
        (b"hello, not a database at all" * 40, 1, "is not a clinic database or is damaged"),
        ("sqlite-other", 1, "is not a clinic database."),
        ("newer", 3, "Install clinic 9.0.0 or newer"),
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(demo_path, tmp_path, content, code, words):
    source = tmp_path / "source.db"
    if content == "sqlite-other":
        other = sqlite3.connect(source)
        other.execute("CREATE TABLE notes (text)")
        other.commit()
        other.close()
    elif content == "newer":
        B.take_backup(demo_path, source, actor="t")
        newer = sqlite3.connect(source)
        newer.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('clinic', '0099_future', '2030-01-01')"
        )
        newer.execute(
            "INSERT INTO schema_versions (migration, app_version) VALUES ('0099_future', '9.0.0')"
        )
        newer.commit()
        newer.close()
    else:
        source.write_bytes(content)
    before = demo_path.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "restore", str(source), "--yes"])
    assert result.exit_code == code and words in result.output, result.output
    assert demo_path.read_bytes() == before
    assert not list(demo_path.parent.glob("demo.db.replaced-*"))
    assert not list(demo_path.parent.glob(".demo.db*"))


def test_restore_refuses_while_a_desk_has_the_database_open(demo_path, tmp_path):
    backup = B.take_backup(demo_path, tmp_path / "b.db", actor="t").path
    with open_store(demo_path):
        with pytest.raises(DatabaseError, match="quit every clinic window"):
            B.restore(demo_path, backup, actor="t")
    assert not list(demo_path.parent.glob("demo.db.replaced-*"))


def test_messages_in_chinese(demo_path, tmp_path):
    set_language("zh")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(demo_path), "--lang", "zh", "backup", str(tmp_path / "b.db")]
    )
    assert result.exit_code == 0 and "备份已保存" in result.output
    result = runner.invoke(
        cli, ["--db", str(demo_path), "--lang", "zh", "restore", str(tmp_path / "b.db"), "--yes"]
    )
    assert result.exit_code == 0 and "已从" in result.output and "原文件已保留" in result.output


def test_two_backups_in_one_second_both_kept(demo_path):
    now = dt.datetime(2026, 11, 30, 8, 0, 0)
    first = B.take_backup(demo_path, actor="t", now=now).path
    second = B.take_backup(demo_path, actor="t", now=now).path
    assert first != second and first.exists() and second.name == "clinic-2026-11-30-080000-2.db"
    assert B.prune(first.parent, 1) == [first]


def test_restore_checks_the_file_before_asking(demo_path, tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(demo_path), "restore", str(tmp_path / "nothere.db")], input="y\n"
    )
    assert result.exit_code == 1 and "There is no file" in result.output
    assert "Replace" not in result.output


def test_restore_refuses_a_file_whose_last_changes_are_in_its_wal(demo_path, tmp_path):
    source = tmp_path / "copied.db"
    B.take_backup(demo_path, source, actor="t")
    Path(f"{source}-wal").write_bytes(b"\0" * 4096)
    result = CliRunner().invoke(cli, ["--db", str(demo_path), "restore", str(source), "--yes"])
    assert result.exit_code == 1 and "unsaved changes in copied.db-wal" in result.output


def test_no_backup_without_its_audit_row(demo_path, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("busy")

    monkeypatch.setattr(B, "record_audit", refuse)
    with pytest.raises(DatabaseError):
        B.take_backup(demo_path, tmp_path / "b.db", actor="t")
    assert not (tmp_path / "b.db").exists()
