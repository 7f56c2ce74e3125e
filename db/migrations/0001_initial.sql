-- 0001: the whole first schema.
-- Records made on a clinic laptop carry a uid (globally unique text) beside
-- the integer key so that databases from several laptops can be merged.
-- Dates are ISO text (YYYY-MM-DD), times ISO text in local time.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    short_name TEXT NOT NULL UNIQUE,          -- 民进, 民进綦江区委会
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    level TEXT,                               -- NULL (national party), district, general_branch, branch
    parent_id INTEGER REFERENCES organisations(id),
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Specialties and non-clinical roles in one catalogue: a clinic day needs
-- both, and a volunteer is rostered in either.
CREATE TABLE specialties (
    code TEXT PRIMARY KEY,                    -- gp, tcm, nurse, clerk ...
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    clinical INTEGER NOT NULL DEFAULT 1,
    aliases TEXT NOT NULL DEFAULT '',         -- ';'-separated other spellings (检验/心电图)
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Conditions: what a person has on record, what a consult assesses, what a
-- health prescription is for.
CREATE TABLE conditions (
    code TEXT PRIMARY KEY,                    -- hypertension, diabetes ...
    name_zh TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE townships (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,                -- 中峰镇, 古南街道
    kind TEXT NOT NULL DEFAULT 'town' CHECK (kind IN ('town', 'subdistrict'))
);

CREATE TABLE villages (
    id INTEGER PRIMARY KEY,
    township_id INTEGER NOT NULL REFERENCES townships(id),
    name TEXT NOT NULL,                       -- 龙山村
    UNIQUE (township_id, name)
);

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
CREATE UNIQUE INDEX volunteers_name_phone ON volunteers(name, phone);
CREATE INDEX volunteers_org ON volunteers(organisation_id);

CREATE TABLE volunteer_unavailable (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, date)
) WITHOUT ROWID;

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
CREATE UNIQUE INDEX households_village_number ON households(village_id, number) WHERE number IS NOT NULL;
CREATE INDEX households_number ON households(number);
CREATE INDEX households_village_head ON households(village_id, head_name);
CREATE INDEX households_category ON households(category);

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
);
CREATE UNIQUE INDEX persons_id_number ON persons(id_number) WHERE id_number IS NOT NULL;
CREATE INDEX persons_household ON persons(household_id);
CREATE INDEX persons_village ON persons(village_id, name);
CREATE INDEX persons_name ON persons(name);

-- Person tags: disabled, left_behind_elderly (codes; see clinic.core.categories)
CREATE TABLE person_tags (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    detail TEXT,                              -- e.g. disability certificate number
    PRIMARY KEY (person_id, tag)
) WITHOUT ROWID;
CREATE INDEX person_tags_tag ON person_tags(tag);

CREATE TABLE person_conditions (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    condition_code TEXT NOT NULL REFERENCES conditions(code),
    PRIMARY KEY (person_id, condition_code)
) WITHOUT ROWID;
CREATE INDEX person_conditions_code ON person_conditions(condition_code);

-- Search keys: every way a person can be found by prefix through an index.
-- 'y:' pinyin initials and full pinyin (every reading of the surname),
-- 'i:' the ID number reversed, 'p:' the phone reversed (so "last digits" is a prefix).
CREATE TABLE person_keys (
    key TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_keys_person ON person_keys(person_id);

-- PIPL: separate consent for health data, recorded before any is stored.
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
CREATE INDEX consents_person ON consents(person_id);

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
CREATE INDEX clinic_days_date ON clinic_days(date);
CREATE INDEX clinic_days_village ON clinic_days(village_id, date);

CREATE TABLE clinic_day_needs (
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    specialty_code TEXT NOT NULL REFERENCES specialties(code),
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (clinic_day_id, specialty_code)
) WITHOUT ROWID;

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
CREATE INDEX assignments_volunteer ON assignments(volunteer_id);

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
    updated_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    UNIQUE (clinic_day_id, person_id)
);
CREATE INDEX visits_person ON visits(person_id);
CREATE INDEX visits_follow_up ON visits(follow_up_due) WHERE follow_up_due IS NOT NULL;

CREATE TABLE visit_conditions (
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    condition_code TEXT NOT NULL REFERENCES conditions(code),
    PRIMARY KEY (visit_id, condition_code)
) WITHOUT ROWID;

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

CREATE TABLE handouts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    template_id INTEGER NOT NULL REFERENCES prescription_templates(id),
    ticked TEXT NOT NULL DEFAULT '[]',        -- JSON list of item codes
    given_by INTEGER REFERENCES volunteers(id),
    given_at TEXT NOT NULL
);
CREATE INDEX handouts_visit ON handouts(visit_id);
CREATE INDEX handouts_template ON handouts(template_id);

-- Printed sheets brought to a clinic day, per template code.
CREATE TABLE day_stock (
    clinic_day_id INTEGER NOT NULL REFERENCES clinic_days(id) ON DELETE CASCADE,
    template_code TEXT NOT NULL,
    brought INTEGER NOT NULL CHECK (brought >= 0),
    PRIMARY KEY (clinic_day_id, template_code)
) WITHOUT ROWID;

-- Home visits by paired cadres (结对帮扶).
CREATE TABLE pairing_visits (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    household_id INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    cadre_id INTEGER NOT NULL REFERENCES volunteers(id),
    date TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pairing_visits_household ON pairing_visits(household_id, date);

-- Public holidays (法定节假日), editable seed data.
CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,                     -- export_unmasked, purge, import ...
    detail TEXT NOT NULL DEFAULT '{}',        -- JSON, never ID or phone numbers
    rows INTEGER
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
