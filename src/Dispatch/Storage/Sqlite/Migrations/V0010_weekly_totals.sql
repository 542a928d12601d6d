-- The organisers' totals: counts per campus and ISO week (never finer), each written in the same
-- transaction as the event it counts. Nothing here points back to a ride, so these rows stay when rides
-- are deleted. Histogram buckets are measures too (e.g. booking_to_pickup_lt_10).
CREATE TABLE weekly_totals (
    campus  TEXT    NOT NULL,
    week    TEXT    NOT NULL,
    measure TEXT    NOT NULL,
    value   INTEGER NOT NULL,
    PRIMARY KEY (campus, week, measure)
);

-- When the passenger got on board: the start of the pickup-to-arrival time, counted when the ride ends.
ALTER TABLE rides ADD COLUMN on_board_at INTEGER NULL;
