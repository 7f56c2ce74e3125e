"""The command line: status, find, demo, help texts, errors and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from clinic.cli.main import cli, main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, db=None, env=None):
    runner = CliRunner()
    prefix = ["--db", str(db)] if db else []
    return runner.invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)


def test_status_json_counts_every_kind(demo_path):
    result = run("status", "--json", db=demo_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["database"] == str(demo_path)
    assert data["schema_version"] >= 1
    counts = data["counts"]
    for key in (
        "villages",
        "households",
        "persons",
        "volunteers",
        "clinic_days",
        "visits",
        "handouts",
    ):
        assert isinstance(counts[key], int)
    assert counts["persons"] == 2000 and counts["volunteers"] == 40 and counts["villages"] >= 8


def test_status_text_in_chinese(demo_path):
    result = run("--lang", "zh", "status", db=demo_path)
    assert result.exit_code == 0
    assert "数据库" in result.output and "人员: 2000" in result.output


def test_db_from_environment(demo_path):
    result = CliRunner().invoke(cli, ["status", "--json"], env={"CLINIC_DB": str(demo_path)})
    assert json.loads(result.output)["database"] == str(demo_path)


def test_default_database_is_in_user_data_dir(monkeypatch, tmp_path):
    from clinic.cli.context import default_db_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "clinic" / "clinic.db"


def test_demo_no_tui_builds_database(tmp_path):
    path = tmp_path / "d.db"
    result = run("demo", "--no-tui", db=path)
    assert result.exit_code == 0, result.output
    assert "2000" in result.output
    again = run("demo", "--no-tui", db=path)  # keeps existing data
    assert again.exit_code == 0 and "--force" in again.output


def test_find_is_masked(demo_store, demo_path):
    row = demo_store.one(
        "SELECT name, id_number, phone FROM persons WHERE phone IS NOT NULL AND id_number IS NOT NULL LIMIT 1"
    )
    result = run("find", row["id_number"][-6:], "--json", db=demo_path)
    hits = json.loads(result.output)
    assert any(hit["name"] == row["name"] for hit in hits)
    assert row["id_number"] not in result.output and row["phone"] not in result.output
    text = run("find", row["phone"][-4:], db=demo_path).output
    assert row["phone"] not in text and re.search(r"1\d\d\*\*\*\*\d{4}", text)


def test_find_nobody(demo_path):
    result = run("find", "不存在的人名字", db=demo_path)
    assert result.exit_code == 0 and "Nobody found" in result.output


def walk(command: click.Command, path=()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


def test_every_command_has_help_and_is_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, command in walk(cli):
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert command.help, f"clinic {' '.join(path)} has no help"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"clinic {' '.join(path)} {param.opts[0]} has no help"
        if path:
            assert f"clinic {' '.join(path)}" in readme, (
                f"clinic {' '.join(path)} missing from README"
            )


def test_usage_error_exit_code_2(capsys):
    assert main(["status", "--no-such-option"]) == 2


def test_bad_input_exit_code_1_one_sentence(tmp_path, capsys, add_coordinator):
    add_coordinator(tmp_path / "x.db")
    code = main(
        ["--db", str(tmp_path / "x.db"), "import", "register", str(tmp_path / "missing.csv")]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "missing.csv" in captured.err and "Traceback" not in captured.err


def test_database_error_exit_code_3(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    assert main(["--db", str(bad), "status"]) == 3
    assert "bad.db" in capsys.readouterr().err


def test_unexpected_error_never_shows_traceback(monkeypatch, tmp_path, capsys):
    import clinic.store.counts as counts_q

    def explode(store):
        raise ZeroDivisionError

    from clinic.store import open_store

    open_store(tmp_path / "x.db").close()
    monkeypatch.setattr(counts_q, "counts", explode)
    monkeypatch.delenv("CLINIC_DEBUG", raising=False)
    assert main(["--db", str(tmp_path / "x.db"), "status"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ZeroDivisionError" in err


@pytest.mark.parametrize("lang,word", [("zh", "用法"), ("en", "Usage")])
def test_help_in_chosen_language(lang, word):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "clinic", "--lang", lang, "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert word in out.stdout


def test_output_into_a_closed_pipe_is_not_an_error(demo_path):
    import subprocess
    import sys

    # 2,000 persons as CSV: far more than a pipe buffer holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "clinic", "--db", str(demo_path), "export", "persons"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_a_mistyped_db_path_is_an_error_not_an_empty_clinic(tmp_path):
    result = run("status", db=tmp_path / "no-such-folder" / "typo.db")
    assert result.exit_code == 1 and "There is no database" in result.output
    assert not (tmp_path / "no-such-folder").exists()


def test_new_database_is_private(tmp_path, samples, signed_in):
    path = tmp_path / "new.db"
    first = run(
        "user", "add", signed_in, "--role", "coordinator", db=path, env={"CLINIC_NEW_PIN": "2468"}
    )
    assert first.exit_code == 0, first.output
    assert path.stat().st_mode & 0o077 == 0
    result = run("import", "volunteers", str(samples / "volunteers_utf8bom.csv"), db=path)
    assert result.exit_code == 0, result.output
    assert path.stat().st_mode & 0o077 == 0


def _leaf_commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, (*path, name))
        else:
            yield (*path, name)


@pytest.mark.parametrize("path", list(_leaf_commands(cli)), ids=" ".join)
def test_global_options_after_the_command(path, tmp_path):
    """`clinic CMD --db FILE --lang zh` means `clinic --db FILE --lang zh CMD`, for every command."""
    result = run(*path, "--help", "--db", str(tmp_path / "x.db"), "--lang=zh", "--user", "me")
    assert result.exit_code == 0, result.output
    assert "用法" in result.output


def test_global_options_after_the_command_are_used(demo_path):
    result = run("status", "--json", "--db", str(demo_path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["database"] == str(demo_path)
    result = run("find", "张", "--lang", "zh", f"--db={demo_path}", "--limit", "1")
    assert result.exit_code == 0, result.output
    # Anything after `--` is the command's own
    result = run("find", "--db", str(demo_path), "--", "--db")
    assert result.exit_code == 0, result.output


def test_status_of_a_missing_default_database_says_so(tmp_path, monkeypatch):
    import clinic.cli.main as main_module

    missing = tmp_path / "data" / "clinic.db"
    monkeypatch.setattr(main_module, "default_db_path", lambda: missing)
    result = CliRunner().invoke(cli, ["status"], env={"CLINIC_DB": None})
    assert result.exit_code == 1
    assert "There is no database" in result.output
    assert not missing.exists()
