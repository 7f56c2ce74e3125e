"""One error hierarchy, the CLI's side: each kind of user error, raised by the core,
ends a command with its sentence in the user's language and its exit code
(clinic.cli.errors)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from clinic.cli.main import ClinicGroup
from clinic.core import desk
from clinic.core import planning as p
from clinic.core.dates import parse_date
from clinic.core.errors import ClinicError, DatabaseError
from clinic.core.idnumbers import parse_id
from clinic.i18n import set_language

CJK = re.compile(r"[\u4e00-\u9fff]")


def _raised(call) -> ClinicError:
    with pytest.raises(ClinicError) as info:
        call()
    return info.value


def _attended(store, h) -> int:
    day_id = h.add_day(store, h.add_village(store), date="2026-11-21", status="done")
    a, _w = p.assign(store, day_id, h.add_volunteer(store, "张到"))
    p.set_assignment(store, a, status="attended")
    return a


def _second_day_in_one_village(store, h) -> None:
    village = h.add_village(store)
    h.add_day(store, village, date="2026-12-19")
    h.add_day(store, village, date="2026-12-19")


KINDS = {
    "FieldError": lambda store, h: _raised(lambda: parse_date("soon")),
    "NotARealDate": lambda store, h: _raised(lambda: parse_date("2026-02-30")),
    "IdNumberError": lambda store, h: _raised(lambda: parse_id("1234")),
    "FormError": lambda store, h: _raised(
        lambda: desk.check_walk_in(
            store, desk.clean_walk_in(desk.WalkIn("", None, "", None, "", ""), h.today)
        )
    ),
    "NotFoundError": lambda store, h: _raised(lambda: p.get_day(store, 4242)),
    "RefusedError": lambda store, h: _raised(lambda: _second_day_in_one_village(store, h)),
    "ConfirmationNeeded": lambda store, h: _raised(
        lambda: p.set_assignment(store, _attended(store, h), status="confirmed")
    ),
    "DatabaseError": lambda store, h: DatabaseError.from_sqlite(
        __import__("sqlite3").OperationalError("database is locked"), "clinic.db"
    ),
}


def _cli_raising(exc: ClinicError) -> click.Group:
    """A group of the same class as ``clinic``, with one command that raises ``exc``."""

    @click.group(cls=ClinicGroup)
    def group() -> None:
        pass

    @group.command()
    def act() -> None:
        raise exc

    return group


@pytest.fixture
def raise_kind(add_day, add_village, add_volunteer, today):
    """``raise_kind(kind, lang, path)``: one error of ``kind`` raised by the core in
    ``lang``, on a fresh database at ``path``."""
    from clinic.store import open_store

    h = SimpleNamespace(
        add_day=add_day, add_village=add_village, add_volunteer=add_volunteer, today=today
    )

    def raise_(kind: str, lang: str, path: Path) -> ClinicError:
        set_language(lang)
        with open_store(path) as store:
            return KINDS[kind](store, h)

    return raise_


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_cli_shows_each_kind_as_its_sentence_and_exit_code(kind, lang, tmp_path, raise_kind):
    other = raise_kind(kind, "zh" if lang == "en" else "en", tmp_path / "other.db")
    exc = raise_kind(kind, lang, tmp_path / "this.db")
    assert type(exc).__name__ == kind
    assert exc.message != other.message  # the sentence is translated
    result = CliRunner().invoke(_cli_raising(exc), ["act"])
    assert result.exit_code == exc.exit_code == (3 if kind == "DatabaseError" else 1)
    assert result.stdout == ""
    assert result.stderr.startswith(exc.message) and "Traceback" not in result.stderr
    assert other.message.splitlines()[0] not in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_says_how_to_confirm_a_change_of_attendance(lang, tmp_path, raise_kind):
    exc = raise_kind("ConfirmationNeeded", lang, tmp_path / "this.db")
    result = CliRunner().invoke(_cli_raising(exc), ["act"])
    assert result.exit_code == 1
    hint = result.stderr[len(exc.message) :]
    assert "--change-attendance" in hint
    assert bool(CJK.search(hint)) == (lang == "zh"), hint


def test_a_real_command_ends_with_the_sentence_in_chinese(demo_path, capsys):
    from clinic.cli.main import main

    code = main(["--lang", "zh", "--db", str(demo_path), "day", "show", "4242"])
    err = capsys.readouterr().err
    assert code == 1
    assert CJK.search(err) and "4242" in err and "Traceback" not in err
