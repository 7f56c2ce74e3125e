"""The printable sheet of a visit's health prescriptions: what it says, rendered and saved.

Sheets are written as HTML sized for A5 (print from any browser) and as plain
text (for a receipt printer or a phone message).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from clinic.core import vitals as V
from clinic.core.desk.handouts import Template, template_from_row
from clinic.core.desk.visits import visit_context
from clinic.core.errors import (
    ClinicError,
    NotFoundError,
    SheetTemplateError,
)
from clinic.core.files import app_folder, safe_file_name, write_bytes_atomic
from clinic.core.templates import environment as _environment
from clinic.core.templates import own_templates
from clinic.i18n import N_, _, translation_for
from clinic.store import Store
from clinic.store import assignments as assignments_q
from clinic.store import catalogues as catalogues_q
from clinic.store import visits as visits_q
from clinic.store import volunteers as volunteers_q

# -- sheets -------------------------------------------------------------------
#
# The sheet is what an elderly villager takes home: every field on it, in large
# print, in the person's language (never the desk's), from a template file a
# doctor can edit (db/templates/sheet.html.j2 and sheet.txt.j2, or a copy in a
# templates/ folder beside the database, which wins).

# Clinical roles that are not a doctor's: a nurse or a pharmacist is not named "doctor".
NOT_DOCTORS = {"nurse", "pharmacist", "lab"}

# The words of the sheet; translated into the sheet's language when it is drawn.
SHEET_WORDS = {
    "heading": N_("Health prescription"),
    "name": N_("Name"),
    "sex": N_("Sex"),
    "age": N_("Age"),
    "village": N_("Lives in"),
    "date": N_("Date"),
    "readings": N_("Readings today"),
    "reading": N_("Reading"),
    "result": N_("Result"),
    "note": N_("Note"),
    "assessed": N_("Assessed today"),
    "referral": N_("Referred to"),
    "follow_up": N_("Next follow-up"),
    "clinic_day": N_("Clinic day"),
    "doctor": N_("Doctor"),
    "handled": N_("Handled by"),
    "none": N_("none"),
    "keep": N_("Keep this sheet and bring it to your next check."),
}

# A flag in words an elderly reader understands, beside the reading it is about.
SHEET_FLAG_WORDS = {
    "bp_raised": N_("raised"),
    "bp_urgent": N_("very high: see a doctor soon"),
    "glucose_diabetes": N_("raised"),
    "glucose_high": N_("very high: see a doctor soon"),
    "glucose_low": N_("low"),
}
_FLAG_READING = {
    "bp_raised": "bp",
    "bp_urgent": "bp",
    "glucose_diabetes": "glucose",
    "glucose_high": "glucose",
    "glucose_low": "glucose",
}


@dataclass
class Reading:
    code: str  # bp, pulse, glucose, weight, height
    label: str
    value: str  # with its unit, in the sheet's language
    word: str = ""  # the flag in words (偏高), empty when the reading is unremarkable
    level: str = ""  # raised or urgent: how the word is printed


@dataclass
class Sheet:
    lang: str  # the sheet's language: the person's, never the desk's
    organisation: str
    name: str
    sex: str
    age: int | None
    village: str
    date: str
    clinic_day: str  # date, hours, place: where this sheet was given
    readings: list[Reading]
    diagnosis: str
    blocks: list[tuple[Template, list[str]]]  # template, ticked codes
    referral: str
    follow_up: str
    signer_role: str  # "doctor" or "handled": the role the signer really had
    signer: str
    templates: Path | None = None  # a folder of the doctor's own sheet templates


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def sheet_language(person: dict) -> str:
    """The person's language follows the register: a name written in Chinese
    characters (every name on a village register) gets a Chinese sheet; only a
    name written wholly in Latin letters (a visitor registered at the desk) gets an
    English one. The desk's interface language never changes the sheet."""
    name = person.get("name") or ""
    return "en" if name.strip() and not _HAN.search(name) else "zh"


def _role(store: Store, day_id: int, volunteer_id: int) -> str | None:
    """What the volunteer did that day: their assignment's role, else their specialty."""
    row = assignments_q.assignment_of(store, day_id, volunteer_id)
    if row and row["role"]:
        return row["role"]
    vol = volunteers_q.volunteer(store, volunteer_id)
    return vol["specialty_code"] if vol else None


def _signer(store: Store, day_id: int, seen_by: int | None, given_by: list[int]) -> tuple[str, str]:
    """The sheet names its signer by the role they had: the doctor who saw the
    person when one did; otherwise whoever handed it out or keyed the visit,
    as "handled by" (a clerk at the keyboard is not a doctor)."""
    doctors = {r["code"] for r in catalogues_q.specialties(store, clinical_only=True)} - NOT_DOCTORS
    candidates = [v for v in [seen_by, *given_by] if v]
    for vid in candidates:
        doctor = volunteers_q.volunteer(store, vid)
        if doctor and _role(store, day_id, vid) in doctors:
            return "doctor", doctor["name"]
    for other in [*given_by, seen_by]:
        vol = volunteers_q.volunteer(store, other) if other else None
        if vol:
            return "handled", vol["name"]
    return "handled", ""


def _readings(visit: dict, g) -> list[Reading]:
    """The readings with their units and, beside them, their flags in words."""
    out = []
    if visit["sbp"]:
        pressure = f"{visit['sbp']}/{visit['dbp']}" if visit["dbp"] else f"{visit['sbp']}"
        out.append(Reading("bp", g(N_("Blood pressure")), f"{pressure} mmHg"))
    if visit["pulse"]:
        out.append(
            Reading(
                "pulse", g(N_("Pulse")), g(N_("{value} beats/min")).format(value=visit["pulse"])
            )
        )
    if visit["glucose"] is not None:
        kind = g(N_("fasting")) if visit["glucose_fasting"] else g(N_("random"))
        value = g(N_("{value} mmol/L ({kind})")).format(value=f"{visit['glucose']:g}", kind=kind)
        out.append(Reading("glucose", g(N_("Glucose")), value))
    if visit["weight_kg"]:
        out.append(Reading("weight", g(N_("Weight")), f"{visit['weight_kg']:g} kg"))
    if visit["height_cm"]:
        out.append(Reading("height", g(N_("Height")), f"{visit['height_cm']:g} cm"))
    flags = V.flags_for(
        visit["sbp"], visit["dbp"], visit["glucose"], bool(visit["glucose_fasting"])
    )
    for flag in flags:
        reading = next((r for r in out if r.code == _FLAG_READING.get(flag.code)), None)
        if reading and not reading.word:  # most urgent first: its word wins
            reading.word, reading.level = g(SHEET_FLAG_WORDS[flag.code]), flag.level
    return out


def _template_row(store: Store, template_id: int) -> dict:
    """The template a handout recorded (kept: a handout names its version)."""
    row = catalogues_q.template(store, template_id)
    if not row:
        raise NotFoundError(
            _("There is no health prescription template {id}.").format(id=template_id)
        )
    return row


def build_sheet(store: Store, visit_id: int, handout_ids: list[int] | None = None) -> Sheet:
    ctx = visit_context(store, visit_id, dt.date.today())
    visit, day, person = ctx["visit"], ctx["day"], ctx["person"]
    lang = sheet_language(person)
    g = translation_for(lang).gettext
    rows = [h for h in ctx["handouts"] if handout_ids is None or h["id"] in handout_ids]
    blocks = [
        (
            template_from_row(_template_row(store, h["template_id"]), lang),
            json.loads(h["ticked"]),
        )
        for h in rows
    ]
    role, signer = _signer(
        store, day["id"], visit["seen_by"], [h["given_by"] for h in rows if h["given_by"]]
    )
    names = {
        r["code"]: (r["name_zh"] if lang == "zh" else r["name_en"])
        for r in catalogues_q.conditions(store)
    }
    joiner = "、" if lang == "zh" else ", "
    diagnosis = joiner.join(names.get(c, c) for c in visits_q.visit_conditions(store, visit_id))
    org = (
        (day.get("org_zh") or day.get("org_en"))
        if lang == "zh"
        else (day.get("org_en") or day.get("org_zh"))
    ) or ""
    place = " ".join(x for x in (day["township"], day["village"], day["venue"]) if x)
    sex = {"M": g(N_("male")), "F": g(N_("female"))}.get(person["sex"] or "", "")
    return Sheet(
        lang=lang,
        organisation=org,
        name=person["name"],
        sex=sex,
        age=ctx["age"],
        village=f"{person['township'] or ''} {person['village'] or ''}".strip()
        or f"{day['township']} {day['village']}",
        date=day["date"],
        clinic_day=f"{day['date']} {day['start_time']}–{day['end_time']} {place}".strip(),
        readings=_readings(visit, g),
        diagnosis=diagnosis,
        blocks=blocks,
        referral=visit["referral_to"] or "",
        follow_up=visit["follow_up_due"] or "",
        signer_role=role,
        signer=signer,
        templates=own_templates(store.path),
    )


def _context(sheet: Sheet) -> dict:
    """What a template sees: the sheet, its words in its language, the ticked advice."""
    g = translation_for(sheet.lang).gettext
    words = {key: g(msgid) for key, msgid in SHEET_WORDS.items()}
    words["signer"] = words[sheet.signer_role] if sheet.signer_role in words else words["handled"]
    words["age_value"] = g(N_("{age} years")).format(age=sheet.age) if sheet.age is not None else ""
    advice = []
    for tpl, ticked in sheet.blocks:
        sections = [
            {"title": s.title, "ticked": [i.text for i in s.items if i.code in ticked]}
            for s in tpl.sections
        ]
        advice.append(
            {
                "title": tpl.title,
                "summary": tpl.summary,
                "sections": [s for s in sections if s["ticked"]],
            }
        )
    return {
        "sheet": sheet,
        "w": words,
        "advice": advice,
        "lang_tag": "zh-CN" if sheet.lang == "zh" else "en",
        "sep": "：" if sheet.lang == "zh" else ": ",  # after a label in the text version
    }


def _render(sheet: Sheet, name: str) -> str:
    try:
        template = _environment(sheet.templates).get_template(name)
        return template.render(_context(sheet))
    except jinja2.TemplateError as exc:
        raise SheetTemplateError(
            _("The sheet template {name} cannot be used: {reason}").format(
                name=name, reason=getattr(exc, "message", None) or exc
            )
        ) from None


def sheet_text(sheet: Sheet) -> str:
    """The sheet as plain text (a receipt printer, a phone message)."""
    return _render(sheet, "sheet.txt.j2")


def sheet_html(sheet: Sheet) -> str:
    """The sheet as HTML for an A5 page in large print (print from any browser)."""
    return _render(sheet, "sheet.html.j2")


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


def save_visit_sheet(store: Store, db_path: Path, visit_id: int) -> tuple[Path, Path] | str:
    """Build and save the one sheet of a visit (every prescription handed out at it)
    beside the database; the reason in words when it cannot be written (a full
    disk, a doctor's template with a mistake). Handing out and saving a finished
    visit both save through here."""
    try:
        sheet = build_sheet(store, visit_id)
        return save_sheet(sheet, sheets_folder(db_path), visit_id)
    except ClinicError as exc:
        return exc.message
    except OSError as exc:
        return str(exc.strerror or exc)


def resave_visit_sheet(
    store: Store, db_path: Path, visit_id: int
) -> tuple[Path, Path] | str | None:
    """The visit's sheet saved again (the final follow-up date and readings) when
    something was handed out at it; None when nothing was, so no sheet is made."""
    if not visits_q.visit_handouts(store, visit_id):
        return None
    return save_visit_sheet(store, db_path, visit_id)


def sheets_folder(db_path: Path) -> Path:
    """Printable sheets live beside the database, in sheets/<date>/."""
    return Path(db_path).resolve().parent / "sheets"
