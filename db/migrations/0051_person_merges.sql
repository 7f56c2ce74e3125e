-- 0051 (sync, range 0050-0059): duplicate persons merged reversibly, and clashes
-- settled by merging (issue 11, point 5; docs/sync.md, clinic.core.merges).
-- A merged person stays, marked merged into the person kept: hidden from the
-- registers, the search and the counts of people; every row that referred to
-- them now refers to the person kept, and each move is recorded so that an
-- undo puts exactly those rows back.
ALTER TABLE persons ADD COLUMN merged_into INTEGER REFERENCES persons(id);
CREATE INDEX persons_merged_into ON persons(merged_into) WHERE merged_into IS NOT NULL;

-- One merge: person merged_id into person kept_id (on the district; never travels).
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
CREATE INDEX person_merges_kept ON person_merges(kept_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);

-- What a merge did to each row that referred to the merged person: 'moved' (its
-- column now holds the kept person; row_key is the row's primary key after the
-- move) or 'removed' (a derived row, such as a search key, deleted; row holds it
-- whole, to put back).
CREATE TABLE person_merge_rows (
    merge_id INTEGER NOT NULL REFERENCES person_merges(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('moved', 'removed')),
    row_key TEXT NOT NULL,                    -- JSON {column: value}
    row TEXT                                  -- JSON {column: value}: a removed row, whole
);
CREATE INDEX person_merge_rows_merge ON person_merge_rows(merge_id);

-- Pairs the coordinator judged two different persons (the likely-duplicate rule listed
-- them): not listed again. The lower id first.
CREATE TABLE person_distinct (
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    marked_by TEXT NOT NULL,
    marked_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    PRIMARY KEY (person_id, other_id),
    CHECK (person_id < other_id)
) WITHOUT ROWID;
CREATE INDEX person_distinct_other ON person_distinct(other_id);

-- A clash may now also be settled by merging (field by field, or a person into the
-- district's): the review list's status allows 'merged'. SQLite cannot change a CHECK,
-- so the table is made again with its rows.
CREATE TABLE sync_conflicts_new (
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
INSERT INTO sync_conflicts_new SELECT * FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_new RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
