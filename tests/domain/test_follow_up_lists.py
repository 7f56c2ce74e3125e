"""Follow-up lists per village (issue 13 point 3): ``clinic export follow-ups
--village V --format html``, one printable page per village from the follow-ups
dataset, phones masked unless asked."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from html.parser import HTMLParser

from click.testing import CliRunner

from clinic.core.exports import dataset_rows
from clinic.core.reports import ReportFilters
from clinic.i18n import set_language


class _Lists(HTMLParser):
    """Each village's heading and the cells of its table's rows."""

    def __init__(self) -> None:
        super().__init__()
        self.villages: list[dict] = []
        self._tag: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._tag.append(tag)
        if tag == "section":
            self.villages.append({"heading": "", "rows": []})
        elif tag == "tr" and self.villages:
            self.villages[-1]["rows"].append([])
        elif tag == "td" and self.villages:
            self.villages[-1]["rows"][-1].append("")

    def handle_endtag(self, tag):
        while self._tag and self._tag.pop() != tag:
            pass

    def handle_data(self, data):
        if not self.villages:
            return
        village = self.villages[-1]
        if "h1" in self._tag:
            village["heading"] += data
        elif "td" in self._tag:
            village["rows"][-1][-1] += data.strip() + " "


def run(path, *args, lang="en"):
    from clinic.cli.main import cli

    return CliRunner().invoke(cli, ["--db", str(path), "--lang", lang, *args])


def _expected(store, village):
    """The follow-ups dataset's rows for the village (as the CSV export gives them)."""
    rows = list(dataset_rows(store, "follow-ups", ReportFilters(villages=(village,))))
    assert rows
    return rows


def test_follow_up_list_for_a_village(demo_store, demo_path, tmp_path):
    out = tmp_path / "longshan.html"
    result = run(
        demo_path, "export", "follow-ups", "--village", "龙山村", "--format", "html", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert "@page { size: A4" in text
    page = _Lists()
    page.feed(text)
    (village,) = page.villages
    assert "中峰镇 龙山村" in village["heading"]
    expected = _expected(demo_store, "龙山村")
    rows = village["rows"][1:]  # after the header row
    assert len(rows) == len(expected)
    for cells, row in zip(rows, expected, strict=True):
        # township, village, name, sex, age, id, phone, last visit, due, status,
        # conditions, flags, last BP, last glucose, kind, referral, next day, household, head
        assert cells[1].startswith(row[2])  # name
        assert row[17] in cells[2] and row[18] in cells[2]  # household number and head
        assert row[8] in cells[3] and row[9] in cells[3]  # due, and whether overdue
        assert row[7] in cells[4]  # last visit
        if row[12]:
            assert row[12] in cells[4]  # last blood pressure
        if row[13] is not None:
            assert f"{row[13]}" in cells[4]
        assert cells[5].strip() == row[6]  # the phone, masked
        assert not row[6] or "****" in row[6]
    # No whole phone number is on the page.
    phones = demo_store.query("SELECT phone FROM persons WHERE phone IS NOT NULL")
    assert not any(p["phone"] in text for p in phones)
    log = demo_store.one("SELECT * FROM audit_log ORDER BY id DESC")
    detail = json.loads(log["detail"])
    assert detail["dataset"] == "follow-ups" and detail["format"] == "html"
    assert log["rows"] == len(expected) and log["action"] == "export"


def test_follow_up_lists_one_page_per_village_in_chinese(demo_store, demo_path, tmp_path):
    out = tmp_path / "all.html"
    result = run(demo_path, "export", "follow-ups", "-o", str(out), lang="zh")
    set_language("en")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    page = _Lists()
    page.feed(text)
    villages = {r[1] for r in dataset_rows(demo_store, "follow-ups")}
    assert len(page.villages) == len(villages) > 1
    assert all("下次义诊随访名单" in v["heading"] for v in page.villages)
    assert "break-before: page" in text and "本村下次义诊日" in text
    # A list longer than a page goes on over the next with its headings again.
    assert text.count("<thead>") == len(villages)
    assert "thead { display: table-header-group; }" in text


def test_a_village_with_none_due_says_so(demo_store, demo_path, tmp_path):
    from clinic.core.exports.follow_up_list import follow_up_list_html

    html, n = follow_up_list_html(
        demo_store,
        ReportFilters(villages=("龙山村",)),
        today=dt.date(2020, 1, 1),
    )
    assert n == 0 or "No follow-ups are due." not in html
    far = ReportFilters(villages=("龙山村",), date_to=dt.date(2000, 1, 1))
    html, n = follow_up_list_html(demo_store, far)
    assert n == 0 and "No follow-ups are due." in html


def test_html_is_only_for_the_follow_ups(demo_path, tmp_path):
    result = run(demo_path, "export", "visits", "--format", "html", "-o", str(tmp_path / "v.html"))
    assert result.exit_code == 2
    assert not (tmp_path / "v.html").exists()
