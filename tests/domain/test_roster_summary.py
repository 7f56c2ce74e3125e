"""What the roster says about itself: no "at most 0 days" when nothing can be filled, whom the
days per volunteer are about, and namesakes told apart."""

from __future__ import annotations

from click.testing import CliRunner

from clinic.cli.main import cli
from clinic.core import planning as p
from clinic.core.planning import volunteers as vq
from clinic.i18n import set_language
from clinic.store.connection import new_uid


def _namesake(store, name, phone=None, org=None, specialty="gp") -> int:
    return p.save_volunteer(
        store,
        p.VolunteerInput(name=name, phone=phone, organisation_id=org, specialty_code=specialty),
    )


def test_nothing_left_to_fill_is_said_in_words(store, add_village, add_day, add_volunteer):
    """Every place taken gave "at most 0 days per volunteer" although volunteers had days."""
    village = add_village(store)
    day = add_day(store, village, date="2026-12-05", needs="全科=1")
    serving = add_volunteer(store, "甲医生")
    add_volunteer(store, "乙医生")
    p.assign(store, day, serving, status="confirmed")
    data = p.plan_roster(store, "2026-12-01", "2026-12-31").to_json(store)
    summary = p.roster_summary(data)
    assert "No open places" in summary and "0 day" not in summary
    assert data["most_days"] == 1 and data["most_days_volunteers"] == ["甲医生"]
    assert p.roster_spread(data) == (
        "Days per volunteer in the period (all 2 active volunteers, days already assigned "
        "included): 1 × 0, 1 × 1; most: 甲医生, 1 day."
    )
    set_language("zh")
    assert "每位志愿者最多 0 天" not in p.roster_summary(data)
    assert "没有空缺" in p.roster_summary(data)


def test_open_places_nobody_can_fill_are_not_called_a_fair_spread(
    store, add_village, add_day, add_volunteer
):
    village = add_village(store)
    add_day(store, village, date="2026-12-05", needs="牙科=2")
    add_volunteer(store, "甲医生")
    data = p.plan_roster(store, "2026-12-01", "2026-12-31").to_json(store)
    summary = p.roster_summary(data)
    assert summary.startswith("0 of 2 open places filled; nobody can fill them")
    assert "at most" not in summary


def test_the_spread_counts_every_active_volunteer_and_says_so(
    store, add_village, add_day, add_volunteer
):
    """The spread covered only the volunteers who could fill an open place (11 of 16) without
    saying which; it now covers every active volunteer, days already assigned included."""
    village = add_village(store)
    add_day(store, village, date="2026-12-05", needs="全科=2")
    add_day(store, village, date="2026-12-12", needs="全科=1")
    for name in ("甲", "乙"):
        add_volunteer(store, name)
    add_volunteer(store, "丙护士", specialty="nurse")  # cannot fill a gp place
    inactive = add_volunteer(store, "丁退出")
    store.db["volunteers"].update(inactive, {"active": 0})
    data = p.plan_roster(store, "2026-12-01", "2026-12-31").to_json(store)
    assert data["volunteers_counted"] == 3 == sum(data["days_per_volunteer"].values())
    assert data["days_per_volunteer"] == {"0": 1, "1": 1, "2": 1}
    assert "all 3 active volunteers" in p.roster_spread(data)


def test_namesakes_are_told_apart(store):
    minjin = p.find_organisation(store, "民进")
    jiusan = p.find_organisation(store, "九三学社")
    a = _namesake(store, "王芳", "13812345678", minjin)
    b = _namesake(store, "王芳", "13987654321", jiusan)
    c = _namesake(store, "王芳", "13711112222", minjin)
    d = _namesake(store, "李明", org=minjin)
    e = (  # an old list imported twice: same name, organisation and specialty, no phone
        store.db["volunteers"]
        .insert(
            {"uid": new_uid(), "name": "李明", "organisation_id": minjin, "specialty_code": "gp"}
        )
        .last_pk
    )
    labels = p.volunteer_labels(vq.volunteers(store))
    assert labels[b] == "王芳 (九三学社)"
    assert labels[a] == "王芳 (民进, 138****5678)" and labels[c] == "王芳 (民进, 137****2222)"
    assert labels[d] == f"李明 (#{d})" and labels[e] == f"李明 (#{e})"
    assert len(set(labels.values())) == len(labels)
    single = _namesake(store, "赵一")
    assert p.volunteer_labels(vq.volunteers(store))[single] == "赵一"
    set_language("zh")
    assert p.volunteer_labels(vq.volunteers(store))[b] == "王芳（九三学社）"


def test_the_roster_on_the_command_line_shows_namesakes_apart(
    store, tmp_path, monkeypatch, add_village, add_day, today
):
    monkeypatch.setattr("clinic.cli.planning.options.today", lambda: today)
    village = add_village(store)
    add_day(store, village, date="2026-12-05", needs="全科=2")
    _namesake(store, "王芳", "13812345678", p.find_organisation(store, "民进"))
    _namesake(store, "王芳", "13987654321", p.find_organisation(store, "民进"))
    store.close()
    out = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "test.db"), "roster", "--from", "2026-12-01", "--to", "2026-12-31"],
    )
    assert out.exit_code == 0, out.output
    # Same organisation and specialty: told apart by the masked phone.
    assert "General practice: 王芳 (138****5678)" in out.output
    assert "General practice: 王芳 (139****4321)" in out.output
    assert "all 2 active volunteers" in out.output


def test_the_roster_warns_when_a_year_has_no_known_holiday_arrangement(
    store, tmp_path, add_village, add_day, add_volunteer
):
    from clinic.core import holidays as h

    village = add_village(store)
    later = h.arrangement_known_until() + 1
    add_day(store, village, date=f"{later}-03-06", needs="全科=1")
    add_volunteer(store, "甲医生")
    data = p.plan_roster(store, f"{later}-03-01", f"{later}-03-31").to_json(store)
    assert data["warnings"] == [h.coverage_warning(f"{later}-03-01", f"{later}-03-31")]
    store.close()
    out = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "test.db"),
            "roster",
            "--from",
            f"{later}-03-01",
            "--to",
            f"{later}-03-31",
        ],
    )
    assert f"Warning: The State Council's holiday arrangement for {later}" in out.stderr
