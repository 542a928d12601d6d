-- Each total is spread over a few rows (stripes), each count adding to one of them at random, and read as
-- their sum. With one row per campus, week and measure, every transaction that counted the same thing
-- (four partner events a ride, at once for many rides) waited for the one before it to commit: under a
-- burst of calls most of the server's connections stood in that queue. A stripe says nothing about a
-- ride. The totals already counted stay, as stripe 0.
ALTER TABLE weekly_totals ADD COLUMN stripe SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE weekly_totals DROP CONSTRAINT weekly_totals_pkey;
ALTER TABLE weekly_totals ADD PRIMARY KEY (campus, week, measure, stripe);
