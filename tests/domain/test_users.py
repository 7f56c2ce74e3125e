"""Users, roles and signing in (issue 10): PINs kept as salted slow hashes,
wrong PINs locking a user, the first coordinator, who may manage users; and
``clinic user`` on the command line, in both languages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.cli.main import cli
from clinic.core import users
from clinic.core.errors import FieldError, RefusedError, SignInError

NOON = dt.datetime(2026, 11, 24, 12, 0)


@pytest.fixture
def coordinator(store):
    return users.add_user(store, "王敏", {"coordinator"}, "2580", by=None)


def test_a_pin_is_stored_only_as_a_salted_hash(store, coordinator):
    row = store.one("SELECT pin_hash FROM users WHERE id = ?", [coordinator.id])
    assert "2580" not in row["pin_hash"] and row["pin_hash"].startswith("scrypt$")
    assert users.hash_pin("2580") != users.hash_pin("2580")  # salted
    assert users.pin_matches("2580", row["pin_hash"])
    assert not users.pin_matches("2581", row["pin_hash"])
    assert not users.pin_matches("2580", "plain-text")


@settings(max_examples=10, deadline=None)
@given(st.text(min_size=4, max_size=12).filter(lambda s: len(set(s)) > 1))
def test_any_pin_matches_its_own_hash_and_no_other(pin):
    stored = users.hash_pin(pin)
    assert users.pin_matches(pin, stored)
    assert not users.pin_matches(pin + "x", stored)


@pytest.mark.parametrize("pin", ["", "123", "1111", "x" * 65])
def test_pins_too_short_long_or_repeated_are_refused(pin):
    with pytest.raises(FieldError) as info:
        users.check_pin(pin)
    assert info.value.field == "pin"


def test_roles_are_read_in_either_language():
    assert users.parse_roles(["医生", "clerk,药师"]) == {"clinician", "clerk", "pharmacist"}
    assert users.parse_roles(["Nurse"]) == {"clinician"}
    with pytest.raises(FieldError):
        users.parse_roles(["janitor"])
    with pytest.raises(FieldError):
        users.parse_roles([""])


def test_the_first_user_is_a_coordinator_added_without_signing_in(store):
    assert users.needs_first_user(store)
    with pytest.raises(RefusedError):
        users.add_user(store, "李华", {"clerk"}, "1357", by=None)
    first = users.add_user(store, "王敏", {"coordinator"}, "2580", by=None)
    assert not users.needs_first_user(store) and first.may("manage_users")
    with pytest.raises(SignInError):  # the second needs a signed-in coordinator
        users.add_user(store, "李华", {"clerk"}, "1357", by=None)


def test_only_a_coordinator_manages_users(store, coordinator):
    clerk = users.add_user(store, "李华", {"clerk"}, "1357", by=coordinator)
    with pytest.raises(SignInError) as info:
        users.add_user(store, "张三", {"clerk"}, "2468", by=clerk)
    assert info.value.code == "manage_users" and "李华" in info.value.message
    with pytest.raises(RefusedError):
        users.add_user(store, "李华", {"clerk"}, "9753", by=coordinator)  # the name is taken
    assert [u["name"] for u in users.users(store)] == ["李华", "王敏"]
    assert "pin_hash" not in users.users(store)[0]


def test_rights_follow_roles():
    doctor = users.User(1, "医生", frozenset({"clinician"}))
    boss = users.User(2, "主任", frozenset({"coordinator", "clinician"}))
    assert doctor.may("record_consult") and not doctor.may("export_unmasked")
    assert all(boss.may(right) for right in users.RIGHTS)
    assert users.require(boss, "purge") is boss
    with pytest.raises(SignInError):
        users.require(None, "purge")


def test_signing_in_names_the_user_and_a_wrong_pin_or_name_says_the_same(store, coordinator):
    assert users.sign_in(store, " 王敏 ", "2580", NOON) == coordinator
    with pytest.raises(SignInError) as wrong_pin:
        users.sign_in(store, "王敏", "0000", NOON)
    with pytest.raises(SignInError) as wrong_name:
        users.sign_in(store, "王 敏", "2580", NOON)
    assert wrong_pin.value.message == wrong_name.value.message
    audit = store.query("SELECT actor, action FROM audit_log WHERE action LIKE 'sign_in%'")
    assert audit == [{"actor": "王敏", "action": "sign_in_failed"}]


def test_five_wrong_pins_lock_the_user_for_five_minutes(store, coordinator):
    for _ in range(users.FAILURES_BEFORE_LOCK):
        with pytest.raises(SignInError):
            users.sign_in(store, "王敏", "0000", NOON)
    with pytest.raises(SignInError) as locked:  # even the right PIN, while locked
        users.sign_in(store, "王敏", "2580", NOON + dt.timedelta(minutes=4))
    assert locked.value.code == "locked" and "12:05" in locked.value.message
    later = NOON + dt.timedelta(minutes=users.LOCK_MINUTES, seconds=1)
    assert users.sign_in(store, "王敏", "2580", later) == coordinator


def test_a_disabled_user_cannot_sign_in_and_the_last_coordinator_stays(store, coordinator):
    users.add_user(store, "李华", {"clerk"}, "1357", by=coordinator)
    users.set_active(store, "李华", False, by=coordinator)
    with pytest.raises(SignInError) as info:
        users.sign_in(store, "李华", "1357", NOON)
    assert info.value.code == "disabled"
    with pytest.raises(RefusedError):
        users.set_active(store, "王敏", False, by=coordinator)
    users.set_active(store, "李华", True, by=coordinator)
    assert users.sign_in(store, "李华", "1357", NOON).name == "李华"


def test_a_user_changes_their_own_pin_and_a_coordinator_anyones(store, coordinator):
    clerk = users.add_user(store, "李华", {"clerk"}, "1357", by=coordinator)
    users.change_pin(store, "李华", "8642", by=clerk)
    assert users.sign_in(store, "李华", "8642", NOON) == clerk
    with pytest.raises(SignInError):
        users.change_pin(store, "王敏", "9999x", by=clerk)
    users.change_pin(store, "李华", "7531", by=coordinator)
    assert users.sign_in(store, "李华", "7531", NOON) == clerk


# -- clinic user ---------------------------------------------------------------------


# Not signed in unless a test says so (the suite signs in as its test coordinator).
SIGNED_OUT = {"CLINIC_BACKUP_KEEP": "0", "CLINIC_USER": None, "CLINIC_PIN": None}


def run(db, *args, env=None):
    base = SIGNED_OUT
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={**base, **(env or {})})


def test_clinic_user_commands_from_the_first_coordinator_on(tmp_path):
    db = tmp_path / "u.db"
    first = run(db, "user", "add", "王敏", "--role", "coordinator", env={"CLINIC_NEW_PIN": "2580"})
    assert first.exit_code == 0, first.output
    refused = run(db, "user", "add", "李华", "--role", "clerk", env={"CLINIC_NEW_PIN": "1357"})
    assert refused.exit_code == 1 and "--user" in refused.stderr
    added = run(
        db,
        "user",
        "add",
        "李华",
        "--role",
        "clerk",
        "--user",
        "王敏",
        env={"CLINIC_NEW_PIN": "1357", "CLINIC_PIN": "2580"},
    )
    assert added.exit_code == 0, added.output
    as_coordinator = {"CLINIC_USER": "王敏", "CLINIC_PIN": "2580"}
    assert run(db, "user", "list").exit_code == 1  # who is who: a coordinator's to see
    listed = json.loads(run(db, "user", "list", "--json", env=as_coordinator).stdout)
    assert [(u["name"], u["roles"], u["active"]) for u in listed] == [
        ("李华", ["clerk"], True),
        ("王敏", ["coordinator"], True),
    ]
    wrong = run(
        db, "--lang", "zh", "user", "disable", "李华", "--user", "王敏", env={"CLINIC_PIN": "0000"}
    )
    assert wrong.exit_code == 1 and "用户名或密码错误" in wrong.stderr
    done = run(db, "user", "disable", "李华", "--user", "王敏", env={"CLINIC_PIN": "2580"})
    assert done.exit_code == 0
    assert "(disabled)" in run(db, "user", "list", env=as_coordinator).stdout


def test_the_pin_prompt_hides_what_is_typed_and_asks_twice_for_a_new_one(tmp_path):
    db = tmp_path / "u.db"
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "user", "add", "王敏", "--role", "coordinator"],
        input="2580\n2580\n",
        env=SIGNED_OUT,
    )
    assert result.exit_code == 0, result.output
    assert "2580" not in result.output
    signed = CliRunner().invoke(
        cli,
        ["--db", str(db), "--user", "王敏", "user", "passwd", "王敏"],
        input="2580\n8642\n8642\n",
        env=SIGNED_OUT,
    )
    assert signed.exit_code == 0, signed.output
    from clinic.store import open_store

    with open_store(db) as store:
        assert users.sign_in(store, "王敏", "8642", NOON).name == "王敏"
        actions = store.query("SELECT actor, action FROM audit_log WHERE action LIKE 'user_%'")
    assert actions == [
        {"actor": "王敏", "action": "user_add"},
        {"actor": "王敏", "action": "user_pin"},
    ]


def test_only_a_coordinator_reveals_a_whole_number_and_each_reveal_is_audited(demo_store):
    from clinic.core.persons import reveal_numbers

    person = demo_store.one(
        "SELECT id, id_number, phone FROM persons WHERE id_number IS NOT NULL "
        "AND phone IS NOT NULL ORDER BY id LIMIT 1"
    )
    clerk = users.User(1, "张登记", frozenset({"clerk", "clinician"}))
    with pytest.raises(SignInError, match="张登记 may not reveal a whole number"):
        reveal_numbers(demo_store, person["id"], by=clerk)
    assert demo_store.scalar("SELECT count(*) FROM audit_log WHERE action = 'reveal'") == 0
    boss = users.User(2, "王敏", frozenset({"coordinator"}))
    shown = reveal_numbers(demo_store, person["id"], by=boss)
    assert shown == {"id_number": person["id_number"], "phone": person["phone"]}
    log = demo_store.one("SELECT actor, detail FROM audit_log WHERE action = 'reveal'")
    assert log["actor"] == "王敏" and json.loads(log["detail"]) == {"person_id": person["id"]}
