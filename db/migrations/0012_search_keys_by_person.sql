-- 0012 (search): the search keys are stored in the order of their person, and found
-- by key through an index, rather than the other way round. The keys are the same
-- (clinic.core.search.search_keys); what changes is which of their two B-trees is the
-- table. A register import writes the keys of new persons, whose ids count up: in the
-- order of (person_id, key) they are appended at the table's end instead of being
-- spread over it, and the key index is sorted once after a first import
-- (clinic.store.bulk.indexes_built_after); replacing a person's keys (an edit, sync's
-- rebuild, a merge) finds them by the primary key. The key index holds
-- (key, person_id), so a search reads the index alone, in the same order as before.
CREATE TABLE person_keys_by_person (
    key TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (person_id, key)
) WITHOUT ROWID;
INSERT INTO person_keys_by_person (key, person_id)
SELECT key, person_id FROM person_keys ORDER BY person_id, key;
DROP TABLE person_keys;
ALTER TABLE person_keys_by_person RENAME TO person_keys;
CREATE INDEX person_keys_key ON person_keys(key);
