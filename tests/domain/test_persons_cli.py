"""``clinic persons duplicates / merge / merges / unmerge`` (issue 11, point 5): what a
coordinator types to find duplicate persons, merge them and undo a merge. Numbers
are masked in every line and in the JSON; every wrong input is one sentence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.store import open_store

CLERK = {"CLINIC_USER": "演示登记员", "CLINIC_PIN": "3003"}  # the demo's users


def run(db, *args, env=None):
    return CliRunner().invoke(cli, ["--db", str(db), "persons", *args], env=env)


@pytest.fixture
def twins_phone(twins):
    """The twins, and the phone they share."""
    path, kept, twin = twins
    with open_store(path) as store:
        phone = store.scalar("SELECT phone FROM persons WHERE id = ?", [kept])
    return path, kept, twin, phone


def test_duplicates_are_listed_with_numbers_masked(twins_phone):
    path, kept, twin, phone = twins_phone
    listed = run(path, "duplicates")
    assert listed.exit_code == 0, listed.output
    assert f"#{kept}" in listed.output and f"#{twin}" in listed.output
    assert "same name and phone" in listed.output
    assert phone not in listed.output and phone[-4:] in listed.output
    pairs = json.loads(run(path, "duplicates", "--json").output)
    (pair,) = [p for p in pairs if p["other"]["id"] == twin]
    assert (pair["keep"]["id"], pair["reason"]) == (kept, "phone")
    assert phone not in json.dumps(pairs)


def test_merge_and_unmerge_from_the_command_line(twins, tables_digest):
    path, kept, twin = twins
    before = tables_digest(path)
    merged = run(path, "merge", f"#{kept}", str(twin))
    assert merged.exit_code == 0, merged.output
    assert f"#{twin} merged into #{kept}" in merged.output and "visits 1" in merged.output
    listed = json.loads(run(path, "merges", "--json").output)
    (merge,) = listed
    # the visit and the consent (their search keys are the kept person's: the same name and phone)
    assert (merge["kept_id"], merge["merged_id"], merge["moved"]) == (kept, twin, 2)
    assert f"clinic persons unmerge {merge['id']}" in merged.output
    again = run(path, "merge", f"#{kept}", f"#{twin}")
    assert again.exit_code == 1 and "No person #" in again.stderr  # off the register now
    undone = run(path, "unmerge", str(merge["id"]))
    assert undone.exit_code == 0 and "on the register again" in undone.output
    assert tables_digest(path) == before
    assert run(path, "merges").output.strip() == "No merges."
    assert "undone by" in run(path, "merges", "--all").output
    log = CliRunner().invoke(cli, ["--db", str(path), "audit", "--action", "person_merge"])
    assert f"Merged person #{twin} into #{kept} (merge {merge['id']}): 1 visits moved" in log.output


@pytest.mark.parametrize(
    "args, words",
    [
        (("merge", "#1", "#1"), "cannot be merged into themselves"),
        (("merge", "#1", "abc"), "Name the person by #number"),
        (("merge", "#1", "#999999999"), "No person #999999999"),
        (("unmerge", "x"), "Name the merge by its number"),
        (("unmerge", "77"), "There is no merge number 77"),
    ],
)
def test_wrong_input_is_one_sentence(demo_path, args, words):
    result = run(demo_path, *args)
    assert result.exit_code == 1
    assert words in result.stderr and "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("args", [("duplicates",), ("merge", "#1", "#2"), ("unmerge", "1")])
def test_only_a_coordinator_merges_persons(demo_path, args):
    result = run(demo_path, *args, env=CLERK)
    assert result.exit_code == 1
    assert "演示登记员 may not" in result.stderr and "only a coordinator may" in result.stderr


def test_distinct_takes_a_pair_off_the_list(twins):
    path, kept, twin = twins
    marked = run(path, "distinct", f"#{kept}", f"#{twin}")
    assert marked.exit_code == 0 and "two different persons" in marked.output
    again = run(path, "distinct", str(twin), str(kept))
    assert again.exit_code == 0 and "already" in again.output
    pairs = json.loads(run(path, "duplicates", "--json").output)
    assert not [p for p in pairs if twin in (p["keep"]["id"], p["other"]["id"])]
    log = CliRunner().invoke(cli, ["--db", str(path), "audit", "--action", "person_distinct"])
    assert (
        f"Marked #{min(kept, twin)} and #{max(kept, twin)} as two different persons" in log.output
    )
