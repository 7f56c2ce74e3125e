"""Bundles out of laptops and into the district (issue 11, points 2-5).

A district database (the small demo) and two laptops made from it; edits on each
through the desk's and the planning desk's services; bundles exchanged in both
orders. Every edit arrives; a tampered, foreign, out-of-order or different-schema
bundle is refused with a sentence naming the file and nothing changes; a bundle
imported twice changes nothing; a clash goes to the review list.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import desk
from clinic.core.desk import handouts
from clinic.core.desk.handouts import set_stock
from clinic.core.errors import BundleError, InputError
from clinic.core.imports import import_register
from clinic.core.planning.assignments import set_assignment
from clinic.core.sync.importing import import_bundles, sync_status
from clinic.core.sync.review import conflicts, settle
from clinic.store import open_store

MADE_ON_LAPTOPS = (
    ("persons", "id"),
    ("visits", "id"),
    ("handouts", "id"),
    ("consents", "id"),
    ("audit_log", "id"),
    ("person_keys", "person_id"),
)


def made_in_range(store, number: int) -> dict[str, int]:
    """Rows of device ``number``'s id range, per table."""
    low, high = number << 40, (number + 1) << 40
    return {
        table: store.scalar(
            f"SELECT count(*) FROM {table} WHERE {key} >= ? AND {key} < ?", [low, high]
        )
        for table, key in MADE_ON_LAPTOPS
    }


@pytest.mark.parametrize("order", ["AB", "BA", "B then A", "A then B"])
def test_every_edit_of_two_laptops_arrives_in_either_order(
    district, enrol, export_from, day_of_work, today, now, order
):
    paths = {"A": enrol("A"), "B": enrol("B")}
    work = {name: day_of_work(path, today, now, f"{name}走访") for name, path in paths.items()}
    bundles = {name: export_from(path) for name, path in paths.items()}
    made = {}  # everything the laptops hold, their exports' audit rows too
    for number, (name, path) in enumerate(paths.items(), start=1):
        with open_store(path) as laptop:
            made[name] = made_in_range(laptop, number)
    names = [n for n in order if n in "AB"]
    with open_store(district) as store:
        if " then " in order:
            results = [r for n in names for r in import_bundles(store, [bundles[n]], actor="t")]
        else:
            results = import_bundles(store, [bundles[n] for n in names], actor="tester")
        assert sorted((r.device, r.sequence, r.already) for r in results) == [
            ("A", 1, False),
            ("B", 1, False),
        ]
        for number, name in enumerate(paths, start=1):
            person = store.one("SELECT id FROM persons WHERE uid = ?", [work[name]["person_uid"]])
            visit = store.one(
                "SELECT id, person_id FROM visits WHERE uid = ?", [work[name]["visit_uid"]]
            )
            assert person and visit["person_id"] == person["id"]
            handout = store.one(
                "SELECT h.visit_id, h.ticked, t.code FROM handouts h "
                "JOIN prescription_templates t ON t.id = h.template_id WHERE h.uid = ?",
                [work[name]["handout_uid"]],
            )
            assert handout == {
                "visit_id": visit["id"],
                "ticked": json.dumps(work[name]["ticked"]),
                "code": "hypertension",
            }
            assert made_in_range(store, number) == made[name]
            assert all(made[name].values()), made[name]
        assert conflicts(store) == []
        status = {row["device"]: row for row in sync_status(store, today)}
        assert status["A"]["last_sequence"] == 1 and status["B"]["waiting_for"] == 2


def test_a_bundle_imported_twice_changes_nothing(
    district, enrol, export_from, day_of_work, sync_fingerprint, today, now
):
    a = enrol("A")
    day_of_work(a, today, now, "甲走访")
    bundle = export_from(a)
    with open_store(district) as store:
        import_bundles(store, [bundle], actor="tester")
    before = sync_fingerprint(district)
    with open_store(district) as store:
        again = import_bundles(store, [bundle, bundle], actor="tester")
    assert [r.already for r in again] == [True, True]
    assert sync_fingerprint(district) == before


def test_a_held_bundle_that_no_longer_passes_stops_no_other_laptop(
    district, enrol, export_from, day_of_work, today, now
):
    """A's bundle 2 waits for bundle 1; then A's held file no longer passes the checks
    (here its bytes are damaged; an upgrade of the district's schema does the same). B's
    bundle is imported all the same, and A's stays held."""
    a, b = enrol("A"), enrol("B")
    for n in (1, 2):
        day_of_work(a, today, now, f"甲{n}")
        export_from(a, f"a-{n}.bundle")
    day_of_work(b, today, now, "乙1")
    b_bundle = export_from(b, "b-1.bundle")
    with open_store(district) as store:
        import_bundles(store, [b_bundle.with_name("a-2.bundle")], actor="tester")
        with store.transaction():
            store.conn.execute("UPDATE sync_held SET data = substr(data, 1, 40)")
        (result,) = import_bundles(store, [b_bundle], actor="tester")
        assert (result.device, result.sequence, result.already) == ("B", 1, False)
        assert store.scalar("SELECT count(*) FROM persons WHERE name = '乙1'") == 1
        held = {row["device"]: row["held"] for row in sync_status(store, today)}
        assert held == {"A": [2], "B": []}


def test_later_bundles_are_held_until_the_earlier_one_comes(
    district, enrol, export_from, day_of_work, today, now
):
    a = enrol("A")
    bundles = []
    for n in (1, 2, 3):
        day_of_work(a, today, now, f"甲{n}")
        bundles.append(export_from(a, f"a-{n}.bundle"))
    names = "SELECT count(*) FROM persons WHERE name IN ('甲1', '甲2', '甲3')"
    with open_store(district) as store:
        (third,) = import_bundles(store, [bundles[2]], actor="tester")
        assert (third.sequence, third.waits_for, third.changes) == (3, 1, 0)
        (second,) = import_bundles(store, [bundles[1]], actor="tester")
        assert (second.sequence, second.waits_for) == (2, 1)
        assert store.scalar(names) == 0  # nothing of them applied
        (status,) = sync_status(store, today)
        assert (status["held"], status["missing"], status["last_sequence"]) == ([2, 3], [1], None)
    shown = CliRunner().invoke(cli, ["--db", str(district), "sync", "status"])
    assert "held: 2, 3; missing: 1" in shown.output
    run = CliRunner().invoke(cli, ["--db", str(district), "sync", "import", str(bundles[0])])
    assert run.exit_code == 0, run.output
    assert [line.split(": ", 1)[1][:24] for line in run.output.splitlines()] == [
        "bundle 1 of A imported: ",
        "bundle 2 of A imported: ",
        "bundle 3 of A imported: ",
    ]
    with open_store(district) as store:
        assert store.scalar(names) == 3
        (status,) = sync_status(store, today)
        assert (status["held"], status["missing"], status["last_sequence"]) == ([], [], 3)
        assert [r.already for r in import_bundles(store, bundles, actor="tester")] == [True] * 3


def test_a_tampered_bundle_is_refused_and_nothing_changes(
    district, enrol, export_from, day_of_work, sync_fingerprint, today, now
):
    a = enrol("A")
    day_of_work(a, today, now, "甲走访")
    bundle = export_from(a)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    before = sync_fingerprint(district)
    result = CliRunner().invoke(cli, ["--db", str(district), "sync", "import", str(bundle)])
    assert result.exit_code == 1
    assert (
        f"{bundle} cannot be imported" in result.output and "Nothing was changed" in result.output
    )
    assert sync_fingerprint(district) == before


def laptop_keys(path) -> dict[str, str]:
    with open_store(path) as store:
        rows = store.query("SELECT key, value FROM settings WHERE key LIKE 'sync.%'")
    return {r["key"]: r["value"] for r in rows}


def test_a_bundle_forged_in_a_laptops_name_is_refused(
    district, enrol, export_from, sync_fingerprint
):
    """Sealed to the district (its public key is on every laptop) but signed by another key."""
    from clinic.core.sync.bundle import pack
    from clinic.core.sync.keys import new_signing_key

    a = enrol("A")
    forged_key, _verify = new_signing_key()
    real = export_from_header(a, export_from)
    forged = real.with_name("forged.bundle")
    forged.write_bytes(
        pack(
            real_header(real, district),
            real_changeset(real, district),
            forged_key,
            laptop_keys(a)["sync.district_key"],
        )
    )
    before = sync_fingerprint(district)
    with open_store(district) as store, pytest.raises(BundleError, match="forged"):
        import_bundles(store, [forged], actor="tester")
    assert sync_fingerprint(district) == before


def export_from_header(laptop, export_from):
    with open_store(laptop) as store:
        store.conn.execute("UPDATE persons SET phone = '13900000000' WHERE id = 1")
        store.conn.commit()
    return export_from(laptop)


def _opened(bundle, district):
    from clinic.core.sync.bundle import unseal
    from clinic.core.sync.keys import district_private_key

    return unseal(str(bundle), bundle.read_bytes(), district_private_key(district))


def real_header(bundle, district) -> dict:
    return dict(_opened(bundle, district).header)


def real_changeset(bundle, district) -> bytes:
    return _opened(bundle, district).changeset


def test_a_bundle_of_another_schema_is_refused(district, enrol, export_from, sync_fingerprint):
    from clinic.core.sync.bundle import pack

    a = enrol("A")
    real = export_from_header(a, export_from)
    header = real_header(real, district)
    header["schema"] += 1
    keys = laptop_keys(a)
    newer = real.with_name("newer.bundle")
    newer.write_bytes(
        pack(
            header,
            real_changeset(real, district),
            keys["sync.signing_key"],
            keys["sync.district_key"],
        )
    )
    before = sync_fingerprint(district)
    with open_store(district) as store, pytest.raises(BundleError) as refused:
        import_bundles(store, [newer], actor="tester")
    assert "newer.bundle" in str(refused.value) and "schema" in str(refused.value)
    assert sync_fingerprint(district) == before


def test_a_bundle_for_another_district_is_refused(
    district, enrol, export_from, tmp_path, copy_database
):
    other = copy_database(district, tmp_path / "other" / "district.db")
    a = enrol("A")
    bundle = export_from_header(a, export_from)
    with open_store(other) as store:
        from clinic.core.sync.enrol import make_base

        make_base(store, "A", tmp_path / "other" / "a.db", actor="tester")  # its own key
        with pytest.raises(BundleError, match="another district"):
            import_bundles(store, [bundle], actor="tester")


@pytest.fixture
def clash(district, enrol, export_from, day_of_work, today, now) -> tuple[int, int]:
    """Hours of one assignment typed on laptop A (5) and on the district (3); A's bundle
    imported. The clash is checked; (its id, the assignment)."""
    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    with open_store(a) as laptop:
        set_assignment(
            laptop, work["assignment"], status="attended", hours=5.0, change_attendance=True
        )
    with open_store(district) as store:
        set_assignment(
            store, work["assignment"], status="attended", hours=3.0, change_attendance=True
        )
    bundle = export_from(a)
    with open_store(district) as store:
        (result,) = import_bundles(store, [bundle], actor="tester")
        assert result.conflicts >= 1
        assert (
            store.scalar("SELECT hours FROM assignments WHERE id = ?", [work["assignment"]]) == 3.0
        )
        (clash,) = [c for c in conflicts(store) if c["table_name"] == "assignments"]
        assert (clash["kind"], clash["op"], clash["row_key"]) == (
            "data",
            "UPDATE",
            {"id": work["assignment"]},
        )
        assert clash["bundle_new"]["hours"] == 5.0 and clash["current"]["hours"] == 3.0
        # the rest of the bundle arrived all the same
        assert store.one("SELECT 1 FROM visits WHERE uid = ?", [work["visit_uid"]])
    listed = CliRunner().invoke(
        cli, ["--db", str(district), "sync", "conflicts", "--json"], catch_exceptions=False
    )
    assert [c["id"] for c in json.loads(listed.output)] == [clash["id"]]
    return clash["id"], work["assignment"]


def test_the_same_field_on_laptop_and_district_goes_to_review(clash, district):
    conflict_id, assignment = clash
    said = CliRunner().invoke(cli, ["--db", str(district), "sync", "conflicts"])
    # In words: the record, its change and the clash; fields by label, codes in words.
    assert said.exit_code == 0, said.output
    assert f"#{conflict_id} A bundle 1: roster places #{assignment} changed (changed here too)" in (
        said.output
    )
    assert "Hours: 5.0" in said.output and "Hours: 3.0" in said.output
    assert "Status: attended" in said.output and "'hours'" not in said.output
    zh = CliRunner().invoke(cli, ["--db", str(district), "--lang", "zh", "sync", "conflicts"])
    assert "区级也改了" in zh.output and "小时：5.0" in zh.output
    assert "clinic_day_id" not in said.output  # the district's side: the fields compared


@pytest.mark.parametrize(
    "keep, hours, words",
    [("laptop", 5.0, "kept the laptop's change"), ("district", 3.0, "kept the district's record")],
)
def test_a_clash_is_settled_by_keeping_one_side(district, clash, keep, hours, words):
    conflict_id, assignment = clash
    run = CliRunner().invoke(
        cli, ["--db", str(district), "sync", "settle", str(conflict_id), "--keep", keep]
    )
    assert run.exit_code == 0, run.output
    with open_store(district) as store:
        assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == hours
        assert conflicts(store) == []
        audit = store.one("SELECT detail FROM audit_log WHERE action = 'sync_settle'")
        assert json.loads(audit["detail"])["kept"] == keep
        with pytest.raises(InputError, match="settled already"):
            settle(store, conflict_id, keep, actor="tester")
    log = CliRunner().invoke(cli, ["--db", str(district), "audit", "--action", "sync_settle"])
    assert f"Settled conflict {conflict_id} (assignments): {words}" in log.output
    log = CliRunner().invoke(cli, ["--db", str(district), "audit", "--action", "sync_import"])
    assert "Imported bundle 1 of the laptop A:" in log.output


def test_the_commands_enrol_export_import_and_report(district, tmp_path, day_of_work, today, now):
    laptop = tmp_path / "team" / "minmeng.db"

    def run(db, *args):
        return CliRunner().invoke(cli, ["--db", str(db), "sync", *args], catch_exceptions=False)

    made = run(district, "base", "--device", "民盟", "-o", str(laptop))
    assert made.exit_code == 0 and "民盟" in made.output
    assert (laptop.stat().st_mode & 0o777) == 0o600
    key = district.with_name(f"{district.name}.district-key")
    assert (
        key.stat().st_mode & 0o777
    ) == 0o600 and key.read_text() not in laptop.read_bytes().hex()
    again = run(district, "base", "--device", "民盟", "-o", str(tmp_path / "x.db"))
    assert again.exit_code == 1 and "enrolled already" in again.output
    day_of_work(laptop, today, now, "民盟走访")
    started = time.perf_counter()
    out = run(laptop, "export", "--json")
    print(f"sync export of a demo-sized laptop: {time.perf_counter() - started:.2f} s")
    exported = json.loads(out.output)
    bundle = exported["file"]
    assert exported["sequence"] == 1 and exported["counts"]["persons"]["insert"] == 1
    assert (tmp_path.joinpath(bundle).stat().st_mode & 0o777) == 0o600
    imported = run(district, "import", bundle)
    assert imported.exit_code == 0 and "bundle 1 of 民盟 imported" in imported.output
    status = json.loads(run(district, "status", "--json").output)
    assert [(s["device"], s["last_sequence"], s["waiting_for"]) for s in status] == [("民盟", 1, 2)]
    not_a_laptop = run(district, "export")
    assert not_a_laptop.exit_code == 1 and "not a laptop's database" in not_a_laptop.output
    not_the_district = run(laptop, "import", bundle)
    assert not_the_district.exit_code == 1 and "district database" in not_the_district.output
    no_base_from_a_laptop = run(laptop, "base", "--device", "x", "-o", str(tmp_path / "y.db"))
    assert (
        no_base_from_a_laptop.exit_code == 1 and "laptop's database" in no_base_from_a_laptop.output
    )
    nothing = run(laptop, "export")
    assert nothing.exit_code == 0 and "Nothing changed since the last export" in nothing.output
    with open_store(district) as store:  # the export's own audit row came with its bundle
        assert store.one(
            "SELECT 1 FROM audit_log WHERE action = 'sync_export' AND id > ?", [1 << 40]
        )


def test_a_bundle_referring_to_a_record_gone_from_the_district_is_refused_whole(
    district, enrol, export_from, day_of_work, clinic_day, sync_fingerprint, today, now
):
    """A person erased at the district while a laptop checked them in: the laptop's visit
    cannot land, and nothing of the bundle does (never half-applied)."""
    from clinic.core.purge import purge_person

    a = enrol("A")
    with open_store(a) as laptop:
        day = clinic_day(laptop, today)
        person = laptop.scalar(
            "SELECT min(p.id) FROM persons p JOIN consents c ON c.person_id = p.id "
            "WHERE p.id NOT IN (SELECT person_id FROM visits WHERE clinic_day_id = ?)",
            [day["id"]],
        )
        volunteer = laptop.scalar("SELECT min(id) FROM volunteers")
        desk.check_in(laptop, day, person, volunteer, now)
    day_of_work(a, today, now, "甲走访")
    with open_store(district) as store:
        purge_person(store, person, "tester")
    bundle = export_from(a)
    before = sync_fingerprint(district)
    with open_store(district) as store, pytest.raises(BundleError) as refused:
        import_bundles(store, [bundle], actor="tester")
    assert str(bundle) in str(refused.value) and "does not have" in str(refused.value)
    assert sync_fingerprint(district) == before


def test_a_refusal_after_applied_bundles_says_what_was_imported(
    district, enrol, export_from, day_of_work, clinic_day, today, now
):
    """Bundle 1 is applied, bundle 2 refused: the sentence names bundle 1 as imported
    (each bundle is its own transaction), so nobody reads "nothing was changed" alone."""
    from clinic.core.purge import purge_person

    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    first = export_from(a, "a-1.bundle")
    with open_store(a) as laptop:
        day = clinic_day(laptop, today)
        person = laptop.scalar(
            "SELECT min(p.id) FROM persons p JOIN consents c ON c.person_id = p.id "
            "WHERE p.id NOT IN (SELECT person_id FROM visits WHERE clinic_day_id = ?)",
            [day["id"]],
        )
        desk.check_in(laptop, day, person, laptop.scalar("SELECT min(id) FROM volunteers"), now)
    second = export_from(a, "a-2.bundle")
    with open_store(district) as store:
        purge_person(store, person, "tester")
    with open_store(district) as store, pytest.raises(BundleError) as refused:
        import_bundles(store, [first, second], actor="tester")
    said = str(refused.value)
    assert said.startswith("Imported before it was refused: ")
    assert "bundle 1 of A imported" in said and str(second) in said
    with open_store(district) as store:
        assert store.scalar("SELECT count(*) FROM visits WHERE uid = ?", [work["visit_uid"]]) == 1


def test_a_laptop_enrolled_after_a_merge_holds_the_merged_work_and_no_merge_records(
    district, enrol, export_from, day_of_work, today, now
):
    a = enrol("A")
    work = day_of_work(a, today, now, "甲走访")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
    b = enrol("B")
    with open_store(b) as laptop:
        assert laptop.one("SELECT 1 FROM visits WHERE uid = ?", [work["visit_uid"]])
        for table in ("sync_devices", "sync_bundles", "sync_conflicts", "audit_log"):
            assert laptop.scalar(f"SELECT count(*) FROM {table}") == 0, table


def test_erasing_a_person_erases_their_clashes_from_the_review_list(district, enrol, export_from):
    """The review list keeps a laptop's values (names, numbers): a purge takes them too."""
    from clinic.core.purge import purge_person

    a = enrol("A")
    with open_store(district) as store:
        person = store.scalar("SELECT min(id) FROM persons WHERE phone IS NOT NULL")
        store.conn.execute("UPDATE persons SET phone = '13911112222' WHERE id = ?", [person])
        store.conn.commit()
    with open_store(a) as laptop:
        laptop.conn.execute("UPDATE persons SET phone = '13933334444' WHERE id = ?", [person])
        laptop.conn.commit()
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
        assert clash["bundle_new"] == {"phone": "13933334444"}
        purge_person(store, person, "tester")
        assert conflicts(store) == []
        assert store.scalar("SELECT count(*) FROM sync_conflicts") == 0


def test_a_person_erased_on_a_laptop_is_erased_at_the_district(district, enrol, export_from):
    from clinic.core.purge import purge_person

    a = enrol("A")
    with open_store(a) as laptop:
        person = laptop.scalar("SELECT min(person_id) FROM visits")
        uid = laptop.scalar("SELECT uid FROM persons WHERE id = ?", [person])
        purge_person(laptop, person, "tester")
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        assert store.one("SELECT 1 FROM persons WHERE uid = ?", [uid]) is None
        assert store.scalar("SELECT count(*) FROM visits WHERE person_id = ?", [person]) == 0
        assert conflicts(store) == []


def test_one_id_number_registered_on_two_laptops_goes_to_review_with_its_visit(
    district, enrol, export_from, day_of_work, clinic_day, today, now, valid_id
):
    """The second person cannot land (the ID number is unique): it, and the rows that
    point at it (consent, search keys, visit), wait in the review list; the rest of the
    bundle is applied."""
    number = valid_id("500110", "19560312", 15)
    paths = {"A": enrol("A"), "B": enrol("B")}
    work = {}
    stock = {"A": ("hypertension", 21), "B": ("diabetes", 22)}
    for name, path in paths.items():
        work[name] = day_of_work(
            path, today, now, f"{name}同号", id_number=number, birth="1956-03-12"
        )
        with open_store(path) as laptop:
            set_stock(laptop, clinic_day(laptop, today)["id"], *stock[name])
    with open_store(district) as store:
        results = import_bundles(
            store, [export_from(paths["A"]), export_from(paths["B"])], actor="tester"
        )
        assert [r.conflicts > 0 for r in results] == [False, True]
        assert (
            store.scalar("SELECT uid FROM persons WHERE id_number = ?", [number])
            == (work["A"]["person_uid"])
        )
        assert store.one("SELECT 1 FROM visits WHERE uid = ?", [work["B"]["visit_uid"]]) is None
        kinds = {(c["table_name"], c["kind"]) for c in conflicts(store) if c["device"] == "B"}
        assert ("persons", "constraint") in kinds
        assert {("visits", "held"), ("consents", "held")} <= kinds
        # B's other work arrived
        day = clinic_day(store, today)["id"]
        assert (
            store.scalar(
                "SELECT brought FROM day_stock WHERE clinic_day_id = ? AND template_code = 'diabetes'",
                [day],
            )
            == 22
        )


@pytest.mark.parametrize("deleted_on", ["district", "laptop"])
def test_a_record_deleted_on_one_side_and_edited_on_the_other_goes_to_review(
    district, enrol, export_from, today, deleted_on, delete_and_edit
):
    a = enrol("A")
    assignment = delete_and_edit(district, a, today, deleted_on)
    with open_store(district) as store:
        import_bundles(store, [export_from(a)], actor="tester")
        (clash,) = conflicts(store)
        expected = ("UPDATE", "not_found") if deleted_on == "district" else ("DELETE", "data")
        assert (clash["table_name"], clash["op"], clash["kind"]) == ("assignments", *expected)
        if deleted_on == "district":
            with pytest.raises(InputError, match="no longer has this record"):
                settle(store, clash["id"], "laptop", actor="tester")
            settle(store, clash["id"], "district", actor="tester")
            assert store.one("SELECT 1 FROM assignments WHERE id = ?", [assignment]) is None
        else:
            assert store.scalar("SELECT hours FROM assignments WHERE id = ?", [assignment]) == 4.0
            settle(store, clash["id"], "laptop", actor="tester")
            assert store.one("SELECT 1 FROM assignments WHERE id = ?", [assignment]) is None
        assert conflicts(store) == []


def test_the_district_file_stays_whole_when_clashing_bundles_are_imported_from_an_open_store(
    district, enrol, export_from, tmp_path, today, valid_id, write_csv, register_header
):
    """The import writes through apsw (its own copy of SQLite) while the caller's store
    (the standard library's sqlite3) holds the same file open. apsw closing its
    connection must leave the write-ahead log alone: it checkpointed and deleted it under
    the store, whose view went stale, and the file read "database disk image is
    malformed" (found by test_sync_district.py: the same register persons imported on
    the district and on two laptops, both laptops' bundles imported at once)."""

    def register(path, *shared: int) -> None:
        lines = [register_header]
        for k in shared:
            number = valid_id("500110", "19560312", 61 + 2 * k)
            lines.append(
                f"S900{k},登记{k},户主,男,{number},1956-03-12,1390000000{k},"
                f"中峰镇,龙山村,3组,脱贫户,,,登记{k}"
            )
        with open_store(path) as store:
            import_register(store, write_csv(tmp_path / "register.csv", lines), today=today)

    b, c = enrol("B"), enrol("C")
    register(district, 0)
    register(c, 0, 1)
    register(b, 1, 0)
    bundles = [export_from(b), export_from(c)]
    with open_store(district) as store:
        results = import_bundles(store, bundles, actor="tester")
        assert [r.conflicts > 0 for r in results] == [True, True]
        clashes = conflicts(store)
        assert {c["table_name"] for c in clashes} >= {"persons", "households"}
        assert store.scalar("PRAGMA integrity_check") == "ok"
    with open_store(district) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert store.scalar("SELECT count(*) FROM persons WHERE name LIKE '登记%'") == 2


def test_rows_pointing_at_a_record_waiting_in_review_from_an_earlier_bundle_wait_too(
    district, enrol, export_from, day_of_work, clinic_day, today, now, valid_id
):
    """B's person (an ID number A registered first) waits in the review list with B's
    visit. B's next bundle hands that visit another prescription: the handout waits in
    the review list too, and the rest of the bundle arrives. The whole bundle was refused
    ("refer to records this database does not have"), and every later bundle of B waited
    for it for ever (found by test_sync_district.py)."""
    number = valid_id("500110", "19560312", 15)
    a, b = enrol("A"), enrol("B")
    day_of_work(a, today, now, "甲同号", id_number=number, birth="1956-03-12")
    work = day_of_work(b, today, now, "乙同号", id_number=number, birth="1956-03-12")
    with open_store(district) as store:
        import_bundles(store, [export_from(a), export_from(b)], actor="tester")
    with open_store(b) as laptop:
        day = clinic_day(laptop, today)
        visit = laptop.scalar("SELECT id FROM visits WHERE uid = ?", [work["visit_uid"]])
        template = next(t for t in handouts.templates(laptop) if t.code == "diabetes")
        (handout,) = handouts.hand_out(
            laptop, day, visit, [handouts.Pick(template.id, template.item_codes()[:1])], None, now
        )
        set_stock(laptop, day["id"], "diabetes", 30)
    with open_store(district) as store:
        (second,) = import_bundles(store, [export_from(b)], actor="tester")
        assert (second.sequence, second.already, second.waits_for) == (2, False, None)
        waiting = {(c["table_name"], c["row_key"].get("id"), c["kind"]) for c in conflicts(store)}
        assert ("handouts", handout, "held") in waiting
        assert store.one("SELECT 1 FROM handouts WHERE id = ?", [handout]) is None
        day_id = clinic_day(store, today)["id"]
        brought = "SELECT brought FROM day_stock WHERE clinic_day_id = ? AND template_code = ?"
        assert store.scalar(brought, [day_id, "diabetes"]) == 30
        (status,) = [s for s in sync_status(store, today) if s["device"] == "B"]
        assert status["last_sequence"] == 2
