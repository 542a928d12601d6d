-- The organisers' totals: counts per campus and ISO week (never finer), each written in the same
-- transaction as the event it counts. Nothing here points back to a ride, so these rows stay when rides
-- are deleted. Histogram buckets are measures too (e.g. booking_to_pickup_lt_10).
CREATE TABLE weekly_totals (
    campus  TEXT   NOT NULL,
    week    TEXT   NOT NULL,
    measure TEXT   NOT NULL,
    value   BIGINT NOT NULL,
    PRIMARY KEY (campus, week, measure)
);

-- When the passenger got on board: the start of the pickup-to-arrival time, counted when the ride ends.
ALTER TABLE rides ADD COLUMN on_board_at BIGINT NULL;

-- The organisers' panel logs in as alice_admin (infra/postgres creates the role, before the migrations
-- run): it reads the totals; it reads and changes accounts (logins, invitations, disabling); it adds to
-- the audit but cannot read it; it reads the Data Protection key ring to check second factors and its
-- own cookies, and cannot add to it. Nothing else: not a ride, an alert, a police request or a job.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice_admin') THEN
        GRANT SELECT ON weekly_totals TO alice_admin;
        GRANT SELECT, INSERT, UPDATE ON accounts TO alice_admin;
        GRANT INSERT ON audit_log TO alice_admin;
        GRANT SELECT ON data_protection_keys TO alice_admin;
    END IF;
END
$$;
