-- 0011 (search): a surname is indexed under its real readings only (the
-- surname reading and the common one), no longer under every heteronym of
-- its character (丁 was also "zheng", so "zs" found 丁淑). The pinyin keys
-- ('y:') of every person are rebuilt with the current rules:
-- clinic_name_keys(name) is the JSON list of those keys, computed by
-- clinic.core.search.search_keys (registered by clinic.store.migrations).
DELETE FROM person_keys WHERE key >= 'y:' AND key < 'y;';
INSERT OR IGNORE INTO person_keys (key, person_id)
SELECT k.value, p.id FROM persons p, json_each(clinic_name_keys(p.name)) k;
