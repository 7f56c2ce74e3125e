-- 0021 (planning, range 0020-0039): health talks (健康讲座) held on a clinic day
-- by the programme's parties: topic, speaker (a volunteer), attendees and the
-- materials handed out. Rules in clinic.core.talks; figures in clinic.store.figures.
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
CREATE INDEX health_talks_day ON health_talks(clinic_day_id);
CREATE INDEX health_talks_speaker ON health_talks(speaker_id);
