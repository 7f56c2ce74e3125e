-- 0020: which version of the app first wrote each schema version, so that an
-- older app refusing a newer database can say which version it needs
-- (clinic.store.migrations records a row after applying migrations).
-- Numbered 0020, clear of the 0011-0019 other branches may add: if it clashes,
-- renumber the file; nothing refers to the number.
CREATE TABLE schema_versions (
    schema INTEGER PRIMARY KEY,               -- number of the newest migration applied
    app_version TEXT NOT NULL,                -- clinic's version (pyproject) that applied it
    applied_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
