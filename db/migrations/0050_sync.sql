-- 0050 (sync, range 0050-0059): laptops that merge into the district database
-- (issue 11, docs/sync.md). Rows made on laptop number N have ids in
-- [N * 2^40, (N + 1) * 2^40) (clinic.store.connection.new_ids); the district is
-- device 0, so the ids already in a database stay as they are.

-- On the district: the laptops enrolled with `clinic sync base`.
CREATE TABLE sync_devices (
    number INTEGER PRIMARY KEY CHECK (number >= 1),
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    verify_key TEXT NOT NULL,                 -- the laptop's Ed25519 public key, hex
    enrolled_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    enrolled_by TEXT NOT NULL
);

-- On the district: every bundle applied, so a bundle applied twice changes nothing.
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

-- On the district: bundles that came before an earlier one of their laptop, kept as they
-- came (sealed) until the import that brings the missing one applies them.
CREATE TABLE sync_held (
    device_number INTEGER NOT NULL REFERENCES sync_devices(number),
    sequence INTEGER NOT NULL,
    file TEXT NOT NULL,                       -- the file's name when it was offered
    data BLOB NOT NULL,                       -- the bundle file, still sealed
    held_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    PRIMARY KEY (device_number, sequence)
);

-- On the district: changes that clashed with the district's rows, kept for review.
CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    device_number INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- data, not_found, conflict, constraint
    op TEXT NOT NULL,                         -- INSERT, UPDATE, DELETE
    row_key TEXT NOT NULL,                    -- JSON {column: value}: the row's primary key
    bundle_old TEXT,                          -- JSON {column: value}: the laptop's values before
    bundle_new TEXT,                          -- JSON {column: value}: the laptop's values after
    current TEXT,                             -- JSON {column: value}: the district's row then
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept_district', 'kept_laptop')),
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
