-- 0040 (trust, range 0040-0049): which version of the app applied each
-- migration, so that an older app refusing a newer database can say which
-- version it needs (clinic.store.migrations records the rows after applying).
CREATE TABLE schema_versions (
    migration TEXT PRIMARY KEY,               -- the migration's name, e.g. 0040_schema_versions
    app_version TEXT NOT NULL,                -- clinic's version (pyproject) that applied it
    applied_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
);
