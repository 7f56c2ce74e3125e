"""Vital signs: reading what a volunteer typed, refusing the impossible, raising flags.

The tool flags, it never diagnoses. Thresholds follow the national basic
public-health service norms (domain.md): blood pressure >= 140/90 mmHg is
raised and >= 180/110 urgent; glucose >= 16.7 or <= 3.9 mmol/L is urgent;
fasting >= 7.0 or random >= 11.1 mmol/L suggests diabetes.

Plausible ranges are wide on purpose: they catch a slipped finger (1400
instead of 140, a glucose typed in mg/dL), not an unusual patient.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from clinic.core.errors import FieldError, collecting
from clinic.i18n import N_, _

# field: (low, high, unit, label msgid)
RANGES: dict[str, tuple[float, float, str, str]] = {
    "sbp": (60, 280, "mmHg", N_("Systolic pressure")),
    "dbp": (30, 160, "mmHg", N_("Diastolic pressure")),
    "pulse": (30, 220, "/min", N_("Pulse")),
    "glucose": (1.1, 33.3, "mmol/L", N_("Glucose")),
    "weight_kg": (2, 250, "kg", N_("Weight")),
    "height_cm": (40, 230, "cm", N_("Height")),
}

BP_RAISED = (140, 90)
BP_URGENT = (180, 110)
GLUCOSE_URGENT_HIGH = 16.7
GLUCOSE_URGENT_LOW = 3.9
GLUCOSE_FASTING_DIABETES = 7.0
GLUCOSE_RANDOM_DIABETES = 11.1


@dataclass(frozen=True)
class Flag:
    code: str  # bp_raised, bp_urgent, glucose_high, glucose_low, glucose_diabetes
    level: str  # "raised" or "urgent"

    @property
    def message(self) -> str:
        """What the desk shows when the flag is raised: its name and what to do."""
        return flag_message(self.code)


# A flag's name: what a count or a list calls it (9 visits with this flag).
FLAG_NAME = {
    "bp_raised": N_("Blood pressure raised (≥140/90)"),
    "bp_urgent": N_("Blood pressure URGENT (≥180/110)"),
    "glucose_high": N_("Glucose URGENT high (≥16.7)"),
    "glucose_low": N_("Glucose URGENT low (≤3.9)"),
    "glucose_diabetes": N_("Glucose suggests diabetes (fasting ≥7.0, random ≥11.1)"),
}
# What to do at once, said only where the reading is taken (never in a count).
FLAG_ACTION = {
    "bp_urgent": N_("see a doctor now"),
    "glucose_high": N_("see a doctor now"),
    "glucose_low": N_("give about 15 g of sugar, re-test in 15 minutes"),
}
# Short words for a flag where space is tight (the queue).
FLAG_SHORT = {
    "bp_raised": N_("BP high"),
    "bp_urgent": N_("BP URGENT"),
    "glucose_high": N_("glucose URGENT"),
    "glucose_low": N_("glucose LOW"),
    "glucose_diabetes": N_("glucose high"),
}
FLAG_LEVEL = {
    "bp_raised": "raised",
    "bp_urgent": "urgent",
    "glucose_high": "urgent",
    "glucose_low": "urgent",
    "glucose_diabetes": "raised",
}


def flag_short(code: str) -> str:
    return _(FLAG_SHORT[code]) if code in FLAG_SHORT else code


def flag_label(code: str) -> str:
    """The flag's name, for counts and lists (no instruction)."""
    return _(FLAG_NAME[code]) if code in FLAG_NAME else code


def flag_message(code: str) -> str:
    """The flag's name and, for an urgent flag, what to do now (the desk)."""
    if code not in FLAG_ACTION:
        return flag_label(code)
    return _("{flag}: {action}").format(flag=flag_label(code), action=_(FLAG_ACTION[code]))


@dataclass
class Vitals:
    sbp: int | None = None
    dbp: int | None = None
    pulse: int | None = None
    glucose: float | None = None
    glucose_fasting: bool | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    problems: dict[str, str] = field(default_factory=dict)  # field -> message

    def as_row(self) -> dict:
        return {
            "sbp": self.sbp,
            "dbp": self.dbp,
            "pulse": self.pulse,
            "glucose": self.glucose,
            "glucose_fasting": None if self.glucose is None else (1 if self.glucose_fasting else 0),
            "weight_kg": self.weight_kg,
            "height_cm": self.height_cm,
        }


def _fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


MG_PER_MMOL = 18.0  # glucose: mg/dL = mmol/L × 18


def parse_number(text: str | None, name: str, *, integer: bool = False) -> float | int | None:
    """A typed value (full-width digits allowed) checked against its plausible range."""
    value = _fold(text).replace("，", ".").replace(",", ".")
    if not value:
        return None
    low, high, unit, label = RANGES[name]
    try:
        number = float(value)
    except ValueError:
        raise FieldError(
            _('{label}: "{value}" is not a number.').format(label=_(label), value=value), name
        ) from None
    if name == "glucose" and high < number <= high * MG_PER_MMOL:
        # 110 is a normal reading in mg/dL (the unit of many imported meters), not 110 mmol/L.
        raise FieldError(
            _(
                "Glucose {value} looks like mg/dL; in mmol/L that is {mmol:.1f}. Type the reading in mmol/L."
            ).format(value=f"{number:g}", mmol=number / MG_PER_MMOL),
            name,
        )
    if not (low <= number <= high):
        raise FieldError(
            _(
                "{label} {value} {unit} is outside the plausible range {low:g}–{high:g} {unit}; check the reading."
            ).format(label=_(label), value=f"{number:g}", unit=unit, low=low, high=high),
            name,
        )
    if integer:
        return int(round(number))
    return round(number, 1)


_BP = re.compile(r"^\s*(\d{2,3})\s*(?:/|\s|-|\\)\s*(\d{2,3})\s*$")


def parse_bp(text: str | None) -> tuple[int | None, int | None]:
    """ "140/90" (also "140 90", "140-90") into (systolic, diastolic)."""
    value = _fold(text)
    if not value:
        return None, None
    match = _BP.match(value)
    if not match:
        raise FieldError(
            _("Blood pressure: type it as systolic/diastolic, for example 135/85."), "bp"
        )
    sbp = parse_number(match.group(1), "sbp", integer=True)
    dbp = parse_number(match.group(2), "dbp", integer=True)
    if sbp is not None and dbp is not None and sbp <= dbp:
        raise FieldError(
            _(
                "Blood pressure {sbp}/{dbp}: the systolic (first) value must be higher than the diastolic."
            ).format(sbp=sbp, dbp=dbp),
            "bp",
        )
    return sbp, dbp  # type: ignore[return-value]


_BP_DONE = re.compile(r"^\s*\d{2,3}\s*[/\s\-\\]\s*(\d{3}|[2-9]\d)\s*$")
_GLUCOSE_DONE = re.compile(r"^\s*\d{1,2}[.,]\d\s*$")


def looks_complete(name: str, text: str | None) -> bool:
    """Whether a reading as typed so far is complete, so the form may move on
    by itself: a diastolic of two digits (30-99) or three (100-160), a glucose
    with its one decimal. Ambiguous input (a bare "140/1", a whole-number
    glucose) waits for Enter."""
    value = _fold(text)
    if name == "bp":
        return bool(_BP_DONE.match(value))
    if name == "glucose":
        return bool(_GLUCOSE_DONE.match(value))
    return False


def read_form(values: dict[str, str], fasting: bool | None) -> Vitals:
    """Read the vitals fields of a visit form; problems are collected, not raised,
    so that a draft keeps every valid value while one field is being fixed."""
    vitals = Vitals()
    with collecting(vitals.problems, "bp"):
        vitals.sbp, vitals.dbp = parse_bp(values.get("bp"))
    for name, integer in (
        ("pulse", True),
        ("glucose", False),
        ("weight_kg", False),
        ("height_cm", False),
    ):
        with collecting(vitals.problems, name):
            setattr(vitals, name, parse_number(values.get(name), name, integer=integer))
    vitals.glucose_fasting = fasting if vitals.glucose is not None else None
    return vitals


def flags_for(
    sbp: int | None, dbp: int | None, glucose: float | None, fasting: bool | None
) -> list[Flag]:
    """The flags these readings raise, most urgent first."""
    found: list[Flag] = []
    if sbp is not None or dbp is not None:
        s, d = sbp or 0, dbp or 0
        if s >= BP_URGENT[0] or d >= BP_URGENT[1]:
            found.append(Flag("bp_urgent", "urgent"))
        elif s >= BP_RAISED[0] or d >= BP_RAISED[1]:
            found.append(Flag("bp_raised", "raised"))
    if glucose is not None:
        if glucose >= GLUCOSE_URGENT_HIGH:
            found.append(Flag("glucose_high", "urgent"))
        elif glucose <= GLUCOSE_URGENT_LOW:
            found.append(Flag("glucose_low", "urgent"))
        if glucose >= (GLUCOSE_FASTING_DIABETES if fasting else GLUCOSE_RANDOM_DIABETES):
            found.append(Flag("glucose_diabetes", "raised"))
    found.sort(key=lambda f: 0 if f.level == "urgent" else 1)
    return found


def flags_text(flags: list[Flag]) -> str:
    """The ';'-separated codes stored in visits.flags."""
    return ";".join(f.code for f in flags)


def parse_flags(text: str | None) -> list[Flag]:
    return [Flag(code, FLAG_LEVEL.get(code, "raised")) for code in (text or "").split(";") if code]


def bmi(weight_kg: float | None, height_cm: float | None) -> float | None:
    if not weight_kg or not height_cm:
        return None
    return round(weight_kg / (height_cm / 100) ** 2, 1)
