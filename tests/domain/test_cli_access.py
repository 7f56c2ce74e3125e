"""Who may run which command (issue 10): every command that writes or reveals needs
a signed-in user with the right role, reading masked data needs nobody, the audit
log names the signed-in user, ``--as`` is gone, and a database without users is
told how to get its first coordinator. The rules: clinic.cli.access."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from clinic.cli import access
from clinic.cli.main import cli

SIGNED_OUT = {"CLINIC_USER": None, "CLINIC_PIN": None}
CLERK = {"CLINIC_USER": "演示登记员", "CLINIC_PIN": "3003"}  # the demo's users
DEMO_COORDINATOR = {"CLINIC_USER": "演示协调员", "CLINIC_PIN": "1001"}


def run(db, *args, env=None, input=None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=env, input=input)


def _dummy(param: click.Parameter) -> str:
    """A value click accepts for a required parameter (the guard runs after parsing)."""
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    if isinstance(param.type, click.types.IntParamType | click.types.FloatParamType):
        return "1"
    if isinstance(param.type, click.Path):
        return "input.csv"
    return "2026-12-01"


def _writing_args(path: str, command: click.Command) -> list[str]:
    """The command with its required parameters, and ``--apply`` where it has one."""
    args = path.split()
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            args.append(_dummy(param))
        elif isinstance(param, click.Option) and param.required:
            args += [param.opts[0], _dummy(param)]
        elif param.name == "do_apply":
            args.append("--apply")
    return args


def _params(command: click.Command, args: list[str]) -> dict:
    ctx = command.make_context("clinic", list(args), resilient_parsing=True)
    return ctx.params


ALL = list(access.commands(cli))
PUBLIC = {
    "status",
    "find",
    "report day",
    "report summary",
    "day list",
    "day show",
    "day talk list",
    "pairing list",
    "demo",
}


def test_every_command_has_a_rule_and_is_guarded():
    for path, command in ALL:
        access.rule_for(path)  # a command without a rule raises here
        assert getattr(command.callback, "guarded", False), path


def test_a_command_without_a_rule_is_refused_at_start_up():
    group = click.Group("g", commands={"new": click.Command("new", callback=lambda: None)})
    with pytest.raises(LookupError, match="g new|new"):
        access.guard_commands(group)


@pytest.mark.parametrize("path", [p for p, _c in ALL], ids=str)
def test_reading_masked_data_needs_nobody_and_the_rest_a_user(path, tmp_path):
    """Every command, from the click tree: the ones that only read masked data are
    exactly PUBLIC; every other one (with --apply where it has it) needs a user."""
    command = dict(ALL)[path]
    args = _writing_args(path, command)
    app = access.AppContext(tmp_path / "none.db", "en")
    needed = access.right_needed(path, _params(command, args[len(path.split()) :]), app)
    assert (needed is None) == (path in PUBLIC), (path, needed)


@pytest.mark.parametrize(
    "path", [p for p, _c in ALL if p not in PUBLIC and p != "user add"], ids=str
)
def test_every_writing_command_is_refused_without_sign_in(path, demo_path):
    from clinic.store import open_store

    with open_store(demo_path) as store:
        before = store.scalar("SELECT count(*) FROM audit_log")
    result = run(demo_path, *_writing_args(path, dict(ALL)[path]), env=SIGNED_OUT)
    assert result.exit_code == 1, (path, result.output)
    assert "Sign in with --user NAME" in result.stderr, result.output
    with open_store(demo_path) as store:
        assert store.scalar("SELECT count(*) FROM audit_log") == before


def test_user_add_needs_a_coordinator_once_there_is_one(demo_path):
    result = run(demo_path, "user", "add", "新人", "--role", "clerk", env=SIGNED_OUT)
    assert result.exit_code == 1 and "Sign in with --user NAME" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("purge", "#1", "--yes"),
        ("import", "register", "r.csv"),
        ("import", "volunteers", "v.csv"),
        ("backup",),
        ("restore", "b.db", "--yes"),
        ("replicate", "--to", "replica"),
        ("export", "persons", "--unmasked"),
        ("user", "list"),
        ("user", "add", "新人", "--role", "clerk"),
        ("user", "disable", "演示药师"),
        ("audit",),
    ],
    ids=" ".join,
)
def test_a_clerk_may_not_do_what_only_a_coordinator_may(args, demo_path):
    result = run(demo_path, *args, env=CLERK)
    assert result.exit_code == 1, result.output
    assert "演示登记员 may not" in result.stderr and "only a coordinator may" in result.stderr


def test_a_clerk_writes_and_the_audit_log_names_them(demo_path, tmp_path):
    out = tmp_path / "persons.csv"
    result = run(demo_path, "export", "persons", "-o", str(out), env=CLERK)
    assert result.exit_code == 0, result.output
    day = run(demo_path, "day", "add", "--date", "2026-12-20", "--village", "龙山村", env=CLERK)
    assert day.exit_code == 0, day.output
    from clinic.store import open_store

    with open_store(demo_path) as store:
        row = store.one("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1")
    assert row == {"actor": "演示登记员", "action": "export"}


def test_the_coordinator_exports_unmasked_under_their_name(demo_path, tmp_path):
    out = tmp_path / "persons.csv"
    result = run(demo_path, "export", "persons", "-o", str(out), "--unmasked", env=DEMO_COORDINATOR)
    assert result.exit_code == 0, result.output
    from clinic.store import open_store

    with open_store(demo_path) as store:
        row = store.one("SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1")
    assert row == {"actor": "演示协调员", "action": "export_unmasked"}


def test_a_wrong_pin_is_refused_before_the_command_runs(demo_path):
    result = run(demo_path, "backup", env={**DEMO_COORDINATOR, "CLINIC_PIN": "9999"})
    assert result.exit_code == 1 and "Wrong user name or PIN" in result.stderr
    assert not (demo_path.parent / "backups").exists()


def test_a_dry_run_needs_no_sign_in_and_writes_nothing(demo_path, samples):
    result = run(
        demo_path,
        "import",
        "register",
        str(samples / "register_longshan_gbk.csv"),
        "--dry-run",
        env=SIGNED_OUT,
    )
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written" in result.output


def test_the_plan_of_a_roster_needs_nobody_writing_it_does(demo_path, cli_today):
    shown = run(
        demo_path, "day", "season", "--from", "2026-12-01", "--to", "2026-12-31", env=SIGNED_OUT
    )
    assert shown.exit_code == 0, shown.output
    applied = run(
        demo_path,
        "day",
        "season",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
        "--apply",
        env=SIGNED_OUT,
    )
    assert applied.exit_code == 1 and "Sign in" in applied.stderr


def test_as_is_retired_with_a_sentence(demo_path):
    for args in (("--as", "bob", "status"), ("status", "--as", "bob")):
        result = run(demo_path, *args)
        assert result.exit_code == 2
        assert "--as is retired: sign in with --user NAME" in result.output


def test_a_database_without_users_says_how_to_get_its_first_coordinator(store, add_village):
    add_village(store)
    store.close()
    db = store.path
    for lang, words in (("en", "clinic user add NAME --role coordinator"), ("zh", "第一位协调员")):
        result = run(
            db, "--lang", lang, "day", "add", "--date", "2026-12-20", "--village", "龙山村"
        )
        assert result.exit_code == 1, result.output
        assert words in result.stderr and "--role coordinator" in result.stderr
    clerk = run(db, "user", "add", "李华", "--role", "clerk", env={"CLINIC_NEW_PIN": "1357"})
    assert clerk.exit_code == 1 and "The first user must be a coordinator" in clerk.stderr
    first = run(db, "user", "add", "王敏", "--role", "coordinator", env={"CLINIC_NEW_PIN": "2580"})
    assert first.exit_code == 0, first.output
    signed = {"CLINIC_USER": "王敏", "CLINIC_PIN": "2580"}
    day = run(db, "day", "add", "--date", "2026-12-20", "--village", "龙山村", env=signed)
    assert day.exit_code == 0, day.output


def test_a_new_database_gets_its_coordinator_before_an_import(tmp_path, samples):
    result = run(
        tmp_path / "new.db", "import", "register", str(samples / "register_longshan_gbk.csv")
    )
    assert result.exit_code == 1 and "has no users yet" in result.stderr
    assert not (tmp_path / "new.db").exists()


def test_at_a_terminal_the_first_coordinator_is_offered(store, add_village, monkeypatch):
    add_village(store)
    store.close()
    monkeypatch.setattr(access, "_interactive", lambda: True)
    monkeypatch.delenv("CLINIC_PIN")
    result = run(
        store.path,
        "day",
        "add",
        "--date",
        "2026-12-20",
        "--village",
        "龙山村",
        input="y\n王敏\n2580\n2580\n",
    )
    assert result.exit_code == 0, result.output
    from clinic.store import open_store

    with open_store(store.path) as s:
        rows = s.query("SELECT actor, action FROM audit_log ORDER BY id")
    assert rows == [{"actor": "王敏", "action": "user_add"}]
    assert "2580" not in result.output


def test_user_list_is_for_coordinators(demo_path):
    refused = run(demo_path, "user", "list", env=SIGNED_OUT)
    assert refused.exit_code == 1
    listed = json.loads(run(demo_path, "user", "list", "--json", env=DEMO_COORDINATOR).stdout)
    assert {"演示协调员", "演示医生", "演示登记员", "演示药师"} <= {u["name"] for u in listed}
