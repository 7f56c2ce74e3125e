"""Defects found by QA at the desk in the rules beneath it (private sheet files, the
thanks wording, ages, follow-up delays), each pinned by a test that fails if it comes
back (the ones on the screen: tests/ui/test_desk_qa.py)."""

from __future__ import annotations


def test_sheets_are_private_files_in_private_folders(tmp_path, monkeypatch):
    import os
    import stat

    from clinic.core.desk import sheets

    monkeypatch.setattr(sheets, "sheet_html", lambda sheet: "<p>name, BP</p>")
    monkeypatch.setattr(sheets, "sheet_text", lambda sheet: "name, BP")
    sheet = sheets.Sheet.__new__(sheets.Sheet)
    sheet.date, sheet.name = "2026-11-24", "x"
    folder = tmp_path / "sheets"
    (folder / "2026-11-24").mkdir(parents=True, mode=0o755)
    stale = folder / "2026-11-24" / "2026-11-24_7_x.html"
    stale.write_text("old")
    stale.chmod(0o644)  # written by an earlier version: tightened when written again
    old_umask = os.umask(0o022)
    try:
        paths = sheets.save_sheet(sheet, folder, 7)
    finally:
        os.umask(old_umask)
    assert stale in paths and stale.read_text() == "<p>name, BP</p>"
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for path in (folder, folder / "2026-11-24"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700


def test_thanks_says_one_person_in_the_singular():
    from clinic.core.desk import summary as day_summary
    from clinic.i18n import set_language

    team = {"volunteers": [{"name": "Ann"}]}
    assert day_summary.thanks({**team, "seen": 1}) == "Thank you, Ann: 1 person was seen today."
    assert day_summary.thanks({**team, "seen": 2}) == "Thank you, Ann: 2 people were seen today."
    set_language("zh")
    try:
        assert day_summary.thanks({**team, "seen": 1}) == "感谢Ann：今天共服务 1 人。"
    finally:
        set_language("en")


def test_age_with_a_unit_and_an_id_number_agree():
    import datetime as dt

    from clinic.core import desk
    from clinic.core.idnumbers import check_character

    today = dt.date(2026, 3, 1)
    first = "50011019690815" + "123"
    number = first + check_character(first)
    for typed in ("56岁", "56 y", "56"):
        form = desk.WalkIn(
            name="张三", sex="M", birth=typed, village_id=1, phone="", id_number=number
        )
        assert "birth" not in desk.clean_walk_in(form, today).problems, typed
    wrong = desk.WalkIn(
        name="张三", sex="M", birth="40岁", village_id=1, phone="", id_number=number
    )
    assert "birth" in desk.clean_walk_in(wrong, today).problems


def test_walk_in_messages_say_what_to_mend():
    """An age or birth date that disagrees with the ID number was refused with only
    "The ID number gives the birth date as …" (which one to fix?); 2023-02-30 got "type a
    birth date or an age", as if the way it was written were wrong."""
    import datetime as dt

    from clinic.core import desk
    from clinic.core.idnumbers import check_character

    today = dt.date(2026, 3, 1)
    first = "50011019690815" + "123"
    number = first + check_character(first)

    def problems(**typed) -> dict[str, str]:
        fields = {"name": "张三", "sex": "M", "village_id": 1, "id_number": number, **typed}
        return desk.clean_walk_in(desk.WalkIn(**fields), today).problems

    assert problems(birth="40岁")["birth"] == (
        "The ID number gives the birth date as 1969-08-15 (age 56, not 40): "
        "correct the age or the ID number."
    )
    assert problems(birth="1969-08-16")["birth"] == (
        "The ID number gives the birth date as 1969-08-15, not 1969-08-16: "
        "correct the birth date or the ID number."
    )
    assert problems(sex="F")["sex"] == (
        "The ID number says the person is male: correct the sex or the ID number."
    )
    assert problems(birth="2023-02-30", id_number="")["birth"] == "2023-02-30 is not a real date."
    assert problems(birth="2023年2月30日", id_number="")["birth"].endswith("is not a real date.")
    assert problems(birth="soon", id_number="")["birth"] == (
        "Type a birth date (1956-03-02) or an age in years (68)."
    )


def test_an_age_is_right_all_year():
    import datetime as dt

    from clinic.core import desk
    from clinic.core.desk import walk_ins

    for today in (dt.date(2026, 3, 1), dt.date(2026, 11, 24)):
        assert desk.age_on(walk_ins._parse_birth("68", today), today) == 68


def test_a_zero_delay_follow_up_is_refused():
    import pytest

    from clinic.core.desk import visits
    from clinic.core.errors import InputError

    with pytest.raises(InputError):
        visits._parse_follow_up("0d", "2026-11-24")
