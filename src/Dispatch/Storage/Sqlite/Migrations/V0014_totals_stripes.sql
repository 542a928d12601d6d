-- Each total is spread over a few rows (stripes), each count adding to one of them at random, and read as
-- their sum: the same schema as on PostgreSQL, where one row per campus, week and measure made every
-- transaction that counted the same thing wait for the one before it. A stripe says nothing about a ride.
-- SQLite cannot change a primary key in place: the table is rebuilt, the totals already counted kept as stripe 0.
CREATE TABLE weekly_totals_striped (
    campus  TEXT    NOT NULL,
    week    TEXT    NOT NULL,
    measure TEXT    NOT NULL,
    stripe  INTEGER NOT NULL DEFAULT 0,
    value   INTEGER NOT NULL,
    PRIMARY KEY (campus, week, measure, stripe)
);
INSERT INTO weekly_totals_striped (campus, week, measure, stripe, value) SELECT campus, week, measure, 0, value FROM weekly_totals;
DROP TABLE weekly_totals;
ALTER TABLE weekly_totals_striped RENAME TO weekly_totals;
