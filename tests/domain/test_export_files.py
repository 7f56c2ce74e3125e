"""Files the app writes: private, atomic, safely named; every export audited.

The roster and the iCalendar files go through the same pipeline as the other
datasets: a volunteer's name cannot make a file outside its folder, a failed
audit record takes the file back, and every file is 0600 in 0700 folders.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic.core.errors import InputError
from clinic.core.files import safe_file_name, write_atomic, write_bytes_atomic

PERIOD = ["--from", "2026-11-24", "--to", "2027-02-28"]
HOSTILE_NAMES = [
    "../../x",
    '=HYPERLINK("http://example.invalid","x")',
    "a/b\\c",
    "CON",
    ".hidden",
    "-rf",
    "\x07\x1b[31m",
    "张/伟",
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@given(st.text(max_size=200))
def test_a_safe_file_name_stays_in_its_folder(text):
    name = safe_file_name(text)
    assert name and len(name) <= 60
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", "=", "+", "-", "@"))
    folder = Path("/srv/out")
    assert (folder / name).resolve().parent == folder


def test_safe_file_names_keep_chinese_and_refuse_device_names():
    assert safe_file_name("张三") == "张三"
    assert safe_file_name("CON") == "_CON"
    assert safe_file_name("../..") == "file"
    assert safe_file_name('=HYPERLINK("x")').startswith("HYPERLINK")


def test_write_atomic_is_all_or_nothing(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def half_then_fail(stream):
        stream.write(b"half a file")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_write_atomic_is_private_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = write_bytes_atomic(tmp_path / "x.ics", b"BEGIN:VCALENDAR")
    finally:
        os.umask(old)
    assert mode(path) == 0o600


def test_a_mistyped_folder_is_an_error_not_a_new_folder(tmp_path):
    with pytest.raises(InputError, match="no-such-folder does not exist"):
        write_bytes_atomic(tmp_path / "no-such-folder" / "x.csv", b"")
    assert not (tmp_path / "no-such-folder").exists()


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "does not exist"), ("zh", "不存在")], ids=["en", "zh"]
)
@pytest.mark.parametrize("dataset", ["visits", "pack"])
def test_an_export_to_a_mistyped_folder_says_so(
    demo_path, tmp_path, clinic_cli, lang, words, dataset
):
    out = tmp_path / "no-such-folder" / ("x.xlsx" if dataset == "pack" else "x.csv")
    result = clinic_cli(demo_path, "--lang", lang, "export", dataset, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert words in result.output and str(out.parent) in result.output
    assert "Traceback" not in result.output and "Unexpected" not in result.output


def _hostile_volunteers(demo_store) -> list[int]:
    """Give volunteers on the roster of the period names an attacker would choose."""
    ids = [
        r["volunteer_id"]
        for r in demo_store.query(
            """SELECT DISTINCT a.volunteer_id FROM assignments a
               JOIN clinic_days d ON d.id = a.clinic_day_id
               WHERE d.date BETWEEN '2026-11-24' AND '2027-02-28' AND a.status != 'declined'
               ORDER BY a.volunteer_id LIMIT ?""",
            [len(HOSTILE_NAMES)],
        )
    ]
    with demo_store.transaction() as db:
        for vid, name in zip(ids, HOSTILE_NAMES, strict=False):
            db.execute("UPDATE volunteers SET name = ? WHERE id = ?", [name, vid])
    return ids


def test_calendars_for_everyone_stay_in_their_folder(demo_path, demo_store, tmp_path, clinic_cli):
    ids = _hostile_volunteers(demo_store)
    folder = tmp_path / "calendars"
    result = clinic_cli(demo_path, "export", "ics", "--all", "-o", str(folder), *PERIOD)
    assert result.exit_code == 0, result.output
    files = sorted(folder.iterdir())
    assert files and all(f.parent == folder and f.suffix == ".ics" for f in files)
    assert not any(f.name.startswith((".", "=", "-")) for f in files)
    for vid in ids:
        assert any(f.name.endswith(f"-{vid}.ics") for f in files)
    assert not (tmp_path / "x").exists() and not list(tmp_path.glob("*.ics"))
    assert mode(folder) == 0o700 and all(mode(f) == 0o600 for f in files)
    row = demo_store.one("SELECT * FROM audit_log WHERE action = 'export' ORDER BY id DESC")
    detail = json.loads(row["detail"])
    assert detail["dataset"] == "ics" and detail["all"] is True and row["rows"] == len(files)


def test_one_calendar_is_private_and_audited(demo_path, demo_store, tmp_path, clinic_cli):
    vid = _hostile_volunteers(demo_store)[0]
    out = tmp_path / "one.ics"
    result = clinic_cli(
        demo_path, "export", "ics", "--volunteer", f"#{vid}", "-o", str(out), *PERIOD
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR") and mode(out) == 0o600
    detail = json.loads(demo_store.one("SELECT detail FROM audit_log ORDER BY id DESC")["detail"])
    assert detail == {
        "dataset": "ics",
        "format": "ics",
        "volunteer_id": vid,
        "from": "2026-11-24",
        "to": "2027-02-28",
        "file": "one.ics",
        "unmasked": False,
    }


def test_roster_export_is_private_audited_and_taken_back_without_its_record(
    demo_path, demo_store, tmp_path, monkeypatch, clinic_cli
):
    out = tmp_path / "roster.xlsx"
    result = clinic_cli(demo_path, "export", "roster", "-o", str(out), "--unmasked", *PERIOD)
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600
    row = demo_store.one("SELECT action, detail FROM audit_log ORDER BY id DESC")
    assert row["action"] == "export_unmasked"
    assert json.loads(row["detail"])["dataset"] == "roster"

    import clinic.store.audit as audit

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "record", refuse)
    again = tmp_path / "again.csv"
    with pytest.raises(OSError):
        clinic_cli(demo_path, "export", "roster", "-o", str(again), *PERIOD)
    assert not again.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
