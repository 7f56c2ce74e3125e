"""clinic report (summary is the default command) as text and JSON."""

from __future__ import annotations

import json


def test_report_text_and_json(year_store, clinic_cli):
    text = clinic_cli(
        year_store.path, "report", "--from", "2025-01-01", "--to", "2025-12-31", "--org", "民进"
    )
    assert text.exit_code == 0
    assert "Clinic days held: 20 (planned 1, cancelled 1)" in text.output
    assert "Health prescriptions: 660 (to 400 people)" in text.output
    assert (
        "Households served: 320; registered in these villages: 400; coverage 80.0%" in text.output
    )
    assert "王" not in text.output  # counts, never names
    default = json.loads(clinic_cli(year_store.path, "report", "--json").output)
    explicit = json.loads(clinic_cli(year_store.path, "report", "summary", "--json").output)
    assert default == explicit and default["visits"] == 402


def test_report_in_chinese(year_store, clinic_cli):
    result = clinic_cli(year_store.path, "--lang", "zh", "report", "--to", "2025-12-31")
    assert result.exit_code == 0
    assert "已举办义诊日：20" in result.output and "低保户：80 / 80 (100.0%)" in result.output


def test_report_errors(year_store, clinic_cli):
    result = clinic_cli(year_store.path, "report", "--village", "没有村")
    assert (
        result.exit_code == 1 and result.output.strip() == "No village or township called 没有村."
    )
    result = clinic_cli(year_store.path, "report", "--from", "2025-12-01", "--to", "2025-01-01")
    assert result.exit_code == 1 and "before it starts" in result.output


def test_year_shortcut(year_store, clinic_cli):
    year = json.loads(clinic_cli(year_store.path, "report", "--year", "2025", "--json").output)
    spelled = json.loads(
        clinic_cli(
            year_store.path, "report", "--from", "2025-01-01", "--to", "2025-12-31", "--json"
        ).output
    )
    assert year == spelled and year["visits"] == 401
    both = clinic_cli(year_store.path, "report", "--year", "2025", "--from", "2025-02-01")
    assert both.exit_code == 2
