-- A clinic database up to migration 0051_person_merges, built by tools/schema_fixtures.py
-- from the migrations of commit d0bd532c2fc2, with representative rows.
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'clinic','0001_initial','2026-12-01 05:57:32.274424+00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'clinic','0010_desk_visit_times','2026-12-01 05:57:32.303926+00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'clinic','0011_search_keys_surname_readings','2026-12-01 05:57:32.332991+00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'clinic','0020_holidays_from_package','2026-12-01 05:57:32.356995+00:00');
INSERT INTO "_sqlite_migrations" VALUES(5,'clinic','0021_health_talks','2026-12-01 05:57:32.381276+00:00');
INSERT INTO "_sqlite_migrations" VALUES(6,'clinic','0030_report_covering_indexes','2026-12-01 05:57:32.405408+00:00');
INSERT INTO "_sqlite_migrations" VALUES(7,'clinic','0040_schema_versions','2026-12-01 05:57:32.437171+00:00');
INSERT INTO "_sqlite_migrations" VALUES(8,'clinic','0041_users','2026-12-01 05:57:32.461358+00:00');
INSERT INTO "_sqlite_migrations" VALUES(9,'clinic','0042_field_changes','2026-12-01 05:57:32.485076+00:00');
INSERT INTO "_sqlite_migrations" VALUES(10,'clinic','0050_sync','2026-12-01 05:57:32.509493+00:00');
INSERT INTO "_sqlite_migrations" VALUES(11,'clinic','0051_person_merges','2026-12-01 05:57:32.532525+00:00');
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    role TEXT NOT NULL REFERENCES specialties(code),
    status TEXT NOT NULL DEFAULT 'invited'
        CHECK (status IN ('invited', 'confirmed', 'declined', 'attended', 'no_show')),
    hours REAL,
    source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'roster')),
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    UNIQUE (clinic_day_id, volunteer_id)
);
INSERT INTO "assignments" VALUES(1,'a-1',1,1,'gp','attended',3.5,'roster','2026-12-01 05:57:32');
INSERT INTO "assignments" VALUES(2,'a-2',1,2,'nurse','attended',3.5,'manual','2026-12-01 05:57:32');
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,                     -- export_unmasked, purge, import ...
    detail TEXT NOT NULL DEFAULT '{}',        -- JSON, never ID or phone numbers
    rows INTEGER
);
INSERT INTO "audit_log" VALUES(1,'2026-01-10 10:00:00','王主任','import_register','{"file": "龙山村.xlsx"}',3);
INSERT INTO "audit_log" VALUES(2,'2026-06-14 08:00:00','王主任','export','{"dataset": "visits", "file": "visits.csv"}',2);
CREATE TABLE clinic_day_needs (
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    specialty_code TEXT NOT NULL REFERENCES specialties(code),
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (clinic_day_id, specialty_code)
) WITHOUT ROWID;
INSERT INTO "clinic_day_needs" VALUES(1,'gp',2);
INSERT INTO "clinic_day_needs" VALUES(2,'nurse',1);
CREATE TABLE clinic_days (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '08:30',
    end_time TEXT NOT NULL DEFAULT '12:00',
    village_id INTEGER NOT NULL REFERENCES villages(id),
    venue TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER REFERENCES organisations(id),
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'confirmed', 'done', 'cancelled')),
    walk_in INTEGER NOT NULL DEFAULT 0,       -- created on the spot at a desk
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
INSERT INTO "clinic_days" VALUES(1,'d-1','2026-06-13','08:30','12:00',1,'村委会',2,'done',0,'','2026-05-01 08:00:00');
INSERT INTO "clinic_days" VALUES(2,'d-2','2026-12-12','08:30','12:00',2,'',2,'planned',0,'','2026-05-01 08:00:00');
CREATE TABLE conditions (
    code TEXT PRIMARY KEY,                    -- hypertension, diabetes ...
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "conditions" VALUES('hypertension','高血压','Hypertension','',1);
INSERT INTO "conditions" VALUES('diabetes','糖尿病','Type 2 diabetes','',2);
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    given_at TEXT NOT NULL,
    explained_by INTEGER REFERENCES volunteers(id),
    signed_by TEXT NOT NULL CHECK (signed_by IN ('self', 'proxy')),
    proxy_name TEXT,
    proxy_relation TEXT,
    withdrawn_at TEXT
);
INSERT INTO "consents" VALUES(1,'c-1',1,'2026-06-13 09:00:00',2,'self',NULL,NULL,NULL);
INSERT INTO "consents" VALUES(2,'c-2',3,'2026-06-13 09:05:00',2,'proxy','覃明','之子',NULL);
CREATE TABLE day_stock (
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    template_code TEXT NOT NULL,
    brought INTEGER NOT NULL CHECK (brought >= 0),
    PRIMARY KEY (clinic_day_id, template_code)
) WITHOUT ROWID;
INSERT INTO "day_stock" VALUES(1,'hypertension',40);
CREATE TABLE field_changes (
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'person', 'clinic_day')),
    record_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,  -- local date-time
    PRIMARY KEY (kind, record_id, field)
) WITHOUT ROWID;
CREATE TABLE handouts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    template_id INTEGER NOT NULL REFERENCES prescription_templates(id),
    ticked TEXT NOT NULL DEFAULT '[]',        -- JSON list of item codes
    given_by INTEGER REFERENCES volunteers(id),
    given_at TEXT NOT NULL
);
INSERT INTO "handouts" VALUES(1,'h-1',1,1,'["salt", "walk"]',1,'2026-06-13 09:34:00');
CREATE TABLE health_talks (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    topic TEXT NOT NULL CHECK (trim(topic) != ''),
    speaker_id INTEGER NOT NULL REFERENCES volunteers(id),
    attendees INTEGER NOT NULL DEFAULT 0 CHECK (attendees BETWEEN 0 AND 10000),
    materials TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    village_id INTEGER NOT NULL REFERENCES villages(id),
    number TEXT,                              -- 户编号, may be missing
    head_name TEXT NOT NULL,
    group_no INTEGER,                         -- 组/社 as a number
    category TEXT NOT NULL DEFAULT 'ordinary'
        CHECK (category IN ('lifted', 'monitored', 'dibao', 'tekun', 'ordinary')),
    cadre_id INTEGER REFERENCES volunteers(id) ON DELETE SET NULL,  -- 帮扶责任人
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
INSERT INTO "households" VALUES(1,'hh-1',1,'LS0001','张三',3,'lifted',1,'2026-01-10 10:00:00');
INSERT INTO "households" VALUES(2,'hh-2',2,NULL,'覃秀英',1,'dibao',NULL,'2026-01-10 10:00:00');
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    short_name TEXT NOT NULL UNIQUE,          -- 民进, 民进綦江区委会
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT,                               -- NULL (national party), district, general_branch, branch
    parent_id INTEGER REFERENCES organisations(id),
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "organisations" VALUES(1,'民进','中国民主促进会','China Association for Promoting Democracy',NULL,NULL,3);
INSERT INTO "organisations" VALUES(2,'民进綦江区委会','民进綦江区委会','CAPD Qijiang District Committee','district',1,0);
CREATE TABLE pairing_visits (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    cadre_id INTEGER NOT NULL REFERENCES volunteers(id),
    date TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
INSERT INTO "pairing_visits" VALUES(1,'pv-1',1,1,'2026-05-30','血压药按时服用');
CREATE TABLE person_conditions (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    condition_code TEXT NOT NULL REFERENCES conditions(code),
    PRIMARY KEY (person_id, condition_code)
) WITHOUT ROWID;
INSERT INTO "person_conditions" VALUES(3,'diabetes');
INSERT INTO "person_conditions" VALUES(1,'hypertension');
CREATE TABLE person_distinct (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    PRIMARY KEY (person_id, other_id),
    CHECK (person_id < other_id)
) WITHOUT ROWID;
CREATE TABLE person_keys (
    key TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
INSERT INTO "person_keys" VALUES('i:432170300591222005',1);
INSERT INTO "person_keys" VALUES('p:87654321931',1);
INSERT INTO "person_keys" VALUES('y:zhangsan',1);
INSERT INTO "person_keys" VALUES('y:zs',1);
INSERT INTO "person_keys" VALUES('y:qxy',3);
INSERT INTO "person_keys" VALUES('y:tanxiuying',3);
CREATE TABLE person_merge_rows (
    merge_id INTEGER NOT NULL REFERENCES person_merges(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('moved', 'removed')),
    row_key TEXT NOT NULL,                    -- JSON {column: value}
    row TEXT                                  -- JSON {column: value}: a removed row, whole
);
CREATE TABLE person_merges (
    id INTEGER PRIMARY KEY,
    kept_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    merged_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('id_number', 'likely', 'chosen', 'sync')),
    conflict_id INTEGER,                      -- the sync clash it settled, if any
    cleared_id_number INTEGER NOT NULL DEFAULT 0, -- the merged person came with the kept one's ID number
    merged_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    merged_by TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    CHECK (kept_id != merged_id)
);
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    detail TEXT,                              -- e.g. disability certificate number
    PRIMARY KEY (person_id, tag)
) WITHOUT ROWID;
INSERT INTO "person_tags" VALUES(1,'disabled','50022219500307123442');
INSERT INTO "person_tags" VALUES(3,'left_behind_elderly',NULL);
CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    household_id INTEGER REFERENCES households(id),
    village_id INTEGER REFERENCES villages(id),
    name TEXT NOT NULL,
    relation TEXT,                            -- 与户主关系
    sex TEXT CHECK (sex IN ('M', 'F')),
    birth_date TEXT,
    id_number TEXT,                           -- normalised, 18 characters
    id_number_old TEXT,                       -- the 15-digit first-generation number, when given
    phone TEXT,
    group_no INTEGER,
    other_conditions TEXT NOT NULL DEFAULT '', -- chronic conditions not in the catalogue, ';'-separated
    family_doctor INTEGER NOT NULL DEFAULT 0, -- 签约
    walk_in INTEGER NOT NULL DEFAULT 0,       -- registered at a clinic desk, not from a register
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
, merged_into INTEGER REFERENCES persons(id));
INSERT INTO "persons" VALUES(1,'p-1',1,1,'张三','户主','M','1950-03-07','500222195003071234',NULL,'13912345678',3,'痛风',1,0,'2026-01-10 10:00:00','2026-01-10 10:00:00',NULL);
INSERT INTO "persons" VALUES(2,'p-2',1,1,'李四妹','配偶','F','1952-11-30','500222195211302345','500222521130234',NULL,NULL,'',0,0,'2026-01-10 10:00:00','2026-01-10 10:00:00',NULL);
INSERT INTO "persons" VALUES(3,'p-3',2,2,'覃秀英','户主','F','1941-02-01',NULL,NULL,'02348601234',NULL,'',0,0,'2026-01-10 10:00:00','2026-01-10 10:00:00',NULL);
INSERT INTO "persons" VALUES(4,'p-4',NULL,2,'陈walk',NULL,'M','1980-01-01',NULL,NULL,NULL,NULL,'',0,1,'2026-06-13 09:10:00','2026-06-13 09:10:00',NULL);
CREATE TABLE prescription_templates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,                       -- hypertension
    version TEXT NOT NULL,                    -- 2026.1
    condition_code TEXT REFERENCES conditions(code),
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body TEXT NOT NULL,                       -- JSON: summary and sections with items, zh and en
    UNIQUE (code, version)
);
INSERT INTO "prescription_templates" VALUES(1,'hypertension','2026.1','hypertension','高血压健康处方','Hypertension health prescription','{"summary": {}, "sections": []}');
CREATE TABLE schema_versions (
    migration TEXT PRIMARY KEY,               -- the migration's name, e.g. 0040_schema_versions
    app_version TEXT NOT NULL,                -- clinic's version (pyproject) that applied it
    applied_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE specialties (
    code TEXT PRIMARY KEY,                    -- gp, tcm, nurse, clerk ...
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    clinical INTEGER NOT NULL DEFAULT 1,
    aliases TEXT NOT NULL DEFAULT '',         -- ';'-separated other spellings (检验/心电图)
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "specialties" VALUES('gp','全科','General practice',1,'',1);
INSERT INTO "specialties" VALUES('nurse','护士','Nurse',1,'',20);
CREATE TABLE sync_bundles (
    device_number INTEGER NOT NULL REFERENCES sync_devices(number),
    sequence INTEGER NOT NULL CHECK (sequence >= 1),
    digest TEXT NOT NULL,                     -- sha256 of the changeset
    made_from TEXT,                           -- the laptop's previous export (local time)
    made_at TEXT NOT NULL,                    -- this export
    changes INTEGER NOT NULL,
    conflicts INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    imported_by TEXT NOT NULL,
    PRIMARY KEY (device_number, sequence)
);
CREATE TABLE "sync_conflicts" (
    id INTEGER PRIMARY KEY,
    device_number INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- data, not_found, conflict, constraint, held
    op TEXT NOT NULL,                         -- INSERT, UPDATE, DELETE
    row_key TEXT NOT NULL,                    -- JSON {column: value}: the row's primary key
    bundle_old TEXT,                          -- JSON {column: value}: the laptop's values before
    bundle_new TEXT,                          -- JSON {column: value}: the laptop's values after
    current TEXT,                             -- JSON {column: value}: the district's row then
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'kept_district', 'kept_laptop', 'merged')),
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE sync_devices (
    number INTEGER PRIMARY KEY CHECK (number >= 1),
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    verify_key TEXT NOT NULL,                 -- the laptop's Ed25519 public key, hex
    enrolled_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    enrolled_by TEXT NOT NULL
);
CREATE TABLE sync_held (
    device_number INTEGER NOT NULL REFERENCES sync_devices(number),
    sequence INTEGER NOT NULL,
    file TEXT NOT NULL,                       -- the file's name when it was offered
    data BLOB NOT NULL,                       -- the bundle file, still sealed
    held_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    PRIMARY KEY (device_number, sequence)
);
CREATE TABLE townships (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,                -- 中峰镇, 古南街道
    kind TEXT NOT NULL DEFAULT 'town' CHECK (kind IN ('town', 'subdistrict'))
);
INSERT INTO "townships" VALUES(1,'中峰镇','town');
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'clinician', 'clerk', 'pharmacist')),
    PRIMARY KEY (user_id, role)
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- what they type to sign in
    volunteer_id INTEGER REFERENCES volunteers(id),  -- the volunteer they are, if any
    pin_hash TEXT NOT NULL,                   -- scrypt$n$r$p$salt$hash (hex)
    active INTEGER NOT NULL DEFAULT 1,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0, -- in a row; reset by a good sign-in
    locked_until TEXT,                        -- local date-time; too many wrong PINs
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    pin_changed_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE villages (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES townships(id),
    name TEXT NOT NULL,                       -- 龙山村
    UNIQUE (township_id, name)
);
INSERT INTO "villages" VALUES(1,1,'龙山村');
INSERT INTO "villages" VALUES(2,1,'双池村');
CREATE TABLE visit_conditions (
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    condition_code TEXT NOT NULL REFERENCES conditions(code),
    PRIMARY KEY (visit_id, condition_code)
) WITHOUT ROWID;
INSERT INTO "visit_conditions" VALUES(1,'hypertension');
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id),
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    arrived_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'with_doctor', 'done')),
    queue TEXT REFERENCES specialties(code),  -- the specialty queue the person waits in
    checked_in_by INTEGER REFERENCES volunteers(id),
    seen_by INTEGER REFERENCES volunteers(id),
    sbp INTEGER,                              -- mmHg
    dbp INTEGER,                              -- mmHg
    pulse INTEGER,                            -- per minute
    glucose REAL,                             -- mmol/L
    glucose_fasting INTEGER,                  -- 1 fasting, 0 random, NULL not measured
    weight_kg REAL,
    height_cm REAL,
    complaint TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    flags TEXT NOT NULL DEFAULT '',           -- ';'-separated flag codes computed by clinic.core
    referral_to TEXT,                         -- e.g. 中峰镇卫生院
    follow_up_due TEXT,
    draft INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')), called_at TEXT, done_at TEXT, draft_form TEXT NOT NULL DEFAULT '{}',
    UNIQUE (clinic_day_id, person_id)
);
INSERT INTO "visits" VALUES(1,'v-1',1,1,'2026-06-13 09:00:00','done','gp',2,1,168,98,80,6.1,1,61.5,165.0,'头晕','','bp_high','中峰镇卫生院','2026-07-13',0,'2026-12-01 05:57:32','2026-06-13 09:20:00','2026-06-13 09:35:00','{}');
INSERT INTO "visits" VALUES(2,'v-2',1,3,'2026-06-13 09:05:00','waiting','gp',2,NULL,NULL,NULL,NULL,11.2,0,NULL,NULL,'','','',NULL,NULL,1,'2026-12-01 05:57:32',NULL,NULL,'{"bp": "150/9"}');
CREATE TABLE volunteer_unavailable (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, date)
) WITHOUT ROWID;
INSERT INTO "volunteer_unavailable" VALUES(2,'2026-06-13');
CREATE TABLE volunteers (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    organisation_id INTEGER REFERENCES organisations(id),
    specialty_code TEXT REFERENCES specialties(code),
    licence_no TEXT,
    -- availability: weekdays as digits 0=Mon..6=Sun; holidays 1 = serves on public holidays
    weekdays TEXT NOT NULL DEFAULT '0123456',
    holidays INTEGER NOT NULL DEFAULT 1,
    max_days_per_month INTEGER,
    active INTEGER NOT NULL DEFAULT 1,
    is_cadre INTEGER NOT NULL DEFAULT 0,      -- paired with households (结对帮扶)
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
INSERT INTO "volunteers" VALUES(1,'vol-1','王医生','13800000001',2,'gp','110500000001','56',1,NULL,1,1,'','2026-01-05 09:00:00');
INSERT INTO "volunteers" VALUES(2,'vol-2','李护士','13800000002',2,'nurse',NULL,'0123456',1,4,1,0,'','2026-01-05 09:00:00');
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE UNIQUE INDEX volunteers_name_phone ON volunteers(name, phone);
CREATE INDEX volunteers_org ON volunteers(organisation_id);
CREATE UNIQUE INDEX households_village_number ON households(village_id, number) WHERE number IS NOT NULL;
CREATE INDEX households_number ON households(number);
CREATE INDEX households_village_head ON households(village_id, head_name);
CREATE INDEX households_category ON households(category);
CREATE UNIQUE INDEX persons_id_number ON persons(id_number) WHERE id_number IS NOT NULL;
CREATE INDEX persons_household ON persons(household_id);
CREATE INDEX persons_village ON persons(village_id, name);
CREATE INDEX persons_name ON persons(name);
CREATE INDEX person_tags_tag ON person_tags(tag);
CREATE INDEX person_conditions_code ON person_conditions(condition_code);
CREATE INDEX person_keys_person ON person_keys(person_id);
CREATE INDEX consents_person ON consents(person_id);
CREATE INDEX clinic_days_date ON clinic_days(date);
CREATE INDEX clinic_days_village ON clinic_days(village_id, date);
CREATE INDEX assignments_volunteer ON assignments(volunteer_id);
CREATE INDEX visits_person ON visits(person_id);
CREATE INDEX visits_follow_up ON visits(follow_up_due) WHERE follow_up_due IS NOT NULL;
CREATE INDEX handouts_template ON handouts(template_id);
CREATE INDEX pairing_visits_household ON pairing_visits(household_id, date);
CREATE INDEX visits_day_state ON visits(clinic_day_id, state, arrived_at);
CREATE INDEX health_talks_day ON health_talks(clinic_day_id);
CREATE INDEX health_talks_speaker ON health_talks(speaker_id);
CREATE INDEX households_village_category ON households(village_id, category);
CREATE INDEX handouts_visit_template ON handouts(visit_id, template_id);
CREATE INDEX persons_merged_into ON persons(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX person_merges_kept ON person_merges(kept_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);
CREATE INDEX person_merge_rows_merge ON person_merge_rows(merge_id);
CREATE INDEX person_distinct_other ON person_distinct(other_id);
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
COMMIT;
