"""The core services the screens and commands call instead of the store (issue 9, #3):
the rules that lived in screens (the queue's state cycle, the consent pre-check, who
signed up, month arithmetic, saving a visit's sheet) and the reads behind them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core import catalogues, database, desk, persons, replicate, talks
from clinic.core import planning as p
from clinic.core.dates import month_span, shift_month
from clinic.core.desk import handouts, sheets
from clinic.core.errors import ConfirmationNeeded
from clinic.core.planning import volunteers as vq

# -- the desk's queue and consent ------------------------------------------------------


def test_ctrl_t_cycles_waiting_with_doctor_done_and_round_again():
    state = "waiting"
    seen = [state]
    for _ in desk.STATES:
        state = desk.next_state(state)
        seen.append(state)
    assert seen[:-1] == list(desk.STATES)
    assert seen[-1] == seen[0]


def test_advancing_a_visit_calls_the_person_then_finishes_the_visit(
    demo_store,
    today_day,
    day_volunteer,
    a_person,
    now,
    desk_user,
):
    day = today_day
    vol = day_volunteer
    someone = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, someone["id"], vol, now)

    assert (
        desk.advance_state(demo_store, day, visit_id, vol, now, by=desk_user).state == "with_doctor"
    )
    called = desk.visit(demo_store, visit_id)
    assert called["state"] == "with_doctor" and called["seen_by"] == vol and called["called_at"]
    assert desk.advance_state(demo_store, day, visit_id, vol, now, by=desk_user).state == "done"
    assert desk.visit(demo_store, visit_id)["done_at"]
    # Back from done only when the user says so (the desk asks): it reopened at a key.
    with pytest.raises(ConfirmationNeeded) as asked:
        desk.advance_state(demo_store, day, visit_id, vol, now, by=desk_user)
    assert someone["name"] in asked.value.message
    assert desk.visit(demo_store, visit_id)["state"] == "done"
    again = desk.advance_state(demo_store, day, visit_id, vol, now, by=desk_user, reopen=True)
    assert again.state == "waiting"
    assert desk.visit(demo_store, visit_id)["called_at"] is None


def test_consent_is_asked_only_of_a_person_without_it_not_yet_checked_in(
    demo_store, today_day, day_volunteer, a_person, now
):
    day = today_day
    vol = day_volunteer
    without = a_person(consent=False, not_on_day=day["id"])
    with_consent = a_person(consent=True, not_on_day=day["id"])

    assert desk.needs_consent(demo_store, day["id"], without["id"])
    assert not desk.needs_consent(demo_store, day["id"], with_consent["id"])
    desk.check_in(demo_store, day, without["id"], vol, now, consent=desk.Consent(explained_by=vol))
    assert not desk.needs_consent(demo_store, day["id"], without["id"])
    assert desk.visit_for(demo_store, day["id"], without["id"]) is not None
    assert without["id"] in desk.checked_in_among(
        demo_store, day["id"], [without["id"], with_consent["id"]]
    )
    assert with_consent["id"] not in desk.checked_in_among(
        demo_store, day["id"], [without["id"], with_consent["id"]]
    )


def test_the_queue_counts_name_every_state_and_add_up(
    demo_store,
    today_day,
    day_volunteer,
    a_person,
    now,
    desk_user,
):
    day = today_day
    vol = day_volunteer
    someone = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, someone["id"], vol, now)
    desk.advance_state(demo_store, day, visit_id, vol, now, by=desk_user)
    rows = desk.queue_rows(demo_store, day, now)
    counts = desk.queue_counts(rows)
    assert counts["with_doctor"] >= 1
    assert set(counts) == set(desk.STATES)
    assert sum(counts.values()) == len(rows)
    assert counts["waiting"] == len([r for r in rows if r["state"] == "waiting"])


def test_the_queue_stamp_moves_when_the_queue_does(
    demo_store, today_day, day_volunteer, a_person, now
):
    day = today_day
    vol = day_volunteer
    before = desk.queue_stamp(demo_store, day["id"])
    someone = a_person(consent=True, not_on_day=day["id"])
    desk.check_in(demo_store, day, someone["id"], vol, now)
    assert desk.queue_stamp(demo_store, day["id"]) != before


def test_a_day_that_does_not_exist_is_none_not_an_error(demo_store, today_day):
    day = today_day
    assert desk.find_day(demo_store, day["id"])["date"] == day["date"]
    assert desk.find_day(demo_store, 10**9) is None


# -- the clinic day's team -------------------------------------------------------------


def test_signed_up_counts_every_assignment_but_the_declined(demo_store, today_day):
    day = today_day
    team = p.team_of_day(demo_store, day["id"])
    assert len(team) >= 2
    p.set_assignment(demo_store, team[0]["id"], status="declined")
    team = p.team_of_day(demo_store, day["id"])
    not_declined = [a for a in team if a["status"] != "declined"]

    assert p.signed_up(p.attendance(demo_store, day["id"])) == len(not_declined)
    assert len(not_declined) == len(team) - 1


def test_the_needs_of_a_day_are_what_its_needs_lines_say(demo_store, today_day):
    day = today_day
    needs = p.needs_of_day(demo_store, day["id"])
    assert needs == {line.role: line.needed for line in p.day_needs(demo_store, day["id"])}


# -- month arithmetic (the calendar's [ ] and the r / R roster) -------------------------


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(-60, 60))
def test_shifting_months_there_and_back_returns(year, month, step):
    there = shift_month(year, month, step)
    assert 1 <= there[1] <= 12
    assert shift_month(*there, -step) == (year, month)
    assert (there[0] * 12 + there[1]) - (year * 12 + month) == step


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(1, 14))
def test_a_span_of_months_runs_from_the_first_to_the_last_day(year, month, months):
    first, last = month_span(year, month, months)
    assert first == dt.date(year, month, 1)
    assert (last + dt.timedelta(days=1)) == dt.date(*shift_month(year, month, months), 1)
    assert month_span(*shift_month(year, month, months - 1))[1] == last


# -- the visit's printable sheet ---------------------------------------------------------


def test_a_visit_with_nothing_handed_out_gets_no_sheet(
    demo_store, demo_path, today_day, day_volunteer, a_person, now
):
    day = today_day
    vol = day_volunteer
    someone = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, someone["id"], vol, now)

    assert sheets.resave_visit_sheet(demo_store, demo_path, visit_id) is None
    assert not sheets.sheets_folder(demo_path).exists()


def test_handing_out_and_saving_the_visit_write_the_same_sheet(
    demo_store, demo_path, today_day, day_volunteer, a_person, now
):
    day = today_day
    vol = day_volunteer
    someone = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, someone["id"], vol, now)
    template = next(iter(handouts.templates(demo_store)))
    handouts.hand_out(
        demo_store, day, visit_id, [handouts.Pick(template.id, template.default_ticks())], vol, now
    )

    saved = sheets.save_visit_sheet(demo_store, demo_path, visit_id)
    assert isinstance(saved, tuple) and all(Path(f).is_file() for f in saved)
    assert sheets.resave_visit_sheet(demo_store, demo_path, visit_id) == saved
    assert saved[0].parent.parent == sheets.sheets_folder(demo_path)


def test_a_sheet_that_cannot_be_written_is_a_reason_in_words(
    demo_store, demo_path, today_day, day_volunteer, a_person, now
):
    day = today_day
    vol = day_volunteer
    someone = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, someone["id"], vol, now)
    template = next(iter(handouts.templates(demo_store)))
    handouts.hand_out(
        demo_store, day, visit_id, [handouts.Pick(template.id, template.default_ticks())], vol, now
    )
    sheets.sheets_folder(demo_path).write_text("a file where the folder should be")

    reason = sheets.save_visit_sheet(demo_store, demo_path, visit_id)
    assert isinstance(reason, str) and reason


# -- the database as a whole, catalogues and registers -----------------------------------


def test_an_empty_database_has_nobody_and_the_newest_schema(store):
    newest = max(
        int(f.name[:4])
        for f in (Path(__file__).resolve().parents[2] / "db" / "migrations").glob("*.sql")
    )
    assert database.schema_version(store) == newest
    assert not database.has_persons(store)
    assert database.record_counts(store)["persons"] == 0


def test_the_demo_counts_are_its_registers(demo_store):
    counts = database.record_counts(demo_store)
    assert database.has_persons(demo_store)
    assert counts["villages"] == len(catalogues.villages(demo_store))
    assert counts["volunteers"] == len(vq.volunteers(demo_store))


def test_paging_the_villages_shows_every_village_once(demo_store):
    seen, after = [], None
    while page := persons.village_rows(demo_store, after, 3):
        seen += [row["id"] for row in page]
        after = (page[-1]["township"], page[-1]["name"])
    assert sorted(seen) == sorted(v["id"] for v in catalogues.villages(demo_store))


def test_a_households_members_are_the_villages_people(demo_store):
    village = next(v for v in persons.village_rows(demo_store, None, 50) if v["households"])
    households = persons.household_rows(demo_store, village["id"], None, 10_000)
    assert len(households) == village["households"]
    members = [m for h in households for m in persons.household_members(demo_store, h["id"])]
    assert len(members) == sum(h["persons"] for h in households)


def test_volunteer_filters_and_record(demo_store):
    active = vq.volunteers(demo_store, active=True)
    assert active and all(v["active"] for v in active)
    one = active[0]
    assert vq.volunteer(demo_store, one["id"])["name"] == one["name"]
    assert vq.volunteers(demo_store, name=one["name"])[0]["id"] == one["id"]
    assert [s["date"] for s in vq.schedule(demo_store, one["id"])] == sorted(
        s["date"] for s in vq.schedule(demo_store, one["id"])
    )
    assert vq.unavailable_dates(demo_store, one["id"]) == sorted(
        vq.unavailable_dates(demo_store, one["id"])
    )


def test_catalogues_cover_what_volunteers_are_filed_under(demo_store):
    orgs = {o["id"] for o in catalogues.organisations(demo_store)}
    specs = {s["code"] for s in catalogues.specialties(demo_store)}
    for v in vq.volunteers(demo_store):
        assert v["organisation_id"] is None or v["organisation_id"] in orgs
        assert v["specialty_code"] is None or v["specialty_code"] in specs


def test_every_talk_is_a_talk_of_its_day(demo_store):
    every = talks.all_talks(demo_store)
    assert every, "the demo holds health talks"
    by_day = {
        t["id"]
        for d in {t["clinic_day_id"] for t in every}
        for t in talks.talks_of_day(demo_store, d)
    }
    assert {t["id"] for t in every} == by_day


def test_starting_replication_is_on_record(store, tmp_path):
    replicate.record_replication(store, "coordinator", tmp_path / "usb", once=True)
    row = store.one("SELECT actor, action, detail FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (row["actor"], row["action"]) == ("coordinator", "replicate")
    assert str((tmp_path / "usb").resolve()) in row["detail"]
