-- 0010 (desk): when a person was called in and when their visit was done,
-- for waiting times on the queue and the day summary; and the raw text of a
-- half-filled visit form, so that a draft is never lost even while one of
-- its values is still being typed (and not yet valid).
ALTER TABLE visits ADD COLUMN called_at TEXT;
ALTER TABLE visits ADD COLUMN done_at TEXT;
ALTER TABLE visits ADD COLUMN draft_form TEXT NOT NULL DEFAULT '{}';
CREATE INDEX visits_day_state ON visits(clinic_day_id, state, arrived_at);
