"""Health prescriptions (健康处方): templates, suggesting them, handing them out, sheet stock.

A template is a checklist: the clinician ticks the items that apply. A
handout records the template's id (so its version), the ticked item codes,
who gave it and when.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from clinic.core import vitals as V
from clinic.core.desk.consent import consented_visit
from clinic.core.desk.days import stamp
from clinic.core.desk.visits import acting_volunteer
from clinic.core.errors import (
    InputError,
    NotFoundError,
)
from clinic.core.users import User
from clinic.i18n import _, current_language, pick
from clinic.store import Store
from clinic.store import catalogues as catalogues_q
from clinic.store import days as days_q
from clinic.store import visits as visits_q

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
    return [template_from_row(r, lang) for r in catalogues_q.templates(store)]


def suggest(
    all_templates: list[Template],
    conditions: list[str],
    flags: list[V.Flag],
    on_record: Sequence[str] = (),
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
    *,
    by: User | None = None,
) -> list[int]:
    """Record one handout per picked template (template and version, ticked
    items, who, when) in one transaction. Refused without consent or ticks.
    Given by ``by``'s own volunteer when linked to one, else ``volunteer_id``
    (:func:`clinic.core.desk.visits.acting_volunteer`)."""
    volunteer_id = acting_volunteer(by, volunteer_id)
    if not picks:
        raise InputError(_("Pick at least one health prescription to hand out."))
    with store.transaction():
        consented_visit(store, visit_id)
        ids = []
        for choice in picks:
            row = catalogues_q.template(store, choice.template_id)
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
                visits_q.insert_handout(
                    store,
                    {
                        "visit_id": visit_id,
                        "template_id": row["id"],
                        "ticked": ticked,
                        "given_by": volunteer_id,
                        "given_at": stamp(day, now),
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
        return self.brought - self.given <= max(LOW_STOCK_LEFT, int(self.brought * LOW_STOCK_SHARE))


def stock(store: Store, day_id: int) -> list[StockLine]:
    titles = {t["code"]: pick(t["title_zh"], t["title_en"]) for t in catalogues_q.templates(store)}
    lines = {
        r["code"]: StockLine(r["code"], titles.get(r["code"], r["code"]), r["brought"], r["given"])
        for r in days_q.stock(store, day_id)
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
        days_q.set_stock(store, day_id, code, count)


def low_stock_warnings(store: Store, day_id: int, codes: list[str] | None = None) -> list[str]:
    out = []
    for line in stock(store, day_id):
        if line.low and (codes is None or line.code in codes):
            out.append(
                _('Only {left} printed sheet(s) of "{title}" left.').format(
                    left=max(line.left or 0, 0), title=line.title
                )
            )
    return out
