-- Failover between partners, the ride's lifecycle from partner events, and alerts for the centre.

-- Which partner (index in Partners:Providers) is being tried for a ride still waiting, and since when:
-- a partner that cannot confirm within its budget hands the ride to the next one.
ALTER TABLE rides ADD COLUMN partner_index $bigint$ NOT NULL DEFAULT 0;
ALTER TABLE rides ADD COLUMN partner_since $bigint$ NULL;
-- The car as the partner describes it (e.g. "White Toyota Prius, 1-ABC-234"): the partner's data, not the caller's.
ALTER TABLE rides ADD COLUMN vehicle TEXT NULL;
CREATE INDEX rides_partner_booking ON rides (partner, partner_booking_id);

-- Partner events already applied, so a repeated event changes nothing.
CREATE TABLE partner_events (
    partner     TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    received_at $bigint$ NOT NULL,
    PRIMARY KEY (partner, event_id)
);

-- Something a person at the centre must act on (the centre console shows them).
CREATE TABLE alerts (
    id          TEXT    PRIMARY KEY,
    ride_id     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  $bigint$ NOT NULL,
    resolved_at $bigint$ NULL
);
CREATE INDEX alerts_open ON alerts (resolved_at);
