"""Volunteer roster import: the sample file, availability words, bad rows."""

from __future__ import annotations

import pytest

from clinic.core.errors import ImportFileError
from clinic.core.planning.volunteer_import import import_volunteers


def write(path, lines, encoding="utf-8-sig"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_sample_roster_imports_cleanly_and_twice_changes_nothing(store, samples):
    path = samples / "volunteers_utf8bom.csv"
    first = import_volunteers(store, path)
    assert first.created == 40 and first.rejected == 0
    second = import_volunteers(store, path)
    assert second.unchanged == 40 and second.created == 0
    row = store.one(
        "SELECT v.*, o.short_name, s.name_zh FROM volunteers v JOIN organisations o ON o.id = v.organisation_id "
        "JOIN specialties s ON s.code = v.specialty_code WHERE v.name = '朱明伟'"
    )
    assert row["short_name"] == "民建" and row["name_zh"] == "口腔"
    assert row["weekdays"] == "56" and row["holidays"] == 1
    weekday_only = store.one("SELECT weekdays, holidays FROM volunteers WHERE name = '金平凯'")
    assert weekday_only == {"weekdays": "01234", "holidays": 0}
    assert store.one("SELECT weekdays, holidays FROM volunteers WHERE name = '贾珍萍'") == {
        "weekdays": "0123456",
        "holidays": 1,
    }


def test_local_unit_is_created_under_its_party(store, tmp_path):
    path = write(
        tmp_path / "v.csv", ["姓名,手机号,所属组织,专业", "张医生,13800001111,民进綦江区委会,全科"]
    )
    result = import_volunteers(store, path)
    assert result.created == 1 and result.organisations_created == 1
    unit = store.one(
        "SELECT o.level, p.short_name AS parent FROM organisations o JOIN organisations p ON p.id = o.parent_id "
        "WHERE o.short_name = '民进綦江区委会'"
    )
    assert unit == {"level": "district", "parent": "民进"}


def test_bad_rows_are_listed_and_nothing_written(store, tmp_path):
    path = write(
        tmp_path / "v.csv",
        [
            "姓名,手机号,所属组织,专业,可服务时间",
            "甲,13800001111,民盟,全科,周末",
            "乙,123,民盟,全科,周末",
            "丙,13800002222,某某协会,全科,周末",
            "丁,13800003333,民盟,算命,周末",
            "戊,13800004444,民盟,全科,月圆之夜",
        ],
    )
    with pytest.raises(ImportFileError) as err:
        import_volunteers(store, path)
    assert [(p.line, p.column) for p in err.value.problems] == [
        (3, "手机号"),
        (4, "所属组织"),
        (5, "专业"),
        (6, "可服务时间"),
    ]
    assert store.scalar("SELECT count(*) FROM volunteers") == 0
    result = import_volunteers(store, path, skip_bad=True)
    assert result.created == 1 and result.rejected_file.exists()


def test_english_headers(store, tmp_path):
    path = write(
        tmp_path / "v.csv",
        [
            "Name,Mobile,Organisation,Specialty,Availability,Max days",
            "Li Wei,13800001111,Jiusan Society,Nurse,Saturday;holidays,2",
        ],
    )
    import_volunteers(store, path)
    row = store.one("SELECT specialty_code, weekdays, holidays, max_days_per_month FROM volunteers")
    assert row == {
        "specialty_code": "nurse",
        "weekdays": "5",
        "holidays": 1,
        "max_days_per_month": 2,
    }
