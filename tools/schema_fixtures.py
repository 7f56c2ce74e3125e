"""Developer tool: build a database at every earlier schema version, from git history.

    python tools/schema_fixtures.py            # write tests/data/schemas/schema-<newest migration>.sql
    python tools/schema_fixtures.py --list     # only list the states found

For every commit that changed ``db/migrations``, the migration files *as they
were at that commit* (``git show COMMIT:db/migrations/...``) are applied in
order through sqlite-utils' ``Migrations`` (as the app of that time did), a
few representative rows are inserted (every table: a village, households,
persons with ID numbers and phones, a clinic day, visits, health
prescriptions, consents, search keys, the audit log), and the database is
dumped as SQL text (reviewable; ``*.db`` is git-ignored), named after its
newest migration. The current state (every migration shipped) is left out:
the app builds that one itself. ``tests/domain/test_schema_upgrade.py``
opens each dump with the current app and checks that the data survived.

Run it after adding a migration, and commit the new dump.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "schemas"
sys.path.insert(0, str(ROOT))


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout


def history() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Newest migration's name → (commit, [(migration name, sql)]) per state in the history of HEAD.

    Only states the current app can upgrade are kept: every migration of the
    state is still shipped under the same name (a migration renamed before it
    shipped, like 0020_schema_versions → 0040, leaves states no user has; the
    app refuses them as unknown). A later commit with the same newest
    migration replaces an earlier one.
    """
    from clinic.store.migrations import known_names

    known = known_names()
    states: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for commit in git("log", "--reverse", "--format=%H", "HEAD", "--", "db/migrations").split():
        files = [
            name
            for name in git("ls-tree", "--name-only", commit, "db/migrations/").split()
            if name.endswith(".sql") and Path(name).name[:4].isdigit()
        ]
        migrations = [(Path(name).stem, git("show", f"{commit}:{name}")) for name in sorted(files)]
        names = {name for name, _sql in migrations}
        if not migrations or not names <= known or names == known:
            continue
        states[max(names)] = (commit, migrations)
    return states


def build(path: Path, migrations: list[tuple[str, str]]) -> None:
    """Apply these migrations to a new database, as the app did, then add sample rows."""
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    from clinic.store.migrations import MIGRATION_SET, register_functions, split_statements

    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    register_functions(db.conn)  # SQL functions later migrations call (clinic_name_keys)
    chain = Migrations(MIGRATION_SET)
    for name, sql in migrations:

        def run(db, sql=sql):
            for statement in split_statements(sql):
                db.execute(statement)

        chain(name=name)(run)
    chain.apply(db)
    with db.conn:
        add_rows(db.conn)
    db.close()


def insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """Insert the columns this version of the table has (a row may name later ones)."""
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    if not columns:
        return
    keep = {k: v for k, v in row.items() if k in columns}
    names = ", ".join(keep)
    marks = ", ".join("?" for _ in keep)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(keep.values()))


SAMPLE = [
    (
        "organisations",
        {
            "id": 1,
            "short_name": "民进",
            "name_zh": "中国民主促进会",
            "name_en": "China Association for Promoting Democracy",
            "sort_order": 3,
        },
    ),
    (
        "organisations",
        {
            "id": 2,
            "short_name": "民进綦江区委会",
            "name_zh": "民进綦江区委会",
            "name_en": "CAPD Qijiang District Committee",
            "level": "district",
            "parent_id": 1,
        },
    ),
    (
        "specialties",
        {
            "code": "gp",
            "name_zh": "全科",
            "name_en": "General practice",
            "clinical": 1,
            "sort_order": 1,
        },
    ),
    (
        "specialties",
        {"code": "nurse", "name_zh": "护士", "name_en": "Nurse", "clinical": 1, "sort_order": 20},
    ),
    (
        "conditions",
        {"code": "hypertension", "name_zh": "高血压", "name_en": "Hypertension", "sort_order": 1},
    ),
    (
        "conditions",
        {"code": "diabetes", "name_zh": "糖尿病", "name_en": "Type 2 diabetes", "sort_order": 2},
    ),
    ("townships", {"id": 1, "name": "中峰镇", "kind": "town"}),
    ("villages", {"id": 1, "township_id": 1, "name": "龙山村"}),
    ("villages", {"id": 2, "township_id": 1, "name": "双池村"}),
    (
        "volunteers",
        {
            "id": 1,
            "uid": "vol-1",
            "name": "王医生",
            "phone": "13800000001",
            "organisation_id": 2,
            "specialty_code": "gp",
            "licence_no": "110500000001",
            "weekdays": "56",
            "is_cadre": 1,
            "created_at": "2026-01-05 09:00:00",
        },
    ),
    (
        "volunteers",
        {
            "id": 2,
            "uid": "vol-2",
            "name": "李护士",
            "phone": "13800000002",
            "organisation_id": 2,
            "specialty_code": "nurse",
            "max_days_per_month": 4,
            "created_at": "2026-01-05 09:00:00",
        },
    ),
    ("volunteer_unavailable", {"volunteer_id": 2, "date": "2026-06-13"}),
    (
        "households",
        {
            "id": 1,
            "uid": "hh-1",
            "village_id": 1,
            "number": "LS0001",
            "head_name": "张三",
            "group_no": 3,
            "category": "lifted",
            "cadre_id": 1,
            "created_at": "2026-01-10 10:00:00",
        },
    ),
    (
        "households",
        {
            "id": 2,
            "uid": "hh-2",
            "village_id": 2,
            "number": None,
            "head_name": "覃秀英",
            "group_no": 1,
            "category": "dibao",
            "created_at": "2026-01-10 10:00:00",
        },
    ),
    (
        "persons",
        {
            "id": 1,
            "uid": "p-1",
            "household_id": 1,
            "village_id": 1,
            "name": "张三",
            "relation": "户主",
            "sex": "M",
            "birth_date": "1950-03-07",
            "id_number": "500222195003071234",
            "phone": "13912345678",
            "group_no": 3,
            "other_conditions": "痛风",
            "family_doctor": 1,
            "created_at": "2026-01-10 10:00:00",
            "updated_at": "2026-01-10 10:00:00",
        },
    ),
    (
        "persons",
        {
            "id": 2,
            "uid": "p-2",
            "household_id": 1,
            "village_id": 1,
            "name": "李四妹",
            "relation": "配偶",
            "sex": "F",
            "birth_date": "1952-11-30",
            "id_number": "500222195211302345",
            "id_number_old": "500222521130234",
            "created_at": "2026-01-10 10:00:00",
            "updated_at": "2026-01-10 10:00:00",
        },
    ),
    (
        "persons",
        {
            "id": 3,
            "uid": "p-3",
            "household_id": 2,
            "village_id": 2,
            "name": "覃秀英",
            "relation": "户主",
            "sex": "F",
            "birth_date": "1941-02-01",
            "phone": "02348601234",
            "created_at": "2026-01-10 10:00:00",
            "updated_at": "2026-01-10 10:00:00",
        },
    ),
    (
        "persons",
        {
            "id": 4,
            "uid": "p-4",
            "village_id": 2,
            "name": "陈walk",
            "sex": "M",
            "birth_date": "1980-01-01",
            "walk_in": 1,
            "created_at": "2026-06-13 09:10:00",
            "updated_at": "2026-06-13 09:10:00",
        },
    ),
    ("person_tags", {"person_id": 1, "tag": "disabled", "detail": "50022219500307123442"}),
    ("person_tags", {"person_id": 3, "tag": "left_behind_elderly"}),
    ("person_conditions", {"person_id": 1, "condition_code": "hypertension"}),
    ("person_conditions", {"person_id": 3, "condition_code": "diabetes"}),
    ("person_keys", {"key": "y:zs", "person_id": 1}),
    ("person_keys", {"key": "y:zhangsan", "person_id": 1}),
    ("person_keys", {"key": "i:432170300591222005", "person_id": 1}),
    ("person_keys", {"key": "p:87654321931", "person_id": 1}),
    ("person_keys", {"key": "y:qxy", "person_id": 3}),
    ("person_keys", {"key": "y:tanxiuying", "person_id": 3}),
    (
        "consents",
        {
            "id": 1,
            "uid": "c-1",
            "person_id": 1,
            "given_at": "2026-06-13 09:00:00",
            "explained_by": 2,
            "signed_by": "self",
        },
    ),
    (
        "consents",
        {
            "id": 2,
            "uid": "c-2",
            "person_id": 3,
            "given_at": "2026-06-13 09:05:00",
            "explained_by": 2,
            "signed_by": "proxy",
            "proxy_name": "覃明",
            "proxy_relation": "之子",
        },
    ),
    (
        "clinic_days",
        {
            "id": 1,
            "uid": "d-1",
            "date": "2026-06-13",
            "village_id": 1,
            "venue": "村委会",
            "organisation_id": 2,
            "status": "done",
            "created_at": "2026-05-01 08:00:00",
        },
    ),
    (
        "clinic_days",
        {
            "id": 2,
            "uid": "d-2",
            "date": "2026-12-12",
            "village_id": 2,
            "organisation_id": 2,
            "status": "planned",
            "created_at": "2026-05-01 08:00:00",
        },
    ),
    ("clinic_day_needs", {"clinic_day_id": 1, "specialty_code": "gp", "count": 2}),
    ("clinic_day_needs", {"clinic_day_id": 2, "specialty_code": "nurse", "count": 1}),
    (
        "assignments",
        {
            "id": 1,
            "uid": "a-1",
            "clinic_day_id": 1,
            "volunteer_id": 1,
            "role": "gp",
            "status": "attended",
            "hours": 3.5,
            "source": "roster",
        },
    ),
    (
        "assignments",
        {
            "id": 2,
            "uid": "a-2",
            "clinic_day_id": 1,
            "volunteer_id": 2,
            "role": "nurse",
            "status": "attended",
            "hours": 3.5,
        },
    ),
    (
        "visits",
        {
            "id": 1,
            "uid": "v-1",
            "clinic_day_id": 1,
            "person_id": 1,
            "arrived_at": "2026-06-13 09:00:00",
            "state": "done",
            "queue": "gp",
            "checked_in_by": 2,
            "seen_by": 1,
            "sbp": 168,
            "dbp": 98,
            "pulse": 80,
            "glucose": 6.1,
            "glucose_fasting": 1,
            "weight_kg": 61.5,
            "height_cm": 165,
            "complaint": "头晕",
            "flags": "bp_high",
            "referral_to": "中峰镇卫生院",
            "follow_up_due": "2026-07-13",
            "draft": 0,
            "called_at": "2026-06-13 09:20:00",
            "done_at": "2026-06-13 09:35:00",
            "draft_form": "{}",
        },
    ),
    (
        "visits",
        {
            "id": 2,
            "uid": "v-2",
            "clinic_day_id": 1,
            "person_id": 3,
            "arrived_at": "2026-06-13 09:05:00",
            "state": "waiting",
            "queue": "gp",
            "checked_in_by": 2,
            "glucose": 11.2,
            "glucose_fasting": 0,
            "draft": 1,
            "draft_form": '{"bp": "150/9"}',
        },
    ),
    ("visit_conditions", {"visit_id": 1, "condition_code": "hypertension"}),
    (
        "prescription_templates",
        {
            "id": 1,
            "code": "hypertension",
            "version": "2026.1",
            "condition_code": "hypertension",
            "title_zh": "高血压健康处方",
            "title_en": "Hypertension health prescription",
            "body": '{"summary": {}, "sections": []}',
        },
    ),
    (
        "handouts",
        {
            "id": 1,
            "uid": "h-1",
            "visit_id": 1,
            "template_id": 1,
            "ticked": '["salt", "walk"]',
            "given_by": 1,
            "given_at": "2026-06-13 09:34:00",
        },
    ),
    ("day_stock", {"clinic_day_id": 1, "template_code": "hypertension", "brought": 40}),
    (
        "pairing_visits",
        {
            "id": 1,
            "uid": "pv-1",
            "household_id": 1,
            "cadre_id": 1,
            "date": "2026-05-30",
            "notes": "血压药按时服用",
        },
    ),
    ("holidays", {"date": "2026-10-01", "name": "国庆节"}),
    (
        "audit_log",
        {
            "id": 1,
            "at": "2026-01-10 10:00:00",
            "actor": "王主任",
            "action": "import_register",
            "detail": '{"file": "龙山村.xlsx"}',
            "rows": 3,
        },
    ),
    (
        "audit_log",
        {
            "id": 2,
            "at": "2026-06-14 08:00:00",
            "actor": "王主任",
            "action": "export",
            "detail": '{"dataset": "visits", "file": "visits.csv"}',
            "rows": 2,
        },
    ),
]


def add_rows(conn: sqlite3.Connection) -> None:
    for table, row in SAMPLE:
        insert(conn, table, row)


def dump(path: Path, commit: str, newest: str) -> str:
    conn = sqlite3.connect(path)
    lines = [
        f"-- A clinic database up to migration {newest}, built by tools/schema_fixtures.py",
        f"-- from the migrations of commit {commit[:12]}, with representative rows.",
        *conn.iterdump(),
    ]
    conn.close()
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="only list the states found")
    args = parser.parse_args()
    for newest, (commit, migrations) in sorted(history().items()):
        print(f"after {newest}: {commit[:12]} ({', '.join(m for m, _ in migrations)})")
        if args.list:
            continue
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "old.db"
            build(path, migrations)
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"schema-{newest}.sql").write_text(dump(path, commit, newest), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
