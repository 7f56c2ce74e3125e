"""Load the seed catalogues in db/seeds into the database.

Catalogues are plain files a doctor could edit (CSV, and one TOML file per
health-prescription template). They are upserted whenever their content
changes (a hash kept in ``settings``), so an edited template lands on the
next start without a migration. A template's version is part of its key:
editing a template without raising its version replaces the text, raising
the version adds a new row and keeps old handouts pointing at the old text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tomllib
from typing import Any

from clinic.store.connection import Store
from clinic.store.resources import data_root

SEED_HASH_KEY = "seed_hash"

CSV_TABLES = {
    "organisations.csv": ("organisations", "short_name"),
    "specialties.csv": ("specialties", "code"),
    "conditions.csv": ("conditions", "code"),
}


def _seed_dir():
    return data_root() / "seeds"


def _read_csv(name: str) -> list[dict[str, Any]]:
    text = (_seed_dir() / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_templates() -> list[dict[str, Any]]:
    """Every template file, parsed, in code order."""
    folder = _seed_dir() / "templates"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found.append(tomllib.loads(entry.read_text(encoding="utf-8")))
    return found


def seed_hash() -> str:
    digest = hashlib.sha256()
    for name in sorted(CSV_TABLES):
        digest.update((_seed_dir() / name).read_bytes())
    folder = _seed_dir() / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()


def template_row(doc: dict[str, Any]) -> dict[str, Any]:
    body = {"summary": doc.get("summary", {}), "sections": doc.get("sections", [])}
    return {
        "code": doc["code"],
        "version": str(doc["version"]),
        "condition_code": doc.get("condition"),
        "title_zh": doc["title"]["zh"],
        "title_en": doc["title"]["en"],
        "body": json.dumps(body, ensure_ascii=False),
    }


def apply_seeds(store: Store, *, force: bool = False) -> bool:
    """Upsert the catalogues if they changed since the last start; True if written."""
    from clinic.store.catalogues import setting

    current = seed_hash()
    stored = setting(store, SEED_HASH_KEY)
    if stored == current and not force:
        return False
    with store.transaction() as db:
        for name, (table, key) in CSV_TABLES.items():
            rows = _read_csv(name)
            for row in rows:
                for column in ("sort_order", "clinical"):
                    if column in row:
                        row[column] = int(row[column] or 0)
            if rows:
                db.table(table).upsert_all(rows, pk=key)
        for doc in read_templates():
            row = template_row(doc)
            existing = store.one(
                "SELECT id FROM prescription_templates WHERE code = ? AND version = ?",
                [row["code"], row["version"]],
            )
            if existing:
                db.table("prescription_templates").update(existing["id"], row)
            else:
                db.table("prescription_templates").insert(row)
        db.table("settings").upsert({"key": SEED_HASH_KEY, "value": current}, pk="key")
    return True
