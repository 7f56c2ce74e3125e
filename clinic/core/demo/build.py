"""Building the demo database: villages and households with their members in
one transaction, then volunteers, clinic days and talks."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

from clinic.core.demo.days import add_clinic_days
from clinic.core.demo.synthetic import (
    CADRE_EVERY,
    CATEGORY_WEIGHTS,
    CONDITION_WEIGHTS,
    MAX_PAIRED,
    SIZES,
    SURNAMES,
    SyntheticIds,
    household_member,
    person_name,
    village_names,
    weighted,
)
from clinic.core.demo.users import add_demo_users
from clinic.core.demo.volunteers import add_talks, add_volunteers
from clinic.core.search import search_keys
from clinic.store import bulk, open_store
from clinic.store import catalogues as catalogues_q
from clinic.store.connection import new_uid
from clinic.store.counts import count


def build_demo(
    path: str | Path,
    size: str = "small",
    seed: int = 1,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Create the demo database at ``path``; returns counts of what was made."""
    path = Path(path)
    if replace:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    today = today or dt.date.today()
    spec = SIZES[size]
    rng = random.Random(seed)
    ids = SyntheticIds(rng)
    store = open_store(path)
    total_steps = spec["persons"] + spec["days"]
    done = 0
    keys_cache: dict[str, set[str]] = {}
    try:
        with store.transaction():
            org_ids = bulk.ids_by(store, "organisations", "short_name")
            village_ids = bulk.ensure_villages(store, village_names(rng, spec["villages"]))
            village_list = list(village_ids.values())
            volunteer_ids = add_volunteers(store, rng, ids, spec["volunteers"], org_ids)
            paired = {cadre: 0 for cadre in volunteer_ids[::CADRE_EVERY]}
            persons_by_village: dict[int, list[tuple[int, str, str | None]]] = {
                v: [] for v in village_list
            }
            person_id = bulk.next_id(store, "persons")
            household_id = bulk.next_id(store, "households")
            households: list[tuple] = []
            persons: list[tuple] = []
            tags: list[tuple] = []
            conditions: list[tuple] = []
            keys: list[tuple] = []
            per_village = spec["persons"] / len(village_list)
            for index, vid in enumerate(village_list):
                target = int(per_village * (index + 1)) - int(per_village * index)
                made, number = 0, 0
                prefix = f"V{index + 1:03d}-"
                while made < target:
                    number += 1
                    category = weighted(rng, CATEGORY_WEIGHTS)
                    size_h = min(target - made, rng.choice((1, 2, 2, 3, 3, 4, 5)))
                    surname = rng.choice(SURNAMES)
                    head_name = person_name(rng, surname)
                    cadre = _pair_cadre(rng, paired, category)
                    households.append(
                        (
                            household_id,
                            new_uid(),
                            vid,
                            f"{prefix}{number:04d}",
                            head_name,
                            rng.randint(1, 12),
                            category,
                            cadre,
                        )
                    )
                    head_sex, head_age = rng.choice("MF"), rng.randint(25, 88)
                    taken: set[str] = set()
                    for member in range(size_h):
                        if member == 0:
                            relation, sex, age = "户主", head_sex, head_age
                        else:
                            relation, sex, age = household_member(rng, head_sex, head_age, taken)
                        blood = relation in ("之子", "之女", "孙子", "孙女", "之父")
                        name = (
                            head_name
                            if member == 0
                            else person_name(rng, surname if blood else None)
                        )
                        birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
                        has_id = rng.random() > 0.03
                        id_number = ids.id_number(birth, sex) if has_id else None
                        phone = ids.phone() if (member == 0 or rng.random() < 0.3) else None
                        persons.append(
                            (
                                person_id,
                                new_uid(),
                                household_id,
                                vid,
                                name,
                                relation,
                                sex,
                                birth.isoformat(),
                                id_number,
                                phone,
                                rng.random() < 0.4 and age > 60,
                            )
                        )
                        if rng.random() < 0.06:
                            tags.append((person_id, "disabled"))
                        if age >= 65 and rng.random() < 0.25:
                            tags.append((person_id, "left_behind_elderly"))
                        if age >= 35:
                            for code in {
                                weighted(rng, CONDITION_WEIGHTS)
                                for _ in range(rng.choice((0, 0, 1, 1, 2)))
                            }:
                                conditions.append((person_id, code))
                        if name not in keys_cache:
                            keys_cache[name] = search_keys(name, None, None)
                        keys.extend((key, person_id) for key in keys_cache[name])
                        keys.extend((key, person_id) for key in search_keys("", id_number, phone))
                        persons_by_village[vid].append((person_id, sex, birth.isoformat()))
                        person_id += 1
                        made += 1
                    household_id += 1
                if len(persons) > 20_000:
                    _flush(store, households, persons, tags, conditions, keys)
                    done += 20_000
                if progress:
                    progress(min(done + len(persons), spec["persons"]), total_steps)
            _flush(store, households, persons, tags, conditions, keys)
            done = spec["persons"]
            days = add_clinic_days(
                store,
                rng,
                today,
                spec["days"],
                village_list,
                org_ids,
                volunteer_ids,
                persons_by_village,
            )
            add_talks(store, random.Random(seed + 22))
            if progress:
                progress(total_steps, total_steps)
            catalogues_q.set_setting(
                store, "demo", json.dumps({"size": size, "seed": seed, "synthetic": True})
            )
            add_demo_users(store, volunteer_ids)
        return {
            "villages": len(village_list),
            "households": count(store, "households"),
            "persons": count(store, "persons"),
            "volunteers": len(volunteer_ids),
            "days": days,
        }
    finally:
        store.close()


def _flush(store, households, persons, tags, conditions, keys) -> None:
    bulk.insert_rows(
        store,
        "households",
        ("id", "uid", "village_id", "number", "head_name", "group_no", "category", "cadre_id"),
        households,
    )
    bulk.insert_rows(
        store,
        "persons",
        (
            "id",
            "uid",
            "household_id",
            "village_id",
            "name",
            "relation",
            "sex",
            "birth_date",
            "id_number",
            "phone",
            "family_doctor",
        ),
        persons,
    )
    bulk.insert_rows(store, "person_tags", ("person_id", "tag"), tags)
    bulk.insert_rows(store, "person_conditions", ("person_id", "condition_code"), conditions)
    bulk.insert_rows(store, "person_keys", ("key", "person_id"), keys, ignore=True)
    for batch in (households, persons, tags, conditions, keys):
        batch.clear()


def _pair_cadre(rng: random.Random, paired: dict[int, int], category: str) -> int | None:
    """A cadre for a household in need (six in ten of them), None for the others.
    A cadre already carrying MAX_PAIRED households passes it to the next one
    with room (without drawing again: the rest of the demo stays as it was)."""
    if category not in ("lifted", "monitored", "dibao", "tekun") or rng.random() >= 0.6:
        return None
    cadres = list(paired)
    start = cadres.index(rng.choice(cadres))
    for cadre in cadres[start:] + cadres[:start]:
        if paired[cadre] < MAX_PAIRED:
            paired[cadre] += 1
            return cadre
    return None
