-- 0030 (reports, range 0030-0039): indexes that answer a report's lookups
-- without reading the rows (bench/bench_report.py). A report counts the
-- households registered in its villages by category, and the health
-- prescriptions of its visits by template: each index holds what is looked
-- up and what is counted. handouts(visit_id) is the first column of the new
-- one, so it goes.
CREATE INDEX households_village_category ON households(village_id, category);
CREATE INDEX handouts_visit_template ON handouts(visit_id, template_id);
DROP INDEX handouts_visit;
