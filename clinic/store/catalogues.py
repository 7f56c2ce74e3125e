"""The catalogues every other record points at: specialties, organisations,
conditions, prescription templates and settings.

Seeded from db/seeds and rarely written (a local unit of an organisation
from the roster import, a setting of the demo).
"""

from __future__ import annotations

import json

from clinic.store.connection import SETTING_SQL, Store, insert_row

# -- specialties ---------------------------------------------------------------


def specialties(store: Store, *, clinical_only: bool = False) -> list[dict]:
    """Every specialty (catalogue order); ``clinical_only`` keeps those that see patients."""
    where = "WHERE clinical = 1" if clinical_only else ""
    return store.query(f"SELECT * FROM specialties {where} ORDER BY sort_order, code")


def specialty_names(store: Store) -> dict[str, tuple[str, str]]:
    """code → (name_zh, name_en), read once per connection (seeds change only at start)."""
    if "specialty_names" not in store.cache:
        store.cache["specialty_names"] = {
            r["code"]: (r["name_zh"], r["name_en"]) for r in specialties(store)
        }
    return store.cache["specialty_names"]


# -- organisations ---------------------------------------------------------------


def organisations(store: Store) -> list[dict]:
    return store.query("SELECT * FROM organisations ORDER BY sort_order, id")


def add_local_unit(store: Store, name: str, parent: dict) -> int:
    """A local unit (民进綦江区委会) of a catalogued organisation."""
    level = (
        "district"
        if "区委" in name or "县委" in name
        else ("general_branch" if "总支" in name else "branch")
    )
    return insert_row(
        store.db,
        "organisations",
        {
            "short_name": name,
            "name_zh": name,
            "name_en": f"{parent['name_en']} ({name})",
            "level": level,
            "parent_id": parent["id"],
            "sort_order": parent["sort_order"],
        },
    )


def organisations_named(store: Store, name: str) -> list[int]:
    """Ids of the organisation called ``name`` (short, Chinese or English
    name) and of every unit under it: "民进" counts 民进綦江区委会 too."""
    return [
        r["id"]
        for r in store.query(
            """
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM organisations
            WHERE short_name = ?1 OR name_zh = ?1 OR lower(name_en) = lower(?1)
            UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id
        )
        SELECT id FROM tree ORDER BY id
        """,
            [name.strip()],
        )
    ]


def organisation_choices(store: Store) -> list[dict]:
    """Organisations that ran a clinic day, and the bodies above them (so
    "民进" can be chosen for all of its units)."""
    return store.query("""
        WITH RECURSIVE up(id) AS (
            SELECT DISTINCT organisation_id FROM clinic_days WHERE organisation_id IS NOT NULL
            UNION SELECT o.parent_id FROM organisations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL
        )
        SELECT id, short_name, name_zh, name_en FROM organisations WHERE id IN (SELECT id FROM up)
        ORDER BY sort_order, short_name""")


# -- conditions ------------------------------------------------------------------


def conditions(store: Store) -> list[dict]:
    """The chronic-condition catalogue (code, names, aliases), catalogue order."""
    return store.query("SELECT * FROM conditions ORDER BY sort_order, code")


def condition_lookup(store: Store) -> dict[str, str]:
    """Every spelling of a catalogued condition (name, aliases, code) → its code."""
    table: dict[str, str] = {}
    for row in conditions(store):
        for word in [row["code"], row["name_zh"], row["name_en"], *row["aliases"].split(";")]:
            if word.strip():
                table[word.strip().lower()] = row["code"]
    return table


# -- prescription templates --------------------------------------------------------


def templates(store: Store) -> list[dict]:
    """The newest version of every template."""
    return store.query(
        """SELECT t.* FROM prescription_templates t
           WHERE t.version = (SELECT MAX(version) FROM prescription_templates t2 WHERE t2.code = t.code)
           ORDER BY (SELECT sort_order FROM conditions c WHERE c.code = t.condition_code), t.code"""
    )


def template(store: Store, template_id: int) -> dict | None:
    return store.one("SELECT * FROM prescription_templates WHERE id = ?", [template_id])


def default_ticks(store: Store) -> dict[int, str]:
    """Template id → JSON list of the item codes ticked by default (every version)."""
    ticks = {}
    for row in store.query("SELECT id, body FROM prescription_templates"):
        body = json.loads(row["body"])
        codes = [
            item["code"]
            for section in body.get("sections", [])
            for item in section.get("items", [])
            if item.get("default")
        ]
        ticks[row["id"]] = json.dumps(codes)
    return ticks


# -- settings ----------------------------------------------------------------------


def set_setting(store: Store, key: str, value: str) -> None:
    store.db.table("settings").upsert({"key": key, "value": value}, pk="key")


def setting(store: Store, key: str) -> str | None:
    """The value of a setting, or None when it was never set."""
    return store.scalar(SETTING_SQL, [key])
