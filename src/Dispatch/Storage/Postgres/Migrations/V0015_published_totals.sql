-- The totals the organisers' panel may show: each week once it is due (the Monday of the week after
-- next, Brussels), copied from weekly_totals by the publication job, then never written again. The panel's
-- login reads this table and nothing else of this database: it has a database of its own (alice_panel)
-- for its accounts, audit and key ring, so what V0010 granted it here is taken back.
CREATE TABLE published_totals (
    campus       TEXT   NOT NULL,
    week         TEXT   NOT NULL,
    measure      TEXT   NOT NULL,
    value        BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (campus, week, measure)
);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice_admin') THEN
        REVOKE ALL ON weekly_totals, accounts, audit_log, data_protection_keys FROM alice_admin;
        GRANT SELECT ON published_totals TO alice_admin;
    END IF;
END
$$;
