-- One row per campus, week and measure again: the stripes of V0014 spread a total over eight rows so that
-- hundreds of transactions a second would not queue on one row, a load this service never sees (a campus
-- books at most 30 rides in ten minutes). Every total keeps its value: its stripes are summed into one row.
INSERT INTO weekly_totals (campus, week, measure, stripe, value)
SELECT campus, week, measure, 0, SUM(value) FROM weekly_totals WHERE stripe <> 0 GROUP BY campus, week, measure
ON CONFLICT (campus, week, measure, stripe) DO UPDATE SET value = weekly_totals.value + excluded.value;
DELETE FROM weekly_totals WHERE stripe <> 0;
ALTER TABLE weekly_totals DROP CONSTRAINT weekly_totals_pkey;
ALTER TABLE weekly_totals DROP COLUMN stripe;
ALTER TABLE weekly_totals ADD PRIMARY KEY (campus, week, measure);
