"""clinic.core.edits.Edit on a database: two desks' saves of one visit and one
clinic day merge field by field, a clash is not written and names who made
the other change (migration 0042, field_changes), and a database from before
that migration upgrades to one that records it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from clinic.core import desk
from clinic.core import planning as p
from clinic.core.users import User
from clinic.store import open_store

SCHEMA_0041 = Path(__file__).resolve().parents[1] / "data" / "schemas" / "schema-0041_users.sql"


def checked_in(store, today_day, a_person, now) -> int:
    person = a_person(consent=True, not_on_day=today_day["id"])
    visit_id, _new = desk.check_in(store, today_day, person["id"], None, now)
    return visit_id


def clinician(name: str) -> User:
    """A signed-in doctor or nurse: only a clinician saves a visit (issue 10)."""
    return User(0, name, frozenset({"clinician"}))


def typed(form: desk.VisitForm, **values: str) -> desk.VisitForm:
    return desk.VisitForm({**form.values, **values}, form.fasting, list(form.conditions))


def test_two_desks_each_keep_their_own_fields_of_a_visit(demo_store, today_day, a_person, now):
    visit_id = checked_in(demo_store, today_day, a_person, now)
    form_a, edit_a = desk.visit_edit(demo_store, visit_id)
    form_b, edit_b = desk.visit_edit(demo_store, visit_id)
    a = typed(form_a, bp="150/95")
    desk.save_visit_edit(demo_store, edit_a, today_day, a, now, by=clinician("A"))
    saved = desk.save_visit_edit(
        demo_store, edit_b, today_day, typed(form_b, glucose="6.3"), now, by=clinician("B")
    )
    assert not saved.clashes and saved.theirs == {"bp": "150/95"}
    saved = desk.save_visit_edit(
        demo_store, edit_a, today_day, typed(a, pulse="72"), now, by=clinician("A")
    )
    assert not saved.clashes and saved.theirs == {"glucose": "6.3"}
    visit = desk.visit(demo_store, visit_id)
    assert (visit["sbp"], visit["glucose"], visit["pulse"]) == (150, 6.3, 72)


def test_a_clash_is_not_written_says_who_and_is_written_when_chosen(
    demo_store, today_day, a_person, now
):
    visit_id = checked_in(demo_store, today_day, a_person, now)
    form_a, edit_a = desk.visit_edit(demo_store, visit_id)
    form_b, edit_b = desk.visit_edit(demo_store, visit_id)
    desk.save_visit_edit(
        demo_store, edit_a, today_day, typed(form_a, glucose="6.3"), now, by=clinician("王医生")
    )
    mine = typed(form_b, glucose="7.0")
    saved = desk.save_visit_edit(demo_store, edit_b, today_day, mine, now, by=clinician("李护士"))
    [told] = saved.clashes
    assert (told.clash.theirs, told.clash.mine, told.actor) == ("6.3", "7.0", "王医生")
    assert told.sentence("glucose") == (
        f"王医生 changed glucose from (empty) to 6.3 at {now:%H:%M}; you typed 7.0."
    )
    assert desk.visit(demo_store, visit_id)["glucose"] == 6.3  # not written while asked
    # Finishing is refused while the clash is open: the visit stays open.
    saved = desk.save_visit_edit(
        demo_store, edit_b, today_day, mine, now, by=clinician("李护士"), finish=True
    )
    assert saved.clashes and desk.visit(demo_store, visit_id)["state"] != "done"
    saved = desk.save_visit_edit(
        demo_store, edit_b, today_day, mine, now, by=clinician("李护士"), keep_mine=("glucose",)
    )
    assert not saved.clashes and desk.visit(demo_store, visit_id)["glucose"] == 7.0
    who = demo_store.one(
        "SELECT actor FROM field_changes WHERE kind = 'visit' AND record_id = ? AND field = 'glucose'",
        [visit_id],
    )
    assert who["actor"] == "李护士"


def test_two_edits_of_one_clinic_day_merge_and_keep_its_notes(demo_store, today):
    day_id = demo_store.scalar(
        "SELECT id FROM clinic_days WHERE date > ? AND status = 'planned' ORDER BY date LIMIT 1",
        [today.isoformat()],
    )
    demo_store.conn.execute(
        "UPDATE clinic_days SET notes = 'bring the scales' WHERE id = ?", [day_id]
    )
    day_a, edit_a = p.day_edit(demo_store, day_id)
    day_b, edit_b = p.day_edit(demo_store, day_id)

    def form(day: dict, **changes) -> p.DayInput:
        fields = {k: v for k, v in {**day, **changes}.items() if k != "notes"}
        return p.DayInput(**fields)

    at = "2026-11-24 10:42:00"
    p.save_day_edit(demo_store, edit_a, form(day_a, venue="卫生室"), today=today, actor="A", at=at)
    saved, _problems = p.save_day_edit(
        demo_store, edit_b, form(day_b, end_time="16:00"), today=today, actor="B", at=at
    )
    assert not saved.clashes
    row = p.get_day(demo_store, day_id)
    assert (row["venue"], row["end_time"], row["notes"]) == ("卫生室", "16:00", "bring the scales")
    # B's form moved on to A's venue: a venue typed now is a change, not a clash.
    # Two new forms both changing it: the second is told.
    day_c, edit_c = p.day_edit(demo_store, day_id)
    day_d, edit_d = p.day_edit(demo_store, day_id)
    p.save_day_edit(demo_store, edit_c, form(day_c, venue="村委会"), today=today, actor="A", at=at)
    saved, _problems = p.save_day_edit(
        demo_store, edit_d, form(day_d, venue="小学"), today=today, actor="B", at=at
    )
    assert [t.clash.field for t in saved.clashes] == ["venue"] and saved.clashes[0].actor == "A"
    assert p.get_day(demo_store, day_id)["venue"] == "村委会"


def test_a_database_from_before_field_changes_upgrades_and_records_them(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_0041.read_text(encoding="utf-8"))
    conn.close()
    with open_store(path) as store:
        assert store.scalar("SELECT count(*) FROM field_changes") == 0
        day = desk.get_day(store, store.scalar("SELECT min(id) FROM clinic_days"))
        visit_id = store.scalar("SELECT min(id) FROM visits WHERE clinic_day_id = ?", [day["id"]])
        form, edit = desk.visit_edit(store, visit_id)
        now = dt.datetime.fromisoformat(f"{day['date']} 10:00:00")
        desk.save_visit_edit(
            store, edit, day, typed(form, complaint="头晕加重"), now, by=clinician("A")
        )
        assert (
            store.scalar("SELECT actor FROM field_changes WHERE record_id = ?", [visit_id]) == "A"
        )


def test_a_purged_person_leaves_no_field_changes(demo_store, today_day, a_person, now):
    from clinic.store import persons as persons_q

    visit_id = checked_in(demo_store, today_day, a_person, now)
    form, edit = desk.visit_edit(demo_store, visit_id)
    desk.save_visit_edit(
        demo_store, edit, today_day, typed(form, pulse="70"), now, by=clinician("A")
    )
    person_id = desk.visit(demo_store, visit_id)["person_id"]
    with demo_store.transaction():
        persons_q.delete_person(demo_store, person_id)
    assert not demo_store.query("SELECT 1 FROM field_changes WHERE record_id = ?", [visit_id])
