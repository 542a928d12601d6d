-- One row per campus, week and measure again: the stripes of V0014 spread a total over eight rows so that
-- hundreds of transactions a second would not queue on one row, a load this service never sees (a campus
-- books at most 30 rides in ten minutes). Every total keeps its value: its stripes are summed into one row.
-- SQLite cannot change a primary key in place: the table is rebuilt, as V0010 made it.
CREATE TABLE weekly_totals_summed (
    campus  TEXT    NOT NULL,
    week    TEXT    NOT NULL,
    measure TEXT    NOT NULL,
    value   INTEGER NOT NULL,
    PRIMARY KEY (campus, week, measure)
);
INSERT INTO weekly_totals_summed (campus, week, measure, value) SELECT campus, week, measure, SUM(value) FROM weekly_totals GROUP BY campus, week, measure;
DROP TABLE weekly_totals;
ALTER TABLE weekly_totals_summed RENAME TO weekly_totals;
