"""Health prescriptions (健康处方): suggesting templates, handing them out, printable sheets.

A template is a checklist: the clinician ticks the items that apply. A
handout records the template's id (so its version), the ticked item codes,
who gave it and when. Sheets are written as HTML sized for A5 (print from
any browser) and as plain text (for a receipt printer or a phone message).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from clinic.core import desk
from clinic.core import vitals as V
from clinic.core.errors import InputError, NotFoundError
from clinic.core.files import app_folder, safe_file_name, write_bytes_atomic
from clinic.i18n import _, current_language, pick
from clinic.store import Store
from clinic.store import desk as q

# Flags that point at a condition's template.
FLAG_CONDITIONS = {
    "bp_raised": "hypertension",
    "bp_urgent": "hypertension",
    "glucose_diabetes": "diabetes",
    "glucose_high": "diabetes",
    # Not glucose_low: a low reading is not diabetes ("eat less sugar" would be wrong advice);
    # a person with diabetes on record still gets their template offered (★, not picked).
}

LOW_STOCK_LEFT = 5  # warn when this many sheets or fewer are left ...
LOW_STOCK_SHARE = 0.1  # ... or a tenth of what was brought


@dataclass
class Item:
    code: str
    text: str
    default: bool


@dataclass
class Section:
    code: str
    title: str
    items: list[Item]


@dataclass
class Template:
    id: int
    code: str
    version: str
    condition: str | None
    title: str
    summary: str
    sections: list[Section]

    def default_ticks(self) -> list[str]:
        return [i.code for s in self.sections for i in s.items if i.default]

    def item_codes(self) -> list[str]:
        return [i.code for s in self.sections for i in s.items]


def _text(node: dict, lang: str) -> str:
    return (node.get(lang) or node.get("en" if lang == "zh" else "zh") or "") if node else ""


def template_from_row(row: dict, lang: str | None = None) -> Template:
    lang = lang or current_language()
    body = json.loads(row["body"] or "{}")
    sections = [
        Section(
            code=s.get("code", ""),
            title=_text(s, lang),
            items=[
                Item(i["code"], _text(i, lang), bool(i.get("default"))) for i in s.get("items", [])
            ],
        )
        for s in body.get("sections", [])
    ]
    return Template(
        id=row["id"],
        code=row["code"],
        version=row["version"],
        condition=row["condition_code"],
        title=row["title_zh"] if lang == "zh" else row["title_en"],
        summary=_text(body.get("summary", {}), lang),
        sections=sections,
    )


def templates(store: Store, lang: str | None = None) -> list[Template]:
    return [template_from_row(r, lang) for r in q.templates(store)]


def suggest(
    all_templates: list[Template],
    conditions: list[str],
    flags: list[V.Flag],
    on_record: list[str] = (),
) -> list[str]:
    """Template codes to offer first: from the conditions assessed, then from the
    flags (raised blood pressure → hypertension ...), then from the person's
    chronic conditions on record."""
    wanted: list[str] = []
    for code in (
        list(conditions) + [FLAG_CONDITIONS.get(f.code, "") for f in flags] + list(on_record)
    ):
        if code and code not in wanted:
            wanted.append(code)
    by_condition = {t.condition or t.code: t.code for t in all_templates}
    return [by_condition[c] for c in wanted if c in by_condition]


@dataclass
class Pick:
    template_id: int
    ticked: list[str] = field(default_factory=list)


def hand_out(
    store: Store,
    day: dict,
    visit_id: int,
    picks: list[Pick],
    volunteer_id: int | None,
    now: dt.datetime,
) -> list[int]:
    """Record one handout per picked template (template and version, ticked
    items, who, when) in one transaction. Refused without consent or ticks."""
    if not picks:
        raise InputError(_("Pick at least one health prescription to hand out."))
    with store.transaction():
        visit = q.visit(store, visit_id)
        if not visit:
            raise NotFoundError(_("There is no visit number {id}.").format(id=visit_id))
        if not desk.has_consent(store, visit["person_id"]):
            raise desk.ConsentMissing(
                _("No consent on record for this person: no health data can be stored.")
            )
        ids = []
        for choice in picks:
            row = q.template(store, choice.template_id)
            if not row:
                raise NotFoundError(
                    _("There is no health prescription template {id}.").format(
                        id=choice.template_id
                    )
                )
            known = template_from_row(row).item_codes()
            ticked = [c for c in choice.ticked if c in known]
            if not ticked:
                raise InputError(
                    _('Tick at least one item of "{title}".').format(
                        title=pick(row["title_zh"], row["title_en"])
                    )
                )
            ids.append(
                q.insert_handout(
                    store,
                    {
                        "visit_id": visit_id,
                        "template_id": row["id"],
                        "ticked": ticked,
                        "given_by": volunteer_id,
                        "given_at": desk.stamp(day, now),
                    },
                )
            )
        return ids


# -- stock --------------------------------------------------------------------


@dataclass
class StockLine:
    code: str
    title: str
    brought: int | None
    given: int

    @property
    def left(self) -> int | None:
        return None if self.brought is None else self.brought - self.given

    @property
    def low(self) -> bool:
        if self.brought is None:
            return False
        return self.left <= max(LOW_STOCK_LEFT, int(self.brought * LOW_STOCK_SHARE))


def stock(store: Store, day_id: int) -> list[StockLine]:
    titles = {t["code"]: pick(t["title_zh"], t["title_en"]) for t in q.templates(store)}
    lines = {
        r["code"]: StockLine(r["code"], titles.get(r["code"], r["code"]), r["brought"], r["given"])
        for r in q.stock(store, day_id)
    }
    for code, title in titles.items():
        lines.setdefault(code, StockLine(code, title, None, 0))
    order = list(titles)
    return sorted(lines.values(), key=lambda s: order.index(s.code) if s.code in order else 99)


def set_stock(store: Store, day_id: int, code: str, brought: str | int) -> None:
    try:
        count = int(str(brought).strip())
    except ValueError:
        raise InputError(_("The number of sheets brought must be a whole number.")) from None
    if count < 0 or count > 100000:
        raise InputError(_("The number of sheets brought must be between 0 and 100000."))
    with store.transaction():
        q.set_stock(store, day_id, code, count)


def low_stock_warnings(store: Store, day_id: int, codes: list[str] | None = None) -> list[str]:
    out = []
    for line in stock(store, day_id):
        if line.low and (codes is None or line.code in codes):
            out.append(
                _('Only {left} printed sheet(s) of "{title}" left.').format(
                    left=max(line.left, 0), title=line.title
                )
            )
    return out


# -- sheets -------------------------------------------------------------------


@dataclass
class Sheet:
    organisation: str
    name: str
    sex: str
    age: int | None
    village: str
    date: str
    readings: list[tuple[str, str]]
    diagnosis: str
    blocks: list[tuple[Template, list[str]]]  # template, ticked codes
    follow_up: str
    clinician: str
    phone: str = ""


def build_sheet(store: Store, visit_id: int, handout_ids: list[int] | None = None) -> Sheet:
    ctx = desk.visit_context(store, visit_id, dt.date.today())
    visit, day, person = ctx["visit"], ctx["day"], ctx["person"]
    rows = [h for h in ctx["handouts"] if handout_ids is None or h["id"] in handout_ids]
    blocks = []
    clinician = ""
    for h in rows:
        tpl = template_from_row(q.template(store, h["template_id"]))
        blocks.append((tpl, json.loads(h["ticked"])))
        if h["given_by"] and not clinician:
            vol = q.volunteer(store, h["given_by"])
            clinician = vol["name"] if vol else ""
    if not clinician and visit["seen_by"]:
        vol = q.volunteer(store, visit["seen_by"])
        clinician = vol["name"] if vol else ""
    readings = []
    if visit["sbp"]:
        readings.append((_("Blood pressure"), f"{visit['sbp']}/{visit['dbp']} mmHg"))
    if visit["pulse"]:
        readings.append((_("Pulse"), f"{visit['pulse']} /min"))
    if visit["glucose"] is not None:
        kind = _("fasting") if visit["glucose_fasting"] else _("random")
        readings.append((_("Glucose"), f"{visit['glucose']:g} mmol/L ({kind})"))
    if visit["weight_kg"]:
        readings.append((_("Weight"), f"{visit['weight_kg']:g} kg"))
    names = dict(desk.conditions_catalogue(store))
    diagnosis = "、".join(names.get(c, c) for c in q.visit_conditions(store, visit_id))
    org = pick(day.get("organisation_zh"), day.get("organisation_en")) or ""
    return Sheet(
        organisation=org,
        name=person["name"],
        sex=_("male") if person["sex"] == "M" else _("female") if person["sex"] == "F" else "",
        age=ctx["age"],
        village=f"{person['township'] or ''} {person['village'] or ''}".strip()
        or f"{day['township']} {day['village']}",
        date=day["date"],
        readings=readings,
        diagnosis=diagnosis,
        blocks=blocks,
        follow_up=visit["follow_up_due"] or "",
        clinician=clinician,
    )


def sheet_text(sheet: Sheet) -> str:
    heading = _("Health prescription")
    lines = [
        f"{sheet.organisation} {heading}".strip(),
        "=" * 32,
        _("Name: {name}   Sex: {sex}   Age: {age}").format(
            name=sheet.name, sex=sheet.sex, age=sheet.age or ""
        ),
        _("Village: {village}   Date: {date}").format(village=sheet.village, date=sheet.date),
    ]
    if sheet.diagnosis:
        lines.append(_("Assessed: {conditions}").format(conditions=sheet.diagnosis))
    for label, value in sheet.readings:
        lines.append(_("{label}: {value}").format(label=label, value=value))
    for tpl, ticked in sheet.blocks:
        lines += ["", f"【{tpl.title}】", tpl.summary]
        for section in tpl.sections:
            items = [i for i in section.items if i.code in ticked]
            if items:
                lines.append(f"- {section.title}")
                lines += [f"  [x] {i.text}" for i in items]
    lines += [
        "",
        _("Next follow-up: {date}").format(date=sheet.follow_up or "-"),
        _("Clinician: {name}   Date: {date}").format(name=sheet.clinician or "-", date=sheet.date),
    ]
    return "\n".join(lines) + "\n"


_CSS = """
@page { size: A5; margin: 10mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; width: 128mm; margin: 0 auto; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 2mm; }
.org { text-align: center; font-size: 9pt; }
table.who { width: 100%; border-collapse: collapse; margin: 2mm 0; }
table.who td { border-bottom: 1px solid #999; padding: 1mm; }
h2 { font-size: 11.5pt; margin: 3mm 0 1mm; border-left: 3px solid #333; padding-left: 2mm; }
h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
ul { margin: 0; padding-left: 5mm; } li { margin: 0.5mm 0; }
.summary { font-style: italic; }
.foot { margin-top: 4mm; border-top: 1px solid #333; padding-top: 1mm; }
section { break-inside: avoid; }
"""


def sheet_html(sheet: Sheet) -> str:
    e = html.escape
    heading = _("Health prescription")
    lang = "zh-CN" if current_language() == "zh" else "en"
    who = [
        (_("Name"), sheet.name),
        (_("Sex"), sheet.sex),
        (_("Age"), str(sheet.age or "")),
        (_("Village"), sheet.village),
        (_("Date"), sheet.date),
    ]
    if sheet.diagnosis:
        who.append((_("Assessed"), sheet.diagnosis))
    who += sheet.readings
    cells = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in who)
    parts = []
    for tpl, ticked in sheet.blocks:
        body = [f"<section><h2>{e(tpl.title)}</h2><p class=summary>{e(tpl.summary)}</p>"]
        for section in tpl.sections:
            items = [i for i in section.items if i.code in ticked]
            if items:
                body.append(
                    f"<h3>{e(section.title)}</h3><ul>"
                    + "".join(f"<li>☑ {e(i.text)}</li>" for i in items)
                    + "</ul>"
                )
        body.append("</section>")
        parts.append("".join(body))
    foot = (
        e(_("Next follow-up: {date}").format(date=sheet.follow_up or "-"))
        + "<br>"
        + e(
            _("Clinician: {name}   Date: {date}").format(
                name=sheet.clinician or "-", date=sheet.date
            )
        )
    )
    return (
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8>"
        f"<title>{e(heading)} {e(sheet.name)}</title><style>{_CSS}</style></head><body>"
        f"<div class=org>{e(sheet.organisation)}</div><h1>{e(heading)}</h1>"
        f"<table class=who>{cells}</table>{''.join(parts)}<div class=foot>{foot}</div></body></html>\n"
    )


def save_sheet(sheet: Sheet, folder: Path, visit_id: int) -> tuple[Path, Path]:
    """Write the sheet as .html and .txt into ``folder``/<date>/; return both paths.

    A sheet holds a name and readings (health data): written private and
    atomic (:mod:`clinic.core.files`), so a crash never leaves an empty sheet.
    """
    app_folder(Path(folder))
    target = app_folder(Path(folder) / sheet.date)
    stem = target / f"{sheet.date}_{visit_id}_{safe_file_name(sheet.name, 'sheet')[:20]}"
    html_path, text_path = stem.with_suffix(".html"), stem.with_suffix(".txt")
    for path, content in ((html_path, sheet_html(sheet)), (text_path, sheet_text(sheet))):
        write_bytes_atomic(path, content.encode("utf-8"))
    return html_path, text_path


def sheets_folder(db_path: Path) -> Path:
    """Printable sheets live beside the database, in sheets/<date>/."""
    return Path(db_path).resolve().parent / "sheets"
