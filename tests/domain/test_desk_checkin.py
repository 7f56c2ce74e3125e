"""Check-in: consent before health data, walk-ins with duplicate warnings, the queue."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.core import desk
from clinic.core.errors import DuplicateWarning, InputError, RefusedError


def test_check_in_needs_consent(demo_store, today_day, day_volunteer, a_person, now):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=False, not_on_day=day["id"])
    with pytest.raises(RefusedError):
        desk.check_in(demo_store, day, p["id"], vol, now)
    assert (
        demo_store.scalar(
            "SELECT COUNT(*) FROM visits WHERE person_id = ? AND clinic_day_id = ?",
            [p["id"], day["id"]],
        )
        == 0
    )
    visit_id, new = desk.check_in(
        demo_store,
        day,
        p["id"],
        vol,
        now,
        consent=desk.Consent(
            explained_by=vol, signed_by="proxy", proxy_name="李二", proxy_relation="儿子"
        ),
    )
    assert new
    consent = demo_store.one(
        "SELECT * FROM consents WHERE person_id = ? ORDER BY id DESC", [p["id"]]
    )
    assert (consent["signed_by"], consent["proxy_name"], consent["explained_by"]) == (
        "proxy",
        "李二",
        vol,
    )
    visit = demo_store.one("SELECT * FROM visits WHERE id = ?", [visit_id])
    assert (visit["state"], visit["checked_in_by"], visit["arrived_at"]) == (
        "waiting",
        vol,
        "2026-11-24 09:30:00",
    )


def test_proxy_consent_needs_the_proxy_name(demo_store, today_day, day_volunteer, a_person, now):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=False, not_on_day=day["id"])
    with pytest.raises(InputError, match="proxy"):
        desk.check_in(
            demo_store,
            day,
            p["id"],
            vol,
            now,
            consent=desk.Consent(explained_by=vol, signed_by="proxy"),
        )


def test_checking_in_twice_keeps_one_visit(demo_store, today_day, day_volunteer, a_person, now):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=True, not_on_day=day["id"])
    first, new1 = desk.check_in(demo_store, day, p["id"], vol, now)
    second, new2 = desk.check_in(demo_store, day, p["id"], vol, now)
    assert first == second and new1 and not new2


def test_no_health_data_without_consent(
    demo_store, today_day, day_volunteer, a_person, now, desk_user
):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _new = desk.check_in(demo_store, day, p["id"], vol, now)
    demo_store.conn.execute(
        "UPDATE consents SET withdrawn_at = '2026-11-24' WHERE person_id = ?", [p["id"]]
    )
    with pytest.raises(RefusedError):
        desk.save_visit(
            demo_store,
            day,
            visit_id,
            desk.VisitForm(values={"bp": "150/90"}),
            now,
            vol,
            by=desk_user,
        )
    assert demo_store.scalar("SELECT sbp FROM visits WHERE id = ?", [visit_id]) is None


def test_past_day_records_take_the_day_date(
    demo_store, past_day, day_volunteer, a_person, now, today
):
    day = past_day
    vol = day_volunteer
    p = a_person(consent=False, not_on_day=day["id"])
    visit_id, _ = desk.check_in(
        demo_store, day, p["id"], vol, now, consent=desk.Consent(explained_by=vol)
    )
    visit = demo_store.one("SELECT arrived_at FROM visits WHERE id = ?", [visit_id])
    assert visit["arrived_at"].startswith(day["date"])
    given = demo_store.scalar(
        "SELECT given_at FROM consents WHERE person_id = ? ORDER BY id DESC", [p["id"]]
    )
    assert given.startswith(day["date"])
    assert day["date"] != today.isoformat()


def test_walk_in_day_and_join_desk(demo_store, today):
    village = demo_store.scalar("SELECT id FROM villages LIMIT 1")
    day_id = desk.create_walk_in_day(demo_store, village, today)
    vol = demo_store.scalar("SELECT id FROM volunteers LIMIT 1")
    desk.join_desk(demo_store, day_id, vol)
    desk.join_desk(demo_store, day_id, vol)
    rows = demo_store.query("SELECT status FROM assignments WHERE clinic_day_id = ?", [day_id])
    assert rows == [{"status": "attended"}]
    assert demo_store.scalar("SELECT walk_in FROM clinic_days WHERE id = ?", [day_id]) == 1
    assert desk.days_for_desk(demo_store, today)[0]["date"] == today.isoformat()


@pytest.fixture
def at(now) -> str:
    """The moment of a walk-in's registration, as stored."""
    return now.isoformat(timespec="seconds")


def consent(volunteer: int = 3) -> desk.Consent:
    return desk.Consent(explained_by=volunteer)


@pytest.fixture
def walk_in(today):
    """``walk_in(store, **fields)``: a walk-in's form, checked as the desk checks it."""

    def clean(store, **kw):
        village = store.scalar("SELECT id FROM villages LIMIT 1")
        form = desk.WalkIn(
            **{"name": "测试员", "sex": "F", "birth": "68", "village_id": village, **kw}
        )
        return desk.clean_walk_in(form, today)

    return clean


def test_walk_in_is_registered_and_findable(demo_store, today, walk_in, at):
    clean = walk_in(demo_store, phone="13912345678")
    assert not clean.problems
    assert desk.age_on(clean.birth_date, today) == 68  # an age typed is an age kept
    pid = desk.add_walk_in(demo_store, clean, consent(), at=at, actor="tester", volunteer_id=3)
    row = demo_store.one("SELECT walk_in, phone FROM persons WHERE id = ?", [pid])
    audit = demo_store.one("SELECT actor, action, detail FROM audit_log WHERE action = 'walk_in'")
    assert audit["actor"] == "tester" and f'"person_id": {pid}' in audit["detail"]
    assert "13912345678" not in audit["detail"]
    assert row == {"walk_in": 1, "phone": "13912345678"}
    assert pid in [h.id for h in desk.find(demo_store, "cs", today, limit=200)] or pid in [
        h.id for h in desk.find(demo_store, "5678", today, limit=200)
    ]
    assert pid in [h.id for h in desk.find(demo_store, "测试员", today)]
    assert desk.has_consent(demo_store, pid)  # written with the person, in one transaction


def test_a_walk_in_without_consent_stores_nothing(demo_store, walk_in, at):
    """The consent dialog promises "nothing is recorded": not the name, not an audit row."""
    clean = walk_in(demo_store, phone="13912345678", id_number="")
    tables = ("persons", "person_keys", "consents", "audit_log")
    before = {t: demo_store.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}
    with pytest.raises(RefusedError):
        desk.add_walk_in(demo_store, clean, None, at=at, actor="tester", volunteer_id=3)
    with pytest.raises(InputError):  # a consent nobody explained is no consent either
        desk.add_walk_in(demo_store, clean, desk.Consent(explained_by=None), at=at)
    assert {t: demo_store.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables} == before
    assert demo_store.scalar("SELECT COUNT(*) FROM persons WHERE name = '测试员'") == 0


def test_walk_in_duplicate_warning(demo_store, today, at):
    existing = demo_store.one(
        "SELECT id, name, birth_date, village_id FROM persons WHERE birth_date IS NOT NULL LIMIT 1"
    )
    form = desk.WalkIn(
        name=existing["name"],
        sex="M",
        birth=existing["birth_date"],
        village_id=existing["village_id"],
    )
    clean = desk.clean_walk_in(form, today)
    clean.problems.pop("sex", None)
    with pytest.raises(DuplicateWarning) as info:
        desk.add_walk_in(demo_store, clean, consent(), at=at)
    assert existing["id"] in [c["id"] for c in info.value.candidates]
    before = demo_store.scalar("SELECT COUNT(*) FROM persons")
    desk.add_walk_in(demo_store, clean, consent(), at=at, confirm_duplicate=True)
    assert demo_store.scalar("SELECT COUNT(*) FROM persons") == before + 1


def test_walk_in_with_a_registered_id_number_is_refused_even_when_confirmed(
    demo_store, walk_in, at
):
    existing = demo_store.one("SELECT id_number FROM persons WHERE id_number IS NOT NULL LIMIT 1")
    clean = walk_in(demo_store, id_number=existing["id_number"], sex="", birth="")
    assert not clean.problems, clean.problems
    with pytest.raises(DuplicateWarning):
        desk.add_walk_in(demo_store, clean, consent(), at=at, confirm_duplicate=True)


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"id_number": "500110195001010000"}, "id_number"),
        ({"id_number": "12345"}, "id_number"),
        ({"name": ""}, "name"),
        ({"birth": "150"}, "birth"),
        ({"birth": "2030-01-01"}, "birth"),
        ({"phone": "12345"}, "phone"),
        ({"village_id": None}, "village"),
        ({"sex": None}, "sex"),
    ],
)
def test_walk_in_refusals(demo_store, fields, problem, walk_in, at):
    clean = walk_in(demo_store, **fields)
    assert problem in clean.problems
    with pytest.raises(InputError):
        desk.check_walk_in(demo_store, clean)
    with pytest.raises(InputError):
        desk.add_walk_in(demo_store, clean, consent(), at=at)


def test_queue_states_and_waiting_time(
    demo_store, today_day, day_volunteer, a_person, now, desk_user
):
    day = today_day
    vol = day_volunteer
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _ = desk.check_in(demo_store, day, p["id"], vol, now, queue="gp")
    later = now + dt.timedelta(minutes=25)
    row = next(r for r in desk.queue_rows(demo_store, day, later) if r["visit_id"] == visit_id)
    assert (row["state"], row["waited"]) == ("waiting", 25)
    assert all(r["queue"] == "gp" for r in desk.queue_rows(demo_store, day, later, "gp"))
    assert visit_id not in [r["visit_id"] for r in desk.queue_rows(demo_store, day, later, "tcm")]
    desk.set_state(demo_store, day, visit_id, "with_doctor", vol, later, by=desk_user)
    desk.set_state(
        demo_store, day, visit_id, "done", vol, later + dt.timedelta(minutes=10), by=desk_user
    )
    row = next(
        r
        for r in desk.queue_rows(demo_store, day, later + dt.timedelta(hours=1))
        if r["visit_id"] == visit_id
    )
    assert (row["state"], row["waited"]) == ("done", 25)
    assert desk.seen_counts(demo_store, day["id"]).get(vol, 0) >= 1


def test_two_desks_checking_in_the_same_person_make_one_visit(
    demo_path, monkeypatch, today_day, a_person, now
):
    """Desk B read "not checked in" just before desk A wrote the visit."""
    from clinic.store import open_store
    from clinic.store import visits as visits_q

    a, b = open_store(demo_path), open_store(demo_path)
    day = today_day
    p = a_person(consent=True, not_on_day=day["id"])
    first, _ = desk.check_in(a, day, p["id"], None, now)
    real_visit_for = visits_q.visit_for
    stale = iter([None])  # B's first look is from before A's write

    def visit_for(store, day_id, person_id):
        return next(stale, real_visit_for(store, day_id, person_id))

    monkeypatch.setattr(visits_q, "visit_for", visit_for)
    second, new = desk.check_in(b, day, p["id"], None, now)
    assert (second, new) == (first, False)
    assert (
        a.scalar(
            "SELECT COUNT(*) FROM visits WHERE clinic_day_id = ? AND person_id = ?",
            [day["id"], p["id"]],
        )
        == 1
    )
    a.close()
    b.close()
