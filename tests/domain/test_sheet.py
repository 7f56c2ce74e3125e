"""The printed health-prescription sheet (健康处方) a villager takes home: complete, in
large print on A5, in the person's language whatever the desk's, signed by role, drawn
from editable templates, and printable from the desk with one key."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clinic.core import desk
from clinic.core.desk import handouts, printing, sheets
from clinic.core.errors import SheetTemplateError
from clinic.i18n import current_language, set_language

FULL = {
    "bp": "186/112",
    "pulse": "78",
    "glucose": "12.3",
    "weight_kg": "61.5",
    "height_cm": "158",
    "referral_to": "东溪镇卫生院",
    "follow_up_due": "30d",
}


class SheetParser(HTMLParser):
    """The sheet's text by class (td.referral ...), every text, the CSS, the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.by_class: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self.tags: list[str] = []
        self.css = ""
        self.lang = ""
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        classes = (attrs.get("class") or "").split()
        if tag not in ("br", "meta"):
            self._open.append((tag, classes))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._open and self._open[-1][0] == "style":
            self.css += data
            return
        if not data.strip():
            return
        self.texts.append(data.strip())
        for _tag, classes in self._open:
            for name in classes:
                self.by_class.setdefault(name, []).append(data.strip())

    def text(self, name: str) -> str:
        return " ".join(self.by_class.get(name, []))


def parse(html: str) -> SheetParser:
    parser = SheetParser()
    parser.feed(html)
    return parser


def set_role(store, day_id: int, volunteer_id: int, role: str) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE assignments SET role = ? WHERE clinic_day_id = ? AND volunteer_id = ?",
            [role, day_id, volunteer_id],
        )


def rename(store, person_id: int, name: str) -> None:
    with store.transaction() as db:
        db.execute("UPDATE persons SET name = ? WHERE id = ?", [name, person_id])


@pytest.fixture
def handed(demo_store, today_day, day_volunteer, a_person, now, desk_user):
    """A visit with every reading, a referral, two conditions and the hypertension
    sheet handed out by a general practitioner, in an English interface."""
    store = demo_store
    day = today_day
    vol = day_volunteer
    set_role(store, day["id"], vol, "gp")
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _ = desk.check_in(store, day, p["id"], vol, now)
    form = desk.VisitForm(values=dict(FULL), conditions=["hypertension", "diabetes"])
    desk.save_visit(store, day, visit_id, form, now, vol, by=desk_user)
    tpl = next(t for t in handouts.templates(store) if t.code == "hypertension")
    handouts.hand_out(store, day, visit_id, [handouts.Pick(tpl.id, tpl.default_ticks())], vol, now)
    return store, day, vol, visit_id, p


def test_sheet_has_every_field_with_units_flags_and_ticked_advice(handed, tmp_path, today):
    store, day, vol, visit_id, p = handed
    assert current_language() == "en"
    html_path, text_path = sheets.save_sheet(
        sheets.build_sheet(store, visit_id), tmp_path, visit_id
    )
    doc = parse(html_path.read_text(encoding="utf-8"))
    row = store.one("SELECT * FROM visits WHERE id = ?", [visit_id])
    person_row = store.one("SELECT * FROM persons WHERE id = ?", [p["id"]])
    everything = " ".join(doc.texts)

    assert doc.text("name") == p["name"]
    assert {"M": "男", "F": "女"}[person_row["sex"]] in everything
    age = desk.age_on(person_row["birth_date"], today)
    assert f"{age} 岁" in everything
    assert "住址" in everything and day["village"] in everything
    assert today.isoformat() in everything
    readings = {
        code: doc.text(f"reading-{code}") for code in ("bp", "pulse", "glucose", "weight", "height")
    }
    assert "186/112 mmHg" in readings["bp"] and "很高，请尽快就医" in readings["bp"]
    assert "78 次/分" in readings["pulse"] and "/min" not in everything
    assert "12.3 mmol/L（随机）" in readings["glucose"] and "偏高" in readings["glucose"]
    assert "61.5 kg" in readings["weight"] and "158 cm" in readings["height"]
    assert set(doc.text("assessed").split("、")) == {"高血压", "糖尿病"}
    assert doc.text("referral") == "东溪镇卫生院"
    assert doc.text("follow-up") == row["follow_up_due"] and row["follow_up_due"]
    assert day["org_zh"] in doc.text("clinic-day")
    assert today.isoformat() in doc.text("clinic-day") and day["village"] in doc.text("clinic-day")
    volunteer = store.one("SELECT name FROM volunteers WHERE id = ?", [vol])["name"]
    assert doc.text("signer") == volunteer and "医生" in everything

    zh = next(t for t in handouts.templates(store, "zh") if t.code == "hypertension")
    ticked = set(zh.default_ticks())
    advice = [li for li in doc.texts if li.startswith("☑")]
    for section in zh.sections:
        for item in section.items:
            assert (f"☑ {item.text}" in advice) == (item.code in ticked), item.code
    assert doc.lang == "zh-CN"


def test_text_version_is_complete_too(handed, tmp_path, today):
    store, day, vol, visit_id, p = handed
    _html, text_path = sheets.save_sheet(sheets.build_sheet(store, visit_id), tmp_path, visit_id)
    text = text_path.read_text(encoding="utf-8")
    follow_up = store.scalar("SELECT follow_up_due FROM visits WHERE id = ?", [visit_id])
    for expected in (
        f"姓名：{p['name']}",
        "血压：186/112 mmHg  [很高，请尽快就医]",
        "脉搏：78 次/分",
        "血糖：12.3 mmol/L（随机）  [偏高]",
        "体重：61.5 kg",
        "身高：158 cm",
        "转诊至：东溪镇卫生院",
        f"下次随访：{follow_up}",
        "医生：",
        f"义诊日：{day['org_zh']} {today.isoformat()}",
        "【高血压健康处方】",
    ):
        assert expected in text, expected
    assessed = re.search(r"本次评估：(.+)", text).group(1)
    assert set(assessed.split("、")) == {"高血压", "糖尿病"}
    zh = next(t for t in handouts.templates(store, "zh") if t.code == "hypertension")
    assert text.count("[x] ") == len(zh.default_ticks())


def test_large_print_on_a5_with_page_breaks(handed):
    store, *_rest = handed
    visit_id = handed[3]
    css = parse(sheets.sheet_html(sheets.build_sheet(store, visit_id))).css
    sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)pt", css)]
    assert sizes and min(sizes) >= 14, sizes
    assert not re.search(r"font-size:\s*[\d.]+(px|em|rem|%)", css), "every size in points"
    body = re.search(r"body\s*\{[^}]*font-size:\s*([\d.]+)pt", css)
    assert body and float(body.group(1)) >= 14
    assert re.search(r"@page\s*\{[^}]*size:\s*A5", css)
    assert re.search(r"li[^{]*\{[^}]*break-inside:\s*avoid", css)  # an item is never cut
    assert re.search(r"h2[^{]*\{[^}]*break-after:\s*avoid", css)  # nor left alone at a page end


def test_chinese_register_gets_chinese_whatever_the_interface(handed):
    store, day, vol, visit_id, p = handed
    set_language("en")
    in_english = sheets.sheet_html(sheets.build_sheet(store, visit_id))
    set_language("zh")
    try:
        in_chinese = sheets.sheet_html(sheets.build_sheet(store, visit_id))
    finally:
        set_language("en")
    assert in_english == in_chinese
    assert "健康处方" in in_english and "Health prescription" not in in_english


def test_a_name_in_latin_letters_gets_an_english_sheet(handed):
    store, day, vol, visit_id, p = handed
    rename(store, p["id"], "Anna Smith")
    set_language("zh")
    try:
        sheet = sheets.build_sheet(store, visit_id)
        text = sheets.sheet_text(sheet)
    finally:
        set_language("en")
    assert sheet.lang == "en"
    assert "Pulse: 78 beats/min" in text and "Referred to: 东溪镇卫生院" in text
    assert "Blood pressure: 186/112 mmHg  [very high: see a doctor soon]" in text
    assert "Doctor: " in text and "健康处方" not in text


def test_a_hostile_name_is_escaped_in_html_and_kept_in_text(handed):
    store, day, vol, visit_id, p = handed
    rename(store, p["id"], "<script>alert(1)</script>王")
    sheet = sheets.build_sheet(store, visit_id)
    html = sheets.sheet_html(sheet)
    doc = parse(html)
    assert "script" not in doc.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;王" in html
    assert doc.text("name") == "<script>alert(1)</script>王"
    assert "<script>alert(1)</script>王" in sheets.sheet_text(sheet)


def test_a_clerk_at_the_keyboard_is_named_as_handled_by_not_doctor(handed):
    store, day, vol, visit_id, p = handed
    set_role(store, day["id"], vol, "clerk")
    sheet = sheets.build_sheet(store, visit_id)
    volunteer = store.one("SELECT name FROM volunteers WHERE id = ?", [vol])["name"]
    assert (sheet.signer_role, sheet.signer) == ("handled", volunteer)
    doc = parse(sheets.sheet_html(sheet))
    assert "经办人" in doc.texts and "医生" not in doc.texts
    assert "经办人：" + volunteer in sheets.sheet_text(sheet)


def test_the_doctor_who_saw_the_person_signs_when_a_clerk_handed_out(
    demo_store,
    today_day,
    a_person,
    now,
    desk_user,
):
    store = demo_store
    day = today_day
    crew = store.query(
        "SELECT volunteer_id FROM assignments WHERE clinic_day_id = ? ORDER BY id LIMIT 2",
        [day["id"]],
    )
    doctor, clerk = crew[0]["volunteer_id"], crew[1]["volunteer_id"]
    set_role(store, day["id"], doctor, "tcm")
    set_role(store, day["id"], clerk, "clerk")
    p = a_person(consent=True, not_on_day=day["id"])
    visit_id, _ = desk.check_in(store, day, p["id"], clerk, now)
    desk.save_visit(
        store, day, visit_id, desk.VisitForm(values={"bp": "150/95"}), now, doctor, by=desk_user
    )
    tpl = next(t for t in handouts.templates(store) if t.code == "hypertension")
    handouts.hand_out(
        store, day, visit_id, [handouts.Pick(tpl.id, tpl.default_ticks())], clerk, now
    )
    sheet = sheets.build_sheet(store, visit_id)
    name = store.one("SELECT name FROM volunteers WHERE id = ?", [doctor])["name"]
    assert (sheet.signer_role, sheet.signer) == ("doctor", name)


def test_a_doctors_own_template_beside_the_database_wins(handed, demo_path):
    store, day, vol, visit_id, p = handed
    sheet = sheets.build_sheet(store, visit_id)
    assert parse(sheets.sheet_html(sheet)).text("name") == p["name"]  # the shipped one, first
    folder = demo_path.parent / "templates"
    folder.mkdir()
    (folder / "sheet.html.j2").write_text(
        "<p class=mine>{{ w.name }} {{ sheet.name }}</p>", encoding="utf-8"
    )
    # Put there while the desk is open: the next sheet uses it.
    assert parse(sheets.sheet_html(sheet)).text("mine") == f"姓名 {p['name']}"
    assert "【高血压健康处方】" in sheets.sheet_text(sheet)  # the shipped text template still


def test_a_template_with_a_mistake_is_refused_in_words(handed, demo_path, tmp_path):
    store, day, vol, visit_id, p = handed
    folder = demo_path.parent / "templates"
    folder.mkdir()
    (folder / "sheet.html.j2").write_text("{{ sheet.nmae }}", encoding="utf-8")
    with pytest.raises(SheetTemplateError) as caught:
        sheets.save_sheet(sheets.build_sheet(store, visit_id), tmp_path / "sheets", visit_id)
    assert "sheet.html.j2" in caught.value.message and "nmae" in caught.value.message


def test_the_shipped_templates_are_package_data():
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"templates/*.j2"' in pyproject and "jinja2>=" in pyproject
    from clinic.store.resources import data_root

    for name in ("sheet.html.j2", "sheet.txt.j2"):
        assert (data_root() / "templates" / name).is_file()


# -- printing -------------------------------------------------------------------


def saved(handed, tmp_path) -> tuple[Path, Path]:
    store, day, vol, visit_id, p = handed
    return sheets.save_sheet(sheets.build_sheet(store, visit_id), tmp_path, visit_id)


def test_without_a_printer_the_sheet_opens_in_the_browser(handed, tmp_path, browser):
    html_path, text_path = saved(handed, tmp_path)
    ok, message = printing.print_sheet(html_path, text_path)
    assert ok and browser.opened == [html_path.as_uri()]
    assert "Opened the sheet in the browser" in message


def test_no_screen_no_text_browser_taking_the_terminal(handed, tmp_path, browser, monkeypatch):
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(printing.sys, "platform", "linux")
    html_path, text_path = saved(handed, tmp_path)
    ok, message = printing.print_sheet(html_path, text_path)
    assert not ok and browser.opened == []
    assert str(html_path) in message


def test_a_default_printer_gets_the_sheet(handed, tmp_path, browser, monkeypatch):
    html_path, text_path = saved(handed, tmp_path)
    calls = []

    def run(args, timeout=60):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "request id is desk-7 (1 file(s))", "")

    monkeypatch.setattr(printing, "default_printer", lambda: "desk")
    monkeypatch.setattr(printing, "_pdf_of", lambda path: None)  # no browser to make the A5 PDF
    monkeypatch.setattr(printing, "_run", run)
    ok, message = printing.print_sheet(html_path, text_path)
    assert ok and browser.opened == []
    assert calls == [
        ["lp", "-d", "desk", "-o", "media=A5", "-o", "cpi=8", "-o", "lpi=4", str(text_path)]
    ]
    assert "printer desk" in message and "large-print text" in message


def test_the_a5_pdf_is_printed_and_not_left_behind(handed, tmp_path, browser, monkeypatch):
    html_path, text_path = saved(handed, tmp_path)
    pdf = html_path.with_suffix(".pdf")
    calls = []

    def make_pdf(path):
        pdf.write_bytes(b"%PDF-1.4 sheet")
        return pdf

    def run(args, timeout=60):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(printing, "default_printer", lambda: "desk")
    monkeypatch.setattr(printing, "_pdf_of", make_pdf)
    monkeypatch.setattr(printing, "_run", run)
    ok, message = printing.print_sheet(html_path, text_path)
    assert ok and calls == [["lp", "-d", "desk", "-o", "media=A5", str(pdf)]]
    assert not pdf.exists(), "no copy of health data left beside the sheet"
    assert message == "Sent the sheet to the printer desk."


def test_a_refusing_printer_falls_back_to_the_browser(handed, tmp_path, browser, monkeypatch):
    html_path, text_path = saved(handed, tmp_path)
    monkeypatch.setattr(printing, "default_printer", lambda: "desk")
    monkeypatch.setattr(printing, "_pdf_of", lambda path: None)
    monkeypatch.setattr(
        printing,
        "_run",
        lambda args, timeout=60: subprocess.CompletedProcess(args, 1, "", "lp: paused"),
    )
    ok, message = printing.print_sheet(html_path, text_path)
    assert ok and browser.opened == [html_path.as_uri()]
    assert "refused the sheet: lp: paused" in message and "browser" in message


def test_default_printer_read_from_lpstat(monkeypatch):
    monkeypatch.setattr(printing.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        printing,
        "_run",
        lambda args, timeout=60: subprocess.CompletedProcess(
            args, 0, "system default destination: Desk_Laser\n", ""
        ),
    )
    assert printing.default_printer() == "Desk_Laser"
    monkeypatch.setattr(
        printing,
        "_run",
        lambda args, timeout=60: subprocess.CompletedProcess(
            args, 0, "no system default destination\n", ""
        ),
    )
    assert printing.default_printer() is None
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    assert printing.default_printer() is None
