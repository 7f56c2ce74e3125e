-- 0020 (planning): public holidays come from the maintained `holidays` package
-- (clinic.core.holidays), which knows every year's holidays and the State
-- Council's arrangements; the seeded table knew one year and went stale.
DROP TABLE IF EXISTS holidays;
