-- 0042 (trust, range 0040-0049): who last changed each field of a visit, a
-- person or a clinic day, and when. Two desks saving one record are merged
-- field by field (clinic.core.edits); when both changed one field, the second
-- desk is told in words who changed it, to what, and when. Only field names,
-- the signed-in user's name and a time: never the values themselves.
CREATE TABLE field_changes (
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'person', 'clinic_day')),
    record_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,  -- local date-time
    PRIMARY KEY (kind, record_id, field)
) WITHOUT ROWID;
